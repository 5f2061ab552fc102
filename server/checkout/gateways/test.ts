import { randomBytes } from 'node:crypto';
import type { OrderRow } from '../../store/checkout-types.ts';
import type { GatewayEvent, PaymentGateway, SessionRequest } from './types.ts';

export const TEST_ACTIONS = ['pay', 'fail', 'cancel'] as const;
export type TestAction = (typeof TEST_ACTIONS)[number];

/** How long a test payment page stays open (as a Stripe Checkout Session: 24 h). */
export const TEST_SESSION_TTL_MS = 24 * 3600_000;

/** Path of the test gateway's hosted pay page for a session. */
export const testPayPath = (session: string) => `/pay/test/${session}`;

/**
 * The built-in test gateway: no money moves. Its hosted page (`/pay/test/{session}`, served by this server)
 * offers Pay / Fail / Cancel; each button becomes a `GatewayEvent` applied exactly like a Stripe webhook.
 */
export class TestGateway implements PaymentGateway {
  readonly name = 'test' as const;
  readonly label = 'Test gateway (no money moves)';

  async createSession(req: SessionRequest) {
    // Sessions are unguessable: whoever knows one can settle the order on the pay page.
    const session = req.order.gateway_session ?? `pft_${randomBytes(18).toString('base64url')}`;
    return { session, url: `${req.base}${testPayPath(session)}` };
  }

  /** What a button on the pay page means. The event id is per session and action: a double submit counts once. */
  eventFor(order: OrderRow, action: TestAction): GatewayEvent {
    const outcome = action === 'pay' ? 'paid' : action === 'fail' ? 'failed' : 'abandoned';
    return {
      gateway: 'test',
      id: `${order.gateway_session}:${action}`,
      type: `test.${action}`,
      outcome,
      orderId: order.id,
      session: order.gateway_session,
      payment: action === 'pay' ? `pftpay_${order.id}` : null,
      amount: action === 'pay' ? order.amount : null,
      currency: action === 'pay' ? order.currency : null,
      detail: null,
    };
  }

  /**
   * The test gateway keeps no state of its own (the pay page settles orders directly); like a Stripe session,
   * its page expires after a day, and a recheck then abandons the order.
   */
  async recheck(order: OrderRow, now = Date.now()): Promise<GatewayEvent | null> {
    if (now - Date.parse(order.created_at) < TEST_SESSION_TTL_MS) return null;
    return {
      ...this.eventFor(order, 'cancel'),
      id: `${order.gateway_session}:expired`,
      type: 'test.expired',
      detail: 'test session expired',
    };
  }

  async refund(order: OrderRow): Promise<GatewayEvent> {
    return {
      gateway: 'test',
      id: `refund:${order.id}`,
      type: 'test.refund',
      outcome: 'refunded',
      orderId: order.id,
      session: order.gateway_session,
      payment: order.gateway_payment,
      amount: order.amount,
      currency: order.currency,
      detail: 'refunded by the test gateway',
    };
  }
}
