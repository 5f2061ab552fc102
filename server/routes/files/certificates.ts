import { z } from 'zod';
import { notFound } from '../../http/errors.ts';
import { serveBlob } from '../../http/serve-blob.ts';
import { SignedQuery } from '../../http/params.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import { signedCertificate } from '../../services/files.ts';

const FILE = /^([\p{L}\p{N}]{1,16})\.(png|pdf)$/u;

export const certificateFileRoute = defineRawRoute({
  method: 'get',
  path: '/c/{event_id}/{certificate}',
  tag: 'Files',
  summary: 'Certificate PNG or PDF (signed URL)',
  description:
    'Only through a link from the certificate look-up: rendered on first download and cached; ETag = the render cache key; attachment with a friendly file name.',
  auth: 'signed',
  request: {
    params: z.object({
      event_id: z.string().meta({ description: 'event id' }),
      certificate: z.string().meta({ description: '`{bib}.png` or `{bib}.pdf`' }),
    }),
    query: SignedQuery,
  },
  raw: { description: 'The certificate', type: 'application/pdf' },
  errors: [404, 416, 503],
});

/** Certificates, only through a signed URL (`?exp&kid&sig` from the certificate look-up). */
export const certificateFiles = createRouter().openapi(certificateFileRoute, async (c) => {
  const params = c.req.valid('param');
  const eventId = Number(params.event_id);
  const m = FILE.exec(params.certificate);
  if (!Number.isSafeInteger(eventId) || eventId <= 0 || !m) throw notFound('File not found');
  const file = await signedCertificate(c.get('deps'), eventId, m[1]!, m[2] as 'png' | 'pdf', c.req.valid('query'));
  return serveBlob(c, c.get('deps').blobs, file.blobKey, {
    cacheControl: `private, max-age=${file.maxAge}`,
    contentType: file.contentType,
    downloadName: file.filename,
    etag: file.etag,
  });
});
