import { ImagePage, pageQuery } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { BibPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { bibPage } from '../../services/gallery.ts';
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
  const data = await bibPage(c.get('deps'), baseUrl(c), c.get('event'), bib, q);
  // A search is its first page; the next pages are the same search.
  if (q.page === 1) await c.get('deps').analytics.search(c.get('event').id, requestSource(c), 'bib', data.pagination.total > 0);
  return ok(c, `Records for bib number ${bib}`, data);
});
