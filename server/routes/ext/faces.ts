import { z } from 'zod';
import { FaceSearchData, NotMeData, NotMeRequest, pageQuery } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { badRequest, unavailable, unprocessable } from '../../http/errors.ts';
import { multipart } from '../../http/body.ts';
import { EventPath, UUID_PATTERN } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import { embeddingProblem, type SelfieInput } from '../../services/faces.ts';
import { selfiePage } from '../../services/gallery.ts';
import type { Context } from 'hono';
import type { FaceSearchRow } from '../../store/face-types.ts';
import { requestSource } from '../../http/analytics-source.ts';

/** A selfie upload is one photo: larger bodies are refused (413) before they are read. */
export const SELFIE_MAX_BYTES = 25 * 1024 * 1024;
const FILE_FIELDS = ['file', 'selfie', 'image'] as const;
const HINT =
  'the selfie as a file part `file` (or `selfie`, `image`), or `embedding` (a JSON array of 512 numbers); optional `request_id`, `add_to`';

/** request_id problems are 400 (spec §1.9 lists them under 400), so they are checked here and not by zod. */
export function requestIdParam(name: string, v: string | undefined | null): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (!UUID_PATTERN.test(v))
    throw badRequest(
      `${name}: must be a UUID such as 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f (got ${JSON.stringify(v.slice(0, 60))})`,
    );
  return v.toLowerCase();
}

const requestIdDoc = (description: string) => z.string().optional().meta({ description, format: 'uuid' });

const selfieOn = requireFeature('selfie_search');

export const faceSearchRoute = defineRoute({
  method: 'post',
  path: '/faces',
  tag: 'Face search',
  summary: 'Face Search',
  description:
    'A selfie search: multipart with the photo in `file` (or `selfie`, `image`), or JSON with `embedding` (512 numbers). ' +
    'Optional `request_id` (form field, JSON field or query): an existing one returns the stored result without matching again; ' +
    '`add_to` widens an earlier search with another selfie. 403 when selfie_search is off; 503 when the server has no face models.',
  auth: 'key',
  middleware: [selfieOn],
  bodyLimit: SELFIE_MAX_BYTES,
  request: {
    params: EventPath,
    query: pageQuery('faces').extend({
      request_id: requestIdDoc('replay a stored search, or name a new one (UUID)'),
      add_to: requestIdDoc('an earlier search to widen with this selfie (UUID)'),
    }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({
            file: {
              description: `the selfie (JPEG, PNG or WebP) or its aligned 112×112 crop, at most ${SELFIE_MAX_BYTES / 1024 / 1024} MiB`,
            },
            embedding: { description: 'instead of a file: a JSON array of 512 numbers', file: false },
            request_id: { description: 'optional: a stored search to replay, or the id of the new one', file: false },
            add_to: { description: 'optional: an earlier search to widen', file: false },
          }),
        },
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              embedding: { type: 'array', items: { type: 'number' }, minItems: 512, maxItems: 512 },
              request_id: { type: 'string', format: 'uuid' },
              add_to: { type: 'string', format: 'uuid' },
            },
          },
        },
      },
    },
  },
  data: FaceSearchData,
  errors: [400, 404, 413, 415, 422, 503],
});

export const faceSearchPageRoute = defineRoute({
  method: 'get',
  path: '/faces/{request_id}',
  tag: 'Face search',
  summary: 'Face Search (cached)',
  description: 'A page of a stored search; never matches again. Unknown request_id → 404.',
  auth: 'key',
  middleware: [selfieOn],
  request: {
    params: EventPath.extend({ request_id: z.string().meta({ description: 'from an earlier Face Search', format: 'uuid' }) }),
    query: pageQuery('faces'),
  },
  data: FaceSearchData,
  errors: [400, 404, 422, 503],
});

export const notMeRoute = defineRoute({
  method: 'post',
  path: '/faces/{request_id}/not-me',
  tag: 'Face search',
  summary: 'Not me',
  description:
    '"Not me" on a photo of a stored selfie search: the photo is dropped from the stored result, and the search is ranked ' +
    'again without it while its query is kept (SELFIE_RETENTION_HOURS): the query expansion never uses a rejected photo. ' +
    'Idempotent. 404 when the search is unknown here or the photo was never in its result.',
  auth: 'key',
  middleware: [selfieOn],
  request: {
    params: EventPath.extend({ request_id: z.string().meta({ description: 'from an earlier Face Search', format: 'uuid' }) }),
    body: { required: true, content: { 'application/json': { schema: NotMeRequest } } },
  },
  data: NotMeData,
  errors: [400, 404, 415, 422],
});

function service(c: Context<AppEnv>) {
  const faces = c.get('deps').faces;
  if (!faces) throw unavailable('Selfie search is not available on this server');
  return faces;
}

export function vectorInput(raw: unknown): SelfieInput {
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      throw unprocessable('embedding: must be a JSON array of 512 numbers');
    }
  }
  const problem = embeddingProblem(v);
  if (problem) throw unprocessable(`embedding: ${problem}`);
  return { kind: 'vector', embedding: Float32Array.from(v as number[]) };
}

/** The selfie request's fields and file, from JSON or multipart. */
export async function selfieBody(c: Context<AppEnv>): Promise<{ fields: Record<string, unknown>; file: File | null }> {
  if (/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    try {
      const body: unknown = await c.req.json();
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      return { fields: body as Record<string, unknown>, file: null };
    } catch {
      throw badRequest(`The request body is not a JSON object: send ${HINT}`);
    }
  }
  const parts = await multipart(c, HINT);
  const file = FILE_FIELDS.map((f) => parts.files.find((p) => p.field === f)?.file).find((f) => f) ?? null;
  if (!file && parts.files.length) {
    throw unprocessable(
      `file: the selfie must be in the part named \`file\` (or \`selfie\`, \`image\`), got \`${parts.files[0]!.field}\``,
    );
  }
  return { fields: parts.fields, file };
}

async function respond(c: Context<AppEnv>, search: FaceSearchRow, q: { page: number; page_size: number }, replay: boolean) {
  const data = await selfiePage(c.get('deps'), service(c), baseUrl(c), search, q);
  const total = data.pagination.total;
  const found =
    total === 0
      ? 'No photos matched this selfie'
      : total === 1
        ? '1 photo matched this selfie'
        : `${total} photos matched this selfie`;
  return ok(c, replay ? `${found} (stored result)` : found, data);
}

/** Face Search (spec §3.6, §3.7): a selfie (photo, aligned crop or embedding) → the event's matching photos. */
export const faces = createRouter()
  .openapi(faceSearchRoute, async (c) => {
    const q = c.req.valid('query');
    const { fields, file } = await selfieBody(c);
    const str = (k: string) =>
      typeof fields[k] === 'string' ? (fields[k] as string) : fields[k] == null ? null : String(fields[k]);
    const requestId = requestIdParam('request_id', str('request_id') ?? q.request_id);
    const addTo = requestIdParam('add_to', str('add_to') ?? q.add_to);
    const data = file ? new Uint8Array(await file.arrayBuffer()) : null;
    const embedding = fields.embedding;
    const { search, replay } = await service(c).search(
      c.get('event'),
      () => {
        if (data) return { kind: 'image', data };
        if (embedding !== undefined && embedding !== null && embedding !== '') return vectorInput(embedding);
        return null;
      },
      { requestId, addTo },
    );
    const answer = await respond(c, search, q, replay);
    // A new selfie search (not a replay of a stored one) counts, with whether it matched anything.
    if (!replay) await c.get('deps').analytics.search(c.get('event').id, requestSource(c), 'selfie', search.matched > 0);
    return answer;
  })
  .openapi(faceSearchPageRoute, async (c) => {
    const requestId = requestIdParam('request_id', c.req.param('request_id'))!;
    const search = await service(c).getSearch(c.get('event'), requestId);
    return respond(c, search, c.req.valid('query'), true);
  })
  .openapi(notMeRoute, async (c) => {
    const requestId = requestIdParam('request_id', c.req.param('request_id'))!;
    const imageId = requestIdParam('image_id', c.req.valid('json').image_id)!;
    const r = await service(c).notMe(c.get('event'), requestId, imageId);
    return ok(c, `Photo removed from this search (${r.total} left)`, { request_id: requestId, image_id: imageId, ...r });
  });
