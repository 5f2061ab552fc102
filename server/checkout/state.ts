import type { OrderStatus } from '../../core/checkout.ts';

/**
 * The order state machine: for each target status, the statuses it may be reached from.
 *
 * - A confirmed payment is never lost: `paid` is reachable from `failed` and `abandoned` too (a late
 *   webhook, an asynchronous payment that settled after all).
 * - `refunded` is final and reachable from anything else, so a refund that arrives before the payment's
 *   confirmation wins: the later confirmation is logged and changes nothing.
 * - `failed` and `abandoned` only end a pending order.
 */
export const ALLOWED_FROM: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: [],
  paid: ['pending', 'failed', 'abandoned'],
  failed: ['pending'],
  abandoned: ['pending'],
  refunded: ['pending', 'paid', 'failed', 'abandoned'],
};

export const canMove = (from: OrderStatus, to: OrderStatus) => ALLOWED_FROM[to].includes(from);
