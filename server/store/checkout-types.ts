/**
 * Storage contract of the checkout area: plans, orders, the log of every order change, and the gateway
 * events already processed (so each webhook delivery is applied at most once).
 */
import type { GatewayName, OrderLine, OrderStatus, PlanKind, PlanStatus, SelectionKind } from '../../core/checkout.ts';
import type { Page } from './types.ts';

export interface CheckoutSettingsRow {
  event_id: number;
  enabled: boolean;
  gateway: GatewayName | null;
  updated_at: string;
}

export interface PlanRow {
  id: number;
  event_id: number;
  name: string;
  kind: PlanKind;
  /** 1 for single, N for bundle, null for all. */
  quantity: number | null;
  price: number;
  currency: string;
  tax_inclusive: boolean;
  status: PlanStatus;
  created_at: string;
  updated_at: string;
}

export type NewPlan = Omit<PlanRow, 'id' | 'event_id' | 'created_at' | 'updated_at'>;

export interface OrderRow {
  id: string;
  event_id: number;
  org_id: number;
  status: OrderStatus;
  amount: number;
  currency: string;
  tax_inclusive: boolean;
  lines: OrderLine[];
  selection_kind: SelectionKind;
  selection_value: string | null;
  image_count: number;
  gateway: GatewayName;
  gateway_session: string | null;
  checkout_url: string | null;
  gateway_payment: string | null;
  refunded_amount: number;
  email: string | null;
  return_url: string;
  /** sha256 of the event-scoped Idempotency-Key. */
  idempotency_hash: string;
  /** sha256 of the normalised request, to refuse a key reused for another request. */
  request_hash: string;
  /** sha256 of the download token; the token itself is never stored in clear. */
  token_hash: string;
  /** The token sealed with a key derived from the Idempotency-Key (so a replay can return it). */
  token_sealed: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
}

export type NewOrder = Omit<
  OrderRow,
  'status' | 'gateway_session' | 'checkout_url' | 'gateway_payment' | 'refunded_amount' | 'created_at' | 'updated_at' | 'paid_at'
>;

export interface OrderEventRow {
  id: number;
  order_id: string;
  event_id: number;
  at: string;
  /** Who caused it: `api`, `webhook:stripe`, `test-gateway`, `recheck`, `admin:<key id>`. */
  source: string;
  /** `created`, `session`, `status`, `ignored`, `note`. */
  type: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus | null;
  /** Money moved by this change (a payment or a refund), in the order's minor units. */
  amount: number | null;
  gateway_event_id: string | null;
  detail: string | null;
}

export interface GatewayEventRef {
  gateway: GatewayName;
  /** The gateway's own event id (Stripe `evt_…`), unique per gateway. */
  id: string;
  type: string;
}

export interface TransitionInput {
  orderId: string;
  to: OrderStatus;
  /** Apply only when the current status is one of these; otherwise the attempt is logged as `ignored`. */
  from: readonly OrderStatus[];
  source: string;
  detail?: string | null;
  /** Money moved (payment or refund amount), for the transactions list. */
  amount?: number | null;
  /** Marks this gateway event processed in the same transaction: a second delivery changes nothing. */
  gatewayEvent?: GatewayEventRef;
  /** Gateway payment id (Stripe PaymentIntent) learnt from this change. */
  payment?: string | null;
  refundedAmount?: number | null;
}

/** `applied`: status changed. `unchanged`: logged, status kept. `duplicate`: gateway event seen before, nothing done. */
export type TransitionResult = { outcome: 'applied' | 'unchanged' | 'duplicate'; order: OrderRow | null };

export interface StatusCount {
  status: OrderStatus;
  gateway: GatewayName;
  currency: string;
  orders: number;
  amount: number;
  refunded: number;
}

export interface CheckoutStore {
  getSettings(eventId: number): Promise<CheckoutSettingsRow | null>;
  putSettings(eventId: number, patch: { enabled?: boolean; gateway?: GatewayName | null }): Promise<CheckoutSettingsRow>;

  createPlan(eventId: number, plan: NewPlan): Promise<PlanRow>;
  getPlan(eventId: number, id: number): Promise<PlanRow | null>;
  /** Oldest first; only the given statuses when set. */
  listPlans(eventId: number, statuses?: readonly PlanStatus[]): Promise<PlanRow[]>;
  updatePlan(eventId: number, id: number, patch: Partial<NewPlan>): Promise<PlanRow | null>;

  /**
   * Inserts the order, its photos and a `created` event in one transaction — unless an order with the same
   * (event, idempotency_hash) exists, which is returned instead with `created: false`.
   */
  createOrder(order: NewOrder, imageIds: string[], source: string): Promise<{ order: OrderRow; created: boolean }>;
  getOrder(id: string): Promise<OrderRow | null>;
  findOrderByIdempotency(eventId: number, idempotencyHash: string): Promise<OrderRow | null>;
  findOrderBySession(gateway: GatewayName, session: string): Promise<OrderRow | null>;
  findOrderByPayment(gateway: GatewayName, payment: string): Promise<OrderRow | null>;
  /** Records the gateway session of an order that has none yet (and logs it); returns the order with whichever session won. */
  setSession(orderId: string, session: string, url: string, source: string): Promise<OrderRow>;
  orderImageIds(orderId: string): Promise<string[]>;
  /** Compare-and-set of the status plus its log entry (and the processed gateway event), atomically. */
  transition(input: TransitionInput): Promise<TransitionResult>;
  /** Logs something about an order without changing its status (optionally marking a gateway event processed). */
  note(
    orderId: string,
    entry: {
      source: string;
      detail: string;
      /** `note` (default), or `payment` / `refund` when money moved without a status change. */
      type?: 'note' | 'payment' | 'refund';
      amount?: number | null;
      refundedAmount?: number | null;
      gatewayEvent?: GatewayEventRef;
    },
  ): Promise<boolean>;
  /** Marks a gateway event processed that concerns no known order. Returns false when it was seen before. */
  recordGatewayEvent(ref: GatewayEventRef, outcome: string): Promise<boolean>;
  hasGatewayEvent(gateway: GatewayName, id: string): Promise<boolean>;
  orderEvents(orderId: string): Promise<OrderEventRow[]>;

  /** Newest first. */
  listOrders(eventId: number, filter: { status?: OrderStatus }, page: { offset: number; limit: number }): Promise<Page<OrderRow>>;
  /** Orders and money grouped by status, gateway and currency. */
  statusCounts(eventId: number): Promise<StatusCount[]>;
  /** Payments and refunds (order events that moved money), newest first. */
  listMoneyEvents(eventId: number, page: { offset: number; limit: number }): Promise<Page<OrderEventRow & { order: OrderRow }>>;

  /** The ids among `imageIds` that a paid order of the event with this token hash covers. */
  unlockedImages(eventId: number, tokenHash: string, imageIds: string[]): Promise<Set<string>>;
}
