import type {
  CheckoutInfo,
  CheckoutSettings,
  CreatedOrder,
  CreateOrderRequest,
  CreatePlanRequest,
  GatewayName,
  Order,
  OrderStatus,
  Plan,
  Quote,
  QuoteRequest,
  UpdateCheckoutSettings,
  UpdatePlanRequest,
} from '../../core/checkout.ts';
import type { OrderRow, PlanRow } from '../store/checkout-types.ts';
import type { EventRow } from '../store/types.ts';
import { AdminOrderViews } from './admin-views.ts';
import { CheckoutContext, type Caller, type CheckoutDeps } from './context.ts';
import type { GatewayEvent, PaymentGateway } from './gateways/types.ts';
import { OrderView } from './order-view.ts';
import { Orders, type Selection } from './orders.ts';
import { PaidDownloads } from './paid-downloads.ts';
import { Payments, type ApplyResult } from './payments.ts';
import { CheckoutPlans, toPlan } from './plans.ts';

/**
 * Selling photos: plans, pricing, orders and their state machine, gateways, refunds, totals, and the paid
 * downloads (ZIP). Routes call it; it never sees Hono. Every status change goes through `applyGatewayEvent`
 * or `store.transition`, which log who did it and when. The work is done by the parts it composes:
 * `plans.ts`, `orders.ts`, `payments.ts`, `admin-views.ts`, `order-view.ts`, `paid-downloads.ts`.
 */
export class CheckoutService {
  private readonly ctx: CheckoutContext;
  private readonly plans: CheckoutPlans;
  private readonly orders: Orders;
  private readonly payments: Payments;
  private readonly admin: AdminOrderViews;
  private readonly view: OrderView;
  private readonly downloads: PaidDownloads;

  constructor(
    deps: CheckoutDeps,
    /** The gateways this server can use (Stripe only when configured). */
    gateways: ReadonlyMap<GatewayName, PaymentGateway>,
  ) {
    this.ctx = new CheckoutContext(deps, gateways);
    this.view = new OrderView(this.ctx);
    this.plans = new CheckoutPlans(this.ctx);
    this.orders = new Orders(this.ctx, this.view);
    this.payments = new Payments(this.ctx);
    this.admin = new AdminOrderViews(this.ctx, this.view);
    this.downloads = new PaidDownloads(this.ctx, this.view);
  }

  gateway(name: GatewayName): PaymentGateway | null {
    return this.ctx.gateway(name);
  }

  // ------------------------------------------------------------------ settings and plans (admin)

  settings(event: EventRow): Promise<CheckoutSettings> {
    return this.plans.settings(event);
  }

  updateSettings(event: EventRow, patch: UpdateCheckoutSettings): Promise<CheckoutSettings> {
    return this.plans.updateSettings(event, patch);
  }

  listPlans(event: EventRow): Promise<PlanRow[]> {
    return this.plans.listPlans(event);
  }

  createPlan(event: EventRow, req: CreatePlanRequest): Promise<PlanRow> {
    return this.plans.createPlan(event, req);
  }

  updatePlan(event: EventRow, id: number, req: UpdatePlanRequest): Promise<PlanRow> {
    return this.plans.updatePlan(event, id, req);
  }

  archivePlan(event: EventRow, id: number): Promise<PlanRow> {
    return this.plans.archivePlan(event, id);
  }

  toPlan(p: PlanRow): Plan {
    return toPlan(p);
  }

  // ------------------------------------------------------------------ buying (public)

  info(event: EventRow): Promise<CheckoutInfo> {
    return this.orders.info(event);
  }

  resolveSelection(event: EventRow, sel: QuoteRequest): Promise<Selection> {
    return this.orders.resolveSelection(event, sel);
  }

  quote(event: EventRow, sel: QuoteRequest): Promise<Quote> {
    return this.orders.quote(event, sel);
  }

  createOrder(
    event: EventRow,
    req: CreateOrderRequest,
    ctx: Caller & { idempotencyKey: string; allowedOrigins: string[] | null; requestOrigin: string | null },
  ): Promise<CreatedOrder> {
    return this.orders.createOrder(event, req, ctx);
  }

  orderForBuyer(event: EventRow, orderId: string, token: string | null): Promise<OrderRow> {
    return this.orders.orderForBuyer(event, orderId, token);
  }

  checkToken(order: OrderRow, token: string | null): void {
    this.orders.checkToken(order, token);
  }

  // ------------------------------------------------------------------ gateway news

  recheck(order: OrderRow, source: string): Promise<OrderRow> {
    return this.payments.recheck(order, source);
  }

  applyGatewayEvent(ev: GatewayEvent, source: string): Promise<ApplyResult> {
    return this.payments.applyGatewayEvent(ev, source);
  }

  testPayment(session: string): Promise<{ order: OrderRow; expired: boolean } | null> {
    return this.payments.testPayment(session);
  }

  // ------------------------------------------------------------------ admin: orders, refunds, totals

  orderInEvent(event: EventRow, orderId: string): Promise<OrderRow> {
    return this.orders.orderInEvent(event, orderId);
  }

  async refund(event: EventRow, orderId: string, source: string): Promise<OrderRow> {
    return this.payments.refund(await this.orders.orderInEvent(event, orderId), source);
  }

  totals(event: EventRow) {
    return this.admin.totals(event);
  }

  listOrders(event: EventRow, status: OrderStatus | undefined, page: { offset: number; limit: number }) {
    return this.admin.listOrders(event, status, page);
  }

  transactions(event: EventRow, page: { offset: number; limit: number }) {
    return this.admin.transactions(event, page);
  }

  toAdminOrder(o: OrderRow) {
    return this.admin.toAdminOrder(o);
  }

  toAdminOrderDetail(o: OrderRow) {
    return this.admin.toAdminOrderDetail(o);
  }

  // ------------------------------------------------------------------ views and downloads

  toOrder(o: OrderRow, zip: { base: string } | null): Promise<Order> {
    return this.view.toOrder(o, zip);
  }

  signedZipUrl(base: string, orderId: string): string {
    return this.view.signedZipUrl(base, orderId);
  }

  paidImages(order: OrderRow) {
    return this.downloads.paidImages(order);
  }

  zip(orderId: string, query: { exp?: string; kid?: string; sig?: string }) {
    return this.downloads.zip(orderId, query);
  }

  receipt(orderId: string, token: string, base: string) {
    return this.downloads.receipt(orderId, token, base);
  }

  getOrder(id: string) {
    return this.ctx.db.getOrder(id);
  }

  findTestSession(session: string) {
    return this.ctx.db.findOrderBySession('test', session);
  }

  /** The event an order belongs to (null if it is gone). */
  eventOf(order: OrderRow): Promise<EventRow | null> {
    return this.ctx.deps.store.events.get(order.event_id);
  }

  orderImageIds(id: string) {
    return this.ctx.db.orderImageIds(id);
  }
}
