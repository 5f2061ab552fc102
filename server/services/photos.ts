import type { AdminPhoto, DeletedPhoto, UploadReport } from '../../core/api/admin.ts';
import type { BlobStore } from '../blobs/types.ts';
import { notFound, unprocessable } from '../http/errors.ts';
import type { BatchDeps, BatchSource } from '../ingest/batch.ts';
import { queuePhotos } from '../jobs/photo-ingest.ts';
import type { JobQueue } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import type { BibTagRow, EventRow, ImageRow, Store } from '../store/types.ts';
import { deleteBlobLogged } from './events.ts';

/** Photos per upload request; whole folders go through the CLI. */
export const MAX_FILES_PER_UPLOAD = 500;

export function toAdminPhoto(img: ImageRow, tags: BibTagRow[]): AdminPhoto {
  return {
    image_id: img.id,
    original_name: img.original_name,
    captured_at: img.captured_at === null ? null : new Date(img.captured_at).toISOString(),
    width: img.width,
    height: img.height,
    bytes: img.bytes,
    mime: img.mime,
    bibs: tags.map((t) => ({ tag_id: t.id, bib: t.bib, source: t.source, status: t.status, confidence: t.confidence })),
  };
}

export async function eventPhoto(store: Store, event: EventRow, imageId: string): Promise<ImageRow> {
  const img = await store.images.get(event.id, imageId);
  if (!img) throw notFound(`Photo ${imageId} not found in event ${event.id}`);
  return img;
}

/** A photo of the event with its bib tags (the admin view); 404 when the event has no such photo. */
export async function photoWithTags({ store }: { store: Store }, event: EventRow, imageId: string): Promise<AdminPhoto> {
  const img = await eventPhoto(store, event, imageId);
  return toAdminPhoto(img, await store.bibs.listForImage(img.id));
}

/** Deletes a photo's rows (one transaction), then its blobs; a failed blob delete is logged, not fatal. */
export async function deletePhoto(
  deps: { store: Store; blobs: BlobStore; log: Logger },
  event: EventRow,
  imageId: string,
): Promise<{ blobsLeft: number; data: DeletedPhoto }> {
  const keys = await deps.store.images.delete(event.id, imageId);
  if (!keys) throw notFound(`Photo ${imageId} not found in event ${event.id}`);
  let blobsLeft = 0;
  for (const key of keys) if (!(await deleteBlobLogged(deps, key))) blobsLeft++;
  return { blobsLeft, data: { image_id: imageId, deleted: true } };
}

/**
 * Ingests the photos of one upload request (at most MAX_FILES_PER_UPLOAD) through the batch ingest, with an
 * optional BIB sidecar CSV: each file is reported by name; a bad file never stops the others. With the shared job
 * queue (PostgreSQL) the photos go to the workers as `photo.ingest` jobs and the request waits for their results.
 */
export async function uploadPhotos(
  deps: BatchDeps & { log: Logger; jobs?: JobQueue },
  event: EventRow,
  photos: BatchSource[],
  sidecarCsv: Buffer | null,
): Promise<UploadReport> {
  if (photos.length === 0) throw unprocessable('files: attach at least one photo (multipart field `files`)');
  if (photos.length > MAX_FILES_PER_UPLOAD)
    throw unprocessable(`files: at most ${MAX_FILES_PER_UPLOAD} photos per request; the CLI ingests whole folders`);
  // The pipeline (sharp, the vision stages) loads with the first upload, not at start (issue 20, restart).
  const [{ ingestBatch }, { parseBibSidecar }] = await Promise.all([
    import('../ingest/batch.ts'),
    import('../ingest/sidecar.ts'),
  ]);
  const sidecar = sidecarCsv ? parseBibSidecar(sidecarCsv) : null;
  const jobs = deps.jobs?.engine === 'pg-boss' ? deps.jobs : null;
  const report = jobs
    ? await queuePhotos({ ...deps, jobs }, event, photos, sidecar)
    : { ...(await ingestBatch(deps, event, photos, { sidecar })), queued: 0 };
  deps.log.info('upload', { event_id: event.id, total: report.total, added: report.added, failed: report.failed });
  return {
    total: report.total,
    added: report.added,
    duplicate: report.duplicate,
    failed: report.failed,
    ...(jobs ? { queued: report.queued } : {}),
    results: report.results.map((r) => ({
      name: r.name,
      status: r.status,
      image_id: r.status === 'failed' || 'kind' in r ? null : r.image_id,
      ...('kind' in r ? { video_id: r.status === 'failed' ? null : r.video_id } : {}),
      ...(r.status === 'queued' ? { job_id: r.job_id } : {}),
      error: r.status === 'failed' ? r.error : null,
    })),
    bib_problems: sidecar?.problems ?? [],
    warnings: [
      ...new Set(report.results.flatMap((r) => (r.status === 'added' && 'warning' in r && r.warning ? [r.warning] : []))),
    ],
  };
}
