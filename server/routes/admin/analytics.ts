import { AnalyticsData, AnalyticsQuery } from '../../../core/api/analytics.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRawRoute, defineRoute } from '../../http/route.ts';
import { CHART_CSP, chartPage } from '../../services/analytics-chart.ts';

const TAG = 'Admin: analytics';

export const analyticsRoute = defineRoute({
  method: 'get',
  path: '/analytics',
  tag: TAG,
  summary: 'Event analytics',
  description:
    'Visits, searches by method (bib, name, selfie, timeline) with their hit rate, downloads, shares and checkout ' +
    "(orders started and paid, conversion per visit), per UTC day and per source (qr, direct, referrer, or the page's " +
    'own source parameter). Counted on the server without cookies, IPs or anything about a person. Default: the last ' +
    '30 days; at most 366 days.',
  auth: 'secret',
  request: { params: EventPath, query: AnalyticsQuery },
  data: AnalyticsData,
  errors: [404, 422],
});

export const analyticsChartRoute = defineRawRoute({
  method: 'get',
  path: '/analytics/chart',
  tag: TAG,
  summary: 'Event analytics chart page',
  description:
    'The same figures as a small HTML page with an SVG bar chart drawn on the server (no script, no inline style: ' +
    `served with Content-Security-Policy ${CHART_CSP}).`,
  auth: 'secret',
  request: { params: EventPath, query: AnalyticsQuery },
  raw: { description: 'The chart page', type: 'text/html' },
  errors: [404, 422],
});

/** An event's analytics (mounted under `/events/{event_id}`). */
export const adminAnalytics = createRouter()
  .openapi(analyticsRoute, async (c) => {
    const data = await c.get('deps').analytics.report(c.get('event'), c.req.valid('query'));
    return ok(c, `Analytics ${data.from} to ${data.to}`, data);
  })
  .openapi(analyticsChartRoute, async (c) => {
    const event = c.get('event');
    const data = await c.get('deps').analytics.report(event, c.req.valid('query'));
    c.header('Content-Security-Policy', CHART_CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(chartPage(event.name, data));
  });
