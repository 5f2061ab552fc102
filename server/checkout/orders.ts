import { randomUUID } from 'node:crypto';
import type { CheckoutInfo, CreatedOrder, CreateOrderRequest, Quote, QuoteRequest, SelectionKind } from '../../core/checkout.ts';
import { bibProblem, bibSearchKeys } from '../../core/index.ts';
import { ApiError, badRequest, forbidden, notFound, unauthorized, unprocessable } from '../http/errors.ts';
import type { OrderRow, PlanRow } from '../store/checkout-types.ts';
import type { EventRow } from '../store/types.ts';
import { gatewayFailure, type Caller, type CheckoutContext } from './context.ts';
import type { PaymentGateway } from './gateways/types.ts';
import { receiptPath, type OrderView } from './order-view.ts';
import { priceSelection } from './pricing.ts';
import { fingerprint, hashIdempotencyKey, hashToken, newDownloadToken, sealToken, unsealToken } from './tokens.ts';

export interface Selection {
  kind: SelectionKind;
  value: string | null;
  ids: string[];
}

const withParams = (url: string, params: Record<string, string>) => {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
};

/** Buying (public): what is for sale, quotes, new orders with their gateway session, and a buyer's access to an order. */
export class Orders {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly view: OrderView,
  ) {}

  async info(event: EventRow): Promise<CheckoutInfo> {
    const s = await this.ctx.db.getSettings(event.id);
    const plans = await this.ctx.db.listPlans(event.id, ['published']);
    const gateway = s?.gateway && this.ctx.gateway(s.gateway) ? s.gateway : null;
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
    const s = await this.ctx.db.getSettings(event.id);
    if (!s?.enabled) throw new ApiError(409, 'Photos of this event are not for sale (checkout is not enabled)');
    const gateway = s.gateway ? this.ctx.gateway(s.gateway) : null;
    if (!gateway) throw new ApiError(503, 'The payment gateway of this event is not available on this server right now');
    const plans = await this.ctx.db.listPlans(event.id, ['published']);
    if (plans.length === 0) throw new ApiError(409, 'Photos of this event are not for sale (no published plan)');
    return { plans, gateway };
  }

  /** The photos a selection names, all checked to belong to the event. */
  async resolveSelection(event: EventRow, sel: QuoteRequest): Promise<Selection> {
    if (sel.image_ids) {
      const ids = [...new Set(sel.image_ids)];
      const found = new Set((await this.ctx.deps.store.images.getMany(event.id, ids)).map((i) => i.id));
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
      const ids = await this.ctx.deps.store.images.idsByBib(event.id, bibSearchKeys(sel.bib));
      if (ids.length === 0) throw new ApiError(409, `No photos found for bib ${sel.bib}: nothing to buy`);
      return { kind: 'bib', value: sel.bib, ids };
    }
    if (!event.flags.selfie_search) throw forbidden('selfie_search is switched off for this event');
    const matched = this.ctx.deps.selfieResults ? await this.ctx.deps.selfieResults.imageIds(event.id, sel.request_id!) : null;
    if (matched === null) throw notFound(`Unknown request_id ${sel.request_id}: run a selfie search first`);
    const ids = (await this.ctx.deps.store.images.getMany(event.id, [...new Set(matched)])).map((i) => i.id);
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
    let order = await this.ctx.db.findOrderByIdempotency(event.id, idemHash);
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
      const made = await this.ctx.db.createOrder(
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
      order: await this.view.toOrder(order, null),
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
    const gateway = this.ctx.gateway(order.gateway);
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
      return await this.ctx.db.setSession(order.id, session, url, ctx.source);
    } catch (e) {
      throw gatewayFailure(e);
    }
  }

  /** An order of this event whose download token matches (401 without a token, 403 with a wrong one). */
  async orderForBuyer(event: EventRow, orderId: string, token: string | null): Promise<OrderRow> {
    const order = await this.ctx.db.getOrder(orderId);
    if (!order || order.event_id !== event.id) throw notFound(`Order ${orderId} not found in this event`);
    this.checkToken(order, token);
    return order;
  }

  checkToken(order: OrderRow, token: string | null) {
    if (!token) throw unauthorized("Missing X-Order-Token header: send the order's download token");
    if (hashToken(token) !== order.token_hash) throw forbidden('This download token does not belong to this order');
  }

  async orderInEvent(event: EventRow, orderId: string): Promise<OrderRow> {
    const order = await this.ctx.db.getOrder(orderId);
    if (!order || order.event_id !== event.id) throw notFound(`Order ${orderId} not found in this event`);
    return order;
  }
}
