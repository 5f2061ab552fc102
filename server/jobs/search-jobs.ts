// Faces and bib reads of stored photos as jobs (`faces.index`, `bibs.read`): selfie or bib search switched on after
// the photos arrived, and BibTrack re-runs. The API process queues one job per photo; whichever process works the
// queue runs them (the in-process SQLite queue, or `photo-finish worker` processes on pg-boss). Every handler is
// idempotent: a photo's faces are replaced as a whole, its OCR reads are merged (`BibStore.replaceOcr`), so a job
// delivered again after its worker died writes the same rows once.
import type { BlobStore } from '../blobs/types.ts';
import { relinkImage } from '../ingest/face-bib-links.ts';
import type { Logger } from '../log.ts';
import type { BibTrack } from '../services/bibtrack.ts';
import type { FaceService } from '../services/faces.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { JobQueue } from './types.ts';

export interface SearchJobDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  faces?: FaceService | undefined;
  bibtrack?: BibTrack | undefined;
}

/** The key of a photo's face job: one queued per photo and feature model. */
export const faceJobKey = (imageId: string, featureModel: string) => `${imageId}:${featureModel}`;

/** Photos of one event at once (faces are indexed by the face runner, one photo at a time per job). */
const FACE_JOB_CONCURRENCY = 2;

/** Registers the `faces.index` and `bibs.read` handlers of the services this process has. */
export function registerSearchJobs(jobs: JobQueue, deps: SearchJobDeps): void {
  const { store, blobs, faces, bibtrack } = deps;
  if (faces)
    jobs.register(
      'faces.index',
      async (p) => {
        const event = await store.events.get(p.event_id);
        if (!event) return { skipped: 'the event was deleted' };
        if (!event.flags.selfie_search) return { skipped: 'selfie search is off' };
        const img = await store.images.get(event.id, p.image_id);
        if (!img) return { skipped: 'the photo was deleted' };
        if (img.state !== 'ready') return { skipped: 'the photo waits for credits' };
        const data = await blobs.get(img.original_key);
        if (!data) throw new Error(`the original ${img.original_key} is missing from the blob store`);
        const r = await faces.indexPhoto(data);
        // Models missing, or a file the face runner cannot read: retried, then a dead letter with the reason.
        if (!r.ok) throw new Error(r.reason);
        await store.faces.replaceForImage(event.id, img.id, r.faces);
        // New face rows (new ids): link them to the photo's bibs again.
        await relinkImage(store, event.id, img.id);
        faces.invalidate(event.id);
        return { image_id: img.id, faces: r.faces.length };
      },
      { concurrency: FACE_JOB_CONCURRENCY },
    );
  if (bibtrack)
    jobs.register('bibs.read', (p) => bibtrack.readStoredPhoto(blobs, p), {
      // The OCR pool's threads, plus one so it never waits.
      concurrency: bibtrack.jobConcurrency,
    });
}

/**
 * Queues a `faces.index` job per photo of the event (only the photos never scanned with `missingOnly`). A photo
 * whose job is still queued is not queued twice. Returns how many were queued.
 */
export async function queueFaceIndex(
  deps: { store: Store; jobs: JobQueue; faces: Pick<FaceService, 'featureModel'> },
  event: EventRow,
  opts: { missingOnly?: boolean } = {},
): Promise<number> {
  let ids: string[];
  if (opts.missingOnly) ids = await deps.store.faces.unscannedImageIds(event.id);
  else {
    ids = [];
    for (let offset = 0; ; offset += 500) {
      const { items, total } = await deps.store.images.list(event.id, { offset, limit: 500 });
      ids.push(...items.map((i) => i.id));
      if (offset + 500 >= total) break;
    }
  }
  return deps.jobs.enqueueMany(
    'faces.index',
    ids.map((image_id) => ({
      payload: { org_id: event.org_id, event_id: event.id, image_id },
      key: faceJobKey(image_id, deps.faces.featureModel),
    })),
  );
}
