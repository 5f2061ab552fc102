// Raw SQL for tests that check what the store wrote, on either engine: `?` placeholders, async, rows as objects.
// SQLite and PostgreSQL share the schema's table and column names (server/store/*/migrations); SQL that only one
// engine speaks (PRAGMA, sqlite_master, ctid…) belongs in an engine-specific branch (see `onPostgres`).
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { openPool, type PgDb } from '../../server/store/postgres/db.ts';
import type { PostgresStore } from '../../server/store/postgres/index.ts';
import { dbFile } from '../../server/paths.ts';
import type { SqliteStore } from '../../server/store/sqlite/index.ts';
import type { Store } from '../../server/store/types.ts';
import { databaseFor } from './postgres.ts';

export interface TestSql {
  engine: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** The first column of the first row. */
  value<T = unknown>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /** A table's column names, in order. */
  columnsOf(table: string): Promise<string[]>;
  /** The tables having a column of that name. */
  tablesWithColumn(column: string): Promise<string[]>;
  /** Rows breaking a foreign key (SQLite's foreign_key_check; PostgreSQL enforces them at every statement: none). */
  foreignKeyProblems(): Promise<unknown[]>;
  /** What the engine's own checks find wrong (SQLite: integrity_check and foreign_key_check; PostgreSQL: invalid indexes). */
  integrityProblems(): Promise<string[]>;
  /** Makes every DELETE on the table fail with `message` until the returned function is called. */
  failDeletes(table: string, message: string): Promise<() => Promise<void>>;
}

const isPostgres = (s: Store): s is PostgresStore => 'db' in s && typeof (s as PostgresStore).db?.tx === 'function';

export function sql(store: Store): TestSql {
  return isPostgres(store) ? pgSql(store.db) : sqliteSql((store as SqliteStore).db);
}

function pgSql(db: Pick<PgDb, 'all' | 'get' | 'value' | 'run' | 'pluck'>): TestSql {
  return {
    engine: 'postgres',
    all: (q, ...p) => db.all(q, p),
    get: (q, ...p) => db.get(q, p),
    value: (q, ...p) => db.value(q, p),
    run: (q, ...p) => db.run(q, p),
    columnsOf: (table) =>
      db.pluck<string>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
           ORDER BY ordinal_position`,
        [table],
      ),
    tablesWithColumn: (column) =>
      db.pluck<string>(
        `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t
             ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
           WHERE c.table_schema = current_schema() AND c.column_name = ? ORDER BY 1`,
        [column],
      ),
    foreignKeyProblems: async () => [],
    integrityProblems: () =>
      db.pluck<string>(
        `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT i.indisvalid`,
      ),
    async failDeletes(table, message) {
      const fn = `pf_test_fail_${table}`;
      await db.run(
        `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message.replace(/'/g, "''")}'; END $$`,
      );
      await db.run(`CREATE TRIGGER ${fn} BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
      return async () => {
        await db.run(`DROP TRIGGER ${fn} ON ${table}`);
        await db.run(`DROP FUNCTION ${fn}()`);
      };
    },
  };
}

function sqliteSql(db: Database.Database): TestSql {
  return {
    engine: 'sqlite',
    all: async <T>(q: string, ...p: unknown[]) => db.prepare(q).all(...p) as T[],
    get: async <T>(q: string, ...p: unknown[]) => db.prepare(q).get(...p) as T | undefined,
    value: async <T>(q: string, ...p: unknown[]) => {
      const row = db
        .prepare(q)
        .raw()
        .get(...p) as unknown[] | undefined;
      return row?.[0] as T | undefined;
    },
    run: async (q, ...p) => db.prepare(q).run(...p).changes,
    columnsOf: async (table) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
    tablesWithColumn: async (column) =>
      db
        .prepare(
          `SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
             AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = ?) ORDER BY 1`,
        )
        .pluck()
        .all(column) as string[],
    foreignKeyProblems: async () => db.pragma('foreign_key_check') as unknown[],
    integrityProblems: async () => [
      ...(db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((m) => m !== 'ok'),
      ...(db.pragma('foreign_key_check') as unknown[]).map((r) => `foreign key: ${JSON.stringify(r)}`),
    ],
    async failDeletes(table, message) {
      const name = `pf_test_fail_${table}`;
      db.exec(
        `CREATE TEMP TRIGGER ${name} BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${message.replace(/'/g, "''")}'); END`,
      );
      return async () => {
        db.exec(`DROP TRIGGER temp.${name}`);
      };
    },
  };
}

/**
 * Raw SQL on the database of a DATA_DIR that another process (a CLI child, a server) writes: SQLite's file opened read
 * only, or the DATA_DIR's PostgreSQL database. Null when SQLite's file does not exist yet.
 */
export async function withDataDirSql<T>(dataDir: string, fn: (db: TestSql) => Promise<T>): Promise<T | null> {
  const url = databaseFor(dataDir);
  if (url) {
    const db = openPool(url, { max: 1 });
    try {
      return await fn(pgSql(db));
    } finally {
      await db.close();
    }
  }
  const file = dbFile(dataDir);
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return await fn(sqliteSql(db));
  } finally {
    db.close();
  }
}
