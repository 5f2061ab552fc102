import type { PgMigration } from './index.ts';

/** Twin of sqlite/migrations/015-login-failures.ts: failed console sign-ins, shared by every replica. */
export const loginFailures: PgMigration = {
  version: 15,
  name: 'login_failures: the sign-in throttle shared by every process',
  up: `
    CREATE TABLE login_failures (
      id TEXT NOT NULL,
      at BIGINT NOT NULL
    );
    CREATE INDEX login_failures_id_at ON login_failures (id, at);
    CREATE INDEX login_failures_at ON login_failures (at);
  `,
};
