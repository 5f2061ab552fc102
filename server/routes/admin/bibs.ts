import type { Context } from 'hono';
import { z } from 'zod';
import { AddBibRequest } from '../../../core/api/admin.ts';
import {
  BibOverview,
  BibPhoto,
  BibPhotoPage,
  ISSUED_PAGE_SIZE,
  IssuedList,
  IssuedMode,
  IssuedReport,
  RerunJob,
  RerunRequest,
  ReviewBibRequest,
  UNTAGGED_PAGE_SIZE,
} from '../../../core/api/bibtrack.ts';
import { BIB_MAX_LENGTH, pageQuery, wholeNumber } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { notFound, unavailable } from '../../http/errors.ts';
import { CSV_CONTENT_TYPES, uploadedFile, uploadedText } from '../../http/body.ts';
import { Bib, EventPath, ImagePath } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import { parse } from '../../http/validate.ts';
import type { BibTrack } from '../../services/bibtrack.ts';
import { addPhotoBib, issuedList, photoBibs, removePhotoBib, reviewPhotoBib, untaggedPhotos } from '../../services/photo-bibs.ts';

const TAG = 'Admin: bibs';
const ISSUED_MAX_BYTES = 10 * 1024 * 1024;
const NEEDS_OCR = '503 when bib OCR is not configured on this server.';

/** The OCR service (issued lists, re-runs, the overview); 503 when this server has none. */
function bibtrack(c: Context<AppEnv>): BibTrack {
  const s = c.get('deps').bibtrack;
  if (!s) throw unavailable('Bib OCR is not configured on this server');
  return s;
}

const TagPath = ImagePath.extend({
  tag_id: wholeNumber('tag_id must be a whole number', (n) => n.min(1, 'must be 1 or more')).meta({
    description: 'a bib tag of the photo, as found at data.bibs[].tag_id',
  }),
});

// ── the event's bibs ──────────────────────────────────────────────────────────────────────────────────────

export const overviewRoute = defineRoute({
  method: 'get',
  path: '/bibs',
  tag: TAG,
  summary: 'Bib reads of the event',
  description:
    'Counts of the photos read, failed and not read by the OCR, tagged and untagged, accepted reads, candidates, ' +
    `rejected and manual tags, the issued list and certificate bibs, and the last re-run. ${NEEDS_OCR}`,
  auth: 'secret',
  request: { params: EventPath },
  data: BibOverview,
  errors: [404, 422, 503],
});

export const startRerunRoute = defineRoute({
  method: 'post',
  path: '/bibs/rerun',
  tag: TAG,
  summary: 'Re-run the OCR over the event',
  description:
    'Reads the bibs of every photo again as background jobs, one `bibs.read` job per photo (or only the unread ones ' +
    'with unread_only), run by the worker processes (in this process on SQLite): manual and ' +
    'sidecar tags are untouched, reviewed reads keep their status. The body is optional. ' +
    `409 while a re-run of the event runs; ${NEEDS_OCR}`,
  auth: 'secret',
  request: {
    params: EventPath,
    body: { required: false, content: { 'application/json': { schema: RerunRequest } } },
  },
  data: RerunJob,
  status: 202,
  errors: [400, 404, 409, 415, 422, 503],
});

export const rerunJobRoute = defineRoute({
  method: 'get',
  path: '/bibs/rerun',
  tag: TAG,
  summary: 'The last OCR re-run',
  description: `Its progress, then its report, from the states of its jobs (kept a day after they finished). 404 when there is none; ${NEEDS_OCR}`,
  auth: 'secret',
  request: { params: EventPath },
  data: RerunJob,
  errors: [404, 422, 503],
});

export const issuedListRoute = defineRoute({
  method: 'get',
  path: '/bibs/issued',
  tag: TAG,
  summary: 'The issued-bib list',
  description: `The uploaded list by page, and how many bibs of certificate records count as issued too. ${NEEDS_OCR}`,
  auth: 'secret',
  request: { params: EventPath, query: pageQuery(ISSUED_PAGE_SIZE) },
  data: IssuedList,
  errors: [404, 422, 503],
});

export const putIssuedRoute = defineRoute({
  method: 'put',
  path: '/bibs/issued',
  tag: TAG,
  summary: 'Upload the issued-bib list',
  description:
    'A CSV with one bib per row, in a column named bib (or bib_number, number, dossard…) or the first column; bad rows ' +
    'are reported by line. mode replace (default) or append; then the list is re-applied to the OCR reads: a read on ' +
    `the list is accepted, one outside it a candidate. At most ${ISSUED_MAX_BYTES / 1024 / 1024} MiB. ${NEEDS_OCR}`,
  auth: 'secret',
  bodyLimit: ISSUED_MAX_BYTES,
  request: {
    params: EventPath,
    query: z.object({ mode: IssuedMode.optional().meta({ description: 'replace (default) or append' }) }),
    body: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string', description: 'the CSV itself' } },
        'multipart/form-data': {
          schema: multipartBody({
            file: { description: 'the issued-bib CSV', required: true },
            mode: { description: 'replace (default) or append', file: false },
          }),
        },
      },
    },
  },
  data: IssuedReport,
  errors: [400, 404, 413, 415, 422, 503],
});

export const clearIssuedRoute = defineRoute({
  method: 'delete',
  path: '/bibs/issued',
  tag: TAG,
  summary: 'Remove the issued-bib list',
  description: `Certificate bibs still count as issued; the rest is re-applied to the OCR reads. ${NEEDS_OCR}`,
  auth: 'secret',
  request: { params: EventPath },
  data: IssuedReport,
  errors: [404, 422, 503],
});

export const untaggedRoute = defineRoute({
  method: 'get',
  path: '/bibs/untagged',
  tag: TAG,
  summary: 'Photos without a bib',
  description: 'Photos with no accepted bib tag, in gallery order: the manual tagging queue.',
  auth: 'secret',
  request: { params: EventPath, query: pageQuery(UNTAGGED_PAGE_SIZE) },
  data: BibPhotoPage,
  errors: [404, 422],
});

// ── one photo's bibs ──────────────────────────────────────────────────────────────────────────────────────

export const photoBibsRoute = defineRoute({
  method: 'get',
  path: '/photos/{image_id}/bibs',
  tag: TAG,
  summary: 'Bib tags of a photo',
  description: 'Every tag of the photo (accepted, candidates, rejected; OCR, sidecar, manual) and its OCR scan.',
  auth: 'secret',
  request: { params: ImagePath },
  data: BibPhoto,
  errors: [404, 422],
});

export const addPhotoBibRoute = defineRoute({
  method: 'post',
  path: '/photos/{image_id}/bibs',
  tag: TAG,
  summary: 'Tag a bib by hand',
  description: `Source manual, accepted at once and searchable at once; the same bib again changes nothing. At most ${BIB_MAX_LENGTH} letters and digits. Answers the photo's tags, as GET does.`,
  auth: 'secret',
  request: {
    params: ImagePath,
    body: { required: true, content: { 'application/json': { schema: AddBibRequest } } },
  },
  data: BibPhoto,
  errors: [400, 404, 415, 422],
});

export const reviewPhotoBibRoute = defineRoute({
  method: 'patch',
  path: '/photos/{image_id}/bibs/{tag_id}',
  tag: TAG,
  summary: 'Accept or reject a bib tag',
  description: "A person's decision on a tag of any source; an OCR re-run keeps it. Answers the photo's tags.",
  auth: 'secret',
  request: {
    params: TagPath,
    body: { required: true, content: { 'application/json': { schema: ReviewBibRequest } } },
  },
  data: BibPhoto,
  errors: [400, 404, 415, 422],
});

export const removePhotoBibRoute = defineRoute({
  method: 'delete',
  path: '/photos/{image_id}/bibs/{bib}',
  tag: TAG,
  summary: 'Remove a bib from a photo',
  description:
    'Matched as BIB search matches (leading zeros ignored both ways). A manual tag is deleted; a tag from OCR or a ' +
    "sidecar is marked rejected so it no longer matches and a re-run does not bring it back. 404 when the photo has no such bib. Answers the photo's tags.",
  auth: 'secret',
  request: { params: ImagePath.extend({ bib: Bib }) },
  data: BibPhoto,
  errors: [404, 422],
});

/** The issued-bib CSV: a multipart part (`file`, else the first file), or the body itself as text/csv. */
async function csvInput(c: Context<AppEnv>): Promise<{ text: string; mode: string | undefined }> {
  const file = await uploadedFile(c, {
    hint: 'the issued-bib CSV as text/csv, or as multipart/form-data with the file in `file`',
    fields: ['file'],
    anyPart: true,
    bodyTypes: CSV_CONTENT_TYPES,
  });
  return { text: await uploadedText(file), mode: file.kind === 'part' ? file.fields.mode : undefined };
}

/**
 * BibTrack admin routes (mounted under `/events/{event_id}`): the event's bib overview, OCR re-runs, the
 * issued list, the photos without a bib, and every bib route of one photo (read, add, review, remove). The
 * photo routes and the untagged queue need only the store: they work without bib OCR on the server.
 */
export const adminBibs = createRouter()
  .openapi(overviewRoute, async (c) => ok(c, 'Bib reads of the event', await bibtrack(c).overview(c.get('event'))))
  .openapi(startRerunRoute, async (c) => {
    const body = c.req.valid('json');
    const job = await bibtrack(c).startRerun(c.get('event'), { unreadOnly: body.unread_only });
    return ok(c, `Bib re-run of event ${job.event_id} started`, job, 202);
  })
  .openapi(rerunJobRoute, async (c) => {
    const job = await bibtrack(c).rerunJob(c.get('event').id);
    if (!job) throw notFound('No bib re-run of this event in the job queue (finished re-runs are kept a day)');
    return ok(c, `Bib re-run ${job.state}`, job);
  })
  .openapi(issuedListRoute, async (c) => {
    const data = await issuedList(c.get('deps'), bibtrack(c), c.get('event'), c.req.valid('query'));
    return ok(c, `${data.pagination.total} issued bibs`, data);
  })
  .openapi(putIssuedRoute, async (c) => {
    const s = bibtrack(c);
    const { text, mode: fieldMode } = await csvInput(c);
    const { mode } = parse(z.object({ mode: IssuedMode.default('replace') }), { mode: fieldMode ?? c.req.valid('query').mode });
    const report = await s.putIssued(c.get('event'), text, mode);
    return ok(c, `${report.issued} issued bibs (${report.bibs} read from ${report.rows} rows)`, report);
  })
  .openapi(clearIssuedRoute, async (c) => ok(c, 'Issued-bib list removed', await bibtrack(c).clearIssued(c.get('event'))))
  .openapi(untaggedRoute, async (c) => {
    const data = await untaggedPhotos(c.get('deps'), baseUrl(c), c.get('event'), c.req.valid('query'));
    return ok(c, `${data.pagination.total} photos without a bib`, data);
  })
  .openapi(photoBibsRoute, async (c) => {
    const data = await photoBibs(c.get('deps'), baseUrl(c), c.get('event'), c.req.valid('param').image_id);
    return ok(c, 'Bib reads of the photo', data);
  })
  .openapi(addPhotoBibRoute, async (c) => {
    const { bib } = c.req.valid('json');
    const data = await addPhotoBib(c.get('deps'), baseUrl(c), c.get('event'), c.req.valid('param').image_id, bib);
    return ok(c, `Bib ${bib} added`, data);
  })
  .openapi(reviewPhotoBibRoute, async (c) => {
    const { image_id, tag_id } = c.req.valid('param');
    const { status } = c.req.valid('json');
    const data = await reviewPhotoBib(c.get('deps'), baseUrl(c), c.get('event'), image_id, tag_id, status);
    return ok(c, `Bib tag ${tag_id} ${status}`, data);
  })
  .openapi(removePhotoBibRoute, async (c) => {
    const { image_id, bib } = c.req.valid('param');
    const data = await removePhotoBib(c.get('deps'), baseUrl(c), c.get('event'), image_id, bib);
    return ok(c, `Bib ${bib} removed`, data);
  });
