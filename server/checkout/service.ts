import { randomUUID } from 'node:crypto';
import {
  ORDER_STATUSES,
  orderReference,
  type AdminOrder,
  type AdminOrderDetail,
  type CheckoutInfo,
  type CheckoutSettings,
  type CreatedOrder,
  type CreateOrderRequest,
  type CreatePlanRequest,
  type GatewayEventOutcome,
  type GatewayName,
  type Order,
  type OrderStatus,
  type OrderTotals,
  type Plan,
  type Quote,
  type QuoteRequest,
  type SelectionKind,
  type Transaction,
  type UpdateCheckoutSettings,
  type UpdatePlanRequest,
} from '../../core/checkout.ts';
import { bibProblem, bibSearchKeys } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError, badRequest, forbidden, notFound, unauthorized, unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { SelfieResults } from '../services/selfie-results.ts';
import { originalPath } from '../services/downloads.ts';
import { toImageItem } from '../services/image-items.ts';
import { assertSigned, type Signer } from '../services/signing.ts';
import type { OrderEventRow, OrderRow, PlanRow } from '../store/checkout-types.ts';
import type { EventRow, ImageRow, Store } from '../store/types.ts';
import { GatewayError, type GatewayEvent, type PaymentGateway } from './gateways/types.ts';
import type { ReceiptPhoto } from './pages.ts';
import { priceSelection } from './pricing.ts';
import { ALLOWED_FROM } from './state.ts';
import { fingerprint, hashIdempotencyKey, hashToken, newDownloadToken, sealToken, unsealToken } from './tokens.ts';
import { zipOriginals } from './zip.ts';

/** What the service is built from (server/bootstrap.ts). */
export interface CheckoutDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  log: Logger;
  /** Stored selfie searches, for "all my photos" by request_id; undefined = every request_id is unknown (404). */
  selfieResults: SelfieResults | undefined;
}

/** Who asked, for the order log and for the return-URL check. */
export interface Caller {
  /** `api`, `admin:<key id>`, `webhook:stripe`, `test-gateway`, `recheck`. */
  source: string;
  /** This server's public origin. */
  base: string;
}

export interface Selection {
  kind: SelectionKind;
  value: string | null;
  ids: string[];
}

export type ApplyResult = {
  outcome: GatewayEventOutcome;
  order: OrderRow | null;
};

/** Lifetime of the signed ZIP link handed to a buyer. */
export const ZIP_URL_TTL_SECONDS = 3600;
export const zipPath = (orderId: string) => `/orders/${orderId}/photos.zip`;
export const receiptPath = (orderId: string) => `/orders/${orderId}/receipt`;

const withParams = (url: string, params: Record<string, string>) => {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
};

const gatewayFailure = (e: unknown) =>
  e instanceof GatewayError ? new ApiError(502, `${e.message}. Nothing was charged by this attempt; it is safe to retry.`) : e;

/**
 * Selling photos: plans, pricing, orders and their state machine, gateways, refunds, totals, and the paid
 * downloads (ZIP). Routes call it; it never sees Hono. Every status change goes through `applyGatewayEvent`
 * or `store.transition`, which log who did it and when.
 */
export class CheckoutService {
  constructor(
    private readonly deps: CheckoutDeps,
    /** The gateways this server can use (Stripe only when configured). */
    private readonly gateways: ReadonlyMap<GatewayName, PaymentGateway>,
  ) {}

  private get db() {
    return this.deps.store.checkout;
  }

  gateway(name: GatewayName): PaymentGateway | null {
    return this.gateways.get(name) ?? null;
  }

  // ------------------------------------------------------------------ settings and plans (admin)

  async settings(event: EventRow): Promise<CheckoutSettings> {
    const s = await this.db.getSettings(event.id);
    return {
      event_id: event.id,
      enabled: s?.enabled ?? false,
      gateway: s?.gateway ?? null,
      gateways_available: [...this.gateways.keys()],
      free_downloads: event.free_downloads,
    };
  }

  async updateSettings(event: EventRow, patch: UpdateCheckoutSettings): Promise<CheckoutSettings> {
    const cur = await this.settings(event);
    const gateway = patch.gateway !== undefined ? patch.gateway : cur.gateway;
    const enabled = patch.enabled ?? cur.enabled;
    if (patch.gateway && !this.gateway(patch.gateway)) {
      throw new ApiError(
        409,
        patch.gateway === 'stripe'
          ? 'Stripe is not configured on this server: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, then restart'
          : 'The test gateway is switched off on this server (CHECKOUT_TEST_GATEWAY)',
      );
    }
    if (enabled) {
      if (!gateway) throw new ApiError(409, 'Assign a gateway before enabling checkout: send gateway "stripe" or "test"');
      const published = await this.db.listPlans(event.id, ['published']);
      if (published.length === 0) throw new ApiError(409, 'Publish at least one plan before enabling checkout');
    }
    await this.db.putSettings(event.id, { enabled, gateway });
    return this.settings(event);
  }

  listPlans(event: EventRow): Promise<PlanRow[]> {
    return this.db.listPlans(event.id);
  }

  /** All plans an event offers together share one currency and one tax mode (one order = one payment). */
  private async checkCompatible(
    event: EventRow,
    plan: { id?: number; currency: string; tax_inclusive: boolean; status: string },
  ) {
    if (plan.status === 'archived') return;
    const others = (await this.db.listPlans(event.id, ['draft', 'published', 'paused'])).filter((p) => p.id !== plan.id);
    const other = others[0];
    if (!other) return;
    if (other.currency !== plan.currency)
      throw new ApiError(
        409,
        `This event's plans are priced in ${other.currency}: use currency ${other.currency} (or archive the other plans first)`,
      );
    if (other.tax_inclusive !== plan.tax_inclusive)
      throw new ApiError(409, `This event's plans have tax_inclusive ${other.tax_inclusive}: use the same for every plan`);
  }

  async createPlan(event: EventRow, req: CreatePlanRequest): Promise<PlanRow> {
    const plan = {
      name: req.name,
      kind: req.kind,
      quantity: req.kind === 'single' ? 1 : req.kind === 'bundle' ? req.quantity! : null,
      price: req.price,
      currency: req.currency,
      tax_inclusive: req.tax_inclusive,
      status: req.status,
    };
    await this.checkCompatible(event, plan);
    return this.db.createPlan(event.id, plan);
  }

  async updatePlan(event: EventRow, id: number, req: UpdatePlanRequest): Promise<PlanRow> {
    const cur = await this.db.getPlan(event.id, id);
    if (!cur) throw notFound(`Plan ${id} not found in this event`);
    if (req.quantity !== undefined && cur.kind !== 'bundle')
      throw unprocessable(`quantity: only bundles have a quantity; plan ${id} is a ${cur.kind} plan`);
    const next = { ...cur, ...req };
    await this.checkCompatible(event, next);
    const updated = (await this.db.updatePlan(event.id, id, req))!;
    await this.disableIfNothingToSell(event);
    return updated;
  }

  async archivePlan(event: EventRow, id: number): Promise<PlanRow> {
    const cur = await this.db.getPlan(event.id, id);
    if (!cur) throw notFound(`Plan ${id} not found in this event`);
    const updated = (await this.db.updatePlan(event.id, id, { status: 'archived' }))!;
    await this.disableIfNothingToSell(event);
    return updated;
  }

  /** Checkout switches itself off when its last published plan goes (it could not price anything). */
  private async disableIfNothingToSell(event: EventRow) {
    const s = await this.db.getSettings(event.id);
    if (s?.enabled && (await this.db.listPlans(event.id, ['published'])).length === 0)
      await this.db.putSettings(event.id, { enabled: false });
  }

  // ------------------------------------------------------------------ buying (public)

  async info(event: EventRow): Promise<CheckoutInfo> {
    const s = await this.db.getSettings(event.id);
    const plans = await this.db.listPlans(event.id, ['published']);
    const gateway = s?.gateway && this.gateway(s.gateway) ? s.gateway : null;
    return {
      enabled: Boolean(s?.enabled && gateway && plans.length && !event.free_downloads),
      free_downloads: event.free_downloads,
      gateway,
      currency: plans[0]?.currency ?? null,
      plans: plans.map((p) => ({
        plan_id: p.id,
        name: p.name,
        kind: p.kind,
        quantity: p.quantity,
        price: p.price,
        currency: p.currency,
        tax_inclusive: p.tax_inclusive,
      })),
    };
  }

  /** The published plans and the gateway, or why nothing can be bought (409). */
  private async openShop(event: EventRow): Promise<{ plans: PlanRow[]; gateway: PaymentGateway }> {
    if (event.free_downloads) throw new ApiError(409, 'Originals of this event are free: download them, there is nothing to buy');
    const s = await this.db.getSettings(event.id);
    if (!s?.enabled) throw new ApiError(409, 'Photos of this event are not for sale (checkout is not enabled)');
    const gateway = s.gateway ? this.gateway(s.gateway) : null;
    if (!gateway) throw new ApiError(503, 'The payment gateway of this event is not available on this server right now');
    const plans = await this.db.listPlans(event.id, ['published']);
    if (plans.length === 0) throw new ApiError(409, 'Photos of this event are not for sale (no published plan)');
    return { plans, gateway };
  }

  /** The photos a selection names, all checked to belong to the event. */
  async resolveSelection(event: EventRow, sel: QuoteRequest): Promise<Selection> {
    if (sel.image_ids) {
      const ids = [...new Set(sel.image_ids)];
      const found = new Set((await this.deps.store.images.getMany(event.id, ids)).map((i) => i.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) {
        const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
        throw badRequest(`Not photos of this event: ${shown}. Send image ids from this event's gallery or searches`);
      }
      return { kind: 'image_ids', value: null, ids };
    }
    if (sel.bib !== undefined) {
      if (!event.flags.bib_search) throw forbidden('bib_search is switched off for this event');
      const problem = bibProblem(sel.bib);
      if (problem) throw unprocessable(`bib: ${problem}`);
      const ids = await this.deps.store.images.idsByBib(event.id, bibSearchKeys(sel.bib));
      if (ids.length === 0) throw new ApiError(409, `No photos found for bib ${sel.bib}: nothing to buy`);
      return { kind: 'bib', value: sel.bib, ids };
    }
    if (!event.flags.selfie_search) throw forbidden('selfie_search is switched off for this event');
    const matched = this.deps.selfieResults ? await this.deps.selfieResults.imageIds(event.id, sel.request_id!) : null;
    if (matched === null) throw notFound(`Unknown request_id ${sel.request_id}: run a selfie search first`);
    const ids = (await this.deps.store.images.getMany(event.id, [...new Set(matched)])).map((i) => i.id);
    if (ids.length === 0) throw new ApiError(409, 'This selfie search found no photos: nothing to buy');
    return { kind: 'selfie', value: sel.request_id!, ids };
  }

  async quote(event: EventRow, sel: QuoteRequest): Promise<Quote> {
    const { plans } = await this.openShop(event);
    const s = await this.resolveSelection(event, sel);
    return priceSelection(plans, s.ids.length, s.kind);
  }

  /**
   * Creates an order (or returns the one this Idempotency-Key already made), priced here, and its
   * gateway session. The download token is returned to the caller only; the store keeps its hash.
   */
  async createOrder(
    event: EventRow,
    req: CreateOrderRequest,
    ctx: Caller & { idempotencyKey: string; allowedOrigins: string[] | null; requestOrigin: string | null },
  ): Promise<CreatedOrder> {
    const idemHash = hashIdempotencyKey(event.id, ctx.idempotencyKey);
    const reqHash = fingerprint(req);
    let order = await this.db.findOrderByIdempotency(event.id, idemHash);
    let token: string | null = null;
    if (!order) {
      const { plans, gateway } = await this.openShop(event);
      this.checkReturnUrl(req.return_url, ctx);
      const sel = await this.resolveSelection(event, req);
      const quote = priceSelection(plans, sel.ids.length, sel.kind);
      if (req.expected_amount !== undefined || req.expected_currency !== undefined) {
        const cur = req.expected_currency ?? quote.currency;
        if (req.expected_amount !== quote.amount || cur !== quote.currency) {
          throw new ApiError(
            409,
            `Price mismatch: this selection costs ${quote.amount} ${quote.currency} (minor units), not ${req.expected_amount ?? '?'} ${cur}. Ask for a new quote and show that price`,
          );
        }
      }
      const id = randomUUID();
      token = newDownloadToken();
      const made = await this.db.createOrder(
        {
          id,
          event_id: event.id,
          org_id: event.org_id,
          amount: quote.amount,
          currency: quote.currency,
          tax_inclusive: quote.tax_inclusive,
          lines: quote.lines,
          selection_kind: sel.kind,
          selection_value: sel.value,
          image_count: sel.ids.length,
          gateway: gateway.name,
          email: req.email ?? null,
          return_url: req.return_url,
          idempotency_hash: idemHash,
          request_hash: reqHash,
          token_hash: hashToken(token),
          token_sealed: sealToken(token, event.id, ctx.idempotencyKey, id),
        },
        sel.ids,
        ctx.source,
      );
      order = made.order;
      if (!made.created) token = null; // lost a race with the same key: use the winner's token
    }
    if (order.request_hash !== reqHash) {
      throw new ApiError(
        409,
        'This Idempotency-Key was already used for a different order request: send a new key for a new order',
      );
    }
    token ??= unsealToken(order.token_sealed, event.id, ctx.idempotencyKey, order.id);
    if (!token) throw new ApiError(409, 'This Idempotency-Key does not match its order: send a new key');
    if (order.status === 'pending' && !order.gateway_session) order = await this.ensureSession(event, order, ctx);
    return {
      order: await this.toOrder(order, null),
      download_token: token,
      receipt_url: `${ctx.base}${receiptPath(order.id)}?token=${encodeURIComponent(token)}`,
    };
  }

  /** A publishable key limited to origins may only send buyers back to those origins. */
  private checkReturnUrl(url: string, ctx: { allowedOrigins: string[] | null; requestOrigin: string | null }) {
    const origin = new URL(url).origin;
    if (ctx.allowedOrigins?.length) {
      if (!ctx.allowedOrigins.includes(origin))
        throw forbidden(`return_url must be on one of this key's origins (${ctx.allowedOrigins.join(', ')})`);
    } else if (ctx.requestOrigin && ctx.requestOrigin !== origin) {
      throw forbidden(`return_url must be on the page's own origin (${ctx.requestOrigin})`);
    }
  }

  private async ensureSession(event: EventRow, order: OrderRow, ctx: Caller): Promise<OrderRow> {
    const gateway = this.gateway(order.gateway);
    if (!gateway) throw new ApiError(503, 'The payment gateway of this order is not available on this server right now');
    try {
      const { session, url } = await gateway.createSession({
        order,
        eventName: event.name,
        lines: order.lines,
        successUrl: withParams(order.return_url, { pf_order: order.id, pf_checkout: 'success' }),
        cancelUrl: withParams(order.return_url, { pf_order: order.id, pf_checkout: 'cancel' }),
        base: ctx.base,
      });
      return await this.db.setSession(order.id, session, url, ctx.source);
    } catch (e) {
      throw gatewayFailure(e);
    }
  }

  /** An order of this event whose download token matches (401 without a token, 403 with a wrong one). */
  async orderForBuyer(event: EventRow, orderId: string, token: string | null): Promise<OrderRow> {
    const order = await this.db.getOrder(orderId);
    if (!order || order.event_id !== event.id) throw notFound(`Order ${orderId} not found in this event`);
    this.checkToken(order, token);
    return order;
  }

  checkToken(order: OrderRow, token: string | null) {
    if (!token) throw unauthorized("Missing X-Order-Token header: send the order's download token");
    if (hashToken(token) !== order.token_hash) throw forbidden('This download token does not belong to this order');
  }

  /** Asks the gateway again about a pending order and applies what it says. */
  async recheck(order: OrderRow, source: string): Promise<OrderRow> {
    if (order.status !== 'pending') return order;
    const gateway = this.gateway(order.gateway);
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

  // ------------------------------------------------------------------ the one path for gateway news

  /**
   * Applies what a gateway reported — a webhook, the test gateway's pay page, a recheck or a refund —
   * at most once per gateway event id, through the state machine.
   */
  async applyGatewayEvent(ev: GatewayEvent, source: string): Promise<ApplyResult> {
    const ref = { gateway: ev.gateway, id: ev.id, type: ev.type };
    if (await this.db.hasGatewayEvent(ev.gateway, ev.id)) return { outcome: 'duplicate', order: null };
    const order = await this.findOrder(ev);
    if (!order) {
      const fresh = await this.db.recordGatewayEvent(ref, ev.outcome === 'none' ? 'ignored' : 'unknown_order');
      if (fresh && ev.outcome !== 'none')
        this.deps.log.warn('gateway event for an unknown order', { gateway: ev.gateway, id: ev.id, type: ev.type });
      return { outcome: fresh ? 'unknown_order' : 'duplicate', order: null };
    }
    const log = { source, gatewayEvent: ref };
    switch (ev.outcome) {
      case 'none': {
        const fresh = await this.db.note(order.id, { ...log, detail: ev.detail ?? ev.type });
        return { outcome: fresh ? 'noted' : 'duplicate', order };
      }
      case 'partial_refund': {
        const total = ev.amount ?? order.refunded_amount;
        const fresh = await this.db.note(order.id, {
          ...log,
          type: 'refund',
          amount: Math.max(0, total - order.refunded_amount),
          refundedAmount: total,
          detail: ev.detail ?? 'partial refund',
        });
        return { outcome: fresh ? 'noted' : 'duplicate', order: await this.db.getOrder(order.id) };
      }
      case 'paid': {
        if (ev.amount !== order.amount || (ev.currency && ev.currency !== order.currency)) {
          this.deps.log.warn('payment amount differs from the order', {
            order: order.id,
            paid: ev.amount,
            currency: ev.currency,
            amount: order.amount,
          });
          const fresh = await this.db.note(order.id, {
            ...log,
            type: 'payment',
            amount: ev.amount,
            detail: `payment of ${ev.amount} ${ev.currency} does not match the order (${order.amount} ${order.currency}): not unlocked, check it at the gateway`,
          });
          return { outcome: fresh ? 'mismatch' : 'duplicate', order };
        }
        if (order.status === 'refunded') {
          // Money came in for an order already refunded (the refund arrived first): log it, keep it locked.
          const fresh = await this.db.note(order.id, {
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
    const r = await this.db.transition({
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
      this.deps.log.info('order status', { order: order.id, from: order.status, to, source: o.source });
    return r;
  }

  private async findOrder(ev: GatewayEvent): Promise<OrderRow | null> {
    const same = (o: OrderRow | null) => (o && o.gateway === ev.gateway ? o : null);
    let order = ev.orderId ? same(await this.db.getOrder(ev.orderId)) : null;
    if (!order && ev.session) order = await this.db.findOrderBySession(ev.gateway, ev.session);
    if (!order && ev.payment) order = await this.db.findOrderByPayment(ev.gateway, ev.payment);
    const gw = this.gateway(ev.gateway) as (PaymentGateway & { findOrderId?(e: GatewayEvent): Promise<string | null> }) | null;
    if (!order && gw?.findOrderId) {
      const id = await gw.findOrderId(ev).catch((e: unknown) => {
        throw gatewayFailure(e);
      });
      if (id) order = same(await this.db.getOrder(id));
    }
    return order;
  }

  // ------------------------------------------------------------------ admin: orders, refunds, totals

  async orderInEvent(event: EventRow, orderId: string): Promise<OrderRow> {
    const order = await this.db.getOrder(orderId);
    if (!order || order.event_id !== event.id) throw notFound(`Order ${orderId} not found in this event`);
    return order;
  }

  async refund(event: EventRow, orderId: string, source: string): Promise<OrderRow> {
    const order = await this.orderInEvent(event, orderId);
    if (order.status !== 'paid') throw new ApiError(409, `Only paid orders can be refunded; this one is ${order.status}`);
    const gateway = this.gateway(order.gateway);
    if (!gateway)
      throw new ApiError(503, `The ${order.gateway} gateway is not configured on this server: refund it at the gateway`);
    let ev: GatewayEvent;
    try {
      ev = await gateway.refund(order);
    } catch (e) {
      throw gatewayFailure(e);
    }
    await this.applyGatewayEvent(ev, source);
    return (await this.db.getOrder(order.id))!;
  }

  async totals(event: EventRow): Promise<OrderTotals> {
    const rows = await this.db.statusCounts(event.id);
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
    return this.db.listOrders(event.id, { status }, page);
  }

  async transactions(event: EventRow, page: { offset: number; limit: number }) {
    const { items, total } = await this.db.listMoneyEvents(event.id, page);
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

  // ------------------------------------------------------------------ views

  async toOrder(o: OrderRow, zip: { base: string } | null): Promise<Order> {
    return {
      order_id: o.id,
      reference: orderReference(o.id),
      event_id: o.event_id,
      status: o.status,
      amount: o.amount,
      currency: o.currency,
      tax_inclusive: o.tax_inclusive,
      lines: o.lines,
      selection: { kind: o.selection_kind, value: o.selection_value },
      image_ids: await this.db.orderImageIds(o.id),
      gateway: o.gateway,
      checkout_url: o.status === 'pending' ? o.checkout_url : null,
      created_at: o.created_at,
      paid_at: o.paid_at,
      zip_url: zip && o.status === 'paid' ? this.signedZipUrl(zip.base, o.id) : null,
    };
  }

  async toAdminOrder(o: OrderRow): Promise<AdminOrder> {
    const { zip_url: _zip, ...order } = await this.toOrder(o, null);
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
    const events = await this.db.orderEvents(o.id);
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

  signedZipUrl(base: string, orderId: string): string {
    const path = zipPath(orderId);
    return `${base}${path}?${this.deps.signer.sign(path, ZIP_URL_TTL_SECONDS)}`;
  }

  /** The photos of a paid order that still exist, in order. */
  async paidImages(order: OrderRow): Promise<ImageRow[]> {
    if (order.status !== 'paid') throw forbidden(`This order is ${order.status}: its photos are locked`);
    const ids = await this.db.orderImageIds(order.id);
    const rows = new Map((await this.deps.store.images.getMany(order.event_id, ids)).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id)).filter((r): r is ImageRow => Boolean(r));
  }

  /** The ZIP of a paid order, from a signed link (checked again here: a refund relocks at once). */
  async zip(orderId: string, query: { exp?: string; kid?: string; sig?: string }) {
    assertSigned(this.deps.signer, zipPath(orderId), query, {
      expired: 'This download link has expired: open your order again for a new one',
      invalid: 'Invalid download link: the signature does not match',
    });
    const order = await this.db.getOrder(orderId);
    if (!order) throw notFound('Order not found');
    const images = await this.paidImages(order);
    if (images.length === 0) throw notFound('The photos of this order no longer exist');
    const { stream, size } = zipOriginals(this.deps.blobs, images);
    return { stream, size: await size, filename: `photos-${orderReference(order.id)}.zip`, count: images.length };
  }

  getOrder(id: string) {
    return this.db.getOrder(id);
  }

  findTestSession(session: string) {
    return this.db.findOrderBySession('test', session);
  }

  // ------------------------------------------------------------------ pages (test gateway, receipt)

  /**
   * The order behind a test-gateway pay page, asked again first: a page older than a day has expired, and the
   * recheck abandons its order (`expired`: this look-up is what abandoned it). Null for an unknown session.
   */
  async testPayment(session: string): Promise<{ order: OrderRow; expired: boolean } | null> {
    const found = await this.findTestSession(session);
    if (!found) return null;
    const order = await this.recheck(found, 'test-gateway');
    return { order, expired: order.status === 'abandoned' && found.status === 'pending' };
  }

  /** The event an order belongs to (null if it is gone). */
  eventOf(order: OrderRow): Promise<EventRow | null> {
    return this.deps.store.events.get(order.event_id);
  }

  /**
   * What the receipt page of `orderId` shows, or null when the order is unknown or `token` is not its download
   * token. A paid order comes with its signed ZIP link and each photo's signed link (about one hour).
   */
  async receipt(
    orderId: string,
    token: string,
    base: string,
  ): Promise<{ order: OrderRow; event: EventRow; zipUrl: string | null; photos: ReceiptPhoto[] } | null> {
    const order = await this.getOrder(orderId);
    if (!order || hashToken(token) !== order.token_hash) return null;
    const event = (await this.eventOf(order))!;
    if (order.status !== 'paid') return { order, event, zipUrl: null, photos: [] };
    const photos = (await this.paidImages(order)).map((img) => {
      const path = originalPath(img.id);
      return {
        name: img.original_name,
        thumbnail: toImageItem(base, img).thumbnail_url,
        url: `${base}${path}?${this.deps.signer.sign(path)}`,
      };
    });
    return { order, event, zipUrl: this.signedZipUrl(base, order.id), photos };
  }

  orderImageIds(id: string) {
    return this.db.orderImageIds(id);
  }

  toPlan(p: PlanRow): Plan {
    const { id, ...rest } = p;
    return { plan_id: id, ...rest };
  }
}
