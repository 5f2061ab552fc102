import type { MiddlewareHandler } from 'hono';
import type { Product } from '../../core/api/credits.ts';
import type { AppEnv } from './env.ts';

/**
 * Which paid product a request uses, by its path inside the organisation (`/events/3/certificates/…`); null = a
 * product of every plan. The deprecated `/event/{id}/…` admin alias is the same path.
 */
const RULES: Record<'admin' | 'ext', { path: RegExp; product: Product; methods?: Set<string> }[]> = {
  admin: [
    { path: /^\/events?\/\d+\/certificates(\/|$)/, product: 'certify' },
    { path: /^\/events?\/\d+\/videos?(\/|$)/, product: 'video' },
    // Assigning the gateway and switching checkout on is the payment configuration; plans and orders are Checkout.
    { path: /^\/events?\/\d+\/checkout\/?$/, product: 'payment_config', methods: new Set(['PUT', 'PATCH', 'POST']) },
    { path: /^\/events?\/\d+\/(checkout|plans|orders|transactions)(\/|$)/, product: 'checkout' },
  ],
  ext: [
    { path: /^\/event\/\d+\/certificates(\/|$)/, product: 'certify' },
    { path: /^\/event\/\d+\/video-clipping(\/|$)/, product: 'video' },
    { path: /^\/event\/\d+\/checkout(\/|$)/, product: 'checkout' },
  ],
};

export function productFor(family: 'admin' | 'ext', method: string, path: string): Product | null {
  const m = method.toUpperCase();
  return RULES[family].find((r) => r.path.test(path) && (!r.methods || r.methods.has(m)))?.product ?? null;
}

/**
 * The plan gate (issue 13): a request for a product the organisation's plan lacks is 403, naming the plan that unlocks
 * it. Runs after the key or session check (which set orgId). On the unlimited plan (the default) nothing is locked.
 */
export function requirePlanProducts(family: 'admin' | 'ext'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const inOrg = c.req.path.replace(/^\/api\/v1\/(admin|ext)\/[^/]+/, '') || '/';
    const product = productFor(family, c.req.method, inOrg);
    if (product) await c.get('deps').credits.requireProduct(c.get('orgId'), product);
    await next();
  };
}
