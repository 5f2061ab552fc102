import type { CheckoutInfo, CreatedOrder, Order, Quote } from '../../core/checkout.ts';
import type { ApiClient } from '../api/client.ts';

/** The checkout extension routes of one event (docs/checkout.md), through the event's API client. */
export class CheckoutApi {
  constructor(readonly client: ApiClient) {}

  /** Identifies the event across page loads: API origin, organisation, event. */
  get eventKey(): string {
    const { api, org, event } = this.client.options;
    return `${api.replace(/\/$/, '')}|${org}|${event}`;
  }

  info(signal?: AbortSignal) {
    return this.client.request<CheckoutInfo>('/checkout', { signal });
  }

  quote(selection: Selection, signal?: AbortSignal) {
    return this.client.request<Quote>('/checkout/quote', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(selection),
      signal,
    });
  }

  createOrder(
    body: Selection & { expected_amount: number; expected_currency: string; return_url: string },
    idempotencyKey: string,
  ) {
    return this.client.request<CreatedOrder>('/checkout/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify(body),
    });
  }

  order(id: string, token: string, recheck = false, signal?: AbortSignal) {
    return this.client.request<Order>(`/checkout/orders/${encodeURIComponent(id)}${recheck ? '/recheck' : ''}`, {
      method: recheck ? 'POST' : 'GET',
      headers: { 'X-Order-Token': token },
      signal,
    });
  }
}

/** What a buyer picks: photos by id, or all photos of a BIB or of a selfie search. */
export type Selection = { image_ids: string[] } | { bib: string } | { request_id: string };

export interface SavedOrder {
  orderId: string;
  token: string;
  receiptUrl: string;
  eventKey: string;
  savedAt: number;
}

const STORAGE_KEY = 'photo-finish:orders';
const KEEP = 20;

/**
 * Download tokens of this browser's orders, in localStorage (the buyer's proof of purchase; the server keeps
 * only a hash). When storage is blocked they live in memory for the page's life.
 */
export const savedOrders = {
  memory: [] as SavedOrder[],

  all(): SavedOrder[] {
    try {
      const raw = localStorage.getItem(STORAGE_KEY);
      return raw ? (JSON.parse(raw) as SavedOrder[]) : this.memory;
    } catch {
      return this.memory;
    }
  },

  get(orderId: string, eventKey: string): SavedOrder | null {
    return this.all().find((o) => o.orderId === orderId && o.eventKey === eventKey) ?? null;
  },

  save(o: SavedOrder): void {
    const list = [o, ...this.all().filter((x) => x.orderId !== o.orderId)].slice(0, KEEP);
    this.memory = list;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
    } catch {
      /* private mode or blocked storage: kept in memory only */
    }
  },
};

/** A fresh Idempotency-Key (a double click reuses the one of its attempt). */
export const newIdempotencyKey = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
