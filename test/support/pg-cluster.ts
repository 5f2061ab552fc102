// A throw-away PostgreSQL cluster for tests and benches: Debian's initdb/pg_ctl (on PATH, or
// /usr/lib/postgresql/<v>/bin) in a temp folder, on a free port of 127.0.0.1. About a second to start.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  url: string;
  port: number;
  dir: string;
  stop(): void;
}

function bin(name: string): string | null {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const v of readdirSync(root).sort().reverse())
    if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  return null;
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user (the Debian package's). */
function asOwner(dir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('running as root and there is no postgres user');
  chmodSync(dir, 0o700);
  chownSync(dir, uid, gid);
  return { uid, gid };
}

export const postgresAvailable = () => bin('initdb') !== null && bin('pg_ctl') !== null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts a cluster (trust auth, user `pf`, database `pf`); `stop()` stops it and deletes its folder. */
export async function startPgCluster(opts: { maxConnections?: number } = {}): Promise<PgCluster> {
  const initdb = bin('initdb');
  const pgCtl = bin('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'pf-pg-'));
  const data = join(dir, 'data');
  const owner = asOwner(dir);
  execFileSync(initdb, ['-D', data, '-U', 'pf', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    stdio: 'ignore',
    ...owner,
  });
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=${opts.maxConnections ?? 100}`;
  execFileSync(pgCtl, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start'], { stdio: 'ignore', ...owner });
  const stop = () => {
    spawnSync(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore', ...owner });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync(bin('createdb') ?? 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'pf', 'pf'], { stdio: 'ignore' });
  } catch (e) {
    stop();
    throw e;
  }
  return { url: `postgres://pf@127.0.0.1:${port}/pf`, port, dir, stop };
}
