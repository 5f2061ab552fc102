import { z } from 'zod';
import { notFound } from '../../http/errors.ts';
import { serveBlob } from '../../http/serve-blob.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';

const RENDITION_KEY = /^renditions\/[0-9a-f-]{36}\/[a-z]+-\d+(?:-w\d+)?\.(webp|avif|jpg)$/;

export const renditionFileRoute = defineRawRoute({
  method: 'get',
  path: '/r/{key}',
  tag: 'Files',
  summary: 'Thumbnail or watermarked preview',
  description: 'Public and immutable (a new rendition gets a new URL); the URLs come in ImageItem. ETag and Range supported.',
  auth: 'none',
  request: {
    params: z.object({
      key: z.string().regex(RENDITION_KEY).meta({ description: 'rendition key, e.g. renditions/{image_id}/thumb-320.webp' }),
    }),
  },
  raw: { description: 'The file (206 for a Range request, 304 when If-None-Match matches)', type: 'image/webp' },
  errors: [404, 416],
});

/**
 * Thumbnails and watermarked previews. The key holds slashes, which an OpenAPI path parameter cannot: the
 * declaration documents the route and Hono matches the rest of the path (`:key{.+}`).
 */
export const renditionFiles = createRouter();
renditionFiles.openAPIRegistry.registerPath(renditionFileRoute);
renditionFiles.get('/r/:key{.+}', async (c) => {
  const key = c.req.param('key');
  if (!RENDITION_KEY.test(key)) throw notFound('File not found');
  return serveBlob(c, c.get('deps').blobs, key, { cacheControl: 'public, max-age=31536000, immutable' });
});
