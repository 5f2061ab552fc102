import {
  ORDER_STATUSES,
  orderReference,
  type AdminOrder,
  type AdminOrderDetail,
  type OrderStatus,
  type OrderTotals,
  type Transaction,
} from '../../core/checkout.ts';
import type { OrderEventRow, OrderRow } from '../store/checkout-types.ts';
import type { EventRow } from '../store/types.ts';
import type { CheckoutContext } from './context.ts';
import type { OrderView } from './order-view.ts';

/** What the admin sees of an event's sales: orders with their log, transactions, totals. */
export class AdminOrderViews {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly view: OrderView,
  ) {}

  async totals(event: EventRow): Promise<OrderTotals> {
    const rows = await this.ctx.db.statusCounts(event.id);
    const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    const byGateway: OrderTotals['by_gateway'] = {};
    const money = new Map<string, { gross: number; refunded: number; paid_orders: number }>();
    let orders = 0;
    for (const r of rows) {
      orders += r.orders;
      byStatus[r.status] += r.orders;
      const g = (byGateway[r.gateway] ??= { orders: 0, paid: 0 });
      g.orders += r.orders;
      if (r.status === 'paid') g.paid += r.orders;
      const m = money.get(r.currency) ?? { gross: 0, refunded: 0, paid_orders: 0 };
      if (r.status === 'paid' || r.status === 'refunded') {
        m.gross += r.amount;
        m.paid_orders += r.orders;
      }
      m.refunded += r.refunded;
      money.set(r.currency, m);
    }
    return {
      orders,
      by_status: byStatus,
      by_gateway: byGateway,
      money: [...money.entries()]
        .filter(([, m]) => m.paid_orders > 0 || m.refunded > 0)
        .map(([currency, m]) => ({
          currency,
          gross: m.gross,
          refunded: m.refunded,
          net: m.gross - m.refunded,
          paid_orders: m.paid_orders,
          average_order_value: m.paid_orders ? Math.round(m.gross / m.paid_orders) : 0,
        })),
    };
  }

  listOrders(event: EventRow, status: OrderStatus | undefined, page: { offset: number; limit: number }) {
    return this.ctx.db.listOrders(event.id, { status }, page);
  }

  async transactions(event: EventRow, page: { offset: number; limit: number }) {
    const { items, total } = await this.ctx.db.listMoneyEvents(event.id, page);
    const list: Transaction[] = items.map((e) => ({
      order_id: e.order_id,
      reference: orderReference(e.order_id),
      at: e.at,
      kind: e.to_status === 'paid' || e.type === 'payment' ? 'payment' : 'refund',
      amount: e.amount ?? 0,
      currency: e.order.currency,
      gateway: e.order.gateway,
      source: e.source,
      gateway_event_id: e.gateway_event_id,
    }));
    return { items: list, total };
  }

  async toAdminOrder(o: OrderRow): Promise<AdminOrder> {
    const { zip_url: _zip, ...order } = await this.view.toOrder(o, null);
    return {
      ...order,
      email: o.email,
      gateway_session: o.gateway_session,
      gateway_payment: o.gateway_payment,
      refunded_amount: o.refunded_amount,
      updated_at: o.updated_at,
    };
  }

  async toAdminOrderDetail(o: OrderRow): Promise<AdminOrderDetail> {
    const events = await this.ctx.db.orderEvents(o.id);
    return {
      ...(await this.toAdminOrder(o)),
      events: events.map((e: OrderEventRow) => ({
        at: e.at,
        source: e.source,
        type: e.type,
        from_status: e.from_status,
        to_status: e.to_status,
        amount: e.amount,
        gateway_event_id: e.gateway_event_id,
        detail: e.detail,
      })),
    };
  }
}
