// A store opened directly (no app) on the engine the tests run on: the SQLite file `db.sqlite` in `dir`, or the
// PostgreSQL database of `dir` (PF_TEST_STORE=postgres). Two calls with one dir open two connections to one database.
import { join } from 'node:path';
import { openPostgresStore } from '../../server/store/postgres/index.ts';
import { dbFile } from '../../server/paths.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import type { Store } from '../../server/store/types.ts';
import { databaseFor } from './postgres.ts';

export function openTestStore(dir: string): Store {
  const url = databaseFor(dir);
  return url ? openPostgresStore(url) : openSqliteStore(join(dir, 'db.sqlite'));
}

/** The store the app opens for a DATA_DIR: its SQLite file, or (PF_TEST_STORE=postgres) the DATA_DIR's database. */
export function openDataDirStore(dataDir: string): Store {
  const url = databaseFor(dataDir);
  return url ? openPostgresStore(url) : openSqliteStore(dbFile(dataDir));
}
