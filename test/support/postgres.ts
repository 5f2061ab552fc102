// The engine the server tests run on: SQLite (default) or, with PF_TEST_STORE=postgres, PostgreSQL.
//
// On PostgreSQL each test process starts its own throw-away cluster from Debian's binaries (initdb + pg_ctl, found on
// PATH or in /usr/lib/postgresql/*/bin) in a temp folder (/dev/shm when there is one), listening only on a Unix socket
// in that folder (no TCP port, so parallel test processes never collide); a fraction of a second from a cached initdb.
// Every DATA_DIR a test uses gets its own empty database, migrated by the app on first use, so a harness and a CLI
// child on the same DATA_DIR share it, as they share the SQLite file; a closed harness gives its database back wiped
// (TRUNCATE … RESTART IDENTITY) for the next test of the process. The cluster is stopped and its folder removed when
// the process exits, and by a watchdog shell if the process is killed (no postgres left behind).
import { execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export type TestStore = 'sqlite' | 'postgres';

/** PF_TEST_STORE=postgres runs the server tests on PostgreSQL; anything else (or unset) on SQLite. */
export const TEST_STORE: TestStore = process.env.PF_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_STORE === 'postgres';

/** The folder holding initdb, pg_ctl and psql: PATH first, then Debian's /usr/lib/postgresql/<newest>/bin. */
export function postgresBinDir(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    // Debian links initdb and pg_ctl into PATH without psql: the folder they really live in has all three.
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
      return dirname(realpathSync(join(dir, 'initdb')));
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0]!, 'bin') : null;
}

interface Cluster {
  dir: string;
  bin: string;
  asUser: string[];
  adminUrl: string;
}

let cluster: Cluster | null = null;
let counter = 0;
/** Databases wiped after their test, ready for the next one. */
const free: string[] = [];
const byDataDir = new Map<string, string>();

/** Memory-backed when the machine has it: a cluster's files are written and thrown away within seconds. */
const scratch = () => {
  try {
    if (process.platform === 'linux' && existsSync('/dev/shm')) {
      accessSync('/dev/shm', constants.W_OK);
      return '/dev/shm';
    }
  } catch {
    // not writable
  }
  return tmpdir();
};

/** A URL to database `db` of the cluster (Unix socket in the cluster's folder). */
const urlFor = (socket: string, db: string) => `postgresql://postgres@${encodeURIComponent(socket)}/${db}`;

/** PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user (Debian's package makes it). */
function runAs(): { prefix: string[]; uid: number | null; gid: number | null } {
  if (process.getuid?.() !== 0) return { prefix: [], uid: null, gid: null };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid, gid };
}

function run(c: Pick<Cluster, 'asUser' | 'bin'>, tool: string, args: string[]): string {
  const [cmd, ...rest] = [...c.asUser, join(c.bin, tool), ...args];
  return execFileSync(cmd!, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function psql(c: Cluster, sql: string): void {
  execFileSync(join(c.bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', c.adminUrl, '-c', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function stop(c: Cluster) {
  try {
    run(c, 'pg_ctl', ['-D', join(c.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } catch {
    // already stopped
  }
  rmSync(c.dir, { recursive: true, force: true });
}

/**
 * An initdb'd data folder to copy (initdb costs a second or more on a loaded machine, a copy a tenth of that): made
 * once per machine and PostgreSQL version, by whichever test process needs it first (made aside, then renamed).
 */
function initdbCache(c: Pick<Cluster, 'asUser' | 'bin'>, owner: { uid: number | null; gid: number | null }): string {
  const version = run(c, 'pg_ctl', ['--version']).replace(/\D+/g, '-').replace(/^-|-$/g, '');
  const cache = join(scratch(), `pf-pg-initdb-${version}-${process.getuid?.() ?? 0}`);
  if (existsSync(join(cache, 'PG_VERSION'))) return cache;
  const work = mkdtempSync(`${cache}.tmp-`);
  if (owner.uid !== null) chownSync(work, owner.uid, owner.gid!);
  run(c, 'initdb', ['-D', join(work, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '--locale=C', '-E', 'UTF8']);
  try {
    renameSync(join(work, 'data'), cache);
  } catch {
    // another process made it first
  }
  rmSync(work, { recursive: true, force: true });
  return cache;
}

/** Starts this process's cluster (once). */
function ensureCluster(): Cluster {
  if (cluster) return cluster;
  const bin = postgresBinDir();
  if (!bin) throw new Error('PF_TEST_STORE=postgres: initdb/pg_ctl not found (apt-get install postgresql)');
  const owner = runAs();
  const dir = mkdtempSync(join(scratch(), 'pf-pg-'));
  if (owner.uid !== null) chownSync(dir, owner.uid, owner.gid!);
  const c: Cluster = { dir, bin, asUser: owner.prefix, adminUrl: urlFor(dir, 'postgres') };
  const data = join(dir, 'data');
  execFileSync('cp', ['-a', initdbCache(c, owner), data]);
  // Durability off: a test cluster is thrown away (PostgreSQL's guarantees between transactions are unchanged).
  const opts = [
    "-c listen_addresses=''",
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c shared_buffers=32MB',
    // Shared memory segments as files in the data folder: an immediate stop would leave /dev/shm/PostgreSQL.* behind.
    '-c dynamic_shared_memory_type=mmap',
  ].join(' ');
  run(c, 'pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  cluster = c;
  process.once('exit', () => stop(c));
  // A process killed without its exit handlers (SIGKILL, a timeout) must not leave postgres running: a detached
  // shell waits for this process to end, then stops the cluster (it ends at once when the exit handler did it).
  const pgCtl = [...owner.prefix, join(bin, 'pg_ctl')].map((a) => `'${a}'`).join(' ');
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
        `[ -d '${data}' ] && ${pgCtl} -D '${data}' -m immediate -w stop >/dev/null 2>&1; rm -rf '${dir}'`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  return c;
}

/**
 * A fresh database of this process's cluster; its URL. A database a finished test gave back (wiped) is reused, else a
 * new one is made; the app migrates it on first use, as it would a production database.
 */
export function createTestDatabase(): string {
  return free.pop() ?? freshTestDatabase();
}

/** A new, empty database (never a reused one): for tests of the migrations themselves. */
export function freshTestDatabase(): string {
  const c = ensureCluster();
  const name = `pf_test_${process.pid}_${++counter}`;
  psql(c, `CREATE DATABASE ${name}`);
  return urlFor(c.dir, name);
}

/**
 * The database of a DATA_DIR (made on first use): the harness and CLI children of one test agree on it. Null on
 * SQLite (the store is the file in DATA_DIR).
 */
export function databaseFor(dataDir: string): string | null {
  if (!onPostgres) return null;
  const key = resolve(dataDir);
  let url = byDataDir.get(key);
  if (!url) byDataDir.set(key, (url = createTestDatabase()));
  return url;
}

/** DATABASE_URL for a child process's env on PostgreSQL (`{}` on SQLite). */
export function databaseEnv(dataDir: string): Record<string, string> {
  const url = databaseFor(dataDir);
  return url ? { DATABASE_URL: url } : {};
}

/**
 * Empties a database for the next test: every table (ids restart at 1) but the schema versions — ours
 * (`schema_migrations`) and pg-boss's (`pgboss.version`, and its `queue` definitions, whose job partitions stay).
 */
const WIPE = `DO $$
DECLARE
  tables text;
BEGIN
  SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
      AND NOT (schemaname = 'public' AND tablename = 'schema_migrations')
      AND NOT (schemaname = 'pgboss' AND tablename IN ('version', 'queue'));
  IF tables IS NOT NULL THEN
    EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE';
  END IF;
END $$`;

/**
 * Gives the DATA_DIR's database back after its test (its pools closed): wiped, it serves the next test of this
 * process. No-op on SQLite.
 */
export async function releaseDatabaseFor(dataDir: string): Promise<void> {
  const key = resolve(dataDir);
  const url = byDataDir.get(key);
  if (!url || !cluster) return;
  byDataDir.delete(key);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A connection a test left open (a store it did not close) would see the wipe: end those first.
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await client.query(WIPE);
  } finally {
    await client.end();
  }
  free.push(url);
}
