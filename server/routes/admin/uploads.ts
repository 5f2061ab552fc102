import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { ProcessingStats, RetryReport, UploadStatus } from '../../../core/api/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import type { AppEnv } from '../../http/env.ts';
import { notFound } from '../../http/errors.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRawRoute, defineRoute } from '../../http/route.ts';
import { parse } from '../../http/validate.ts';
import type { UploadRequest } from '../../uploads/service.ts';

const TAG = 'Admin: uploads';
/** How often an idle processing stream sends a comment line, so proxies keep it open. */
const KEEP_ALIVE_MS = 15_000;
/** Changes closer together than this are sent as one message. */
const COALESCE_MS = 150;

const UploadPath = EventPath.extend({
  upload_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be the id at the end of the Location of POST …/uploads')
    .meta({ description: 'the upload, as named by the Location header of its creation' }),
});

const TUS =
  'tus 1.0 (https://tus.io/protocols/resumable-upload): send Tus-Resumable: 1.0.0. With a console session, also ' +
  'X-CSRF-Token. Photographers may only upload to their events, and only touch their own uploads.';

export const createUploadRoute = defineRawRoute({
  method: 'post',
  path: '/uploads',
  tag: TAG,
  summary: 'Start an upload (tus creation)',
  description:
    `${TUS} Upload-Length (at most UPLOAD_LIMIT_MB) or Upload-Defer-Length: 1; Upload-Metadata with \`filename\` ` +
    'and `filetype` (an image type, application/octet-stream or empty). The body may already carry the first bytes ' +
    '(Content-Type: application/offset+octet-stream). Location is the upload URL. When the last byte arrives the ' +
    'photo goes through the ingest pipeline once (a duplicate is skipped); see …/processing.',
  auth: 'secret',
  request: { params: EventPath },
  raw: { description: 'Created: the Location header is the upload URL', type: 'text/plain', status: 201 },
  errors: [400, 404, 412, 413, 415],
});

export const uploadStatusRoute = defineRoute({
  method: 'get',
  path: '/uploads/{upload_id}',
  tag: TAG,
  summary: 'An upload: offset (HEAD, tus) or state (GET)',
  description:
    'HEAD is the tus offset request (Upload-Offset, Upload-Length). GET answers its state in the envelope: ' +
    'receiving, waiting, processing, processed, duplicate or failed, and the photo it became.',
  auth: 'secret',
  request: { params: UploadPath },
  data: UploadStatus,
  errors: [404, 422],
});

export const patchUploadRoute = defineRawRoute({
  method: 'patch',
  path: '/uploads/{upload_id}',
  tag: TAG,
  summary: 'Send bytes (tus)',
  description:
    `${TUS} Upload-Offset must be the server's offset (409 otherwise: ask with HEAD and resume from it); ` +
    'Content-Type: application/offset+octet-stream. An interrupted request keeps the bytes that arrived.',
  auth: 'secret',
  request: { params: UploadPath },
  raw: { description: 'Stored: Upload-Offset is the new offset', type: 'text/plain', status: 204 },
  errors: [400, 403, 404, 409, 410, 412, 413, 415],
});

export const deleteUploadRoute = defineRawRoute({
  method: 'delete',
  path: '/uploads/{upload_id}',
  tag: TAG,
  summary: 'Cancel an upload (tus termination)',
  description: `${TUS} Only an unfinished upload can be cancelled (400 once complete); its bytes are deleted.`,
  auth: 'secret',
  request: { params: UploadPath },
  raw: { description: 'Cancelled', type: 'text/plain', status: 204 },
  errors: [400, 404, 412],
});

export const processingRoute = defineRoute({
  method: 'get',
  path: '/processing',
  tag: TAG,
  summary: 'Processing view',
  description:
    'The event’s uploads: received (complete), processed (stored, or skipped as duplicates), failed, waiting; ' +
    'faces and bibs found in them; the latest failures with their reasons.',
  auth: 'secret',
  request: { params: EventPath },
  data: ProcessingStats,
  errors: [404, 422],
});

export const processingStreamRoute = defineRawRoute({
  method: 'get',
  path: '/processing/stream',
  tag: TAG,
  summary: 'Processing view, live (server-sent events)',
  description:
    'text/event-stream: an `event: processing` message with the same JSON as …/processing at once and after every ' +
    `change (changes within ${COALESCE_MS} ms are one message); a comment line every ${KEEP_ALIVE_MS / 1000} s.`,
  auth: 'secret',
  request: { params: EventPath },
  raw: { description: 'The stream', type: 'text/event-stream' },
  errors: [404, 422],
});

export const retryRoute = defineRoute({
  method: 'post',
  path: '/processing/retry',
  tag: TAG,
  summary: 'Retry the failed files',
  description: 'Every failed upload of the event goes back into the queue (its file was kept).',
  auth: 'secret',
  request: { params: EventPath },
  data: RetryReport,
  errors: [404, 422],
});

function uploadRequest(c: Context<AppEnv>, uploadId?: string): UploadRequest {
  return {
    orgId: c.get('orgId'),
    event: c.get('event'),
    principal: c.get('principal'),
    base: baseUrl(c),
    ...(uploadId === undefined ? {} : { uploadId }),
  };
}

const uploadIdOf = (c: Context<AppEnv>) =>
  parse(UploadPath, {
    org_id: c.req.param('org_id'),
    event_id: c.req.param('event_id'),
    upload_id: c.req.param('upload_id'),
  }).upload_id;

/**
 * Uploads of one event (tus 1.0, mounted under `/events/{event_id}` behind the admin auth, the event loaded) and
 * its processing view. The tus routes are plain handlers handing the request to `deps.uploads`; their declarations
 * document them.
 */
export const adminUploads = createRouter()
  .openapi(processingRoute, async (c) => {
    const stats = await c.get('deps').uploads.stats(c.get('event').id);
    return ok(c, `${stats.processed} of ${stats.received} processed`, stats);
  })
  .openapi(retryRoute, async (c) => {
    const retried = await c.get('deps').uploads.retry(c.get('event').id);
    return ok(c, retried ? `${retried} file${retried === 1 ? '' : 's'} queued again` : 'Nothing to retry', { retried });
  });

for (const route of [createUploadRoute, uploadStatusRoute, patchUploadRoute, deleteUploadRoute, processingStreamRoute])
  adminUploads.openAPIRegistry.registerPath(route);

adminUploads.post('/uploads', (c) => c.get('deps').uploads.handle(c.req.raw, uploadRequest(c)));
adminUploads.patch('/uploads/:upload_id', (c) => c.get('deps').uploads.handle(c.req.raw, uploadRequest(c, uploadIdOf(c))));
adminUploads.delete('/uploads/:upload_id', (c) => c.get('deps').uploads.handle(c.req.raw, uploadRequest(c, uploadIdOf(c))));
// Hono answers HEAD through the GET route: HEAD is the tus offset request, GET the upload's state.
adminUploads.get('/uploads/:upload_id', async (c) => {
  const id = uploadIdOf(c);
  const uploads = c.get('deps').uploads;
  if (c.req.method === 'HEAD') return uploads.handle(c.req.raw, uploadRequest(c, id));
  const status = await uploads.status(c.get('event'), id, c.get('principal'));
  if (!status) throw notFound(`Upload ${id} not found in event ${c.get('event').id}`);
  return ok(c, `Upload ${status.state}`, status);
});

adminUploads.get('/processing/stream', (c) => {
  const uploads = c.get('deps').uploads;
  const eventId = c.get('event').id;
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    let dirty = true;
    let done = false;
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    const offChange = uploads.onChange(eventId, () => {
      dirty = true;
      poke();
    });
    const offClose = uploads.onClose(() => {
      done = true;
      poke();
    });
    stream.onAbort(() => {
      done = true;
      poke();
    });
    try {
      while (!done) {
        if (dirty) {
          dirty = false;
          await stream.writeSSE({ event: 'processing', data: JSON.stringify(await uploads.stats(eventId)) });
        }
        const woke = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), KEEP_ALIVE_MS);
          wake = () => {
            clearTimeout(t);
            resolve(true);
          };
        });
        wake = null;
        if (done) break;
        if (!woke && !dirty) await stream.write(': keep-alive\n\n');
        // Let a burst of changes (a batch finishing) become one message.
        else await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      }
    } finally {
      offChange();
      offClose();
    }
  });
});
