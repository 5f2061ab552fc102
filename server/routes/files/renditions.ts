import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { notFound } from '../../http/errors.ts';
import { serveBlob } from '../../http/serve-blob.ts';

const RENDITION_KEY = /^renditions\/[0-9a-f-]{36}\/[a-z]+-\d+\.(webp|avif|jpg)$/;

/** Thumbnails and watermarked previews: public and immutable (a new rendition gets a new key). */
export const renditionFiles = new Hono<AppEnv>().on(['GET', 'HEAD'], '/r/*', async (c) => {
  const key = c.req.path.replace(/^.*?\/files\/r\//, '');
  if (!RENDITION_KEY.test(key)) throw notFound('File not found');
  return serveBlob(c, c.get('deps').blobs, key, { cacheControl: 'public, max-age=31536000, immutable' });
});
