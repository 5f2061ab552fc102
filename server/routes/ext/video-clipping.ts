import { z } from 'zod';
import { VideoClippingData } from '../../../core/api/video.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import type { VideoJobRow } from '../../store/video-types.ts';
import type { Context } from 'hono';
import { requestIdParam, SELFIE_MAX_BYTES, selfieBody, vectorInput } from './faces.ts';

const videoOn = requireFeature('video_search', 'video_selfie_search');

const MESSAGES: Record<VideoJobRow['status'], string> = {
  queued: 'Clip search queued: poll GET …/video-clipping/{request_id}',
  processing: 'Clips are being made: poll GET …/video-clipping/{request_id}',
  completed: 'Clips ready',
  no_match: 'This person was not found in the event videos',
  failed: 'The clips could not be made',
};

export const videoClippingStartRoute = defineRoute({
  method: 'post',
  path: '/video-clipping/search-by-selfie',
  tag: 'Video clipping',
  summary: 'Video Clipping start',
  description:
    'Starts a clip search (9Pic Motion) and answers at once with `request_id` and the job state; the clips are made in the background. ' +
    'Either a selfie (multipart `file`, or `selfie`, `image`; or `embedding`, 512 numbers, as for Face Search) or the `request_id` of a Face Search ' +
    'of the event (its selfie is reused: no upload). A `request_id` that already names a clip search returns it unchanged: nothing is matched or cut again. ' +
    '403 unless video_search and video_selfie_search are on; 400 empty file; 404 unknown request_id without a selfie; 422 no usable face.',
  auth: 'key',
  middleware: [videoOn],
  bodyLimit: SELFIE_MAX_BYTES,
  request: {
    params: EventPath,
    query: z.object({
      request_id: z.string().optional().meta({ description: 'a Face Search or clip search request_id (UUID)', format: 'uuid' }),
    }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({
            file: { description: 'the selfie (JPEG, PNG or WebP) or its aligned 112×112 crop' },
            embedding: { description: 'instead of a file: a JSON array of 512 numbers', file: false },
            request_id: { description: 'a Face Search request_id to reuse its selfie, or a clip search to replay', file: false },
          }),
        },
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              request_id: { type: 'string', format: 'uuid' },
              embedding: { type: 'array', items: { type: 'number' }, minItems: 512, maxItems: 512 },
            },
          },
        },
      },
    },
  },
  data: VideoClippingData,
  errors: [400, 404, 413, 415, 422, 503],
});

export const videoClippingResultRoute = defineRoute({
  method: 'get',
  path: '/video-clipping/{request_id}',
  tag: 'Video clipping',
  summary: 'Video Clipping result',
  description:
    'The stored job: `status` queued, processing, completed, no_match or failed; when completed, one clip per source video the person ' +
    'appears in (signed MP4 and poster links valid about one hour, start and end in the source, duration, best confidence). Poll until a ' +
    'terminal status (every 2 s is plenty). Unknown request_id → 404.',
  auth: 'key',
  middleware: [videoOn],
  request: {
    params: EventPath.extend({ request_id: z.string().meta({ description: 'from Video Clipping start', format: 'uuid' }) }),
  },
  data: VideoClippingData,
  errors: [400, 404, 422],
});

async function respond(c: Context<AppEnv>, job: VideoJobRow, replay: boolean) {
  const data = await c.get('deps').video.view(job, baseUrl(c));
  const n = data.clips.length;
  const msg = job.status === 'completed' ? `${n} clip${n === 1 ? '' : 's'} ready` : MESSAGES[job.status];
  return ok(c, replay && job.status !== 'completed' ? msg : replay ? `${msg} (stored result)` : msg, data);
}

/** Video Clipping (spec §3.10, §3.11): a selfie or a Face Search request_id → MP4 clips of that person. */
export const videoClipping = createRouter()
  .openapi(videoClippingStartRoute, async (c) => {
    const { fields, file } = await selfieBody(c);
    const str = (k: string) =>
      typeof fields[k] === 'string' ? (fields[k] as string) : fields[k] == null ? null : String(fields[k]);
    const requestId = requestIdParam('request_id', str('request_id') ?? c.req.valid('query').request_id);
    const data = file ? new Uint8Array(await file.arrayBuffer()) : null;
    const embedding = fields.embedding;
    const { job, replay } = await c.get('deps').video.start(
      c.get('event'),
      () => {
        if (data) return { kind: 'image', data };
        if (embedding !== undefined && embedding !== null && embedding !== '') return vectorInput(embedding);
        return null;
      },
      { requestId },
    );
    return respond(c, job, replay);
  })
  .openapi(videoClippingResultRoute, async (c) => {
    const requestId = requestIdParam('request_id', c.req.param('request_id'))!;
    return respond(c, await c.get('deps').video.getJob(c.get('event'), requestId), true);
  });
