import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations/index.ts';

export type Db = Database.Database;

let writes = 0;

/**
 * How many times this process has written through any of its SQLite connections (a statement that changes data, or
 * `exec`): a read kept for the rest of an event-loop turn is good while this has not moved (sqlite/keys.ts).
 */
export const localWrites = (): number => writes;

/** Counts the writes of `db` in `localWrites`. */
function countWrites(db: Db): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const stmt = prepare(source);
    if (stmt.readonly) return stmt;
    for (const m of ['run', 'get', 'all', 'iterate'] as const) {
      const call = (stmt[m] as (...a: unknown[]) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
        try {
          return call(...args);
        } finally {
          writes++;
        }
      };
    }
    return stmt;
  }) as Db['prepare'];
  const exec = db.exec.bind(db);
  db.exec = (source: string) => {
    try {
      return exec(source);
    } finally {
      writes++;
    }
  };
}

/** Opens (creating if needed) the SQLite file with WAL and foreign keys, and migrates it. */
export function openDb(file: string): Db {
  return openAndMigrate(file).db;
}

/** `openDb`, also saying which migrations this call applied. */
export function openAndMigrate(file: string): { db: Db; ran: number[] } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  countWrites(db);
  // First: processes opening a new file together (`photo-finish migrate` on several machines' start) wait for each other.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const ran = migrate(db);
  return { db, ran };
}

export { bool, json, nowIso } from '../values.ts';
