import { ImagePage, pageQuery } from '../../../core/index.ts';
import { requireBrowsing } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { envelope } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { answerReady, keepReady, versionsOf } from '../../http/ready-answers.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { imagePageCached } from '../../services/gallery.ts';

// The example to copy when adding a route: declare it (validator + types + OpenAPI entry), then handle it by
// calling a service; the router's hooks turn a mismatch into 422 and thrown ApiErrors into the envelope.
export const listImages = defineRoute({
  method: 'get',
  path: '/images',
  tag: 'Browse',
  summary: 'List Images',
  description:
    'Photos of the event in capture order (untimed photos last). 403 for a publishable key when show_all_images is off (search-only event).',
  auth: 'key',
  middleware: [requireBrowsing],
  request: { params: EventPath, query: pageQuery('images') },
  data: ImagePage,
  errors: [404, 422],
});

export const images = createRouter().openapi(listImages, async (c) => {
  // Pages are kept serialised by (event, page, size, data version), with an ETag naming them: 304 when unchanged; the
  // answer is kept ready for the same request at the same versions (http/ready-answers.ts).
  const { gallery } = await versionsOf(c);
  const page = await imagePageCached(
    c.get('deps'),
    baseUrl(c),
    c.get('event'),
    c.req.valid('query'),
    (data) => JSON.stringify(envelope(data.pagination.total === 0 ? 'No images found' : 'Records for all images', data)),
    gallery,
  );
  const answer = { body: page.body, etag: page.etag };
  keepReady(c, answer);
  return answerReady(c, answer) as never;
});
