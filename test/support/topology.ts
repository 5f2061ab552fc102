// The production topology on 127.0.0.1, for the topology test and bench/topology.ts: a throw-away PostgreSQL cluster
// and an S3 server (s3rver), the settings every `photo-finish` process shares (only the database and the bucket),
// the CLI run against them, and `serve` / `worker` processes started and stopped on state (their ready line).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPgCluster, type PgCluster } from './pg-cluster.ts';
import { startS3rver, type TestS3 } from './s3rver.ts';

const BIN = resolve(import.meta.dirname, '../../bin/photo-finish.mjs');

export interface TopologyProc {
  name: string;
  child: ChildProcess;
  /** stdout and stderr so far. */
  out: string;
  /** The replica's base URL (`serve` only). */
  url?: string;
}

export interface Topology {
  cluster: PgCluster;
  s3: TestS3;
  /** A temp folder; each process has its own DATA_DIR below it. */
  root: string;
  /** The settings every process gets (plus its DATA_DIR). */
  env: Record<string, string>;
  /** Every process started, in order. */
  procs: TopologyProc[];
  /** Runs `photo-finish ARGS --json` and resolves with its stdout (rejects with its stderr on a non-zero exit). */
  cli(args: string[]): Promise<string>;
  /** Starts `photo-finish serve` or `worker`; resolves once it printed that it is running. */
  start(name: string, command: 'serve' | 'worker'): Promise<TopologyProc>;
  /** SIGTERM, then waits for the exit. */
  stop(p: TopologyProc): Promise<void>;
  /** Kills what still runs, stops the bucket and the cluster, removes the temp folder. */
  close(): Promise<void>;
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** `env`: settings added for every process, given the temp folder (e.g. a MODELS_DIR below it). */
export async function startTopology(o: { name: string; env?: (root: string) => Record<string, string> }): Promise<Topology> {
  const root = mkdtempSync(join(tmpdir(), `pf-${o.name}-`));
  const [cluster, s3] = await Promise.all([startPgCluster({ maxConnections: 200 }), startS3rver([`pf-${o.name}`])]);
  const env: Record<string, string> = {
    DATABASE_URL: cluster.url,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.settings.bucket,
    S3_REGION: s3.settings.region,
    S3_ACCESS_KEY_ID: s3.settings.accessKeyId!,
    S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey!,
    S3_FORCE_PATH_STYLE: 'on',
    SIGNING_KEYS: `${o.name}-signing-key-shared-by-all`,
    PUBLIC_URL: 'http://photos.example.test',
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    JOBS_IN_SERVER: 'off',
    ...o.env?.(root),
  };
  const procs: TopologyProc[] = [];

  const cli = (args: string[]) =>
    new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, [BIN, ...args, '--json'], {
        env: { ...process.env, ...env, DATA_DIR: join(root, 'cli') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d));
      child.stderr!.on('data', (d: Buffer) => (err += d));
      child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`photo-finish ${args.join(' ')}: ${code}\n${err}`))));
    });

  const start = (name: string, command: 'serve' | 'worker') =>
    new Promise<TopologyProc>((done, fail) => {
      const child = spawn(process.execPath, [BIN, command], {
        env: { ...process.env, ...env, DATA_DIR: join(root, name) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const p: TopologyProc = { name, child, out: '' };
      procs.push(p);
      const ready = command === 'serve' ? /running at (http:\/\/127\.0\.0\.1:\d+)\// : /worker is running/;
      child.stdout!.on('data', (d: Buffer) => {
        p.out += d.toString();
        const m = ready.exec(p.out);
        if (m) {
          p.url = m[1];
          done(p);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (p.out += d.toString()));
      child.on('exit', (code) => fail(new Error(`${name} exited (${code}) before it was ready:\n${p.out}`)));
    });

  const stop = async (p: TopologyProc) => {
    if (!running(p.child)) return;
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGTERM');
    await exited;
  };

  const close = async () => {
    const left = procs.filter((p) => running(p.child));
    const exits = left.map((p) => new Promise((r) => p.child.once('exit', r)));
    for (const p of left) p.child.kill('SIGKILL');
    await Promise.all(exits);
    await s3.stop();
    cluster.stop();
    rmSync(root, { recursive: true, force: true });
  };

  return { cluster, s3, root, env, procs, cli, start, stop, close };
}
