// A seeded, real photo-finish server on a free loopback port, shared by the browser test suites.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalBlobStore } from '../../server/blobs/local.ts';
import { registerCheckout } from '../../server/checkout/index.ts';
import type { AppDeps } from '../../server/deps.ts';
import { createLogger } from '../../server/log.ts';
import { attachFaces } from '../../server/services/faces.ts';
import { seedDemo, type DemoInfo } from '../../server/seed/demo.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { Entitlements } from '../../server/services/entitlements.ts';
import { createSigner } from '../../server/services/signing.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';

export interface ApiFixture {
  url: string;
  demo: DemoInfo;
  dataDir: string;
  deps: AppDeps;
  server: RunningServer;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../..');
/** Real face photos pasted on demo runners when the dataset is there (never copied into the repo). */
const FACES_DATASET = resolve(process.env.FACES_DATASET ?? join(root, '..', 'shared', 'datasets', 'faces'));

export interface FixtureOptions {
  photos?: number;
  dataDir?: string;
  /** Face photos pasted on demo runners (selfie search); null = none; default: the face dataset when present. */
  faces?: string | null;
}

export async function startApiFixture(opts: FixtureOptions = {}): Promise<ApiFixture> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pf-fixture-'));
  const deps: AppDeps = {
    store: openSqliteStore(join(dataDir, 'photo-finish.sqlite')),
    blobs: new LocalBlobStore(join(dataDir, 'blobs')),
    entitlements: new Entitlements(),
    signer: createSigner(['fixture-signing-key']),
    log: createLogger(process.env.LOG_LEVEL ?? 'silent'),
    publicUrl: null,
    rateLimitPerMinute: 0,
    site: {
      distDir: join(root, 'dist'),
      modelsDir: join(root, 'models'),
      demoDir: join(root, 'demo'),
      demoFile: join(dataDir, 'demo.json'),
    },
  };
  registerCheckout(deps);
  attachFaces(deps, { modelsDir: join(root, 'models') });
  const server = await startServer(deps, 0);
  const { info } = await seedDemo({
    store: deps.store,
    blobs: deps.blobs,
    dataDir,
    baseUrl: server.url,
    count: opts.photos ?? 64,
    shopPhotos: 12,
    faces: deps.faces,
    facePhotos: opts.faces !== undefined ? opts.faces : existsSync(FACES_DATASET) ? FACES_DATASET : null,
  });
  return {
    url: server.url,
    demo: info,
    dataDir,
    deps,
    server,
    async stop() {
      await server.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
