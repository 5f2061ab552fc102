import { Hono } from 'hono';
import { requireKey } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { adminBibs } from './bibs.ts';
import { adminCertificates } from './certificates.ts';
import { adminEvents } from './events.ts';
import { adminKeys } from './keys.ts';
import { adminPhotos } from './photos.ts';

/** `/api/v1/admin/:org_id/…` — our own admin API: secret keys only (a publishable key is 403). */
export function adminRoutes(limiter: RateLimiter) {
  return new Hono<AppEnv>()
    .use('*', requireKey({ secretOnly: true, limiter }))
    .route('/', adminEvents)
    .route('/', adminPhotos)
    .route('/', adminKeys)
    .route('/', adminBibs)
    .route('/event/:event_id/certificates', adminCertificates);
}
