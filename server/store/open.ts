// Opens the store the config names, loading only that engine's driver (the CLI's store-only commands use it).
import type { Config } from '../config.ts';
import { dbFile } from '../paths.ts';
import type { Store } from './types.ts';

/** PostgreSQL when DATABASE_URL is set, else the SQLite file under DATA_DIR. */
export async function openConfiguredStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Store> {
  if (config.databaseUrl) {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore(config.databaseUrl);
  }
  const { openSqliteStore } = await import('./sqlite/index.ts');
  return openSqliteStore(dbFile(config.dataDir));
}

/**
 * Applies the schema migrations not applied yet and returns their versions (`photo-finish migrate`). Safe when several
 * processes run it at once: on PostgreSQL they queue on an advisory lock, on SQLite on the file's write lock.
 */
export async function migrateConfiguredStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
): Promise<{ engine: 'postgresql' | 'sqlite'; applied: number[] }> {
  if (config.databaseUrl) {
    const { migratePostgres } = await import('./postgres/index.ts');
    return { engine: 'postgresql', applied: await migratePostgres(config.databaseUrl) };
  }
  const { openAndMigrate } = await import('./sqlite/db.ts');
  const { db, ran } = openAndMigrate(dbFile(config.dataDir));
  db.close();
  return { engine: 'sqlite', applied: ran };
}
