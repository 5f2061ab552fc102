import type { GatewayEventOutcome, GatewayName, OrderStatus } from '../../core/checkout.ts';
import { ApiError } from '../http/errors.ts';
import type { OrderRow } from '../store/checkout-types.ts';
import { gatewayFailure, type CheckoutContext } from './context.ts';
import type { GatewayEvent, PaymentGateway } from './gateways/types.ts';
import { ALLOWED_FROM } from './state.ts';

export type ApplyResult = {
  outcome: GatewayEventOutcome;
  order: OrderRow | null;
};

/**
 * Gateway news and what asks a gateway: every status change an order gets from a gateway goes through
 * `applyGatewayEvent` (the state machine in state.ts, logged in order_events).
 */
export class Payments {
  constructor(private readonly ctx: CheckoutContext) {}

  /** Asks the gateway again about a pending order and applies what it says. */
  async recheck(order: OrderRow, source: string): Promise<OrderRow> {
    if (order.status !== 'pending') return order;
    const gateway = this.ctx.gateway(order.gateway);
    if (!gateway) return order;
    let ev: GatewayEvent | null;
    try {
      ev = await gateway.recheck(order);
    } catch (e) {
      throw gatewayFailure(e);
    }
    if (!ev) return order;
    const r = await this.applyGatewayEvent(ev, source);
    return r.order ?? order;
  }

  /**
   * Applies what a gateway reported — a webhook, the test gateway's pay page, a recheck or a refund —
   * at most once per gateway event id, through the state machine.
   */
  async applyGatewayEvent(ev: GatewayEvent, source: string): Promise<ApplyResult> {
    const ref = { gateway: ev.gateway, id: ev.id, type: ev.type };
    if (await this.ctx.db.hasGatewayEvent(ev.gateway, ev.id)) return { outcome: 'duplicate', order: null };
    const order = await this.findOrder(ev);
    if (!order) {
      const fresh = await this.ctx.db.recordGatewayEvent(ref, ev.outcome === 'none' ? 'ignored' : 'unknown_order');
      if (fresh && ev.outcome !== 'none')
        this.ctx.deps.log.warn('gateway event for an unknown order', { gateway: ev.gateway, id: ev.id, type: ev.type });
      return { outcome: fresh ? 'unknown_order' : 'duplicate', order: null };
    }
    const log = { source, gatewayEvent: ref };
    switch (ev.outcome) {
      case 'none': {
        const fresh = await this.ctx.db.note(order.id, { ...log, detail: ev.detail ?? ev.type });
        return { outcome: fresh ? 'noted' : 'duplicate', order };
      }
      case 'partial_refund': {
        const total = ev.amount ?? order.refunded_amount;
        const fresh = await this.ctx.db.note(order.id, {
          ...log,
          type: 'refund',
          amount: Math.max(0, total - order.refunded_amount),
          refundedAmount: total,
          detail: ev.detail ?? 'partial refund',
        });
        return { outcome: fresh ? 'noted' : 'duplicate', order: await this.ctx.db.getOrder(order.id) };
      }
      case 'paid': {
        if (ev.amount !== order.amount || (ev.currency && ev.currency !== order.currency)) {
          this.ctx.deps.log.warn('payment amount differs from the order', {
            order: order.id,
            paid: ev.amount,
            currency: ev.currency,
            amount: order.amount,
          });
          const fresh = await this.ctx.db.note(order.id, {
            ...log,
            type: 'payment',
            amount: ev.amount,
            detail: `payment of ${ev.amount} ${ev.currency} does not match the order (${order.amount} ${order.currency}): not unlocked, check it at the gateway`,
          });
          return { outcome: fresh ? 'mismatch' : 'duplicate', order };
        }
        if (order.status === 'refunded') {
          // Money came in for an order already refunded (the refund arrived first): log it, keep it locked.
          const fresh = await this.ctx.db.note(order.id, {
            ...log,
            type: 'payment',
            amount: ev.amount,
            detail: 'payment confirmed after its refund: the order stays refunded',
          });
          return { outcome: fresh ? 'unchanged' : 'duplicate', order };
        }
        return this.move(order, 'paid', { ...log, amount: ev.amount, payment: ev.payment, detail: ev.detail });
      }
      case 'failed':
      case 'abandoned':
        return this.move(order, ev.outcome, { ...log, detail: ev.detail });
      case 'refunded':
        return this.move(order, 'refunded', {
          ...log,
          amount: Math.max(0, (ev.amount ?? order.amount) - order.refunded_amount),
          refundedAmount: ev.amount ?? order.amount,
          payment: ev.payment,
          detail: ev.detail,
        });
    }
  }

  private async move(
    order: OrderRow,
    to: OrderStatus,
    o: {
      source: string;
      gatewayEvent: { gateway: GatewayName; id: string; type: string };
      amount?: number | null;
      payment?: string | null;
      refundedAmount?: number | null;
      detail?: string | null;
    },
  ): Promise<ApplyResult> {
    const r = await this.ctx.db.transition({
      orderId: order.id,
      to,
      from: ALLOWED_FROM[to],
      source: o.source,
      detail: o.detail ?? null,
      amount: o.amount ?? null,
      gatewayEvent: o.gatewayEvent,
      payment: o.payment ?? null,
      refundedAmount: o.refundedAmount ?? null,
    });
    if (r.outcome === 'applied')
      this.ctx.deps.log.info('order status', { order: order.id, from: order.status, to, source: o.source });
    return r;
  }

  private async findOrder(ev: GatewayEvent): Promise<OrderRow | null> {
    const same = (o: OrderRow | null) => (o && o.gateway === ev.gateway ? o : null);
    let order = ev.orderId ? same(await this.ctx.db.getOrder(ev.orderId)) : null;
    if (!order && ev.session) order = await this.ctx.db.findOrderBySession(ev.gateway, ev.session);
    if (!order && ev.payment) order = await this.ctx.db.findOrderByPayment(ev.gateway, ev.payment);
    const gw = this.ctx.gateway(ev.gateway) as
      (PaymentGateway & { findOrderId?(e: GatewayEvent): Promise<string | null> }) | null;
    if (!order && gw?.findOrderId) {
      const id = await gw.findOrderId(ev).catch((e: unknown) => {
        throw gatewayFailure(e);
      });
      if (id) order = same(await this.ctx.db.getOrder(id));
    }
    return order;
  }

  /** Refunds a paid order at its gateway and applies what the gateway answers. */
  async refund(order: OrderRow, source: string): Promise<OrderRow> {
    if (order.status !== 'paid') throw new ApiError(409, `Only paid orders can be refunded; this one is ${order.status}`);
    const gateway = this.ctx.gateway(order.gateway);
    if (!gateway)
      throw new ApiError(503, `The ${order.gateway} gateway is not configured on this server: refund it at the gateway`);
    let ev: GatewayEvent;
    try {
      ev = await gateway.refund(order);
    } catch (e) {
      throw gatewayFailure(e);
    }
    await this.applyGatewayEvent(ev, source);
    return (await this.ctx.db.getOrder(order.id))!;
  }

  /**
   * The order behind a test-gateway pay page, asked again first: a page older than a day has expired, and the
   * recheck abandons its order (`expired`: this look-up is what abandoned it). Null for an unknown session.
   */
  async testPayment(session: string): Promise<{ order: OrderRow; expired: boolean } | null> {
    const found = await this.ctx.db.findOrderBySession('test', session);
    if (!found) return null;
    const order = await this.recheck(found, 'test-gateway');
    return { order, expired: order.status === 'abandoned' && found.status === 'pending' };
  }
}
