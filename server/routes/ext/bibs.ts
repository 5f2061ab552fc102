import { ImagePage, pageQuery } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { envelope } from '../../http/envelope.ts';
import { BibPath } from '../../http/params.ts';
import { answerReady, keepReady, versionsOf } from '../../http/ready-answers.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { bibPageCached } from '../../services/gallery.ts';
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
  const event = c.get('event');
  const page = await bibPageCached(
    c.get('deps'),
    baseUrl(c),
    event,
    bib,
    q,
    (data) => JSON.stringify(envelope(`Records for bib number ${bib}`, data)),
    (await versionsOf(c)).gallery,
  );
  // A search is its first page; the next pages are the same search.
  if (q.page === 1) await c.get('deps').analytics.search(event.id, requestSource(c), 'bib', page.total > 0);
  const answer = { body: page.body, etag: page.etag };
  // Kept ready for the same request at the same versions (http/ready-answers.ts), which counts the search again; not
  // a page with face matches (no entity tag: it depends on more than the versions).
  if (page.etag) keepReady(c, { ...answer, ...(q.page === 1 ? { search: { eventId: event.id, hit: page.total > 0 } } : {}) });
  return answerReady(c, answer) as never;
});
