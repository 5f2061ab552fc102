// A restart loads only what serving needs (issue 20, "restart"): the heavy packages (sharp, onnxruntime, pdf-lib,
// fonts, the AWS SDK, pg-boss, tus…) load with the first request or job that uses them, never before /healthz.
// Checked twice: on the static import graph of the sources (which names the chain to cut when it fails), and on a
// real `photo-finish serve` and real CLI commands with a module-load hook (bench/support/module-log.mjs).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importGraph } from '../../support/import-graph.ts';
import { TEST_STORE } from '../../support/postgres.ts';
import { runCli, startCli } from '../helpers/cli.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const HOOK = join(ROOT, 'bench/support/module-log.mjs');

/** Packages a server may load before it answers: the HTTP framework, the schemas, SQLite, small parsers. */
const SERVE_ALLOWED = new Set([
  'hono',
  '@hono/node-server',
  '@hono/zod-openapi',
  '@asteasolutions/zod-to-openapi',
  'zod',
  'better-sqlite3',
  'busboy',
  '@node-rs/argon2',
  'csv-parse',
  '@streamparser/json',
  'yazl',
]);
/** Never loaded by a start or a command that does not use them. */
const HEAVY = [
  'sharp',
  'onnxruntime-node',
  'pdf-lib',
  'fontkit',
  '@pdf-lib/fontkit',
  'stripe',
  'exifr',
  'qrcode',
  'pg',
  'pg-boss',
  '@aws-sdk/client-s3',
  '@tus/server',
];

/** The engine a process is configured with is not a heavy package to it: on PostgreSQL it needs pg (and its queue). */
const ENGINE = new Set(TEST_STORE === 'postgres' ? ['pg', 'pg-boss'] : []);

/**
 * Storage engines of ours the configuration does not name (server/engines.ts): a start on SQLite loads no module of
 * the PostgreSQL store, pg-boss's queue or the PostgreSQL rate limiter; on PostgreSQL not the SQLite store; with the
 * blob folder, not the S3 blob store.
 */
function otherEnginesLoaded(logFile: string): string[] {
  const unused = [
    // (The PostgreSQL store shares row mappers with SQLite's modules, which import its db.ts and so better-sqlite3:
    // only the SQLite store itself is checked there.)
    ...(TEST_STORE === 'postgres' ? ['/server/store/sqlite/index.'] : ['/server/store/postgres/', '/server/jobs/pgboss.']),
    ...(process.env.PF_TEST_BLOBS === 's3' ? [] : ['/server/blobs/s3.']),
  ];
  const loaded = readFileSync(logFile, 'utf8').split('\n');
  return unused.filter((m) => loaded.some((u) => u.includes(m)));
}

function heavyLoaded(logFile: string): string[] {
  const loaded = readFileSync(logFile, 'utf8').split('\n');
  return HEAVY.filter((p) => !ENGINE.has(p) && loaded.some((u) => u.includes(`/node_modules/${p}/`)));
}

describe('what a start loads', () => {
  test('the server entry reaches no heavy package through static imports', () => {
    const { packages } = importGraph(ROOT, ['server/main.ts', 'server/cli/main.ts']);
    const extra = [...packages].filter(([p]) => !SERVE_ALLOWED.has(p)).map(([p, chain]) => `${p}: ${chain.join(' > ')}`);
    assert.deepEqual(extra, [], 'import these where they are used (await import()), not at the top of the chain');
    // The restart path of the demo: its keys and the "ensure" steps, not the scene renderer or the pipeline.
    const demo = importGraph(ROOT, ['server/seed/demo-info.ts']);
    assert.deepEqual(
      [...demo.packages.keys()].filter((p) => !SERVE_ALLOWED.has(p)),
      [],
    );
  });

  test('the graph is real: the seed and the ingest do reach sharp (the check can fail)', () => {
    const { packages } = importGraph(ROOT, ['server/seed/demo.ts']);
    assert.ok(packages.has('sharp'));
    assert.deepEqual(packages.get('sharp')?.[0], 'server/seed/demo.ts');
  });

  describe('real processes', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'pf-lazy-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('photo-finish serve answers /healthz without loading sharp, onnxruntime, pdf-lib, the AWS SDK or the engines it is not configured with', async () => {
      const log = join(dir, 'serve-modules.txt');
      const child = startCli(['serve'], {
        DATA_DIR: join(dir, 'serve'),
        PORT: '0',
        LOG_LEVEL: 'warn',
        PUBLIC_URL: 'https://photos.example.org',
        PF_MODULE_LOG: log,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${HOOK}`.trim(),
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d));
      child.stderr!.on('data', (d: Buffer) => (out += d));
      const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      const url = await new Promise<string>((ok, fail) => {
        child.stdout!.on('data', () => {
          const m = /photo-finish is running at (http:\/\/[\d.:]+)\//.exec(out);
          if (m) ok(m[1]!);
        });
        void closed.then((code) => fail(new Error(`serve exited (${code}):\n${out}`)));
      });
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      child.kill('SIGTERM');
      assert.equal(await closed, 0, out);
      assert.deepEqual(heavyLoaded(log), []);
      assert.deepEqual(otherEnginesLoaded(log), []);
      // The check can fail: the configured engine's store is in the log.
      const store = TEST_STORE === 'postgres' ? '/server/store/postgres/index.' : '/server/store/sqlite/index.';
      assert.ok(readFileSync(log, 'utf8').includes(store));
    });

    for (const cmd of [
      ['org', 'list'],
      ['jobs', 'status'],
      ['credits', 'show', '--org', '1'],
    ]) {
      test(`photo-finish ${cmd.join(' ')} loads no heavy package`, async () => {
        const log = join(dir, `${cmd.join('-')}.txt`);
        const data = join(dir, 'cli');
        await runCli(['org', 'create', '--name', 'Lazy Club'], { DATA_DIR: data });
        const run = await runCli(cmd, {
          DATA_DIR: data,
          PF_MODULE_LOG: log,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${HOOK}`.trim(),
        });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(heavyLoaded(log), []);
        assert.deepEqual(otherEnginesLoaded(log), []);
      });
    }
  });
});
