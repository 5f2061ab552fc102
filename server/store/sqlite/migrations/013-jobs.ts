import type { Migration } from './index.ts';

/**
 * Background jobs on SQLite (issue 16): the `jobs` table of `server/jobs/sqlite.ts`, the in-process queue (on
 * PostgreSQL pg-boss keeps its own tables instead). A job is `queued` (from `run_after`, ms since the epoch), `active`
 * (leased until `locked_until`: a process that died leaves it, and it is delivered again after that), `done`
 * (with its `output`, kept a day) or `failed` (the dead letters, kept until retried). One queued job per kind
 * and key.
 */
export const jobs: Migration = {
  version: 13,
  name: 'jobs: the in-process job queue',
  up: `
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      key TEXT,
      state TEXT NOT NULL CHECK (state IN ('queued','active','done','failed')),
      org_id INTEGER,
      event_id INTEGER,
      payload TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL,
      run_after INTEGER NOT NULL,
      locked_until INTEGER,
      error TEXT,
      output TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX jobs_queued_key ON jobs (kind, key) WHERE state = 'queued' AND key IS NOT NULL;
    CREATE INDEX jobs_next ON jobs (state, run_after);
    CREATE INDEX jobs_failed ON jobs (org_id, updated_at) WHERE state = 'failed';
  `,
};
