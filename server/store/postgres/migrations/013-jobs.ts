import type { PgMigration } from './index.ts';

/**
 * Twin of sqlite/migrations/013-jobs.ts: on PostgreSQL the job queue is pg-boss (server/jobs/pgboss.ts), which creates
 * and migrates its own schema (`pgboss`) when it starts, so this version has nothing to create. It is kept so both
 * engines list the same versions.
 */
export const jobs: PgMigration = {
  version: 13,
  name: 'jobs: the in-process job queue (pg-boss keeps its own tables on PostgreSQL)',
  up: 'SELECT 1',
};
