import { OrderTokenHeaders } from '../../../core/checkout.ts';
import { DownloadOriginalsData, DownloadOriginalsRequest, pageQuery } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { downloadOriginals } from '../../services/downloads.ts';
import { requestSource } from '../../http/analytics-source.ts';

export const downloadOriginalsRoute = defineRoute({
  method: 'post',
  path: '/original-photos',
  tag: 'Downloads',
  summary: 'Download Originals',
  description:
    'Signed links (valid one hour) to the unwatermarked originals of one page of photos, by bib, selfie request_id, one image_id or a list of image_ids. ' +
    'Events that sell originals need a paid order: send its download token in X-Order-Token (or order_token in the body). ' +
    'Photos not bought are listed in failed_urls; when none of them is unlocked the answer is 403. ' +
    'method bib needs bib_search on, method selfie needs selfie_search on (else 403).',
  auth: 'key',
  request: {
    params: EventPath,
    query: pageQuery('originals'),
    headers: OrderTokenHeaders,
    body: { required: true, content: { 'application/json': { schema: DownloadOriginalsRequest } } },
  },
  data: DownloadOriginalsData,
  errors: [400, 404, 415, 422],
});

/** Download Originals (spec §3.12). */
export const originals = createRouter().openapi(downloadOriginalsRoute, async (c) => {
  const { page, page_size } = c.req.valid('query');
  const request = c.req.valid('json');
  const orderToken = c.req.valid('header')['x-order-token'] || request.order_token || null;
  const { message, data } = await downloadOriginals(c.get('deps'), {
    event: c.get('event'),
    request,
    page,
    pageSize: page_size,
    orderToken,
    base: baseUrl(c),
  });
  await c.get('deps').analytics.download(c.get('event').id, requestSource(c), data.successful_count);
  return ok(c, message, data);
});
