// A real app over a real SQLite file and blob folder in a fresh temp dir, for server tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.ts';
import { registerCheckout } from '../../server/checkout/index.ts';
import { LocalBlobStore } from '../../server/blobs/local.ts';
import type { AppDeps } from '../../server/deps.ts';
import { createLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { Entitlements } from '../../server/services/entitlements.ts';
import { createSigner } from '../../server/services/signing.ts';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.ts';

export interface Harness {
  dir: string;
  deps: AppDeps & { store: SqliteStore };
  app: ReturnType<typeof createApp>;
  /** Calls the app in-process, with the given key in X-API-Key (omit for none). */
  call(
    path: string,
    opts?: { key?: string; method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  listen(): Promise<RunningServer>;
  close(): Promise<void>;
}

export function createHarness(overrides: Partial<AppDeps> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'pf-test-'));
  const store = openSqliteStore(join(dir, 'photo-finish.sqlite'));
  const deps = {
    store,
    blobs: new LocalBlobStore(join(dir, 'blobs')),
    entitlements: new Entitlements(),
    signer: createSigner(['test-signing-key']),
    log: createLogger('silent'),
    publicUrl: null,
    rateLimitPerMinute: 0,
    site: null,
    ...overrides,
  } as AppDeps & { store: SqliteStore };
  registerCheckout(deps);
  deps.selfieResults ??= deps.faces; // a FaceService passed in also answers downloads by selfie
  const app = createApp(deps);
  let server: RunningServer | null = null;
  return {
    dir,
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
      else await store.close();
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
