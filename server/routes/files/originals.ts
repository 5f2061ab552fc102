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
});

/** Originals, only through a signed URL (`?exp&kid&sig` from Download Originals). */
export const originalFiles = createRouter().openapi(originalFileRoute, async (c) => {
  const file = await signedOriginal(c.get('deps'), c.req.valid('param').image_id, c.req.valid('query'));
  return serveBlob(c, c.get('deps').blobs, file.blobKey, {
    cacheControl: `private, max-age=${file.maxAge}`,
    contentType: file.contentType,
    downloadName: file.filename,
    etag: file.etag,
  });
});
