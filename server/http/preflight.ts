import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { fail } from './envelope.ts';

const EXT_ORG = /^\/api\/v1\/ext\/(\d+)(?:\/|$)/;

/**
 * CORS preflights of the public API carry no key, so the key's own allow-list cannot be checked yet (the
 * real request is checked by requireKey). What can be refused early: an origin that no publishable key of
 * the organisation accepts, when every active publishable key of the organisation has an allow-list. Such
 * a preflight answers 403 without CORS headers, so the browser stops before sending the request.
 */
export const checkPreflightOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('origin');
  const m = EXT_ORG.exec(c.req.path);
  if (c.req.method !== 'OPTIONS' || !c.req.header('access-control-request-method') || !origin || !m) return next();
  const keys = (await c.get('deps').store.keys.listForOrg(Number(m[1]))).filter((k) => k.active && k.kind === 'publishable');
  const restricted = keys.length > 0 && keys.every((k) => k.origins && k.origins.length > 0);
  if (restricted && !keys.some((k) => k.origins!.includes(origin))) {
    return fail(c, 403, `Origin ${origin} is not on the allow-list of any publishable key of organisation ${m[1]}`);
  }
  return next();
};
