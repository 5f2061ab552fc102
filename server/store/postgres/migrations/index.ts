import type pg from 'pg';
import { LockSpace } from '../db.ts';
import { core } from './001-core.ts';
import { faces } from './003-faces.ts';
import { certify } from './004-certify.ts';
import { checkout } from './005-checkout.ts';
import { bibtrack } from './006-bibtrack.ts';
import { eventPage } from './008-event-page.ts';
import { video } from './009-video.ts';
import { accounts } from './010-accounts.ts';
import { credits } from './011-credits.ts';
import { faceBibLinks } from './012-face-bib-links.ts';
import { faceQuality } from './0121-face-quality.ts';
import { jobs } from './013-jobs.ts';
import { perf } from './014-perf.ts';
import { rateLimits } from './0131-rate-limits.ts';
import { loginFailures } from './015-login-failures.ts';
import { jobBatches } from './016-job-batches.ts';
import { accessVersion } from './017-access-version.ts';

export interface PgMigration {
  /** The version of its SQLite twin (server/store/sqlite/migrations): both engines apply the same list. */
  version: number;
  name: string;
  up: string | ((client: pg.PoolClient) => Promise<void>);
}

/** Every schema change, in order, each the twin of the SQLite migration of the same version. Never edit an applied one. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  core,
  faces,
  certify,
  checkout,
  bibtrack,
  eventPage,
  video,
  accounts,
  credits,
  faceBibLinks,
  faceQuality,
  jobs,
  perf,
  rateLimits,
  loginFailures,
  jobBatches,
  accessVersion,
];

/**
 * Applies the migrations not applied yet, each in its own transaction, under a session advisory lock: processes
 * starting together (replicas, workers, `photo-finish migrate`) wait for the first, then find nothing left to do.
 * Returns the versions this call applied.
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::int, 0)', [LockSpace.migrate]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`);
      const applied = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
      );
      const ran: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          if (typeof m.up === 'string') await client.query(m.up);
          else await m.up(client);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, { cause: e });
        }
        ran.push(m.version);
      }
      return ran;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::int, 0)', [LockSpace.migrate]);
    }
  } finally {
    client.release();
  }
}
