import type { Migration } from './index.ts';

/**
 * The shared API rate limit's table. On SQLite (one process) the limit is counted in memory and this table stays
 * empty; on PostgreSQL its twin holds the buckets every replica shares (server/store/postgres/rate-limits.ts).
 */
export const rateLimits: Migration = {
  version: 131,
  name: 'rate_limits: the shared API rate limit (used on PostgreSQL)',
  up: `
    CREATE TABLE rate_limits (
      id TEXT PRIMARY KEY,
      tokens REAL NOT NULL,
      at INTEGER NOT NULL,
      granted INTEGER NOT NULL DEFAULT 1
    );
  `,
};
