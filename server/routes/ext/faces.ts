import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { pageQuery, paginationInfo, type FaceSearchData } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { ApiError, badRequest, unprocessable } from '../../http/errors.ts';
import { limitBody, multipart } from '../../http/multipart.ts';
import { query } from '../../http/validate.ts';
import { confidenceOf, embeddingProblem, type FaceService, type SelfieInput } from '../../services/faces.ts';
import { toImageItem } from '../../services/image-items.ts';
import type { FaceSearchRow } from '../../store/face-types.ts';

/** A selfie upload is one photo: larger bodies are refused (413) before they are read. */
export const SELFIE_MAX_BYTES = 25 * 1024 * 1024;
const FILE_FIELDS = ['file', 'selfie', 'image'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HINT =
  'the selfie as a file part `file` (or `selfie`, `image`), or `embedding` (a JSON array of 512 numbers); optional `request_id`, `add_to`';

const Query = pageQuery('faces').extend({ request_id: z.string().optional(), add_to: z.string().optional() });
const GetQuery = pageQuery('faces');

/** A malformed request_id is 400 (spec §1.9 lists request_id problems under 400). */
function requestIdParam(name: string, v: string | undefined | null): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (!UUID.test(v))
    throw badRequest(
      `${name}: must be a UUID such as 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f (got ${JSON.stringify(v.slice(0, 60))})`,
    );
  return v.toLowerCase();
}

function service(c: Context<AppEnv>): FaceService {
  const faces = c.get('deps').faces;
  if (!faces) throw new ApiError(503, 'Selfie search is not available on this server');
  return faces;
}

function vectorInput(raw: unknown): SelfieInput {
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

async function respond(c: Context<AppEnv>, search: FaceSearchRow, page: number, pageSize: number, replay: boolean) {
  const { store } = c.get('deps');
  const { items: hits, total } = await service(c).hits(search.request_id, { offset: (page - 1) * pageSize, limit: pageSize });
  const rows = new Map(
    (
      await store.images.getMany(
        search.event_id,
        hits.map((h) => h.image_id),
      )
    ).map((r) => [r.id, r]),
  );
  const base = baseUrl(c);
  const data: FaceSearchData = {
    request_id: search.request_id,
    confidence_percentage: Math.round(search.threshold * 1000) / 10,
    images: hits.flatMap((h) => {
      const row = rows.get(h.image_id);
      return row ? [toImageItem(base, row, confidenceOf(h.score))] : [];
    }),
    pagination: paginationInfo(total, page, pageSize),
  };
  const found =
    total === 0
      ? 'No photos matched this selfie'
      : total === 1
        ? '1 photo matched this selfie'
        : `${total} photos matched this selfie`;
  return ok(c, replay ? `${found} (stored result)` : found, data);
}

/** Face Search (spec §3.6, §3.7): a selfie (photo, aligned crop or embedding) → the event's matching photos. */
export const faces = new Hono<AppEnv>()
  .post('/faces', requireFeature('selfie_search'), limitBody(SELFIE_MAX_BYTES), async (c) => {
    const q = query(c, Query);
    const type = c.req.header('content-type') ?? '';
    let fields: Record<string, unknown> = {};
    let file: File | null = null;
    if (/^application\/json\b/i.test(type)) {
      try {
        const body: unknown = await c.req.json();
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
        fields = body as Record<string, unknown>;
      } catch {
        throw badRequest(`The request body is not a JSON object: send ${HINT}`);
      }
    } else {
      const parts = await multipart(c, HINT);
      fields = parts.fields;
      file = FILE_FIELDS.map((f) => parts.files.find((p) => p.field === f)?.file).find((f) => f) ?? null;
      if (!file && parts.files.length) {
        throw unprocessable(
          `file: the selfie must be in the part named \`file\` (or \`selfie\`, \`image\`), got \`${parts.files[0]!.field}\``,
        );
      }
    }
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
    return respond(c, search, q.page, q.page_size, replay);
  })
  .get('/faces/:request_id', requireFeature('selfie_search'), async (c) => {
    const requestId = requestIdParam('request_id', c.req.param('request_id'))!;
    const { page, page_size } = query(c, GetQuery);
    const search = await service(c).getSearch(c.get('event'), requestId);
    return respond(c, search, page, page_size, true);
  });
