import { AnalyticsRecorded, AnalyticsReport } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { requestSource } from '../../http/analytics-source.ts';
import { cleanSource } from '../../services/analytics.ts';

export const analyticsReportRoute = defineRoute({
  method: 'post',
  path: '/analytics',
  tag: 'Events',
  summary: 'Report a visit or a share',
  description:
    'What only the page knows: a visit (a page showing the event was opened) or a share (a photo link was shared). ' +
    'source: the page URL\'s source parameter (else X-PF-Source, else "direct"). Counted per UTC day and source; ' +
    'nothing about the visitor is stored (no cookie, no IP). Searches, downloads and checkout are counted from the API ' +
    'calls themselves. A visit reported by the hosted event page was already counted when the page was served.',
  auth: 'key',
  request: { params: EventPath, body: { required: true, content: { 'application/json': { schema: AnalyticsReport } } } },
  data: AnalyticsRecorded,
  errors: [400, 404, 415, 422],
});

/** The hosted event page's own requests: its visit was counted when the page was served. */
function fromHostedPage(referer: string | undefined, base: string): boolean {
  if (!referer) return false;
  try {
    const u = new URL(referer);
    return u.origin === base && u.pathname.startsWith('/e/');
  } catch {
    return false;
  }
}

export const analytics = createRouter().openapi(analyticsReportRoute, async (c) => {
  const { type, source } = c.req.valid('json');
  const event = c.get('event');
  const counted = type === 'visit' && fromHostedPage(c.req.header('referer'), baseUrl(c));
  if (!counted) await c.get('deps').analytics.record(event.id, source ? cleanSource(source) : requestSource(c), type);
  return ok(c, type === 'visit' ? 'Visit counted' : 'Share counted', { recorded: true as const });
});
