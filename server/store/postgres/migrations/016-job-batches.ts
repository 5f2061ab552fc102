import type { PgMigration } from './index.ts';

/**
 * Twin of sqlite/migrations/016-job-batches.ts: on PostgreSQL the jobs are pg-boss's (one partition of `pgboss.job`
 * per queue, so a re-run's status reads only its queue's rows), so this version has nothing to create. It is kept so
 * both engines list the same versions.
 */
export const jobBatches: PgMigration = {
  version: 16,
  name: 'jobs: index by kind, event and time (pg-boss partitions its jobs by queue on PostgreSQL)',
  up: 'SELECT 1',
};
