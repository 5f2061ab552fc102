// The storage engines a configuration names, loaded with `await import()` (issue 20, restart): a start on SQLite +
// the blob folder loads none of the PostgreSQL store (36 modules), pg-boss's queue, the PostgreSQL rate limiter or
// the S3 blob store; a start on PostgreSQL does not load the SQLite store. createDeps (bootstrap.ts) calls
// loadEngines(enginesFor(config)); the test harness, which builds its deps synchronously, loads every engine once (loadEngines('all')).
import type { Config } from './config.ts';
import type { S3BlobStore } from './blobs/s3.ts';
import type { PgBossQueue } from './jobs/pgboss.ts';
import type { openPostgresStore } from './store/postgres/index.ts';
import type { PgRateLimiter } from './store/postgres/rate-limits.ts';
import type { openSqliteStore } from './store/sqlite/index.ts';

export interface Engines {
  sqlite?: { openSqliteStore: typeof openSqliteStore };
  postgres?: {
    openPostgresStore: typeof openPostgresStore;
    PgBossQueue: typeof PgBossQueue;
    PgRateLimiter: typeof PgRateLimiter;
  };
  s3?: { S3BlobStore: typeof S3BlobStore };
}

/** The engines a config needs: PostgreSQL (store, queue, rate limiter) with DATABASE_URL, else SQLite; S3 with S3_BUCKET. */
export function enginesFor(config: Pick<Config, 'databaseUrl' | 's3'>): EngineNames {
  return { sqlite: !config.databaseUrl, postgres: !!config.databaseUrl, s3: !!config.s3 };
}

export interface EngineNames {
  sqlite?: boolean;
  postgres?: boolean;
  s3?: boolean;
}

/** Imports the engines named (all three with 'all'). */
export async function loadEngines(need: EngineNames | 'all'): Promise<Engines> {
  const n = need === 'all' ? { sqlite: true, postgres: true, s3: true } : need;
  const [sqlite, postgres, s3] = await Promise.all([
    n.sqlite ? import('./store/sqlite/index.ts') : undefined,
    n.postgres
      ? Promise.all([
          import('./store/postgres/index.ts'),
          import('./jobs/pgboss.ts'),
          import('./store/postgres/rate-limits.ts'),
        ]).then(([store, boss, limits]) => ({
          openPostgresStore: store.openPostgresStore,
          PgBossQueue: boss.PgBossQueue,
          PgRateLimiter: limits.PgRateLimiter,
        }))
      : undefined,
    n.s3 ? import('./blobs/s3.ts') : undefined,
  ]);
  return {
    ...(sqlite ? { sqlite: { openSqliteStore: sqlite.openSqliteStore } } : {}),
    ...(postgres ? { postgres } : {}),
    ...(s3 ? { s3: { S3BlobStore: s3.S3BlobStore } } : {}),
  };
}

/** The engine named, or an error saying the config needs it and it was not loaded (a programming error). */
export function engine<K extends keyof Engines>(engines: Engines, name: K): NonNullable<Engines[K]> {
  const e = engines[name];
  if (!e) throw new Error(`the ${name} engine was not loaded (loadEngines with this config)`);
  return e;
}
