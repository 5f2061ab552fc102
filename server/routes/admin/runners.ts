import { z } from 'zod';
import { RunnersImport } from '../../../core/api/event-page.ts';
import type { ImportInput } from '../../certify/records-import.ts';
import { CSV_CONTENT_TYPES, uploadedFile } from '../../http/body.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import { parse } from '../../http/validate.ts';
import { importRunners } from '../../services/runners.ts';

export const RUNNERS_MAX_BYTES = 50 * 1024 * 1024;
const Mode = z.enum(['replace', 'append']).default('replace');

export const putRunnersRoute = defineRoute({
  method: 'put',
  path: '/runners',
  tag: 'Admin: events',
  summary: 'Upload the registration list',
  description:
    'A registration CSV of bib and name (or first and last name; separator and encoding detected) for name search, ' +
    'streamed in batches: multipart with the file in `file` (and `mode` as a field), or the body itself as text/csv. ' +
    'Broken rows (no bib, an invalid or repeated bib, no name) are reported by row and skipped, never fatal; 422 when ' +
    'no row could be imported (the list is unchanged). mode replace (default): the list becomes the file; append: ' +
    `adds to it. Results uploaded for certificates are searched by name too. At most ${RUNNERS_MAX_BYTES / 1024 / 1024} MiB.`,
  auth: 'secret',
  bodyLimit: RUNNERS_MAX_BYTES,
  request: {
    params: EventPath,
    query: z.object({ mode: Mode.meta({ description: 'replace (default) or append' }) }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({
            file: { description: 'the registration CSV', required: true },
            mode: { description: 'replace (default) or append', file: false },
          }),
        },
        'text/csv': { schema: { type: 'string', description: 'the CSV itself' } },
      },
    },
  },
  data: RunnersImport,
  errors: [400, 404, 413, 415, 422],
});

/** The event's registration list (mounted under `/events/{event_id}`). */
export const adminRunners = createRouter().openapi(putRunnersRoute, async (c) => {
  const file = await uploadedFile(c, {
    hint: 'the registration CSV as multipart (field `file`), or the body itself as text/csv',
    fields: ['file', 'csv'],
    onlyOne: true,
    bodyTypes: CSV_CONTENT_TYPES,
  });
  const input = (file.kind === 'part' ? file.file.stream() : file.body) as ImportInput;
  const { mode } = parse(z.object({ mode: Mode }), {
    mode: (file.kind === 'part' ? file.fields.mode : undefined) || c.req.valid('query').mode,
  });
  const report = await importRunners(c.get('deps'), c.get('event'), input, mode);
  return ok(
    c,
    `${report.imported} runners imported${report.skipped ? `, ${report.skipped} rows skipped` : ''}; ${report.runners} in the list`,
    report,
  );
});
