import { Hono } from 'hono';
import { requireEvent, requireKey } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { bibs } from './bibs.ts';
import { certificates } from './certificates.ts';
import { details } from './details.ts';
import { events } from './events.ts';
import { faces } from './faces.ts';
import { images } from './images.ts';
import { originals } from './originals.ts';
import { ping } from './ping.ts';
import { timeline } from './timeline.ts';

/** `/api/v1/ext/:org_id/…` — the 9Pic-compatible public API. */
export function extRoutes(limiter: RateLimiter) {
  const event = new Hono<AppEnv>()
    .use('*', requireEvent)
    .route('/', ping)
    .route('/', details)
    .route('/', images)
    .route('/', bibs)
    .route('/', faces)
    .route('/', timeline)
    .route('/', originals)
    .route('/', certificates);
  return new Hono<AppEnv>().use('*', requireKey({ limiter })).route('/', events).route('/event/:event_id', event);
}
