// A real app over a real store and blob folder in a fresh temp dir, for server tests: the SQLite file in the dir, or,
// with PF_TEST_STORE=postgres, a fresh PostgreSQL database (test/support/postgres.ts); blobs in the dir, or the run's
// S3 server when PF_TEST_BLOBS=s3 (test/support/blob-engine.ts). The deps come from the composition root (createDeps)
// like the server's, with face search and bib OCR off unless a test asks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../../server/app.ts';
import { createDepsWith, type DepsOptions } from '../../server/bootstrap.ts';
import { loadEngines } from '../../server/engines.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { AppDeps } from '../../server/deps.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { releaseTestBlobs, sharedTestBlobStore, testBlobStore } from './blob-engine.ts';
import { databaseEnv, releaseDatabaseFor } from './postgres.ts';

export interface Harness {
  dir: string;
  config: Config;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  /** Calls the app in-process, with the given key in X-API-Key (omit for none). */
  call(
    path: string,
    opts?: { key?: string; method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  listen(): Promise<RunningServer>;
  /** Stops the server (if listening) and closes the deps (pools, timers, store), then deletes the temp dir (and gives the PostgreSQL database back). */
  close(): Promise<void>;
}

export interface HarnessOptions extends Omit<DepsOptions, 'serveSite'> {
  /** Settings over the test defaults (temp DATA_DIR, one signing key, no rate limit, silent log). */
  config?: Partial<Config>;
}

const MODELS_DIR = resolve(import.meta.dirname, '../../models');

/** The settings of a test app in `dir` (never from the process environment). */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: dir,
    SIGNING_KEYS: 'test-signing-key',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    MODELS_DIR,
    // Off in every test, whichever engine (it defaults on with DATABASE_URL): tests that count renders stay exact;
    // test/server/jobs/certificate-jobs.test.ts turns it on.
    CERTIFICATE_PRERENDER: 'off',
    ...env,
  });
}

// Every engine (SQLite, PostgreSQL, S3), loaded once: createHarness stays synchronous whatever a test configures.
const ENGINES = await loadEngines('all');

export function createHarness(opts: HarnessOptions = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'pf-test-'));
  const { config: overrides, ...depsOptions } = opts;
  // A test may point the app at a DATA_DIR of its own (shared with CLI children): then the database is that dir's.
  const dataDir = overrides?.dataDir ?? dir;
  const config: Config = { ...testConfig(dir, databaseEnv(dataDir)), ...overrides };
  // A test's own blob store (a counting or failing one, or its own S3 settings) wins; else the engine of the run.
  // A second harness on another's DATA_DIR shares its blobs (as both would share DATA_DIR/blobs on the folder).
  const joined = depsOptions.blobs || config.s3 || dataDir === dir ? null : sharedTestBlobStore(dataDir);
  const s3 = joined ?? (depsOptions.blobs || config.s3 ? null : testBlobStore(dataDir));
  const deps = createDepsWith(ENGINES, config, {
    faces: false,
    bibtrack: false,
    ...(s3 ? { blobs: s3 } : {}),
    ...depsOptions,
    serveSite: false,
  });
  const app = createApp(deps);
  let server: RunningServer | null = null;
  return {
    dir,
    config,
    deps,
    app,
    call(path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key) headers['X-API-Key'] = opts.key;
      let body: BodyInit | undefined;
      if (opts.body instanceof FormData || typeof opts.body === 'string') body = opts.body;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['Content-Type'] ??= 'application/json';
      }
      return Promise.resolve(
        app.request(`http://127.0.0.1${path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body }),
      );
    },
    async listen() {
      server = await startServer(deps, 0);
      return server;
    },
    async close() {
      if (server) await server.close();
      await deps.close();
      if (joined) joined.close();
      else if (s3) {
        await s3.deleteAll();
        s3.close();
        releaseTestBlobs(dataDir);
      }
      if (dataDir === dir) await releaseDatabaseFor(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Envelope<T = unknown> {
  responseType: 'success' | 'error';
  message: string;
  data: T;
}

export async function json<T = unknown>(res: Response): Promise<Envelope<T>> {
  return (await res.json()) as Envelope<T>;
}
