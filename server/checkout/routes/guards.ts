import type { MiddlewareHandler } from 'hono';
import { requireEvent, requireKey } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { forbidden } from '../../http/errors.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { ApiKeyRow, EventRow } from '../../store/types.ts';

/**
 * Key check that runs once: under `/api/v1/ext/:org_id` the 9Pic router's own `requireKey` has already run
 * (Hono applies a mounted router's middleware to every path below it), so this only adds what is missing.
 */
export function keyGuard(limiter: RateLimiter, secretOnly = false): MiddlewareHandler<AppEnv> {
  const check = requireKey({ limiter, secretOnly });
  return async (c, next) => {
    const key = c.get('apiKey') as ApiKeyRow | undefined;
    if (!key) return check(c, next);
    if (secretOnly && key.kind !== 'secret') throw forbidden('This route needs a secret key; publishable keys are read-only');
    await next();
  };
}

/** Loads the path's event unless an earlier middleware already did. */
export const eventGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const event = c.get('event') as EventRow | undefined;
  if (event && String(event.id) === c.req.param('event_id')) return next();
  return requireEvent(c, next);
};
