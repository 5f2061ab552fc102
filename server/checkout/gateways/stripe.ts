import { createRequire } from 'node:module';
import type Stripe from 'stripe';
import type { OrderRow } from '../../store/checkout-types.ts';
import { GatewayError, type GatewayEvent, type PaymentGateway, type SessionRequest } from './types.ts';

export interface StripeOptions {
  secretKey: string;
  /** Signing secret of the webhook endpoint (`whsec_…`). */
  webhookSecret: string;
  /** Where the SDK sends API calls (default api.stripe.com:443 over https); for stripe-mock or tests. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  maxNetworkRetries?: number;
}

/** Thrown for a webhook whose signature does not verify (400; nothing is changed). */
export class WebhookSignatureError extends Error {}

const upper = (c: string | null | undefined) => (c ? c.toUpperCase() : null);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * Stripe Checkout through the official SDK: a Checkout Session per order (created with an idempotency key
 * derived from the order, so a retried creation returns the same session), confirmed by signed webhooks.
 */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe' as const;
  readonly label = 'Stripe';
  readonly stripe: Stripe;
  private readonly webhookSecret: string;

  constructor(o: StripeOptions) {
    // The SDK (about 200 modules) loads only on a server that offers Stripe: a restart without it stays quick.
    const StripeSdk = createRequire(import.meta.url)('stripe') as typeof Stripe;
    this.stripe = new StripeSdk(o.secretKey, {
      host: o.host,
      port: o.port,
      protocol: o.protocol,
      maxNetworkRetries: o.maxNetworkRetries ?? 2,
      timeout: 20_000,
      appInfo: { name: 'photo-finish' },
    });
    this.webhookSecret = o.webhookSecret;
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new GatewayError(`Stripe ${what} failed: ${(e as Error).message}`);
    }
  }

  async createSession(req: SessionRequest) {
    const { order } = req;
    const session = await this.call('Checkout Session creation', () =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: req.lines.map((l) => ({
            quantity: l.quantity,
            price_data: {
              currency: order.currency.toLowerCase(),
              unit_amount: l.unit_amount,
              tax_behavior: order.tax_inclusive ? 'inclusive' : 'exclusive',
              product_data: {
                name: `${req.eventName} — ${l.name}`,
                metadata: { plan_id: String(l.plan_id) },
              },
            },
          })),
          client_reference_id: order.id,
          metadata: { order_id: order.id, event_id: String(order.event_id), org_id: String(order.org_id) },
          payment_intent_data: { metadata: { order_id: order.id, event_id: String(order.event_id) } },
          ...(order.email ? { customer_email: order.email } : {}),
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        { idempotencyKey: `pf-order-${order.id}` },
      ),
    );
    if (!session.url) throw new GatewayError('Stripe returned a Checkout Session without a URL');
    return { session: session.id, url: session.url };
  }

  /** Verifies the `Stripe-Signature` over the raw body and maps the event to ours. */
  parseWebhook(rawBody: string, signature: string | undefined): GatewayEvent {
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('no Stripe-Signature header');
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
    } catch (e) {
      throw new WebhookSignatureError(`Webhook signature verification failed: ${(e as Error).message}`);
    }
    return this.mapEvent(event);
  }

  mapEvent(event: Stripe.Event): GatewayEvent {
    const base = { gateway: 'stripe' as const, id: event.id, type: event.type };
    const none = {
      outcome: 'none' as const,
      orderId: null,
      session: null,
      payment: null,
      amount: null,
      currency: null,
      detail: null,
    };
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired': {
        const s = event.data.object;
        const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
        const outcome =
          event.type === 'checkout.session.expired'
            ? 'abandoned'
            : event.type === 'checkout.session.async_payment_failed'
              ? 'failed'
              : paid
                ? 'paid'
                : 'none';
        return {
          ...base,
          outcome,
          orderId: s.metadata?.order_id ?? s.client_reference_id ?? null,
          session: s.id,
          payment: idOf(s.payment_intent),
          amount: s.amount_total,
          currency: upper(s.currency),
          detail:
            outcome === 'none' ? `session ${s.status}, payment ${s.payment_status}: waiting for the payment to settle` : null,
        };
      }
      case 'charge.refunded': {
        const ch = event.data.object;
        return {
          ...base,
          outcome: ch.refunded ? 'refunded' : 'partial_refund',
          orderId: ch.metadata?.order_id ?? null,
          session: null,
          payment: idOf(ch.payment_intent),
          amount: ch.amount_refunded,
          currency: upper(ch.currency),
          detail: ch.refunded ? null : `partial refund: ${ch.amount_refunded} of ${ch.amount}`,
        };
      }
      default:
        return { ...base, ...none, detail: `not handled: ${event.type}` };
    }
  }

  /** For a refund that arrives before the session's completion: find the order through the payment's session. */
  async findOrderId(ev: GatewayEvent): Promise<string | null> {
    if (!ev.payment) return null;
    const list = await this.call('Checkout Session lookup', () =>
      this.stripe.checkout.sessions.list({ payment_intent: ev.payment!, limit: 1 }),
    );
    const s = list.data[0];
    return s ? (s.metadata?.order_id ?? s.client_reference_id ?? null) : null;
  }

  async recheck(order: OrderRow): Promise<GatewayEvent | null> {
    if (!order.gateway_session) return null;
    const s = await this.call('Checkout Session retrieval', () => this.stripe.checkout.sessions.retrieve(order.gateway_session!));
    const common = {
      gateway: 'stripe' as const,
      type: `recheck:checkout.session.${s.status}`,
      orderId: s.metadata?.order_id ?? order.id,
      session: s.id,
      payment: idOf(s.payment_intent),
      amount: s.amount_total,
      currency: upper(s.currency),
      detail: null,
    };
    if (s.status === 'complete' && (s.payment_status === 'paid' || s.payment_status === 'no_payment_required'))
      return { ...common, id: `recheck:${s.id}:paid`, outcome: 'paid' };
    if (s.status === 'expired') return { ...common, id: `recheck:${s.id}:expired`, outcome: 'abandoned' };
    return null;
  }

  async refund(order: OrderRow): Promise<GatewayEvent> {
    if (!order.gateway_payment) throw new GatewayError('This order has no Stripe payment to refund');
    const r = await this.call('refund', () =>
      this.stripe.refunds.create(
        { payment_intent: order.gateway_payment!, reason: 'requested_by_customer', metadata: { order_id: order.id } },
        { idempotencyKey: `pf-refund-${order.id}` },
      ),
    );
    if (r.status === 'failed' || r.status === 'canceled') throw new GatewayError(`Stripe refused the refund (${r.status})`);
    return {
      gateway: 'stripe',
      id: `refund:${r.id}`,
      type: 'refund.created',
      outcome: 'refunded',
      orderId: order.id,
      session: order.gateway_session,
      payment: order.gateway_payment,
      amount: r.amount,
      currency: upper(r.currency),
      detail: `refund ${r.id} ${r.status}`,
    };
  }
}
