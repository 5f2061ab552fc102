import { Hono } from 'hono';
import { certificatePath, certificatesFor } from '../../certify/service.ts';
import type { AppEnv } from '../../http/env.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { serveBlob } from '../../http/serve-blob.ts';

const FILE = /^([\p{L}\p{N}]{1,16})\.(png|pdf)$/u;

/**
 * Certificates, only through a signed URL (`?exp&kid&sig` from the certificate look-up): rendered on first
 * download and cached; ETag = the render's cache key; attachment with a friendly file name.
 */
export const certificateFiles = new Hono<AppEnv>().on(['GET', 'HEAD'], '/c/:event_id/:certificate', async (c) => {
  const eventId = Number(c.req.param('event_id'));
  const m = FILE.exec(c.req.param('certificate'));
  if (!Number.isSafeInteger(eventId) || eventId <= 0 || !m) throw notFound('File not found');
  const bib = m[1]!;
  const format = m[2] as 'png' | 'pdf';
  const { exp, kid, sig } = c.req.query();
  const deps = c.get('deps');
  const verdict = deps.signer.verify(certificatePath(eventId, bib, format), { exp, kid, sig });
  if (verdict === 'expired') throw forbidden('This certificate link has expired: look your BIB up again for a new one');
  if (verdict !== 'ok') throw forbidden('Invalid certificate link: the signature does not match (was the URL changed?)');
  const event = await deps.store.events.get(eventId);
  if (!event) throw notFound('This event no longer exists');
  const file = await certificatesFor(deps).file(event, bib, format);
  const maxAge = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
  return serveBlob(c, deps.blobs, file.blobKey, {
    cacheControl: `private, max-age=${maxAge}`,
    contentType: file.contentType,
    downloadName: file.filename,
    etag: file.etag,
  });
});
