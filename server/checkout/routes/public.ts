import { Hono } from 'hono';
import { CreateOrderRequest, QuoteRequest } from '../../../core/checkout.ts';
import { requestOrigin } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { badRequest } from '../../http/errors.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { jsonBody } from '../../http/validate.ts';
import { checkoutFor } from '../registry.ts';
import { eventGuard, keyGuard } from './guards.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,255}$/;

const orderToken = (h: string | undefined) => h?.trim() || null;

/**
 * Extension routes under `/api/v1/ext/{org_id}/event/{event_id}/checkout` (not in the 9Pic reference):
 * a publishable key may read prices, quote a selection, place an order and follow it with its token.
 */
export function publicCheckoutRoutes(limiter: RateLimiter) {
  return new Hono<AppEnv>()
    .use('*', keyGuard(limiter), eventGuard)
    .get('/', async (c) => {
      const info = await checkoutFor(c.get('deps')).info(c.get('event'));
      return ok(c, info.enabled ? 'Photos of this event are for sale' : 'Photos of this event are not for sale', info);
    })
    .post('/quote', async (c) => {
      const body = await jsonBody(c, QuoteRequest);
      const quote = await checkoutFor(c.get('deps')).quote(c.get('event'), body);
      return ok(c, `Price of ${quote.image_count} photo${quote.image_count === 1 ? '' : 's'}`, quote);
    })
    .post('/orders', async (c) => {
      const key = c.req.header('idempotency-key')?.trim();
      if (!key || !IDEMPOTENCY_KEY.test(key))
        throw badRequest(
          'Missing or malformed Idempotency-Key header: send a new random value (8–255 printable characters, e.g. a UUID) per order',
        );
      const body = await jsonBody(c, CreateOrderRequest);
      const apiKey = c.get('apiKey');
      const created = await checkoutFor(c.get('deps')).createOrder(c.get('event'), body, {
        source: `api:key ${apiKey.id}`,
        base: baseUrl(c),
        idempotencyKey: key,
        allowedOrigins: apiKey.kind === 'publishable' ? apiKey.origins : null,
        requestOrigin: requestOrigin(c),
      });
      return ok(c, `Order ${created.order.reference} is ${created.order.status}`, created);
    })
    .get('/orders/:order_id', async (c) => {
      const svc = checkoutFor(c.get('deps'));
      const order = await svc.orderForBuyer(c.get('event'), c.req.param('order_id'), orderToken(c.req.header('x-order-token')));
      const view = await svc.toOrder(order, { base: baseUrl(c) });
      return ok(c, `Order ${view.reference} is ${view.status}`, view);
    })
    .post('/orders/:order_id/recheck', async (c) => {
      const svc = checkoutFor(c.get('deps'));
      const order = await svc.orderForBuyer(c.get('event'), c.req.param('order_id'), orderToken(c.req.header('x-order-token')));
      const now = await svc.recheck(order, 'recheck:buyer');
      const view = await svc.toOrder(now, { base: baseUrl(c) });
      return ok(c, `Order ${view.reference} is ${view.status}`, view);
    });
}
