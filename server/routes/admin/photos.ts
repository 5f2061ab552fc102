import { Hono } from 'hono';
import { z } from 'zod';
import { AddBibRequest, BibString, type UploadReport } from '../../../core/api/admin.ts';
import { requireEvent } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { unprocessable } from '../../http/errors.ts';
import { limitBody, multipart } from '../../http/multipart.ts';
import { jsonBody, parse } from '../../http/validate.ts';
import { ingestBatch } from '../../ingest/batch.ts';
import { parseBibSidecar } from '../../ingest/sidecar.ts';
import { addManualBib, deletePhoto, photoWithTags, removeBib } from '../../services/photos.ts';

export const MAX_FILES_PER_UPLOAD = 500;
const ImageParam = z.object({ image_id: z.string().uuid('must be an image_id (UUID)') });
const BibParam = z.object({ bib: BibString });
const imageId = (raw: string | undefined) => parse(ImageParam, { image_id: raw }).image_id;

/** Photos of an event: upload (many at once), look at one, delete, tag bibs by hand. */
export const adminPhotos = new Hono<AppEnv>()
  .post('/events/:event_id/photos', requireEvent, limitBody(), async (c) => {
    const { files } = await multipart(c, 'photos as file parts (field `files`), optionally a BIB sidecar CSV in `bibs`');
    const sidecarPart = files.find((f) => f.field === 'bibs');
    const photos = files.filter((f) => f.field !== 'bibs');
    if (photos.length === 0) throw unprocessable('files: attach at least one photo (multipart field `files`)');
    if (photos.length > MAX_FILES_PER_UPLOAD)
      throw unprocessable(`files: at most ${MAX_FILES_PER_UPLOAD} photos per request; the CLI ingests whole folders`);
    const sidecar = sidecarPart ? parseBibSidecar(Buffer.from(await sidecarPart.file.arrayBuffer())) : null;
    const deps = c.get('deps');
    const report = await ingestBatch(
      deps,
      c.get('event'),
      photos.map(({ file }) => ({
        name: (file.name || 'unnamed').slice(0, 255),
        read: async () => Buffer.from(await file.arrayBuffer()),
      })),
      { sidecar },
    );
    const data: UploadReport = {
      total: report.total,
      added: report.added,
      duplicate: report.duplicate,
      failed: report.failed,
      results: report.results.map((r) => ({
        name: r.name,
        status: r.status,
        image_id: r.status === 'failed' ? null : r.image_id,
        error: r.status === 'failed' ? r.error : null,
      })),
      bib_problems: sidecar?.problems ?? [],
      warnings: [...new Set(report.results.flatMap((r) => (r.status === 'added' && r.warning ? [r.warning] : [])))],
    };
    deps.log.info('upload', { event_id: c.get('event').id, total: report.total, added: report.added, failed: report.failed });
    return ok(c, `${report.added} added, ${report.duplicate} duplicate, ${report.failed} failed`, data);
  })
  .get('/events/:event_id/photos/:image_id', requireEvent, async (c) => {
    const photo = await photoWithTags(c.get('deps').store, c.get('event'), imageId(c.req.param('image_id')));
    return ok(c, 'Photo', photo);
  })
  .delete('/events/:event_id/photos/:image_id', requireEvent, async (c) => {
    const id = imageId(c.req.param('image_id'));
    const { blobsLeft } = await deletePhoto(c.get('deps'), c.get('event'), id);
    const message = blobsLeft ? `Photo deleted; ${blobsLeft} file(s) could not be removed and were logged` : 'Photo deleted';
    return ok(c, message, { image_id: id, deleted: true as const });
  })
  .post('/events/:event_id/photos/:image_id/bibs', requireEvent, async (c) => {
    const id = imageId(c.req.param('image_id'));
    const { bib } = await jsonBody(c, AddBibRequest);
    return ok(c, `Bib ${bib} added`, await addManualBib(c.get('deps').store, c.get('event'), id, bib));
  })
  .delete('/events/:event_id/photos/:image_id/bibs/:bib', requireEvent, async (c) => {
    const id = imageId(c.req.param('image_id'));
    const { bib } = parse(BibParam, { bib: c.req.param('bib') });
    return ok(c, `Bib ${bib} removed`, await removeBib(c.get('deps').store, c.get('event'), id, bib));
  });
