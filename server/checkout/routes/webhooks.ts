import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../http/env.ts';
import { fail, ok } from '../../http/envelope.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { StripeGateway, WebhookSignatureError } from '../gateways/stripe.ts';
import { checkoutFor } from '../registry.ts';

/**
 * `POST /api/v1/webhooks/stripe`: Stripe's signed events. The signature is checked over the raw body
 * before anything else (400 and nothing changed when it fails); each event id is applied at most once,
 * so a redelivery answers 200 and does nothing. Any other failure is 500, and Stripe retries.
 */
export const webhookRoutes = new Hono<AppEnv>().post(
  '/stripe',
  bodyLimit({ maxSize: 1024 * 1024, onError: (c) => fail(c, 413, 'Webhook body larger than 1 MiB') }),
  async (c) => {
    const svc = checkoutFor(c.get('deps'));
    const stripe = svc.gateway('stripe');
    if (!(stripe instanceof StripeGateway)) throw notFound('Stripe is not configured on this server');
    const raw = await c.req.text();
    let ev;
    try {
      ev = stripe.parseWebhook(raw, c.req.header('stripe-signature'));
    } catch (e) {
      if (e instanceof WebhookSignatureError) throw badRequest(e.message);
      throw e;
    }
    const r = await svc.applyGatewayEvent(ev, 'webhook:stripe');
    return ok(c, r.outcome === 'duplicate' ? 'Already processed' : 'Processed', { id: ev.id, type: ev.type, outcome: r.outcome });
  },
);
