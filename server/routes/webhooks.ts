import { z } from 'zod';
import { WebhookReceipt } from '../../core/checkout.ts';
import { StripeGateway, WebhookSignatureError } from '../checkout/gateways/stripe.ts';
import { CreditsService } from '../credits/service.ts';
import { ok } from '../http/envelope.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { createRouter, defineRoute } from '../http/route.ts';

/** Largest webhook body read; Stripe's events are far smaller. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

export const stripeWebhookRoute = defineRoute({
  method: 'post',
  path: '/stripe',
  tag: 'Webhooks',
  summary: 'Stripe events',
  description:
    'Add this URL as a webhook endpoint in the Stripe dashboard with the events checkout.session.completed, ' +
    'checkout.session.async_payment_succeeded, checkout.session.async_payment_failed, checkout.session.expired and charge.refunded. ' +
    'The Stripe-Signature header is checked over the raw body before anything else: a bad signature is 400 and changes nothing. ' +
    'Each event id is applied at most once, so a redelivery answers 200 ("Already processed") and does nothing; any other failure is 500 ' +
    "and Stripe retries. A completed session pays its order only when the amount and currency equal the order's. " +
    '404 when Stripe is not configured on this server; 413 above 1 MiB.',
  auth: 'none',
  // The body limit runs first; the body is then read raw by the handler (a JSON validator would parse it before the
  // signature check), so it is documented with a plain schema and not validated here.
  bodyLimit: WEBHOOK_MAX_BYTES,
  request: {
    headers: z.object({
      'stripe-signature': z
        .string()
        .optional()
        .meta({ description: "Stripe's signature over the raw body (`t=…,v1=…`), checked with STRIPE_WEBHOOK_SECRET" }),
    }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            description: 'A Stripe Event object, exactly as Stripe sent it (the signature covers these bytes)',
            properties: { id: { type: 'string' }, type: { type: 'string' }, data: { type: 'object' } },
          },
        },
      },
    },
  },
  data: WebhookReceipt,
  errors: [400, 404, 413],
});

/** `/api/v1/webhooks/…`: signed events from payment gateways (no API key: the signature is the proof). */
export const webhookRoutes = createRouter().openapi(stripeWebhookRoute, async (c) => {
  const svc = c.get('deps').checkout;
  const stripe = svc.gateway('stripe');
  if (!(stripe instanceof StripeGateway)) throw notFound('Stripe is not configured on this server');
  const raw = await c.req.text();
  let ev;
  try {
    ev = stripe.parseWebhook(raw, c.req.valid('header')['stripe-signature']);
  } catch (e) {
    if (e instanceof WebhookSignatureError) throw badRequest(e.message);
    throw e;
  }
  // Credits purchases (issue 13) go through the same endpoint: their payment ids start with crp_.
  if (CreditsService.owns(ev)) {
    const r = await c.get('deps').credits.applyGatewayEvent(ev);
    const outcome = r.outcome === 'ignored' ? ('unchanged' as const) : r.outcome;
    return ok(c, r.outcome === 'duplicate' ? 'Already processed' : 'Processed', { id: ev.id, type: ev.type, outcome });
  }
  const r = await svc.applyGatewayEvent(ev, 'webhook:stripe');
  return ok(c, r.outcome === 'duplicate' ? 'Already processed' : 'Processed', { id: ev.id, type: ev.type, outcome: r.outcome });
});
