import type { Store } from '../types.ts';
import { pgAuth } from './auth.ts';
import { pgBibs } from './bibs.ts';
import { pgCertify } from './certify.ts';
import { pgCheckout } from './checkout.ts';
import { pgCredits } from './credits.ts';
import { openPool, type PgDb } from './db.ts';
import { pgEventPage } from './event-page.ts';
import { pgEvents } from './events.ts';
import { pgFaceLinks } from './face-links.ts';
import { pgFaces } from './faces.ts';
import { pgImages } from './images.ts';
import { pgKeys } from './keys.ts';
import { migratePg, PG_MIGRATIONS } from './migrations/index.ts';
import { pgOrgs } from './orgs.ts';
import { pgThrottles } from './throttles.ts';
import { pgUploads } from './uploads.ts';
import { pgVideos } from './video.ts';

export interface PostgresStore extends Store {
  readonly db: PgDb;
}

/**
 * The networked engine (DATABASE_URL): the same contracts over a `pg` pool. Opening is synchronous; the first query
 * of each call waits for the migrations (applied once, under an advisory lock, whichever process starts first).
 */
export function openPostgresStore(url: string, opts: { max?: number } = {}): PostgresStore {
  const raw = openPool(url, opts);
  let ready: Promise<unknown> | null = null;
  const whenReady = () => (ready ??= migratePg(raw.pool));
  // Every query waits for the schema; a failed migration is retried by the next call (and reported by each).
  const gate = <F extends (...a: never[]) => Promise<unknown>>(f: F): F =>
    (async (...a: Parameters<F>) => {
      try {
        await whenReady();
      } catch (e) {
        ready = null;
        throw e;
      }
      return f(...a);
    }) as unknown as F;
  const db: PgDb = {
    ...raw,
    all: gate(raw.all),
    get: gate(raw.get),
    pluck: gate(raw.pluck),
    value: gate(raw.value),
    run: gate(raw.run),
    tx: gate(raw.tx) as PgDb['tx'],
  };
  return {
    db,
    orgs: pgOrgs(db),
    keys: pgKeys(db),
    events: pgEvents(db),
    images: pgImages(db),
    bibs: pgBibs(db),
    certificates: pgCertify(db),
    checkout: pgCheckout(db),
    faces: pgFaces(db),
    faceLinks: pgFaceLinks(db),
    eventPage: pgEventPage(db),
    videos: pgVideos(db),
    auth: pgAuth(db),
    uploads: pgUploads(db),
    throttles: pgThrottles(db),
    credits: pgCredits(db),
    async check() {
      const problems: string[] = [];
      try {
        const applied = new Set(await db.pluck<number>('SELECT version FROM schema_migrations'));
        for (const m of PG_MIGRATIONS) if (!applied.has(m.version)) problems.push(`migration ${m.version} not applied`);
        const invalid = await db.pluck<string>(
          `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT i.indisvalid`,
        );
        for (const name of invalid) problems.push(`index ${name} is invalid (rebuild it with REINDEX)`);
      } catch (e) {
        problems.push(`database unreachable or unreadable: ${(e as Error).message}`);
      }
      return problems;
    },
    async close() {
      await raw.close();
    },
  };
}

/** Applies the migrations now (`photo-finish migrate`); returns the versions applied by this call. */
export async function migratePostgres(url: string): Promise<number[]> {
  const db = openPool(url, { max: 1 });
  try {
    return await migratePg(db.pool);
  } finally {
    await db.close();
  }
}
