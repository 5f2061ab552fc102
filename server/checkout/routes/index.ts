import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { adminCheckoutRoutes } from './admin.ts';
import { pageRoutes } from './pages.ts';
import { publicCheckoutRoutes } from './public.ts';
import { webhookRoutes } from './webhooks.ts';

/** Every checkout route, mounted at `/` by app.ts. */
export function checkoutRoutes(limiter: RateLimiter) {
  return (
    new Hono<AppEnv>()
      .route('/api/v1/ext/:org_id/event/:event_id/checkout', publicCheckoutRoutes(limiter))
      .route('/api/v1/admin/:org_id/event/:event_id', adminCheckoutRoutes(limiter))
      // The rest of the admin API names events `/events/{id}`: the same routes answer there too.
      .route('/api/v1/admin/:org_id/events/:event_id', adminCheckoutRoutes(limiter))
      .route('/api/v1/webhooks', webhookRoutes)
      .route('/', pageRoutes)
  );
}
