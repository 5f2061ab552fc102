import { DOWNLOAD_ALL_MAX_IDS, DownloadAllData, DownloadAllRequest } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { prepareDownloadAll, ZIP_URL_TTL_SECONDS } from '../../services/download-all.ts';
import { requestSource } from '../../http/analytics-source.ts';

export const downloadAllRoute = defineRoute({
  method: 'post',
  path: '/download-all',
  tag: 'Downloads',
  summary: 'Download all my photos (one ZIP)',
  description:
    `Exactly one of { bib }, { selfie: request_id } or { image_ids: [...] } (at most ${DOWNLOAD_ALL_MAX_IDS}) → a signed ` +
    `zip_url (valid ${ZIP_URL_TTL_SECONDS / 60} minutes) that streams one ZIP of those photos, named ` +
    '<event-slug>_<bib>_<HHMMSS>.jpg. kind original on free events; on events that sell originals, kind web (the watermarked ' +
    '1600-px copies) when web_download is on. 403 when bulk_download is off, or on a sold event without web_download; ' +
    '404 when no photo matches.',
  auth: 'key',
  request: { params: EventPath, body: { required: true, content: { 'application/json': { schema: DownloadAllRequest } } } },
  data: DownloadAllData,
  errors: [400, 404, 415, 422],
});

export const downloadAll = createRouter().openapi(downloadAllRoute, async (c) => {
  const data = await prepareDownloadAll(c.get('deps'), c.get('event'), c.req.valid('json'), baseUrl(c));
  await c.get('deps').analytics.download(c.get('event').id, requestSource(c), data.photo_count);
  const what = data.kind === 'original' ? 'originals' : 'web-size copies';
  return ok(c, `${data.photo_count} photo${data.photo_count === 1 ? '' : 's'} (${what}) in one ZIP`, data);
});
