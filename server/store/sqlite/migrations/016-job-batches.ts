import type { Migration } from './index.ts';

/**
 * Jobs about one event, newest first (issue 16, `faces.index` / `bibs.read`): a BibTrack re-run's status is summed
 * from its jobs (`SqliteJobQueue.latestBatch`), read on every bib overview; this index keeps it to the event's rows.
 */
export const jobBatches: Migration = {
  version: 16,
  name: 'jobs: index by kind, event and time (re-run status from its jobs)',
  up: `CREATE INDEX jobs_event ON jobs (kind, event_id, created_at)`,
};
