import { serveBlob } from '../../http/serve-blob.ts';
import { SignedQuery } from '../../http/params.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import { signedOriginal } from '../../services/files.ts';
import { z } from 'zod';

export const originalFileRoute = defineRawRoute({
  method: 'get',
  path: '/o/{image_id}',
  tag: 'Files',
  summary: 'Original photo (signed URL)',
  description:
    'Only through a link from Download Originals or a receipt. 403 when the signature is wrong or expired, and for a photo of a sold event when its order no longer unlocks it (a refund relocks links at once). Private, attachment, ETag = content hash, Range supported.',
  auth: 'signed',
  // The signature is checked before the id: a changed id is 403 like any other change to the link.
  request: {
    params: z.object({ image_id: z.string().meta({ description: 'image id (UUID)', format: 'uuid' }) }),
    query: SignedQuery.extend({
      grant: z
        .string()
        .optional()
        .meta({ description: 'a sold photo: the order it was bought in (signed with the link; checked again on each download)' }),
    }),
  },
  raw: {
    description: 'The original (206 with Content-Range for a Range request, 304 when If-None-Match matches)',
    type: 'image/jpeg',
  },
  errors: [404, 416],
  redirect:
    'With S3 presigned downloads on (S3_PRESIGNED_DOWNLOADS): after the same checks, a redirect to a presigned URL of the bucket, valid 5 minutes, that serves the same file (attachment, Range supported).',
});

/** How long a presigned URL of a redirect works: enough to start the download, not to pass the link around. */
const PRESIGNED_SECONDS = 300;

/** Originals, only through a signed URL (`?exp&kid&sig` from Download Originals). */
export const originalFiles = createRouter().openapi(originalFileRoute, async (c) => {
  const deps = c.get('deps');
  const file = await signedOriginal(deps, c.req.valid('param').image_id, c.req.valid('query'));
  // The signature and the entitlement were checked above, on every click: only the bytes come from the bucket.
  const presigned = deps.presignedDownloads
    ? await deps.blobs.presignedUrl(file.blobKey, {
        expiresInSeconds: Math.min(PRESIGNED_SECONDS, Math.max(1, file.maxAge)),
        downloadName: file.filename,
        contentType: file.contentType,
      })
    : null;
  if (presigned) return c.body(null, 302, { Location: presigned, 'Cache-Control': 'private, no-store' });
  return serveBlob(c, deps.blobs, file.blobKey, {
    cacheControl: `private, max-age=${file.maxAge}`,
    contentType: file.contentType,
    downloadName: file.filename,
    etag: file.etag,
  });
});
