import { AdminVideoList, DeletedVideo } from '../../../core/api/video.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath, uuid } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';

const TAG = 'Admin: videos';

export const listVideosRoute = defineRoute({
  method: 'get',
  path: '/videos',
  tag: TAG,
  summary: 'Videos of the event',
  description:
    'The source videos ingested (upload them with the photos, the CLI or the console), with their probe facts, the frames ' +
    'sampled and the faces found, and signed links to the poster and the 10-second preview.',
  auth: 'secret',
  request: { params: EventPath },
  data: AdminVideoList,
  errors: [404, 422],
});

export const deleteVideoRoute = defineRoute({
  method: 'delete',
  path: '/videos/{video_id}',
  tag: TAG,
  summary: 'Delete a video and its files',
  description:
    'Its rows (faces, clips) go in one transaction, then its files (original, poster, preview, clips). Clip searches that ' +
    'listed its clips no longer show them.',
  auth: 'secret',
  request: { params: EventPath.extend({ video_id: uuid('video id (UUID) from the video list or the upload report') }) },
  data: DeletedVideo,
  errors: [404, 422],
});

/** The event's videos (Motion): list and delete. */
export const adminVideos = createRouter()
  .openapi(listVideosRoute, async (c) => {
    const data = await c.get('deps').video.list(c.get('event'), baseUrl(c));
    return ok(c, data.videos.length ? `${data.videos.length} video(s)` : 'No videos yet', data);
  })
  .openapi(deleteVideoRoute, async (c) => {
    const { video_id } = c.req.valid('param');
    const { blobsLeft } = await c.get('deps').video.delete(c.get('event'), video_id);
    const message = blobsLeft ? `Video deleted; ${blobsLeft} file(s) could not be removed and were logged` : 'Video deleted';
    return ok(c, message, { video_id, deleted: true as const });
  });
