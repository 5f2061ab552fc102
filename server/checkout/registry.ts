import type { GatewayName } from '../../core/checkout.ts';
import type { AppDeps } from '../deps.ts';
import { OrderEntitlements } from './entitlements.ts';
import { StripeGateway } from './gateways/stripe.ts';
import { TestGateway } from './gateways/test.ts';
import type { PaymentGateway } from './gateways/types.ts';
import { CheckoutService } from './service.ts';

/**
 * The gateways this server offers, from the environment:
 * - Stripe when both `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` are set (`STRIPE_API_BASE`, e.g.
 *   `http://127.0.0.1:12111`, points the SDK at stripe-mock instead of api.stripe.com);
 * - the test gateway unless `CHECKOUT_TEST_GATEWAY` is `off`, `0` or `false` (switch it off in production).
 */
export function gatewaysFromEnv(env: NodeJS.ProcessEnv = process.env): Map<GatewayName, PaymentGateway> {
  const gateways = new Map<GatewayName, PaymentGateway>();
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET) {
    const api = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
    gateways.set(
      'stripe',
      new StripeGateway({
        secretKey: env.STRIPE_SECRET_KEY,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET,
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
  if (!/^(off|0|false|no)$/i.test(env.CHECKOUT_TEST_GATEWAY ?? '')) gateways.set('test', new TestGateway());
  return gateways;
}

const services = new WeakMap<AppDeps, CheckoutService>();

/** Uses these gateways for this app instead of the environment's (tests point Stripe at a local server). */
export function configureCheckout(deps: AppDeps, opts: { gateways: Map<GatewayName, PaymentGateway> }): CheckoutService {
  const service = new CheckoutService(deps, opts.gateways);
  services.set(deps, service);
  return service;
}

/** The checkout service of an app (built on first use, gateways from the environment). */
export function checkoutFor(deps: AppDeps): CheckoutService {
  return services.get(deps) ?? configureCheckout(deps, { gateways: gatewaysFromEnv() });
}

/** Lets paid orders unlock originals: call once where the app's deps are built. Returns `deps`. */
export function registerCheckout<D extends AppDeps>(deps: D): D {
  deps.entitlements.register(new OrderEntitlements(deps.store));
  return deps;
}
