import { requireEvent, requireKey } from '../../http/auth.ts';
import type { Limiter } from '../../http/rate-limit.ts';
import { requirePlanProducts } from '../../http/plan-gate.ts';
import { readyAnswers } from '../../http/ready-answers.ts';
import { createRouter } from '../../http/route.ts';
import { access } from './access.ts';
import { analytics } from './analytics.ts';
import { bibs } from './bibs.ts';
import { certificates } from './certificates.ts';
import { extCheckout } from './checkout.ts';
import { details } from './details.ts';
import { downloadAll } from './download-all.ts';
import { events } from './events.ts';
import { faces } from './faces.ts';
import { images } from './images.ts';
import { names } from './names.ts';
import { originals } from './originals.ts';
import { ping } from './ping.ts';
import { timeline } from './timeline.ts';
import { videoClipping } from './video-clipping.ts';

/**
 * `/api/v1/ext/:org_id/…` — the 9Pic-compatible public API. The key is checked once for the organisation,
 * the event once for everything under `/event/:event_id`.
 */
export function extRoutes(limiter: Limiter) {
  const event = createRouter()
    .use('*', requireEvent)
    .route('/', ping)
    .route('/', details)
    .route('/', access)
    .route('/', analytics)
    .route('/', images)
    .route('/', bibs)
    .route('/', names)
    .route('/', faces)
    .route('/', timeline)
    .route('/', videoClipping)
    .route('/', originals)
    .route('/', downloadAll)
    .route('/', certificates)
    .route('/checkout', extCheckout);
  return createRouter()
    .use('*', readyAnswers(limiter))
    .use('*', requireKey({ limiter }))
    .use('*', requirePlanProducts('ext'))
    .route('/', events)
    .route('/event/:event_id', event);
}
