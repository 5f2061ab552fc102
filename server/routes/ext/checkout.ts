import { z } from 'zod';
import {
  CheckoutInfo,
  CreatedOrder,
  CreateOrderHeaders,
  CreateOrderRequest,
  Order,
  OrderTokenHeaders,
  Quote,
  QuoteRequest,
} from '../../../core/checkout.ts';
import { requestOrigin } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';

/**
 * Extension routes under `/api/v1/ext/{org_id}/event/{event_id}/checkout` (not in the 9Pic reference): a
 * publishable key may read prices, quote a selection, place an order and follow it with its token. The key and
 * the event are checked once by the ext router (server/routes/ext/index.ts).
 */

const OrderPath = EventPath.extend({
  // Not checked as a UUID: an id of another shape is simply an order that is not found (404).
  order_id: z.string().meta({ description: 'order id (UUID), as in order.order_id', format: 'uuid' }),
});

export const checkoutInfoRoute = defineRoute({
  method: 'get',
  path: '/',
  tag: 'Checkout',
  summary: 'Checkout: prices',
  description:
    'Whether photos of the event are for sale now (enabled: checkout on, a gateway this server offers, a published plan, free downloads off) ' +
    'and at what prices: the published plans in one currency. Money is in minor units (1250 EUR = 12.50 €).',
  auth: 'key',
  request: { params: EventPath },
  data: CheckoutInfo,
  errors: [404, 422],
});

export const quoteRoute = defineRoute({
  method: 'post',
  path: '/quote',
  tag: 'Checkout',
  summary: 'Checkout: price a selection',
  description:
    'Prices exactly one of image_ids (1–1000 ids), bib or request_id (a selfie search): the cheapest mix of single and bundle plans ' +
    'that covers the photos, or, for a bib or request_id, an "all" plan when that is cheaper. Photos of another event are 400 with the ids ' +
    'named; 409 when nothing is for sale or nothing was found; 403 when bib_search or selfie_search is off; 404 for an unknown request_id.',
  auth: 'key',
  request: {
    params: EventPath,
    body: { required: true, content: { 'application/json': { schema: QuoteRequest } } },
  },
  data: Quote,
  errors: [400, 404, 409, 415, 422, 503],
});

export const createOrderRoute = defineRoute({
  method: 'post',
  path: '/orders',
  tag: 'Checkout',
  summary: 'Checkout: place an order',
  description:
    'Creates an order priced by the server (there is no field to set a price) and its payment session; send the buyer to order.checkout_url. ' +
    'The gateway sends them back to return_url with pf_order and pf_checkout=success|cancel added. ' +
    'Idempotency-Key is required (400 without it): the same key with the same body returns the same order and token (a double click makes one order), ' +
    'with another body it is 409. expected_amount/expected_currency: the price the client showed; a different server price is 409 and nothing is created. ' +
    "return_url must be on one of a publishable key's origins, else on the page's own origin (403). " +
    'The answer is the only time download_token is given out: keep it, it unlocks the photos once paid (X-Order-Token). ' +
    '502 when the gateway fails (nothing charged, safe to retry).',
  auth: 'key',
  request: {
    params: EventPath,
    headers: CreateOrderHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateOrderRequest } } },
  },
  data: CreatedOrder,
  errors: [400, 404, 409, 415, 422, 502, 503],
});

export const getOrderRoute = defineRoute({
  method: 'get',
  path: '/orders/{order_id}',
  tag: 'Checkout',
  summary: 'Checkout: follow an order',
  description:
    "The order as the buyer sees it, with its download token in X-Order-Token (401 without it, 403 with another order's). " +
    'Once paid it carries zip_url, a signed link (one hour) to every photo as one ZIP.',
  auth: 'key',
  request: { params: OrderPath, headers: OrderTokenHeaders },
  data: Order,
  errors: [404, 422],
});

export const recheckOrderRoute = defineRoute({
  method: 'post',
  path: '/orders/{order_id}/recheck',
  tag: 'Checkout',
  summary: 'Checkout: ask the gateway again',
  description:
    'For a pending order, asks the gateway again about the payment and applies what it says (a confirmation the webhook has not brought yet), ' +
    'then answers like GET. Same X-Order-Token rules; 502 when the gateway fails.',
  auth: 'key',
  request: { params: OrderPath, headers: OrderTokenHeaders },
  data: Order,
  errors: [404, 422, 502],
});

export const extCheckout = createRouter()
  .openapi(checkoutInfoRoute, async (c) => {
    const info = await c.get('deps').checkout.info(c.get('event'));
    return ok(c, info.enabled ? 'Photos of this event are for sale' : 'Photos of this event are not for sale', info);
  })
  .openapi(quoteRoute, async (c) => {
    const quote = await c.get('deps').checkout.quote(c.get('event'), c.req.valid('json'));
    return ok(c, `Price of ${quote.image_count} photo${quote.image_count === 1 ? '' : 's'}`, quote);
  })
  .openapi(createOrderRoute, async (c) => {
    const apiKey = c.get('apiKey');
    const created = await c.get('deps').checkout.createOrder(c.get('event'), c.req.valid('json'), {
      source: `api:key ${apiKey.id}`,
      base: baseUrl(c),
      idempotencyKey: c.req.valid('header')['idempotency-key'],
      allowedOrigins: apiKey.kind === 'publishable' ? apiKey.origins : null,
      requestOrigin: requestOrigin(c),
    });
    return ok(c, `Order ${created.order.reference} is ${created.order.status}`, created);
  })
  .openapi(getOrderRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const { order_id } = c.req.valid('param');
    const order = await svc.orderForBuyer(c.get('event'), order_id, c.req.valid('header')['x-order-token']);
    const view = await svc.toOrder(order, { base: baseUrl(c) });
    return ok(c, `Order ${view.reference} is ${view.status}`, view);
  })
  .openapi(recheckOrderRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const { order_id } = c.req.valid('param');
    const order = await svc.orderForBuyer(c.get('event'), order_id, c.req.valid('header')['x-order-token']);
    const now = await svc.recheck(order, 'recheck:buyer');
    const view = await svc.toOrder(now, { base: baseUrl(c) });
    return ok(c, `Order ${view.reference} is ${view.status}`, view);
  });
