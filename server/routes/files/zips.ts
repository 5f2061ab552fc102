import { Readable } from 'node:stream';
import { z } from 'zod';
import { SignedQuery } from '../../http/params.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import { streamDownloadAll } from '../../services/download-all.ts';
import { wholeNumber } from '../../../core/api/pagination.ts';

export const downloadAllZipRoute = defineRawRoute({
  method: 'get',
  path: '/zip/{event_id}/{kind}/{by}/{file}',
  tag: 'Files',
  summary: 'Download all: the ZIP (signed URL)',
  description:
    'Only through the zip_url of POST …/download-all (valid one hour). Streams the photos (originals, or watermarked ' +
    'web-size copies on events that sell their originals) stored without recompression, with the exact Content-Length; ' +
    'files are named <event-slug>_<bib>_<HHMMSS>.jpg (time in the event time zone). The event settings are checked again ' +
    '(403 when bulk downloads were switched off since). HEAD answers the headers only.',
  auth: 'signed',
  request: {
    params: z.object({
      event_id: wholeNumber('must be a positive integer', (n) => n.positive()).meta({ description: 'event id' }),
      kind: z.string().meta({ description: 'original or web' }),
      by: z.string().meta({ description: 'bib, selfie or ids' }),
      file: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}\.zip$/, 'must be NAME.zip')
        .meta({ description: 'the bib, request id or selection, .zip' }),
    }),
    query: SignedQuery,
  },
  raw: { description: 'The ZIP (attachment)', type: 'application/zip' },
  errors: [404, 422],
});

/** The ZIPs of "download all my photos". */
export const zipFiles = createRouter().openapi(downloadAllZipRoute, async (c) => {
  const { event_id, kind, by, file } = c.req.valid('param');
  const zip = await streamDownloadAll(
    c.get('deps'),
    { eventId: event_id, kind, by, value: file.replace(/\.zip$/, '') },
    c.req.valid('query'),
  );
  const headers = {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${zip.filename}"`,
    'Cache-Control': 'private, no-store',
    ...(zip.size >= 0 ? { 'Content-Length': String(zip.size) } : {}),
  };
  if (c.req.method === 'HEAD') {
    zip.stream.destroy();
    return c.body(null, 200, headers);
  }
  return c.body(Readable.toWeb(zip.stream) as ReadableStream, 200, headers);
});
