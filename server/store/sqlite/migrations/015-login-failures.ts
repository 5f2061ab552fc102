import type { Migration } from './index.ts';

/**
 * Failed console sign-ins, one row per failure under `a:<email>` and `i:<ip>` (server/auth/throttle.ts): the
 * throttle every process over this database shares (issue 16, stateless replicas). Pruned past the window.
 */
export const loginFailures: Migration = {
  version: 15,
  name: 'login_failures: the sign-in throttle shared by every process',
  up: `
    CREATE TABLE login_failures (
      id TEXT NOT NULL,
      at INTEGER NOT NULL
    );
    CREATE INDEX login_failures_id_at ON login_failures (id, at);
    CREATE INDEX login_failures_at ON login_failures (at);
  `,
};
