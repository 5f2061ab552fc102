import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AddBibRequest } from '../../../core/api/admin.ts';
import { RerunRequest, ReviewBibRequest, type BibPhotoPage, type IssuedList } from '../../../core/api/bibtrack.ts';
import { paginationInfo } from '../../../core/index.ts';
import { requireEvent } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { ApiError, unprocessable } from '../../http/errors.ts';
import { limitBody, multipart } from '../../http/multipart.ts';
import { jsonBody, parse, query } from '../../http/validate.ts';
import type { BibTrack } from '../../services/bibtrack.ts';
import { addManualBib } from '../../services/photos.ts';

const whole = (name: string) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`);
const pages = (def: number, max: number) =>
  z.object({
    page: whole('page').min(1, 'must be 1 or more').default(1),
    page_size: whole('page_size').min(1, 'must be 1 or more').max(max, `must be at most ${max}`).default(def),
  });
const UntaggedQuery = pages(50, 200);
const IssuedQuery = pages(500, 5000);
const IssuedMode = z.object({
  mode: z.enum(['replace', 'append'], { error: 'mode must be replace or append' }).default('replace'),
});
const ImageParam = z.object({ image_id: z.string().uuid('must be an image_id (UUID)') });
const TagParam = z.object({ tag_id: whole('tag_id').min(1, 'must be 1 or more') });
const ISSUED_MAX_BYTES = 10 * 1024 * 1024;

function bibtrack(c: Context<AppEnv>): BibTrack {
  const s = c.get('deps').ocr;
  if (!s) throw new ApiError(503, 'Bib OCR is not configured on this server');
  return s;
}

const imageId = (c: Context<AppEnv>) => parse(ImageParam, { image_id: c.req.param('image_id') }).image_id;

/** The issued-bib CSV: a multipart part (`file`), or the body itself as text/csv. */
async function csvInput(c: Context<AppEnv>): Promise<{ text: string; mode: string | undefined }> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const { files, fields } = await multipart(c, 'the issued-bib CSV as a file part `file`');
    const part = files.find((f) => f.field === 'file') ?? files[0];
    if (!part) throw unprocessable('file: attach the issued-bib CSV (multipart field `file`)');
    return { text: await part.file.text(), mode: fields.mode };
  }
  if (/^(text\/(csv|plain|tab-separated-values)|application\/(csv|octet-stream|vnd\.ms-excel))\b/i.test(type)) {
    return { text: await c.req.text(), mode: undefined };
  }
  throw new ApiError(415, 'Send the issued-bib CSV as text/csv, or as multipart/form-data with the file in `file`');
}

/**
 * BibTrack admin routes, under `/event/{event_id}`: the event's bib overview, OCR re-runs, the issued list,
 * the photos without a bib, and the reads of one photo with their review.
 */
export const adminBibs = new Hono<AppEnv>()
  .get('/event/:event_id/bibs', requireEvent, async (c) => {
    return ok(c, 'Bib reads of the event', await bibtrack(c).overview(c.get('event')));
  })
  .post('/event/:event_id/bibs/rerun', requireEvent, async (c) => {
    const text = await c.req.text();
    const body = text.trim() ? parse(RerunRequest, parseJson(text)) : {};
    const job = bibtrack(c).startRerun(c.get('deps').blobs, c.get('event'), { unreadOnly: body.unread_only });
    return ok(c, `Bib re-run of event ${job.event_id} started`, job, 202);
  })
  .get('/event/:event_id/bibs/rerun', requireEvent, async (c) => {
    const job = bibtrack(c).rerunJob(c.get('event').id);
    if (!job) throw new ApiError(404, 'No bib re-run of this event was started since the server started');
    return ok(c, `Bib re-run ${job.state}`, job);
  })
  .get('/event/:event_id/bibs/issued', requireEvent, async (c) => {
    const { page, page_size } = query(c, IssuedQuery);
    const event = c.get('event');
    const [{ items, total }, certs] = await Promise.all([
      c.get('deps').store.bibs.listIssued(event.id, { offset: (page - 1) * page_size, limit: page_size }),
      bibtrack(c).certificateBibs(event.id),
    ]);
    const data: IssuedList = {
      bibs: items.map((b) => b.bib),
      pagination: paginationInfo(total, page, page_size),
      certificate_bibs: certs.length,
    };
    return ok(c, `${total} issued bibs`, data);
  })
  .put('/event/:event_id/bibs/issued', requireEvent, limitBody(ISSUED_MAX_BYTES), async (c) => {
    const { text, mode: fieldMode } = await csvInput(c);
    const { mode } = parse(IssuedMode, { mode: fieldMode ?? c.req.query('mode') });
    const report = await bibtrack(c).putIssued(c.get('event'), text, mode);
    return ok(c, `${report.issued} issued bibs (${report.bibs} read from ${report.rows} rows)`, report);
  })
  .delete('/event/:event_id/bibs/issued', requireEvent, async (c) => {
    return ok(c, 'Issued-bib list removed', await bibtrack(c).clearIssued(c.get('event')));
  })
  .get('/event/:event_id/bibs/untagged', requireEvent, async (c) => {
    const { page, page_size } = query(c, UntaggedQuery);
    const { photos, total } = await bibtrack(c).untagged(baseUrl(c), c.get('event'), {
      offset: (page - 1) * page_size,
      limit: page_size,
    });
    const data: BibPhotoPage = { photos, pagination: paginationInfo(total, page, page_size) };
    return ok(c, `${total} photos without a bib`, data);
  })
  .get('/event/:event_id/photos/:image_id/bibs', requireEvent, async (c) => {
    return ok(c, 'Bib reads of the photo', await bibtrack(c).photo(baseUrl(c), c.get('event'), imageId(c)));
  })
  .post('/event/:event_id/photos/:image_id/bibs', requireEvent, async (c) => {
    const id = imageId(c);
    const { bib } = await jsonBody(c, AddBibRequest);
    await addManualBib(c.get('deps').store, c.get('event'), id, bib);
    return ok(c, `Bib ${bib} added`, await bibtrack(c).photo(baseUrl(c), c.get('event'), id));
  })
  .patch('/event/:event_id/photos/:image_id/bibs/:tag_id', requireEvent, async (c) => {
    const id = imageId(c);
    const { tag_id } = parse(TagParam, { tag_id: c.req.param('tag_id') });
    const { status } = await jsonBody(c, ReviewBibRequest);
    const s = bibtrack(c);
    await s.review(c.get('event'), id, tag_id, status);
    return ok(c, `Bib tag ${tag_id} ${status}`, await s.photo(baseUrl(c), c.get('event'), id));
  });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON: send a JSON object with Content-Type: application/json');
  }
}
