/**
 * Ingest stages follow the event's flags: while selfie search is off no face stage runs, while bib search is
 * off no OCR runs. Switching one on later processes the event's photos already there, in the background (as
 * 9Pic re-processes): the face service indexes the photos never scanned, BibTrack reads the photos never read.
 */
import { queueFaceIndex } from '../jobs/search-jobs.ts';
import type { JobQueue } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { BibTrack } from './bibtrack.ts';
import type { FaceService } from './faces.ts';

export interface BackfillDeps {
  store: Store;
  jobs: JobQueue;
  log: Logger;
  faces?: Pick<FaceService, 'featureModel'> | undefined;
  bibtrack?: Pick<BibTrack, 'startRerun'> | undefined;
}

/**
 * Queues the background processing a flag switched on (`before` → `after`) calls for: a `faces.index` job per photo
 * never scanned, a BibTrack re-run of the unread photos (`bibs.read` jobs). Returns once they are queued; whichever
 * process works the queue runs them. A failure to queue is logged, never thrown (the flag change stands).
 */
export async function processSwitchedOnSearches(deps: BackfillDeps, before: EventRow, after: EventRow): Promise<void> {
  if (!before.flags.selfie_search && after.flags.selfie_search && deps.faces) {
    try {
      const n = await queueFaceIndex({ store: deps.store, jobs: deps.jobs, faces: deps.faces }, after, { missingOnly: true });
      deps.log.info('selfie search switched on: faces of the photos queued', { event_id: after.id, photos: n });
    } catch (e) {
      deps.log.warn('selfie search switched on: photos not queued', { event_id: after.id, error: (e as Error).message });
    }
  }
  if (!before.flags.bib_search && after.flags.bib_search && deps.bibtrack) {
    try {
      await deps.bibtrack.startRerun(after, { unreadOnly: true });
    } catch (e) {
      // A re-run still running for the event (409) reads these photos too; shutting down (503): switch it again.
      deps.log.warn('bib search switched on: photos not queued', { event_id: after.id, error: (e as Error).message });
    }
  }
}
