import { ImagePage, pageQuery, TimelineDays, wholeNumber } from '../../../core/index.ts';
import { requireBrowsing, requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { timelineDays, timelinePage } from '../../services/gallery.ts';
import { requestSource } from '../../http/analytics-source.ts';

/** The latest instant a window may name: year 3000, far past any event. */
const MAX_EPOCH_SECONDS = 32503680000;

const epochSeconds = (name: string, description: string) =>
  wholeNumber(`${name} must be a Unix time in whole seconds`, (n) =>
    n.min(0, `${name} must not be negative`).max(MAX_EPOCH_SECONDS, `${name} is too far in the future`),
  ).meta({ description: `${description}, Unix time in seconds` });

const WindowQuery = pageQuery('timeline')
  .extend({ from: epochSeconds('from', 'window start (inclusive)'), to: epochSeconds('to', 'window end (exclusive)') })
  .refine((q) => q.from < q.to, { path: ['to'], message: 'must be greater than from (the window is [from, to))' });

const timelineOn = requireFeature('timeline_search');

export const timelineDaysRoute = defineRoute({
  method: 'get',
  path: '/timeline/days',
  tag: 'Search',
  summary: 'Timeline Days',
  description:
    "Day and hour buckets of the event's photos in the event's time zone, and how many photos have no capture time (undated). " +
    '403 when timeline_search is off.',
  auth: 'key',
  middleware: [timelineOn],
  request: { params: EventPath },
  data: TimelineDays,
  errors: [404],
});

export const timelineImagesRoute = defineRoute({
  method: 'get',
  path: '/timeline/images',
  tag: 'Search',
  summary: 'Timeline Images',
  description:
    'Photos captured in the window [from, to), in capture order. 403 when timeline_search is off, and for a publishable ' +
    'key when show_all_images is off (search-only event).',
  auth: 'key',
  middleware: [timelineOn, requireBrowsing],
  request: { params: EventPath, query: WindowQuery },
  data: ImagePage,
  errors: [404, 422],
});

export const timeline = createRouter()
  .openapi(timelineDaysRoute, async (c) => {
    const data = await timelineDays(c.get('deps'), c.get('event'));
    return ok(c, data.days.length ? 'Timeline buckets' : 'No timeline data', data);
  })
  .openapi(timelineImagesRoute, async (c) => {
    const { from, to, ...page } = c.req.valid('query');
    const window = { fromMs: from * 1000, toMs: to * 1000 };
    const data = await timelinePage(c.get('deps'), baseUrl(c), c.get('event'), window, page);
    if (page.page === 1)
      await c.get('deps').analytics.search(c.get('event').id, requestSource(c), 'timeline', data.pagination.total > 0);
    return ok(c, data.pagination.total ? 'Records for timeline window' : 'No images found in this window', data);
  });
