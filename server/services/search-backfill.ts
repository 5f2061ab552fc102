/**
 * Ingest stages follow the event's flags: while selfie search is off no face stage runs, while bib search is
 * off no OCR runs. Switching one on later processes the event's photos already there, in the background (as
 * 9Pic re-processes): the face service indexes the photos never scanned, BibTrack reads the photos never read.
 */
import type { BlobStore } from '../blobs/types.ts';
import type { Logger } from '../log.ts';
import type { EventRow } from '../store/types.ts';
import type { BibTrack } from './bibtrack.ts';
import type { FaceService } from './faces.ts';

export interface BackfillDeps {
  blobs: BlobStore;
  log: Logger;
  faces?: Pick<FaceService, 'startBackfill'> | undefined;
  bibtrack?: Pick<BibTrack, 'startRerun'> | undefined;
}

/** Starts the background processing a flag switched on (`before` → `after`) calls for; returns at once. */
export function processSwitchedOnSearches(deps: BackfillDeps, before: EventRow, after: EventRow): void {
  if (!before.flags.selfie_search && after.flags.selfie_search && deps.faces) {
    void deps.faces.startBackfill(deps.blobs, after);
  }
  if (!before.flags.bib_search && after.flags.bib_search && deps.bibtrack) {
    try {
      deps.bibtrack.startRerun(deps.blobs, after, { unreadOnly: true });
    } catch (e) {
      // A re-run already running for the event (409) reads these photos too; shutting down (503): next start.
      deps.log.warn('bib search switched on: photos not read now', { event_id: after.id, error: (e as Error).message });
    }
  }
}
