import { z } from 'zod';
import { notFound } from '../../http/errors.ts';
import { serveBlob } from '../../http/serve-blob.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';

const COVER = /^\d+\/[0-9a-f]{16}\.jpg$/;

export const coverFileRoute = defineRawRoute({
  method: 'get',
  path: '/covers/{event_id}/{file}',
  tag: 'Files',
  summary: 'Event cover image',
  description: 'Public and immutable (a new cover gets a new URL); the URL comes in details.cover_image.',
  auth: 'none',
  request: {
    params: z.object({
      event_id: z.string().regex(/^\d+$/).meta({ description: 'event id' }),
      file: z
        .string()
        .regex(/^[0-9a-f]{16}\.jpg$/)
        .meta({ description: 'content-named JPEG' }),
    }),
  },
  raw: { description: 'The JPEG (304 when If-None-Match matches)', type: 'image/jpeg' },
  errors: [404, 416],
});

/** Cover images of events (`covers/{event_id}/{hash}.jpg` blobs). */
export const coverFiles = createRouter();
coverFiles.openAPIRegistry.registerPath(coverFileRoute);
coverFiles.get('/covers/:event_id/:file', async (c) => {
  const key = `${c.req.param('event_id')}/${c.req.param('file')}`;
  if (!COVER.test(key)) throw notFound('File not found');
  return serveBlob(c, c.get('deps').blobs, `covers/${key}`, { cacheControl: 'public, max-age=31536000, immutable' });
});
