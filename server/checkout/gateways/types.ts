import type { GatewayName, OrderLine } from '../../../core/checkout.ts';
import type { OrderRow } from '../../store/checkout-types.ts';

/**
 * What a gateway reported, in our terms. Webhooks, the test gateway's pay page, rechecks and refunds all
 * become one of these and go through the same `CheckoutService.applyGatewayEvent`.
 */
export interface GatewayEvent {
  gateway: GatewayName;
  /** Unique per gateway (Stripe `evt_…`): an event id seen before is not applied again. */
  id: string;
  /** The gateway's own type, e.g. `checkout.session.completed`. */
  type: string;
  /** What it means for the order; `none` = nothing to change (logged when the order is known). */
  outcome: 'paid' | 'failed' | 'abandoned' | 'refunded' | 'partial_refund' | 'none';
  /** How the order is found: our id (gateway metadata), else the session, else the payment. */
  orderId: string | null;
  session: string | null;
  payment: string | null;
  /** For `paid`: what the gateway charged (checked against the order). For refunds: the amount refunded. */
  amount: number | null;
  currency: string | null;
  detail: string | null;
}

export interface SessionRequest {
  order: OrderRow;
  eventName: string;
  lines: OrderLine[];
  successUrl: string;
  cancelUrl: string;
  /** This server's public origin (the test gateway's pay page lives here). */
  base: string;
}

/** A payment gateway: a hosted payment page, a way to ask again, and refunds. */
export interface PaymentGateway {
  readonly name: GatewayName;
  /** Shown on receipts and in the admin API. */
  readonly label: string;
  /** Creates (idempotently per order) the hosted payment session; returns its id and URL. */
  createSession(req: SessionRequest): Promise<{ session: string; url: string }>;
  /** Asks the gateway for the session's current state; null when nothing is settled yet. */
  recheck(order: OrderRow): Promise<GatewayEvent | null>;
  /** Refunds the whole payment of a paid order. */
  refund(order: OrderRow): Promise<GatewayEvent>;
}

/** A gateway could not be reached or refused the call: 502, safe to retry. */
export class GatewayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayError';
  }
}
