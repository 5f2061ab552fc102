import type { QuoteRequest } from '../../core/checkout.ts';

/** What a buyer picks: photos by id, or all photos of a BIB or of a selfie search (one of QuoteRequest's forms). */
export type Selection = QuoteRequest & ({ image_ids: string[] } | { bib: string } | { request_id: string });

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
