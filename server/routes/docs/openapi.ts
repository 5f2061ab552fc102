import { z } from 'zod';
import * as admin from '../../../core/api/admin.ts';
import * as models from '../../../core/api/models.ts';
import { PAGE_SIZES, PaginationInfo, type PagedEndpoint } from '../../../core/api/pagination.ts';

/**
 * The OpenAPI 3.1 document, generated from the zod schemas in core/ (`z.toJSONSchema`): the same schemas
 * validate requests, type the code and describe the API here, so the document cannot drift from them.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Auth = 'key' | 'secret' | 'signed' | 'none';

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required?: boolean;
  schema: Record<string, unknown>;
}

export interface RouteDoc {
  method: Method;
  /** OpenAPI path with `{param}` placeholders. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  params?: Param[];
  /** A named JSON body schema (a key of SCHEMAS), or a multipart body. */
  body?:
    { json: keyof typeof SCHEMAS } | { multipart: Record<string, { description: string; many?: boolean; required?: boolean }> };
  /** A named `data` schema of the success envelope; null = a file (binary) response. */
  data: keyof typeof SCHEMAS | null;
  /** The success status (default 200). */
  status?: number;
  fileType?: string;
  /** Error statuses this route can answer, beyond 401/403/429/500 that every keyed route can. */
  errors: number[];
}

/** Named schemas, emitted once under components.schemas and referenced by routes. */
const SCHEMAS = {
  PaginationInfo,
  ImageItem: models.ImageItem,
  ImagePage: models.ImagePage,
  EventListItem: models.EventListItem,
  EventList: models.EventList,
  EventDetails: models.EventDetails,
  Ping: models.Ping,
  TimelineDays: models.TimelineDays,
  FaceSearchData: models.FaceSearchData,
  DownloadOriginalsRequest: models.DownloadOriginalsRequest,
  DownloadOriginalsData: models.DownloadOriginalsData,
  CreateEventRequest: admin.CreateEventRequest,
  UpdateEventRequest: admin.UpdateEventRequest,
  AdminEvent: admin.AdminEvent,
  AdminEventList: admin.AdminEventList,
  AdminPhoto: admin.AdminPhoto,
  AddBibRequest: admin.AddBibRequest,
  UploadReport: admin.UploadReport,
  CreateKeyRequest: admin.CreateKeyRequest,
  UpdateKeyRequest: admin.UpdateKeyRequest,
  KeyItem: admin.KeyItem,
  KeyList: admin.KeyList,
  CreatedKey: admin.CreatedKey,
  DeletedPhoto: admin.DeletedPhoto,
  DeletedKey: admin.DeletedKey,
  Health: z.object({ status: z.literal('ok') }),
} satisfies Record<string, z.ZodType>;

const INPUT_SCHEMAS = new Set<string>([
  'DownloadOriginalsRequest',
  'CreateEventRequest',
  'UpdateEventRequest',
  'AddBibRequest',
  'CreateKeyRequest',
  'UpdateKeyRequest',
]);

const int = (description: string, extra: Record<string, unknown> = {}): Param['schema'] => ({
  type: 'integer',
  minimum: 1,
  description,
  ...extra,
});
const orgId: Param = {
  name: 'org_id',
  in: 'path',
  required: true,
  description: "The key's organisation",
  schema: int('organisation id'),
};
const eventId: Param = {
  name: 'event_id',
  in: 'path',
  required: true,
  description: 'An event of the organisation',
  schema: int('event id'),
};
const imageId: Param = {
  name: 'image_id',
  in: 'path',
  required: true,
  description: 'Image id (UUID) as found at data.images[].image_id',
  schema: { type: 'string', format: 'uuid' },
};
const pageParams = (endpoint: PagedEndpoint): Param[] => [
  {
    name: 'page',
    in: 'query',
    description: '1-based page; past the end answers an empty list with the totals',
    schema: int('page', { default: 1 }),
  },
  {
    name: 'page_size',
    in: 'query',
    description: `items per page, 1–${PAGE_SIZES[endpoint].max}`,
    schema: int('page size', { default: PAGE_SIZES[endpoint].default, maximum: PAGE_SIZES[endpoint].max }),
  },
];
const epoch = (name: string, description: string): Param => ({
  name,
  in: 'query',
  required: true,
  description,
  schema: { type: 'integer', minimum: 0, description: 'Unix time in seconds' },
});

const ext = '/api/v1/ext/{org_id}';
const ev = `${ext}/event/{event_id}`;
const adm = '/api/v1/admin/{org_id}';
const aev = `${adm}/events/{event_id}`;

/** Every route of this server: the 9Pic-compatible API, our admin API, files and operations. */
export const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: `${ext}/events`,
    tag: 'Events',
    summary: 'List Events',
    description: 'Events of the organisation, newest first. A publishable key sees only the events it names.',
    auth: 'key',
    params: [orgId, ...pageParams('events')],
    data: 'EventList',
    errors: [422],
  },
  {
    method: 'get',
    path: `${ev}/ping`,
    tag: 'Events',
    summary: 'Ping',
    auth: 'key',
    params: [orgId, eventId],
    data: 'Ping',
    errors: [404],
  },
  {
    method: 'get',
    path: `${ev}/details`,
    tag: 'Events',
    summary: 'Event Details',
    description: 'Flags and settings of the event, plus our extensions time_zone, free_downloads and image_count.',
    auth: 'key',
    params: [orgId, eventId],
    data: 'EventDetails',
    errors: [404],
  },
  {
    method: 'get',
    path: `${ev}/images`,
    tag: 'Photos',
    summary: 'All Photos',
    description: 'Every photo of the event, by capture time ascending, untimed photos last.',
    auth: 'key',
    params: [orgId, eventId, ...pageParams('images')],
    data: 'ImagePage',
    errors: [404, 422],
  },
  {
    method: 'get',
    path: `${ev}/bibs/{bib}`,
    tag: 'Photos',
    summary: 'BIB Search',
    description:
      'Photos tagged with one bib, matched case-insensitively; no match is 200 with an empty list. 403 when bib_search is off.',
    auth: 'key',
    params: [
      orgId,
      eventId,
      {
        name: 'bib',
        in: 'path',
        required: true,
        description: 'bib number (letters and digits)',
        schema: { type: 'string', maxLength: 16 },
      },
      ...pageParams('bibs'),
    ],
    data: 'ImagePage',
    errors: [404, 422],
  },
  {
    method: 'get',
    path: `${ev}/timeline/days`,
    tag: 'Timeline',
    summary: 'Timeline days',
    description: 'Photo counts per UTC day and hour. 403 when timeline_search is off.',
    auth: 'key',
    params: [orgId, eventId],
    data: 'TimelineDays',
    errors: [404],
  },
  {
    method: 'get',
    path: `${ev}/timeline/images`,
    tag: 'Timeline',
    summary: 'Timeline images',
    description: 'Photos captured in [from, to), ascending. 403 when timeline_search is off.',
    auth: 'key',
    params: [
      orgId,
      eventId,
      epoch('from', 'window start (inclusive)'),
      epoch('to', 'window end (exclusive), greater than from'),
      ...pageParams('timeline'),
    ],
    data: 'ImagePage',
    errors: [404, 422],
  },
  {
    method: 'post',
    path: `${ev}/faces`,
    tag: 'Face search',
    summary: 'Face Search',
    description:
      'A selfie search: multipart with the photo in `file` (or `selfie`, `image`), or JSON with `embedding` (512 numbers). ' +
      'Optional `request_id` (form field, JSON field or query): an existing one returns the stored result without matching again. ' +
      '403 when selfie_search is off; 503 when the server has no face models. Built by the face-search area.',
    auth: 'key',
    params: [
      orgId,
      eventId,
      ...pageParams('faces'),
      {
        name: 'request_id',
        in: 'query',
        description: 'replay a stored search (UUID)',
        schema: { type: 'string', format: 'uuid' },
      },
    ],
    body: {
      multipart: {
        file: { description: 'the selfie (JPEG, PNG or WebP), at most 25 MiB', required: true },
        request_id: { description: 'optional: a stored search to replay' },
      },
    },
    data: 'FaceSearchData',
    errors: [400, 404, 413, 415, 422, 503],
  },
  {
    method: 'get',
    path: `${ev}/faces/{request_id}`,
    tag: 'Face search',
    summary: 'Face Search (cached)',
    description: 'A page of a stored search; never matches again. Unknown request_id → 404.',
    auth: 'key',
    params: [
      orgId,
      eventId,
      {
        name: 'request_id',
        in: 'path',
        required: true,
        description: 'from an earlier Face Search',
        schema: { type: 'string', format: 'uuid' },
      },
      ...pageParams('faces'),
    ],
    data: 'FaceSearchData',
    errors: [400, 404, 422, 503],
  },
  {
    method: 'post',
    path: `${ev}/original-photos`,
    tag: 'Downloads',
    summary: 'Download Originals',
    description:
      'Signed links (valid one hour) to the unwatermarked originals of one page of photos, by bib, selfie request_id, one image_id or a list of image_ids. ' +
      'Events that sell originals need a paid order: send its download token in X-Order-Token (or order_token in the body). ' +
      'Photos not bought are listed in failed_urls; when none of them is unlocked the answer is 403. ' +
      'method bib needs bib_search on, method selfie needs selfie_search on (else 403).',
    auth: 'key',
    params: [
      orgId,
      eventId,
      ...pageParams('originals'),
      { name: 'X-Order-Token', in: 'header', description: "a paid order's download token", schema: { type: 'string' } },
    ],
    body: { json: 'DownloadOriginalsRequest' },
    data: 'DownloadOriginalsData',
    errors: [400, 404, 422],
  },
  {
    method: 'get',
    path: `${adm}/events`,
    tag: 'Admin: events',
    summary: 'List events with their settings',
    auth: 'secret',
    params: [orgId, ...pageParams('events')],
    data: 'AdminEventList',
    errors: [422],
  },
  {
    method: 'post',
    path: `${adm}/events`,
    tag: 'Admin: events',
    summary: 'Create an event',
    description: 'Only name is required. time_zone must be an IANA name; flags.video_selfie_search needs flags.video_search.',
    auth: 'secret',
    params: [orgId],
    body: { json: 'CreateEventRequest' },
    data: 'AdminEvent',
    status: 201,
    errors: [400, 422],
  },
  {
    method: 'get',
    path: aev,
    tag: 'Admin: events',
    summary: 'Event settings',
    auth: 'secret',
    params: [orgId, eventId],
    data: 'AdminEvent',
    errors: [404],
  },
  {
    method: 'patch',
    path: aev,
    tag: 'Admin: events',
    summary: 'Update event settings',
    description:
      'Only the fields sent change; flags merge with the current ones. Switching video_search off also switches video_selfie_search off.',
    auth: 'secret',
    params: [orgId, eventId],
    body: { json: 'UpdateEventRequest' },
    data: 'AdminEvent',
    errors: [400, 404, 422],
  },
  {
    method: 'put',
    path: `${aev}/watermark`,
    tag: 'Admin: events',
    summary: 'Set the watermark image',
    description: 'A PNG or JPEG (at most 5 MiB, 4096 px a side), burned into the previews of photos ingested from now on.',
    auth: 'secret',
    params: [orgId, eventId],
    body: { multipart: { file: { description: 'the PNG or JPEG image', required: true } } },
    data: 'AdminEvent',
    errors: [400, 404, 413, 415, 422],
  },
  {
    method: 'delete',
    path: `${aev}/watermark`,
    tag: 'Admin: events',
    summary: 'Remove the watermark image',
    auth: 'secret',
    params: [orgId, eventId],
    data: 'AdminEvent',
    errors: [404],
  },
  {
    method: 'post',
    path: `${aev}/photos`,
    tag: 'Admin: photos',
    summary: 'Upload photos',
    description:
      'Many photos per request (at most 500, and the request at most UPLOAD_LIMIT_MB, else 413). Each file is reported added, duplicate or failed by name; ' +
      'a bad file never stops the others. An optional BIB sidecar CSV (file,bib) tags the photos; its bad rows are reported in bib_problems.',
    auth: 'secret',
    params: [orgId, eventId],
    body: {
      multipart: {
        files: { description: 'the photos (JPEG, PNG, WebP, TIFF, HEIF)', many: true, required: true },
        bibs: { description: 'optional sidecar CSV with a file,bib header' },
      },
    },
    data: 'UploadReport',
    errors: [400, 404, 413, 415, 422],
  },
  {
    method: 'get',
    path: `${aev}/photos/{image_id}`,
    tag: 'Admin: photos',
    summary: 'One photo with its BIB tags',
    auth: 'secret',
    params: [orgId, eventId, imageId],
    data: 'AdminPhoto',
    errors: [404, 422],
  },
  {
    method: 'delete',
    path: `${aev}/photos/{image_id}`,
    tag: 'Admin: photos',
    summary: 'Delete a photo and its files',
    auth: 'secret',
    params: [orgId, eventId, imageId],
    data: 'DeletedPhoto',
    errors: [404, 422],
  },
  {
    method: 'post',
    path: `${aev}/photos/{image_id}/bibs`,
    tag: 'Admin: photos',
    summary: 'Tag a bib by hand',
    auth: 'secret',
    params: [orgId, eventId, imageId],
    body: { json: 'AddBibRequest' },
    data: 'AdminPhoto',
    errors: [400, 404, 422],
  },
  {
    method: 'delete',
    path: `${aev}/photos/{image_id}/bibs/{bib}`,
    tag: 'Admin: photos',
    summary: 'Remove a bib from a photo',
    description: 'A manual tag is deleted; a tag from OCR or a sidecar is marked rejected so it no longer matches.',
    auth: 'secret',
    params: [
      orgId,
      eventId,
      imageId,
      { name: 'bib', in: 'path', required: true, description: 'the bib', schema: { type: 'string' } },
    ],
    data: 'AdminPhoto',
    errors: [404, 422],
  },
  {
    method: 'get',
    path: `${adm}/keys`,
    tag: 'Admin: keys',
    summary: 'List keys',
    description: 'Never the keys themselves: their first characters followed by ***.',
    auth: 'secret',
    params: [orgId],
    data: 'KeyList',
    errors: [],
  },
  {
    method: 'post',
    path: `${adm}/keys`,
    tag: 'Admin: keys',
    summary: 'Create a key',
    description: 'The full key is in the answer, once. At most 10 keys per organisation (409 beyond).',
    auth: 'secret',
    params: [orgId],
    body: { json: 'CreateKeyRequest' },
    data: 'CreatedKey',
    status: 201,
    errors: [400, 409, 422],
  },
  {
    method: 'patch',
    path: `${adm}/keys/{key_id}`,
    tag: 'Admin: keys',
    summary: 'Activate or deactivate a key',
    description: 'A deactivated key is refused (403) at once. The key making the request cannot deactivate itself (409).',
    auth: 'secret',
    params: [orgId, { name: 'key_id', in: 'path', required: true, description: 'key id', schema: int('key id') }],
    body: { json: 'UpdateKeyRequest' },
    data: 'KeyItem',
    errors: [400, 404, 409, 422],
  },
  {
    method: 'delete',
    path: `${adm}/keys/{key_id}`,
    tag: 'Admin: keys',
    summary: 'Delete a key',
    auth: 'secret',
    params: [orgId, { name: 'key_id', in: 'path', required: true, description: 'key id', schema: int('key id') }],
    data: 'DeletedKey',
    errors: [404, 409, 422],
  },
  {
    method: 'get',
    path: '/files/o/{image_id}',
    tag: 'Files',
    summary: 'Original photo (signed URL)',
    description:
      'Only through a link from Download Originals. 403 when the signature is wrong or expired. Private, attachment, ETag = content hash, Range supported.',
    auth: 'signed',
    params: [
      imageId,
      { name: 'exp', in: 'query', required: true, description: 'expiry, Unix seconds', schema: { type: 'integer' } },
      { name: 'kid', in: 'query', required: true, description: 'signing key id', schema: { type: 'string' } },
      {
        name: 'sig',
        in: 'query',
        required: true,
        description: 'HMAC-SHA256 over path and expiry, base64url',
        schema: { type: 'string' },
      },
    ],
    data: null,
    fileType: 'image/jpeg',
    errors: [403, 404, 416],
  },
  {
    method: 'get',
    path: '/files/r/{key}',
    tag: 'Files',
    summary: 'Thumbnail or watermarked preview',
    description: 'Public and immutable (a new rendition gets a new URL); the URLs come in ImageItem. ETag and Range supported.',
    auth: 'none',
    params: [
      {
        name: 'key',
        in: 'path',
        required: true,
        description: 'rendition key, e.g. renditions/{image_id}/thumb-320.webp',
        schema: { type: 'string' },
      },
    ],
    data: null,
    fileType: 'image/webp',
    errors: [404, 416],
  },
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'Health check',
    description: 'Answers 200 when the database answers, else 503.',
    auth: 'none',
    data: 'Health',
    errors: [503],
  },
];

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad request (malformed JSON or multipart, unknown image id)',
  401: 'Missing X-API-Key',
  403: 'Key unknown, inactive, of another organisation or event, origin not allowed, publishable key on a secret route, feature switched off, or a bad signature',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Wrong content type',
  416: 'Range not satisfiable',
  422: 'Validation failed; the message lists each problem as field.path: description',
  429: 'Too many requests (see Retry-After)',
  500: 'Internal error',
  503: 'Not ready',
};

function clean(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(clean);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$schema' || k === '$id') continue;
    // zod writes the safe-integer range on every int; it says nothing to a reader.
    if ((k === 'maximum' && v === Number.MAX_SAFE_INTEGER) || (k === 'minimum' && v === Number.MIN_SAFE_INTEGER)) continue;
    out[k] = clean(v);
  }
  return out;
}

function componentSchemas(): Record<string, unknown> {
  const ref = (id: string) => `#/components/schemas/${id}`;
  const out: Record<string, unknown> = {};
  for (const io of ['output', 'input'] as const) {
    const reg = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(SCHEMAS)) if (INPUT_SCHEMAS.has(id) === (io === 'input')) reg.add(schema, { id });
    const { schemas } = z.toJSONSchema(reg, { uri: ref, unrepresentable: 'any', io });
    Object.assign(out, clean(schemas));
  }
  return out;
}

const envelope = (data: Record<string, unknown>) => ({
  type: 'object',
  required: ['responseType', 'message', 'data'],
  properties: { responseType: { const: 'success' }, message: { type: 'string' }, data },
});

export function openApiDocument(opts: { serverUrl?: string; version?: string } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const responses: Record<string, unknown> = {};
    const ok = String(r.status ?? 200);
    responses[ok] =
      r.data === null
        ? {
            description: 'The file (206 with Content-Range for a Range request, 304 when If-None-Match matches)',
            content: { [r.fileType ?? 'application/octet-stream']: { schema: { type: 'string', format: 'binary' } } },
          }
        : {
            description: STATUS_TEXT[Number(ok)],
            content: { 'application/json': { schema: envelope({ $ref: `#/components/schemas/${r.data}` }) } },
          };
    const errors = new Set(r.errors);
    if (r.auth === 'key' || r.auth === 'secret') for (const s of [401, 403, 429]) errors.add(s);
    errors.add(500);
    for (const s of [...errors].sort()) {
      responses[String(s)] = {
        description: STATUS_TEXT[s] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      };
    }
    const op: Record<string, unknown> = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method}${r.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(\w)/g, (_, ch: string) => ch.toUpperCase())}`,
      security: r.auth === 'key' || r.auth === 'secret' ? [{ ApiKey: [] }] : [],
      parameters: (r.params ?? []).map((p) => ({ ...p, required: p.in === 'path' ? true : (p.required ?? false) })),
      responses,
    };
    if (r.auth === 'secret') op['x-key-kind'] = 'secret';
    if (r.body && 'json' in r.body) {
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${r.body.json}` } } },
      };
    } else if (r.body) {
      const props: Record<string, unknown> = {};
      for (const [name, f] of Object.entries(r.body.multipart)) {
        const file = { type: 'string', format: 'binary', description: f.description };
        props[name] = f.many ? { type: 'array', items: file, description: f.description } : file;
      }
      const required = Object.entries(r.body.multipart)
        .filter(([, f]) => f.required)
        .map(([n]) => n);
      op.requestBody = {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', properties: props, required } } },
      };
    }
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'photo-finish API',
      version: opts.version ?? '0.1.0',
      description:
        'The 9Pic-compatible event-photo API (/api/v1/ext), our admin API (/api/v1/admin, secret keys only) and the file routes. ' +
        'Every JSON response is the envelope {responseType, message, data}; errors have data null.',
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        ApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'Secret keys (sk_…) for servers and the CLI; publishable keys (pk_…) read-only, for embeds.',
        },
      },
      schemas: {
        ...componentSchemas(),
        ErrorEnvelope: {
          type: 'object',
          required: ['responseType', 'message', 'data'],
          properties: { responseType: { const: 'error' }, message: { type: 'string' }, data: { type: 'null' } },
        },
      },
    },
  };
}
