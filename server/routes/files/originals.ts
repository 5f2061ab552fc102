import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { serveBlob } from '../../http/serve-blob.ts';
import { originalFilename, originalPath } from '../../services/downloads.ts';

const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Originals, only through a signed URL (`?exp&kid&sig` from Download Originals): private, attachment,
 * ETag = the content hash taken at ingest, Range supported.
 */
export const originalFiles = new Hono<AppEnv>().on(['GET', 'HEAD'], '/o/:image_id', async (c) => {
  const id = c.req.param('image_id');
  const { exp, kid, sig } = c.req.query();
  const deps = c.get('deps');
  const verdict = deps.signer.verify(originalPath(id), { exp, kid, sig });
  if (verdict === 'expired') throw forbidden('This download link has expired: ask Download Originals for a new one');
  if (verdict !== 'ok') throw forbidden('Invalid download link: the signature does not match (was the URL changed?)');
  const img = IMAGE_ID.test(id) ? await deps.store.images.getById(id) : null;
  if (!img) throw notFound('This photo no longer exists');
  const maxAge = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
  return serveBlob(c, deps.blobs, img.original_key, {
    cacheControl: `private, max-age=${maxAge}`,
    contentType: img.mime,
    downloadName: originalFilename(img),
    etag: `"${img.content_hash}"`,
  });
});
