import type { Context } from 'hono';
import { z } from 'zod';
import {
  BackgroundFit,
  BuiltinTemplateList,
  CertificateRecordItem,
  CertificateRecordPage,
  CertificateStatus,
  DeletedRecord,
  EventTemplate,
  ImportOptionsRequest,
  ImportSummary,
  PREVIEW_SCALE,
  PutRecordRequest,
  PutTemplateRequest,
  RECORD_SEARCH_MAX_LENGTH,
  RECORDS_PAGE_SIZE,
} from '../../../core/api/certificates.ts';
import { ColumnMapping } from '../../../core/certify.ts';
import { pageQuery } from '../../../core/index.ts';
import type { ImportInput } from '../../certify/records-import.ts';
import { RECORDS_MAX_BYTES } from '../../certify/records-service.ts';
import { BACKGROUND_MAX_BYTES } from '../../certify/templates-service.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { unprocessable } from '../../http/errors.ts';
import { CSV_CONTENT_TYPES, multipart, uploadedFile } from '../../http/body.ts';
import { Bib, EventPath } from '../../http/params.ts';
import { createRouter, defineRawRoute, defineRoute, multipartBody } from '../../http/route.ts';
import { parse } from '../../http/validate.ts';

const TAG = 'Admin: certificates';
const MiB = (bytes: number) => `${bytes / 1024 / 1024} MiB`;

const BibRecordPath = EventPath.extend({ bib: Bib });

const PreviewQuery = z.object({
  bib: Bib.optional().meta({ description: 'a record of the event (default: a sample record)' }),
  format: z.enum(['png', 'pdf'], { error: 'format must be png or pdf' }).default('png'),
  scale: z.coerce
    .number({ error: 'scale must be a number' })
    .min(PREVIEW_SCALE.min, `must be at least ${PREVIEW_SCALE.min}`)
    .max(PREVIEW_SCALE.max, `must be at most ${PREVIEW_SCALE.max}`)
    .optional()
    .meta({ description: `${PREVIEW_SCALE.min}–${PREVIEW_SCALE.max} (default 1)` }),
});

/** The options of a records upload sent as the body itself (a multipart upload sends them as fields). */
const RecordsUploadQuery = z.object({
  mode: ImportOptionsRequest.shape.mode.meta({
    description: 'upsert (default), or replace: records not in the file are removed once it is read to its end',
  }),
  delimiter: ImportOptionsRequest.shape.delimiter.meta({ description: 'CSV separator; detected when absent' }),
  mapping: z
    .string()
    .optional()
    .meta({ description: 'JSON object, record field → header, e.g. {"bib":"Startnummer","finish_time":"Netto"}' }),
});

// ── setup and templates ───────────────────────────────────────────────────────────────────────────────────

export const statusRoute = defineRoute({
  method: 'get',
  path: '/',
  tag: TAG,
  summary: 'Certificate setup status',
  description:
    'Whether certificates are published, whether the setup is complete (a records upload, a template, at least one ' +
    'record) and what is missing, the template, the record count and the last upload.',
  auth: 'secret',
  request: { params: EventPath },
  data: CertificateStatus,
  errors: [404, 422],
});

export const builtinsRoute = defineRoute({
  method: 'get',
  path: '/templates',
  tag: TAG,
  summary: 'Built-in templates',
  description: 'The templates an event can start from (`builtin` of PUT …/template), with their accent colour.',
  auth: 'secret',
  request: { params: EventPath },
  data: BuiltinTemplateList,
  errors: [404, 422],
});

export const getTemplateRoute = defineRoute({
  method: 'get',
  path: '/template',
  tag: TAG,
  summary: "The event's template",
  description: 'Its version (part of every certificate cache key), source and the template itself; 404 when none is set.',
  auth: 'secret',
  request: { params: EventPath },
  data: EventTemplate,
  errors: [404, 422],
});

export const putTemplateRoute = defineRoute({
  method: 'put',
  path: '/template',
  tag: TAG,
  summary: 'Set the template',
  description:
    'A built-in template (`builtin`, optional `accent` #rrggbb) or a whole template JSON (`template`). The version ' +
    'increments on a change; the same template again keeps it. 422 names the field.',
  auth: 'secret',
  request: {
    params: EventPath,
    body: { required: true, content: { 'application/json': { schema: PutTemplateRequest } } },
  },
  data: EventTemplate,
  errors: [400, 404, 415, 422],
});

export const putBackgroundRoute = defineRoute({
  method: 'put',
  path: '/template/background',
  tag: TAG,
  summary: 'Set a background image',
  description:
    `A PNG or JPEG (at most ${MiB(BACKGROUND_MAX_BYTES)}) as the background of the template, scaled to the page ` +
    'with fit (cover, contain or fill; multipart field or query). 409 when the event has no template yet.',
  auth: 'secret',
  bodyLimit: BACKGROUND_MAX_BYTES + 64 * 1024,
  request: {
    params: EventPath,
    query: z.object({ fit: BackgroundFit.optional().meta({ description: 'cover (default), contain or fill' }) }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({
            file: { description: 'the PNG or JPEG image', required: true },
            fit: { description: 'cover (default), contain or fill', file: false },
          }),
        },
      },
    },
  },
  data: EventTemplate,
  errors: [400, 404, 409, 413, 415, 422],
});

export const clearBackgroundRoute = defineRoute({
  method: 'delete',
  path: '/template/background',
  tag: TAG,
  summary: 'Remove the background image',
  description: 'The template is back on its built-in background.',
  auth: 'secret',
  request: { params: EventPath },
  data: EventTemplate,
  errors: [404, 409, 422],
});

export const previewRoute = defineRawRoute({
  method: 'get',
  path: '/preview',
  tag: TAG,
  summary: 'Preview the template',
  description:
    'A certificate of the saved template for the sample record or a record of the event (`bib`), as PNG or PDF ' +
    '(`format`); nothing is cached. 404 when there is no template or no record of that bib.',
  auth: 'secret',
  request: { params: EventPath, query: PreviewQuery },
  raw: { description: 'The certificate image (PNG), or the PDF with format=pdf', type: 'image/png' },
  errors: [404, 422, 503],
});

export const previewUnsavedRoute = defineRawRoute({
  method: 'post',
  path: '/preview',
  tag: TAG,
  summary: 'Preview an unsaved template',
  description: 'As GET …/preview, for the template in the body (as PUT …/template takes it); nothing is saved.',
  auth: 'secret',
  request: {
    params: EventPath,
    query: PreviewQuery,
    body: { required: true, content: { 'application/json': { schema: PutTemplateRequest } } },
  },
  raw: { description: 'The certificate image (PNG), or the PDF with format=pdf', type: 'image/png' },
  errors: [400, 404, 415, 422, 503],
});

// ── records ───────────────────────────────────────────────────────────────────────────────────────────────

export const uploadRecordsRoute = defineRoute({
  method: 'post',
  path: '/records',
  tag: TAG,
  summary: 'Upload participant records',
  description:
    'A results file (CSV or a JSON array of objects), streamed and imported in batches of 1,000: multipart with the file ' +
    'in `file` (options as fields), or the body itself as text/csv or application/json (options in the query). Bad rows ' +
    'are reported by row and column and skipped; good ones are upserted by BIB. 422 when no row could be imported ' +
    `(the report is kept as last_import), 409 while another upload of the event runs. At most ${MiB(RECORDS_MAX_BYTES)}.`,
  auth: 'secret',
  bodyLimit: RECORDS_MAX_BYTES,
  request: {
    params: EventPath,
    query: RecordsUploadQuery,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({
            file: { description: 'the results file (.csv or .json)', required: true },
            mode: { description: 'upsert (default) or replace', file: false },
            delimiter: { description: 'CSV separator: , ; | or tab', file: false },
            mapping: { description: 'JSON object, record field → header', file: false },
          }),
        },
        'text/csv': { schema: { type: 'string', description: 'the CSV itself' } },
        'application/json': { schema: { type: 'array', items: { type: 'object' }, description: 'one object per record' } },
      },
    },
  },
  data: ImportSummary,
  errors: [400, 404, 409, 413, 415, 422],
});

export const listRecordsRoute = defineRoute({
  method: 'get',
  path: '/records',
  tag: TAG,
  summary: 'List participant records',
  description: 'In BIB order, with the last upload and its report; `q` searches names and bibs.',
  auth: 'secret',
  request: {
    params: EventPath,
    query: pageQuery(RECORDS_PAGE_SIZE).extend({
      q: z
        .string()
        .max(RECORD_SEARCH_MAX_LENGTH, `must be at most ${RECORD_SEARCH_MAX_LENGTH} characters`)
        .optional()
        .meta({ description: 'search in names and bibs' }),
    }),
  },
  data: CertificateRecordPage,
  errors: [404, 422],
});

export const getRecordRoute = defineRoute({
  method: 'get',
  path: '/records/{bib}',
  tag: TAG,
  summary: 'One participant record',
  auth: 'secret',
  request: { params: BibRecordPath },
  data: CertificateRecordItem,
  errors: [404, 422],
});

export const putRecordRoute = defineRoute({
  method: 'put',
  path: '/records/{bib}',
  tag: TAG,
  summary: 'Add or replace a record by hand',
  description:
    'Validated like an import row (finish_time normalised to H:MM:SS, rank a place number). 201 when the record is new, ' +
    '200 when it replaced one.',
  auth: 'secret',
  request: {
    params: BibRecordPath,
    body: { required: true, content: { 'application/json': { schema: PutRecordRequest } } },
  },
  data: CertificateRecordItem,
  status: [200, 201],
  errors: [400, 404, 415, 422],
});

export const deleteRecordRoute = defineRoute({
  method: 'delete',
  path: '/records/{bib}',
  tag: TAG,
  summary: 'Delete a record',
  description: 'Its rendered certificates are swept.',
  auth: 'secret',
  request: { params: BibRecordPath },
  data: DeletedRecord,
  errors: [404, 422],
});

// ── publishing ────────────────────────────────────────────────────────────────────────────────────────────

export const publishRoute = defineRoute({
  method: 'post',
  path: '/publish',
  tag: TAG,
  summary: 'Publish the certificates',
  description: 'Participants can download theirs by BIB. 409 (naming what is missing) until the setup is complete.',
  auth: 'secret',
  request: { params: EventPath },
  data: CertificateStatus,
  errors: [404, 409, 422],
});

export const unpublishRoute = defineRoute({
  method: 'post',
  path: '/unpublish',
  tag: TAG,
  summary: 'Unpublish the certificates',
  description: 'Participants get 403 until they are published again.',
  auth: 'secret',
  request: { params: EventPath },
  data: CertificateStatus,
  errors: [404, 422],
});

/** `mapping` travels as a JSON string (multipart field or query parameter). */
function mappingFrom(raw: string | undefined) {
  if (raw === undefined || raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw unprocessable('mapping: must be a JSON object such as {"bib":"Startnummer","finish_time":"Netto"}');
  }
  return parse(z.object({ mapping: ColumnMapping }), { mapping: value }).mapping;
}

/** The records file of an upload and its options: a multipart part and fields, or the body itself (streamed) and the query. */
async function recordsInput(c: Context<AppEnv>, query: z.infer<typeof RecordsUploadQuery>) {
  const file = await uploadedFile(c, {
    hint: 'the results file as multipart (field `file`), or the body itself as text/csv or an application/json array',
    fields: ['file', 'records', 'csv'],
    onlyOne: true,
    bodyTypes: new RegExp(`${CSV_CONTENT_TYPES.source}|^application/json\\b`, 'i'),
  });
  if (file.kind === 'part') {
    const name = file.file.name.toLowerCase();
    const format = name.endsWith('.json') || file.file.type === 'application/json' ? ('json' as const) : ('auto' as const);
    const opts = parse(ImportOptionsRequest.omit({ mapping: true }), {
      mode: file.fields.mode || undefined,
      delimiter: file.fields.delimiter || undefined,
    });
    return { input: file.file.stream() as ImportInput, format, opts: { ...opts, mapping: mappingFrom(file.fields.mapping) } };
  }
  const opts = { mode: query.mode, delimiter: query.delimiter, mapping: mappingFrom(query.mapping) };
  const format = /^application\/json\b/i.test(file.contentType) ? ('json' as const) : ('csv' as const);
  return { input: file.body as ImportInput, format, opts };
}

const importMessage = (s: ImportSummary) =>
  `${s.imported} records imported (${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged)` +
  `${s.skipped ? `, ${s.skipped} rows skipped` : ''}${s.removed ? `, ${s.removed} removed` : ''}`;

/**
 * Certificates of an event (mounted at `/events/{event_id}/certificates`): built-in templates, the event's
 * template and background, previews, participant records (upload, list, edit by hand), publish / unpublish,
 * and the setup status.
 */
export const adminCertificates = createRouter()
  .openapi(statusRoute, async (c) => {
    const status = await c.get('deps').certificates.status(c.get('event'));
    const message = status.published
      ? 'Certificates are published'
      : status.setup_complete
        ? 'Setup complete: certificates can be published'
        : `Setup not complete: missing ${status.missing.join(', ')}`;
    return ok(c, message, status);
  })
  .openapi(builtinsRoute, async (c) => {
    const templates = c.get('deps').certificates.builtins();
    return ok(c, `${templates.length} built-in templates`, { templates });
  })
  .openapi(getTemplateRoute, async (c) =>
    ok(c, 'Certificate template', await c.get('deps').certificates.template(c.get('event'))),
  )
  .openapi(putTemplateRoute, async (c) => {
    const { template, changed } = await c.get('deps').certificates.putTemplate(c.get('event'), c.req.valid('json'));
    return ok(c, changed ? `Template saved (version ${template.version})` : 'Template unchanged', template);
  })
  .openapi(putBackgroundRoute, async (c) => {
    const { files, fields } = await multipart(c, 'the background image (PNG or JPEG) in the field `file`');
    if (files.length !== 1) throw unprocessable('file: attach exactly one PNG or JPEG image in the field `file`');
    const { fit } = parse(z.object({ fit: BackgroundFit.default('cover') }), {
      fit: fields.fit || c.req.valid('query').fit,
    });
    const data = Buffer.from(await files[0]!.file.arrayBuffer());
    const template = await c.get('deps').certificates.setBackground(c.get('event'), data, fit);
    return ok(c, `Background image set (template version ${template.version})`, template);
  })
  .openapi(clearBackgroundRoute, async (c) => {
    const template = await c.get('deps').certificates.clearBackground(c.get('event'));
    return ok(c, 'Background image removed: the built-in background is back', template);
  })
  .openapi(previewRoute, async (c) => preview(c, c.req.valid('query')))
  .openapi(previewUnsavedRoute, async (c) => preview(c, c.req.valid('query'), c.req.valid('json')))
  .openapi(uploadRecordsRoute, async (c) => {
    const { input, format, opts } = await recordsInput(c, c.req.valid('query'));
    const summary = await c.get('deps').certificates.uploadRecords(c.get('event'), input, { ...opts, format });
    return ok(c, importMessage(summary), summary);
  })
  .openapi(listRecordsRoute, async (c) => {
    const { page, page_size, q } = c.req.valid('query');
    const data = await c.get('deps').certificates.listRecords(c.get('event'), page, page_size, q);
    return ok(c, data.pagination.total ? 'Certificate records' : 'No certificate records', data);
  })
  .openapi(getRecordRoute, async (c) => {
    return ok(c, 'Certificate record', await c.get('deps').certificates.record(c.get('event'), c.req.valid('param').bib));
  })
  .openapi(putRecordRoute, async (c) => {
    const { record, created } = await c
      .get('deps')
      .certificates.putRecord(c.get('event'), c.req.valid('param').bib, c.req.valid('json'));
    return ok(c, created ? `Record ${record.bib} added` : `Record ${record.bib} saved`, record, created ? 201 : 200);
  })
  .openapi(deleteRecordRoute, async (c) => {
    const { bib } = c.req.valid('param');
    await c.get('deps').certificates.deleteRecord(c.get('event'), bib);
    return ok(c, `Record ${bib} deleted`, { bib, deleted: true as const });
  })
  .openapi(publishRoute, async (c) => {
    const status = await c.get('deps').certificates.setPublished(c.get('event'), true);
    return ok(c, 'Certificates published: participants can download theirs by BIB', status);
  })
  .openapi(unpublishRoute, async (c) => {
    const status = await c.get('deps').certificates.setPublished(c.get('event'), false);
    return ok(c, 'Certificates unpublished: participants get 403 until you publish again', status);
  });

async function preview(c: Context<AppEnv>, q: z.infer<typeof PreviewQuery>, request?: PutTemplateRequest) {
  const bytes = await c.get('deps').certificates.preview(c.get('event'), { ...q, request });
  return c.body(new Uint8Array(bytes), 200, {
    'Content-Type': q.format === 'png' ? 'image/png' : 'application/pdf',
    'Cache-Control': 'no-store',
    'Content-Disposition': `inline; filename="certificate-preview.${q.format}"`,
  });
}
