import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations/index.ts';

export type Db = Database.Database;

/** Opens (creating if needed) the SQLite file with WAL and foreign keys, and migrates it. */
export function openDb(file: string): Db {
  return openAndMigrate(file).db;
}

/** `openDb`, also saying which migrations this call applied. */
export function openAndMigrate(file: string): { db: Db; ran: number[] } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // First: processes opening a new file together (`photo-finish migrate` on several machines' start) wait for each other.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const ran = migrate(db);
  return { db, ran };
}

export { bool, json, nowIso } from '../values.ts';
