import { ImagePage, pageQuery } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { envelope } from '../../http/envelope.ts';
import { BibPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { bibPageCached } from '../../services/gallery.ts';
import { etagMatches } from '../../http/etag.ts';
import { requestSource } from '../../http/analytics-source.ts';

export const searchBib = defineRoute({
  method: 'get',
  path: '/bibs/{bib}',
  tag: 'Search',
  summary: 'BIB Search',
  description: 'Photos tagged with a BIB (case-insensitive, leading zeros ignored). 403 when bib_search is off.',
  auth: 'key',
  middleware: [requireFeature('bib_search')],
  request: { params: BibPath, query: pageQuery('bibs') },
  data: ImagePage,
  errors: [404, 422],
});

export const bibs = createRouter().openapi(searchBib, async (c) => {
  const { bib } = c.req.valid('param');
  const q = c.req.valid('query');
  // Pages are kept serialised while the event's photos and bib tags do not change (services/gallery.ts), with an ETag
  // naming them: 304 when unchanged.
  const page = await bibPageCached(c.get('deps'), baseUrl(c), c.get('event'), bib, q, (data) =>
    JSON.stringify(envelope(`Records for bib number ${bib}`, data)),
  );
  // A search is its first page; the next pages are the same search.
  if (q.page === 1) await c.get('deps').analytics.search(c.get('event').id, requestSource(c), 'bib', page.total > 0);
  if (page.etag) {
    c.header('ETag', page.etag);
    if (etagMatches(c.req.header('if-none-match'), page.etag)) return c.body(null, 304) as never;
  }
  return c.body(page.body, 200, { 'Content-Type': 'application/json' }) as never;
});
