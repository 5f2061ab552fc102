import { join, resolve } from 'node:path';
import { blobDir, LocalBlobStore } from './blobs/local.ts';
import type { Config } from './config.ts';
import { registerCheckout } from './checkout/index.ts';
import type { AppDeps } from './deps.ts';
import { createLogger } from './log.ts';
import { demoFile } from './seed/demo.ts';
import { Entitlements } from './services/entitlements.ts';
import { attachBibTrack } from './services/bibtrack.ts';
import { attachFaces } from './services/faces.ts';
import { createSigner } from './services/signing.ts';
import { openSqliteStore } from './store/sqlite/index.ts';

export const dbFile = (dataDir: string) => join(dataDir, 'photo-finish.sqlite');

/** The embedded default: SQLite file + blob folder under DATA_DIR. */
export function createDeps(config: Config, opts: { serveSite?: boolean } = {}): AppDeps {
  const root = resolve(import.meta.dirname, '..');
  const deps = registerCheckout({
    store: openSqliteStore(dbFile(config.dataDir)),
    blobs: new LocalBlobStore(blobDir(config.dataDir)),
    entitlements: new Entitlements(),
    signer: createSigner(config.signingKeys),
    log: createLogger(),
    publicUrl: process.env.PUBLIC_URL ? config.publicUrl : null,
    rateLimitPerMinute: Number(process.env.RATE_LIMIT_PER_MINUTE ?? 600),
    site:
      opts.serveSite === false
        ? null
        : {
            distDir: config.staticRoot,
            modelsDir: config.modelsDir,
            demoDir: join(root, 'demo'),
            demoFile: demoFile(config.dataDir),
          },
  });
  return attachBibTrack(attachFaces(deps, { modelsDir: config.modelsDir }), { modelsDir: config.modelsDir });
}
