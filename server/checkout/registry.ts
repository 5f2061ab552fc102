import type { GatewayName } from '../../core/checkout.ts';
import type { CheckoutConfig } from '../config.ts';
import { StripeGateway } from './gateways/stripe.ts';
import { TestGateway } from './gateways/test.ts';
import type { PaymentGateway } from './gateways/types.ts';

/**
 * The gateways this server offers, from its configuration (server/config.ts):
 * - Stripe when both `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` are set (`STRIPE_API_BASE`, e.g.
 *   `http://127.0.0.1:12111`, points the SDK at stripe-mock instead of api.stripe.com);
 * - the test gateway unless `CHECKOUT_TEST_GATEWAY` is `off` (switch it off in production).
 */
export function gatewaysFor(config: CheckoutConfig): Map<GatewayName, PaymentGateway> {
  const gateways = new Map<GatewayName, PaymentGateway>();
  const stripe = config.stripe;
  if (stripe) {
    const api = stripe.apiBase;
    gateways.set(
      'stripe',
      new StripeGateway({
        secretKey: stripe.secretKey,
        webhookSecret: stripe.webhookSecret,
        ...(api
          ? {
              host: api.hostname,
              port: Number(api.port || (api.protocol === 'http:' ? 80 : 443)),
              protocol: api.protocol === 'http:' ? 'http' : 'https',
            }
          : {}),
      }),
    );
  }
  if (config.testGateway) gateways.set('test', new TestGateway());
  return gateways;
}
