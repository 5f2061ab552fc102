import type { PgMigration } from './index.ts';

/**
 * Twin of sqlite/migrations/0131-rate-limits.ts: the API rate limit shared by every replica (server/store/postgres/
 * rate-limits.ts): one token bucket per (key, client IP), updated in one statement.
 */
export const rateLimits: PgMigration = {
  version: 131,
  name: 'rate_limits: the shared API rate limit',
  up: `
    CREATE TABLE rate_limits (
      id TEXT PRIMARY KEY,
      tokens DOUBLE PRECISION NOT NULL,
      at BIGINT NOT NULL,
      granted BOOLEAN NOT NULL DEFAULT TRUE
    );
    CREATE INDEX rate_limits_at ON rate_limits (at);
  `,
};
