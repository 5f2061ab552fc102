// The PostgreSQL connection of the store: one `pg` pool, queries written with SQLite's placeholders (`?` in order,
// or `@name` with an object) turned into `$1…$n`, and transactions on one pooled client.
import { createRequire } from 'node:module';
import type pg from 'pg';

// pg (CommonJS) loads when a PostgreSQL pool is opened, not at every start (issue 20, restart).
let pgModule: typeof pg | undefined;
const pgLib = () => (pgModule ??= createRequire(import.meta.url)('pg') as typeof pg);

export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

/** What adapters query through: the pool, or the client of a transaction. */
export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  /** The first column of every row. */
  pluck<T = unknown>(sql: string, params?: Params): Promise<T[]>;
  /** The first column of the first row. */
  value<T = unknown>(sql: string, params?: Params): Promise<T | undefined>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /**
   * Serialises the transaction with every other one holding the same (namespace, id) until it ends
   * (`pg_advisory_xact_lock`): for read-then-write changes whose row may not exist yet.
   */
  lock(namespace: LockSpace, id: number | string): Promise<void>;
}

/** Namespaces of the transaction locks (the first key of `pg_advisory_xact_lock(int, int)`). */
export enum LockSpace {
  migrate = 1,
  certificates = 2,
  certificateRender = 3,
  checkoutSettings = 4,
  issuedBibs = 5,
  runners = 6,
  credits = 7,
  invoices = 8,
  /** tus uploads (session locks on the uploads locker's own connection: server/uploads/locker.ts). */
  tusUploads = 9,
}

export interface PgDb extends Sql {
  readonly pool: pg.Pool;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws). */
  tx<T>(fn: (q: Sql) => Promise<T>, opts?: { readOnly?: boolean; repeatableRead?: boolean }): Promise<T>;
  close(): Promise<void>;
}

interface Compiled {
  text: string;
  /** Named placeholders in $-order (empty for `?`). */
  names: string[];
}

const compiled = new Map<string, Compiled>();

/**
 * `?` → `$1, $2…` in order; `@name` → one `$k` per distinct name. Quoted strings, quoted identifiers and
 * comments are left alone; `::type` casts too.
 */
export function compile(sql: string): Compiled {
  const hit = compiled.get(sql);
  if (hit) return hit;
  let out = '';
  let n = 0;
  const names: string[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let k = names.indexOf(m);
      if (k < 0) k = names.push(m) - 1;
      out += `$${k + 1}`;
      i += m.length;
    } else out += c;
  }
  const c: Compiled = { text: out, names };
  compiled.set(sql, c);
  return c;
}

/** Values as `pg` sends them: Uint8Array as bytea, undefined as NULL. */
const value = (v: unknown) => (v === undefined ? null : v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v);

function bind(c: Compiled, params: Params | undefined): unknown[] {
  if (!params) return [];
  if (Array.isArray(params)) return (params as unknown[]).map(value);
  const obj = params as Record<string, unknown>;
  return c.names.map((name) => value(obj[name]));
}

/** bigint, numeric and counts come back as JS numbers (ids, byte sizes and ms timestamps fit in 2^53). */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pgLib().types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

interface Queryable {
  query(text: string, values: unknown[]): Promise<pg.QueryResult>;
}

function sqlOn(conn: Queryable): Sql {
  const query = (sql: string, params?: Params) => {
    const c = compile(sql);
    return conn.query(c.text, bind(c, params));
  };
  return {
    async all<T>(sql: string, params?: Params) {
      return (await query(sql, params)).rows as T[];
    },
    async get<T>(sql: string, params?: Params) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async pluck<T>(sql: string, params?: Params) {
      const res = await query(sql, params);
      const col = res.fields[0]?.name;
      return col === undefined ? [] : res.rows.map((r: Record<string, unknown>) => r[col] as T);
    },
    async value<T>(sql: string, params?: Params) {
      const res = await query(sql, params);
      const col = res.fields[0]?.name;
      return col === undefined || res.rows.length === 0 ? undefined : ((res.rows[0] as Record<string, unknown>)[col] as T);
    },
    async run(sql: string, params?: Params) {
      return (await query(sql, params)).rowCount ?? 0;
    },
    async lock(namespace: LockSpace, id: number | string) {
      const key = typeof id === 'number' ? id : null;
      if (key !== null && Number.isInteger(key) && Math.abs(key) < 2 ** 31) {
        await conn.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [namespace, key]);
      } else await conn.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [namespace, String(id)]);
    },
  };
}

/** Errors PostgreSQL may end a transaction with under concurrency; the transaction is run again. */
const RETRY = new Set(['40001', '40P01']);

export function openPool(url: string, opts: { max?: number } = {}): PgDb {
  // allowExitOnIdle: idle connections never keep a CLI or test process alive.
  const pool = new (pgLib().Pool)({
    connectionString: url,
    types,
    max: opts.max ?? 10,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const base = sqlOn(pool);
  let closed: Promise<void> | null = null;
  return {
    ...base,
    pool,
    async tx(fn, o = {}) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          const mode = `${o.repeatableRead ? ' ISOLATION LEVEL REPEATABLE READ' : ''}${o.readOnly ? ' READ ONLY' : ''}`;
          await client.query(`BEGIN${mode}`);
          try {
            const result = await fn(sqlOn(client));
            await client.query('COMMIT');
            return result;
          } catch (e) {
            await client.query('ROLLBACK').catch((r: unknown) => {
              broken = r as Error;
            });
            const code = (e as { code?: string }).code;
            if (code && RETRY.has(code) && attempt < 5) continue;
            throw e;
          }
        } finally {
          client.release(broken);
        }
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/** ISO 8601 UTC with milliseconds, as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ','now') and `nowIso()` write it. */
export const NOW_SQL = `to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
