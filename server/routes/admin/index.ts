import { Hono } from 'hono';
import { requireAdmin, requireEvent } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import type { Limiter } from '../../http/rate-limit.ts';
import { createRouter } from '../../http/route.ts';
import { adminAnalytics } from './analytics.ts';
import { adminBibs } from './bibs.ts';
import { adminCertificates } from './certificates.ts';
import { adminCheckout } from './checkout.ts';
import { adminCredits } from './credits.ts';
import { requirePlanProducts } from '../../http/plan-gate.ts';
import { adminEvent, adminEvents } from './events.ts';
import { adminJobs } from './jobs.ts';
import { adminKeys } from './keys.ts';
import { adminMembers, adminPhotographers } from './members.ts';
import { adminModels } from './models.ts';
import { adminUploads } from './uploads.ts';
import { adminPhotos } from './photos.ts';
import { adminVideos } from './videos.ts';
import { adminRunners } from './runners.ts';

/** Until this release's successor: `/event/{id}/…` admin paths answer as before, marked deprecated. */
const DEPRECATED_EVENT_PREFIX = 'event';

/**
 * `/api/v1/admin/:org_id/…` — our admin API: a secret key, or a console session of a member (with CSRF and the
 * role's limits; http/auth.ts requireAdmin); a publishable key is 403. One URL scheme:
 * the organisation's collections (`/events`, `/keys`), and everything of one event under
 * `/events/:event_id/…`, mounted through one router that loads and authorises the event once.
 */
export function adminRoutes(limiter: Limiter) {
  const event = createRouter()
    .use('*', requireEvent)
    .route('/', adminEvent)
    .route('/', adminPhotos)
    .route('/', adminVideos)
    .route('/', adminBibs)
    .route('/', adminRunners)
    .route('/', adminAnalytics)
    .route('/certificates', adminCertificates)
    .route('/', adminCheckout)
    .route('/', adminPhotographers)
    .route('/', adminUploads);
  // A plain Hono wrapper: the alias answers every event route but adds nothing to the OpenAPI document.
  const deprecated = new Hono<AppEnv>()
    .use('*', async (c, next) => {
      await next();
      c.header('Deprecation', 'true');
      c.header('Link', `<${c.req.path.replace(`/${DEPRECATED_EVENT_PREFIX}/`, '/events/')}>; rel="successor-version"`);
    })
    .route('/', event);
  return createRouter()
    .use('*', requireAdmin({ limiter }))
    .use('*', requirePlanProducts('admin'))
    .route('/', adminEvents)
    .route('/', adminCredits)
    .route('/', adminKeys)
    .route('/', adminJobs)
    .route('/', adminMembers)
    .route('/', adminModels)
    .route('/events/:event_id', event)
    .route(`/${DEPRECATED_EVENT_PREFIX}/:event_id`, deprecated);
}
