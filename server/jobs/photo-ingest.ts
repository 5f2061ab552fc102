// Photos of an admin upload as jobs (`photo.ingest`), when the job queue is shared (pg-boss): the API process
// stages each photo's bytes in the blob store and queues a job; a worker runs the pipeline; the request waits for
// the results (up to QUEUED_WAIT_MS, then reports the rest `queued`). On SQLite the admin upload runs the
// pipeline in the request itself (services/photos.ts), as it always did.
import { createHash } from 'node:crypto';
import type { BatchReport, BatchResult, BatchSource } from '../ingest/batch.ts';
import type { IngestDeps, IngestResult } from '../ingest/pipeline.ts';
import { defaultConcurrency } from '../ingest/concurrency.ts';
import type { BibSidecar } from '../ingest/sidecar.ts';
import { addSidecarBibs } from '../ingest/sidecar-tags.ts';
import type { EventRow } from '../store/types.ts';
import { looksLikeVideo } from '../video/detect.ts';
import type { BatchDeps } from '../ingest/batch.ts';
import type { JobQueue } from './types.ts';

/** Where a queued photo waits for its worker: named by event and content, so a re-upload reuses it. */
export const stagedPhotoKey = (eventId: number, hash: string) => `staging/photos/${eventId}/${hash}`;

/** How long an admin upload request waits for its queued photos before answering `queued` for the rest. */
export const QUEUED_WAIT_MS = 120_000;

/** A queued photo's result: what the pipeline said, or `queued` when the request stopped waiting. */
export type QueuedResult = BatchResult | { name: string; status: 'queued'; image_id: string; job_id: string };

/**
 * The `photo.ingest` handler. Idempotent: the pipeline keys the photo by content hash, and the staged copy is
 * deleted only after the photo is stored (or refused). A delivery that finds the staged copy gone reports the
 * stored photo (an earlier delivery stored it) or that the file is gone.
 */
export function registerPhotoIngest(jobs: JobQueue, deps: IngestDeps): void {
  jobs.register(
    'photo.ingest',
    async (p, ctx): Promise<IngestResult> => {
      const event = await deps.store.events.get(p.event_id);
      if (!event) {
        await deps.blobs.delete(p.staged);
        return { name: p.name, status: 'failed', error: 'the event was deleted' };
      }
      const data = await deps.blobs.get(p.staged);
      if (!data) {
        const hash = p.staged.slice(p.staged.lastIndexOf('/') + 1);
        const stored = await deps.store.images.findByHash(event.id, hash);
        if (stored) return { name: p.name, status: 'duplicate', image_id: stored.id };
        return { name: p.name, status: 'failed', error: 'the queued file is gone: upload it again' };
      }
      const { ingestPhoto } = await import('../ingest/pipeline.ts');
      const res = await ingestPhoto(deps, event, { name: p.name, data, bibs: p.bibs });
      if (res.status === 'duplicate' && p.bibs.length) await addSidecarBibs(deps.store, res.image_id, p.bibs);
      await deps.blobs.delete(p.staged);
      // A later delivery of a job whose worker died after storing the photo finds its own photo stored.
      if (res.status === 'duplicate' && ctx.attempt > 1) return { name: p.name, status: 'added', image_id: res.image_id };
      return res;
    },
    { concurrency: defaultConcurrency() },
  );
}

/**
 * Queues the photos of one admin upload and waits for their results. Videos are ingested here (the API process)
 * as before; the same bytes twice in one request are one job.
 */
export async function queuePhotos(
  deps: BatchDeps & { jobs: JobQueue },
  event: EventRow,
  sources: BatchSource[],
  sidecar: BibSidecar | null,
  waitMs = QUEUED_WAIT_MS,
): Promise<Omit<BatchReport, 'results'> & { queued: number; results: QueuedResult[] }> {
  const [{ imageIdFor }, { bibsFor }] = await Promise.all([import('../ingest/pipeline.ts'), import('../ingest/sidecar.ts')]);
  const t0 = performance.now();
  const results: QueuedResult[] = new Array(sources.length);
  const pending = new Map<number, { jobId: string; imageId: string }>();
  const byHash = new Map<string, number>();
  const sameAs = new Map<number, { first: number; imageId: string }>();
  for (const [i, src] of sources.entries()) {
    if (deps.video && src.path && looksLikeVideo(src.name)) {
      results[i] = await deps.video.ingest(event, { name: src.name, path: src.path });
      continue;
    }
    let data: Buffer;
    try {
      data = await src.read();
    } catch (e) {
      results[i] = { name: src.name, status: 'failed', error: `could not read the file: ${(e as Error).message}` };
      continue;
    }
    if (deps.video && looksLikeVideo(src.name, data.subarray(0, 16))) {
      results[i] = await deps.video.ingest(event, { name: src.name, data });
      continue;
    }
    if (data.length === 0) {
      results[i] = { name: src.name, status: 'failed', error: 'empty file (0 bytes)' };
      continue;
    }
    const hash = createHash('sha256').update(data).digest('hex');
    const imageId = imageIdFor(event.id, hash);
    const first = byHash.get(hash);
    if (first !== undefined) {
      // The same bytes under another name in this batch: reported as the first copy turns out (below).
      sameAs.set(i, { first, imageId });
      continue;
    }
    byHash.set(hash, i);
    const staged = stagedPhotoKey(event.id, hash);
    await deps.blobs.put(staged, data);
    const bibs = bibsFor(sidecar, src.name);
    const jobId = await deps.jobs.enqueue(
      'photo.ingest',
      { org_id: event.org_id, event_id: event.id, staged, name: src.name, bibs },
      { key: `${event.id}:${hash}` },
    );
    if (jobId) pending.set(i, { jobId, imageId });
    // The same photo is already queued (another request): that job stores it.
    else results[i] = { name: src.name, status: 'duplicate', image_id: imageId };
  }
  // Wait on the jobs' states (their outputs are the pipeline's results).
  const deadline = Date.now() + waitMs;
  while (pending.size && Date.now() < deadline) {
    for (const [i, { jobId }] of pending) {
      const job = await deps.jobs.get(jobId);
      if (job?.state === 'done') {
        results[i] = { ...(job.output as IngestResult), name: sources[i]!.name };
        pending.delete(i);
      } else if (job?.state === 'failed') {
        results[i] = { name: sources[i]!.name, status: 'failed', error: job.error ?? 'the job failed' };
        pending.delete(i);
      }
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 250));
  }
  for (const [i, { jobId, imageId }] of pending)
    results[i] = { name: sources[i]!.name, status: 'queued', image_id: imageId, job_id: jobId };
  // As the in-process pipeline does: a copy of a file that failed fails too; of a photo, it is a duplicate.
  for (const [i, { first, imageId }] of sameAs) {
    const r = results[first];
    results[i] =
      r?.status === 'failed'
        ? { ...r, name: sources[i]!.name }
        : { name: sources[i]!.name, status: 'duplicate', image_id: imageId };
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return {
    total: sources.length,
    added: count('added'),
    duplicate: count('duplicate'),
    failed: count('failed'),
    queued: count('queued'),
    results,
    elapsedMs: performance.now() - t0,
  };
}
