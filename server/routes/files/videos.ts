import { z } from 'zod';
import { serveBlob } from '../../http/serve-blob.ts';
import { SignedQuery } from '../../http/params.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import { secondsLeft } from '../../services/files.ts';
import { assertSigned } from '../../services/signing.ts';
import { videoFilePath } from '../../video/service.ts';

export const videoFileRoute = defineRawRoute({
  method: 'get',
  path: '/v/{video_id}/{file}',
  tag: 'Files',
  summary: 'Video clip, clip poster, video poster or preview (signed URL)',
  description:
    'Only through a link from Video Clipping result (clips and their posters) or the admin video list (posters, previews). ' +
    '403 when the signature is wrong or expired. Private; Range supported, so a <video> element can seek.',
  auth: 'signed',
  request: {
    params: z.object({
      video_id: z.string().meta({ description: 'video id (UUID)', format: 'uuid' }),
      file: z.string().meta({ description: 'poster.jpg, preview.mp4, clip-{clip_id}.mp4 or clip-{clip_id}.jpg' }),
    }),
    query: SignedQuery.extend({
      download: z.literal('1').optional().meta({ description: '1 = as an attachment (Content-Disposition) with a file name' }),
    }),
  },
  raw: { description: 'The file (206 with Content-Range for a Range request)', type: 'video/mp4' },
  errors: [404, 416],
});

/** Video files behind signed links: the signature first (403), then the file (404). */
export const videoFiles = createRouter().openapi(videoFileRoute, async (c) => {
  const { video_id, file } = c.req.valid('param');
  const query = c.req.valid('query');
  const deps = c.get('deps');
  assertSigned(deps.signer, videoFilePath(video_id, file), query, {
    expired: 'This video link has expired: ask for the clips again for a new one',
    invalid: 'Invalid video link: the signature does not match (was the URL changed?)',
  });
  const f = await deps.video.file(video_id, file);
  return serveBlob(c, deps.blobs, f.key, {
    cacheControl: `private, max-age=${secondsLeft(query.exp)}`,
    contentType: f.type,
    ...(query.download === '1' ? { downloadName: f.name } : {}),
  });
});
