import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ImportOptionsRequest, PutRecordRequest, PutTemplateRequest } from '../../../core/api/certificates.ts';
import { ColumnMapping } from '../../../core/certify.ts';
import { BACKGROUND_MAX_BYTES, certificatesFor, RECORDS_MAX_BYTES } from '../../certify/service.ts';
import type { ImportInput } from '../../certify/records-import.ts';
import { requireEvent } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { ApiError, unprocessable } from '../../http/errors.ts';
import { limitBody, multipart } from '../../http/multipart.ts';
import { jsonBody, parse, query } from '../../http/validate.ts';

const whole = (name: string) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`);
const RecordsQuery = z.object({
  page: whole('page').min(1, 'must be 1 or more').default(1),
  page_size: whole('page_size').min(1, 'must be 1 or more').max(500, 'must be at most 500').default(50),
  q: z.string().max(100, 'must be at most 100 characters').optional(),
});
const PreviewQuery = z.object({
  bib: z.string().optional(),
  format: z.enum(['png', 'pdf'], { error: 'format must be png or pdf' }).default('png'),
  scale: z.coerce
    .number({ error: 'scale must be a number' })
    .min(0.1, 'must be at least 0.1')
    .max(3, 'must be at most 3')
    .optional(),
});
const Fit = z.object({
  fit: z.enum(['cover', 'contain', 'fill'], { error: 'fit must be cover, contain or fill' }).default('cover'),
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
  return parse(ColumnMapping, value);
}

function importOptions(fields: Record<string, string | undefined>) {
  const { mapping, ...rest } = fields;
  const opts = parse(ImportOptionsRequest, { mode: rest.mode || undefined, delimiter: rest.delimiter || undefined });
  return { ...opts, mapping: mappingFrom(mapping) };
}

const CSV_TYPES = /^(text\/(csv|plain|tab-separated-values)|application\/(csv|vnd\.ms-excel|octet-stream))\b/i;
const FILE_FIELDS = ['file', 'records', 'csv'];

/** The records file of an upload: a multipart part, or the body itself (CSV or a JSON array), streamed. */
async function recordsInput(c: Context<AppEnv>) {
  const type = c.req.header('content-type') ?? '';
  const hint = 'the results file as multipart (field `file`), or the body itself as text/csv or an application/json array';
  if (/^multipart\/form-data/i.test(type)) {
    const { files, fields } = await multipart(c, hint);
    const part = files.find((f) => FILE_FIELDS.includes(f.field));
    if (!part || files.length !== 1) throw unprocessable('file: attach exactly one CSV or JSON file in the field `file`');
    const name = part.file.name.toLowerCase();
    const format = name.endsWith('.json') || part.file.type === 'application/json' ? ('json' as const) : ('auto' as const);
    return { input: part.file.stream() as ImportInput, format, opts: importOptions(fields) };
  }
  const opts = importOptions(c.req.query());
  const body: ImportInput = c.req.raw.body ?? '';
  if (/^application\/json\b/i.test(type)) return { input: body, format: 'json' as const, opts };
  if (CSV_TYPES.test(type)) return { input: body, format: 'csv' as const, opts };
  throw new ApiError(415, `Send ${hint}`);
}

/**
 * Certificates of an event (secret key), under `/api/v1/admin/{org_id}/event/{event_id}/certificates`:
 * built-in templates, the event's template and background, previews, participant records (upload,
 * list, edit by hand), publish / unpublish, and the setup status.
 */
export const adminCertificates = new Hono<AppEnv>()
  .use('*', requireEvent)
  .get('/', async (c) => {
    const status = await certificatesFor(c.get('deps')).status(c.get('event'));
    const message = status.published
      ? 'Certificates are published'
      : status.setup_complete
        ? 'Setup complete: certificates can be published'
        : `Setup not complete: missing ${status.missing.join(', ')}`;
    return ok(c, message, status);
  })
  .get('/templates', (c) => {
    const templates = certificatesFor(c.get('deps')).builtins();
    return ok(c, `${templates.length} built-in templates`, { templates });
  })
  .get('/template', async (c) => ok(c, 'Certificate template', await certificatesFor(c.get('deps')).template(c.get('event'))))
  .put('/template', async (c) => {
    const req = await jsonBody(c, PutTemplateRequest);
    const { template, changed } = await certificatesFor(c.get('deps')).putTemplate(c.get('event'), req);
    return ok(c, changed ? `Template saved (version ${template.version})` : 'Template unchanged', template);
  })
  .put('/template/background', limitBody(BACKGROUND_MAX_BYTES + 64 * 1024), async (c) => {
    const { files, fields } = await multipart(c, 'the background image (PNG or JPEG) in the field `file`');
    if (files.length !== 1) throw unprocessable('file: attach exactly one PNG or JPEG image in the field `file`');
    const { fit } = parse(Fit, { fit: fields.fit || c.req.query('fit') || undefined });
    const data = Buffer.from(await files[0]!.file.arrayBuffer());
    const template = await certificatesFor(c.get('deps')).setBackground(c.get('event'), data, fit);
    return ok(c, `Background image set (template version ${template.version})`, template);
  })
  .delete('/template/background', async (c) => {
    const template = await certificatesFor(c.get('deps')).clearBackground(c.get('event'));
    return ok(c, 'Background image removed: the built-in background is back', template);
  })
  .on(['GET', 'POST'], '/preview', async (c) => {
    const q = query(c, PreviewQuery);
    const request = c.req.method === 'POST' ? await jsonBody(c, PutTemplateRequest) : undefined;
    const bytes = await certificatesFor(c.get('deps')).preview(c.get('event'), { ...q, request });
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': q.format === 'png' ? 'image/png' : 'application/pdf',
      'Cache-Control': 'no-store',
      'Content-Disposition': `inline; filename="certificate-preview.${q.format}"`,
    });
  })
  .post('/records', limitBody(RECORDS_MAX_BYTES), async (c) => {
    const { input, format, opts } = await recordsInput(c);
    const summary = await certificatesFor(c.get('deps')).importRecords(c.get('event'), input, { ...opts, format });
    if (summary.imported === 0) {
      const first = summary.issues
        .filter((i) => i.severity === 'error')
        .slice(0, 3)
        .map((i) => `row ${i.row}${i.column ? `, column ${i.column}` : ''}: ${i.problem}`);
      throw unprocessable(
        `No record imported: ${first.join('; ') || 'the file has no data rows'}${summary.errors > 3 ? ` (and ${summary.errors - 3} more)` : ''}. ` +
          'The full report is in GET …/certificates/records (last_import)',
      );
    }
    const msg = `${summary.imported} records imported (${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged)`;
    return ok(
      c,
      `${msg}${summary.skipped ? `, ${summary.skipped} rows skipped` : ''}${summary.removed ? `, ${summary.removed} removed` : ''}`,
      summary,
    );
  })
  .get('/records', async (c) => {
    const { page, page_size, q } = query(c, RecordsQuery);
    const data = await certificatesFor(c.get('deps')).listRecords(c.get('event'), page, page_size, q);
    return ok(c, data.pagination.total ? 'Certificate records' : 'No certificate records', data);
  })
  .get('/records/:bib', async (c) => {
    return ok(c, 'Certificate record', await certificatesFor(c.get('deps')).record(c.get('event'), c.req.param('bib')));
  })
  .put('/records/:bib', async (c) => {
    const req = await jsonBody(c, PutRecordRequest);
    const { record, created } = await certificatesFor(c.get('deps')).putRecord(c.get('event'), c.req.param('bib'), req);
    return ok(c, created ? `Record ${record.bib} added` : `Record ${record.bib} saved`, record, created ? 201 : 200);
  })
  .delete('/records/:bib', async (c) => {
    const bib = c.req.param('bib');
    await certificatesFor(c.get('deps')).deleteRecord(c.get('event'), bib);
    return ok(c, `Record ${bib} deleted`, { bib, deleted: true as const });
  })
  .post('/publish', async (c) => {
    const status = await certificatesFor(c.get('deps')).setPublished(c.get('event'), true);
    return ok(c, 'Certificates published: participants can download theirs by BIB', status);
  })
  .post('/unpublish', async (c) => {
    const status = await certificatesFor(c.get('deps')).setPublished(c.get('event'), false);
    return ok(c, 'Certificates unpublished: participants get 403 until you publish again', status);
  });
