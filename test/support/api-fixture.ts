// A seeded, real photo-finish server on a free loopback port, shared by the browser test suites.
//
// Seeding reads every demo photo's bibs with OCR (and indexes faces), which takes a while, so the seed is
// made once into a cache folder (os.tmpdir()/pf-seed-cache-<hash of the seed code and options>) and each
// fixture gets a copy of it. The cache's SQLite file is closed and checkpointed before it is ever copied.
// PF_SEED_CACHE=0 seeds every fixture from scratch.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FACES_DIR } from './face-dataset.ts';
import { createDeps } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppDeps } from '../../server/deps.ts';
import { seedDemo, type DemoBibRecall, type DemoInfo } from '../../server/seed/demo.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import type { SqliteStore } from '../../server/store/sqlite/index.ts';

export interface ApiFixture {
  url: string;
  demo: DemoInfo;
  dataDir: string;
  deps: AppDeps;
  server: RunningServer;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../..');
const MODELS = join(root, 'models');
/** Real face photos pasted on demo runners when the dataset is there (never copied into the repo). */
const FACES_DATASET = FACES_DIR;
const SHOP_PHOTOS = 12;

export interface FixtureOptions {
  photos?: number;
  /** Seed into this folder (no cache) and keep it after `stop`. */
  dataDir?: string;
  /** Face photos pasted on demo runners (selfie search); null = none; default: the face dataset when present. */
  faces?: string | null;
}

/** The server's own composition root over `dataDir`, with every feature on (face search, bib OCR, the kit). */
async function appDeps(dataDir: string): Promise<AppDeps & { store: SqliteStore }> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    SIGNING_KEYS: 'fixture-signing-key',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    MODELS_DIR: MODELS,
    STATIC_ROOT: join(root, 'dist'),
    // A failing job is a dead letter after one retry a second later (the console's Failed jobs page is tested on them).
    JOB_RETRY_LIMIT: '1',
    JOB_RETRY_DELAY_SECONDS: '1',
  });
  return (await createDeps(config)) as AppDeps & { store: SqliteStore };
}

async function seed(deps: AppDeps, dataDir: string, baseUrl: string, photos: number, faces: string | null) {
  const t0 = performance.now();
  const res = await seedDemo({
    store: deps.store,
    blobs: deps.blobs,
    certificates: deps.certificates,
    dataDir,
    baseUrl,
    count: photos,
    shopPhotos: SHOP_PHOTOS,
    faces: deps.faces,
    video: deps.video,
    bibtrack: deps.bibtrack,
    facePhotos: faces,
  });
  if (res.created) logSeed(photos, performance.now() - t0, res.bibs);
  return res.info;
}

function logSeed(photos: number, ms: number, bibs: DemoBibRecall | undefined) {
  const read = bibs ? `; bibs read by OCR ${bibs.read}/${bibs.shown}, ${bibs.wrong} wrong` : '';
  console.log(`[api-fixture] seeded ${photos} demo photos in ${(ms / 1000).toFixed(1)} s${read}`);
}

/** Every file under `dir` (sorted, relative), for the cache key. */
function filesUnder(dir: string, filter: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => filter(f) && statSync(join(dir, f)).isFile()).sort();
}

/** The code a seed's data depends on (routes, CLI and HTTP plumbing do not change what is stored). */
const SEED_CODE = [
  'core',
  'server/seed',
  'server/ingest',
  'server/store',
  'server/vision',
  'server/services',
  'server/certify',
  'server/checkout',
  'server/blobs',
  'server/video',
];

/** Hash of what the seed depends on: that code, the lock file, the models' list, the options. */
function seedKey(photos: number, faces: string | null): { options: string; code: string } {
  const code = createHash('sha256');
  for (const top of SEED_CODE) {
    for (const f of filesUnder(join(root, top), (n) => n.endsWith('.ts'))) {
      code
        .update(`${top}/${f}\0`)
        .update(readFileSync(join(root, top, f)))
        .update('\0');
    }
  }
  code.update(readFileSync(join(root, 'package-lock.json')));
  for (const f of filesUnder(MODELS, () => true)) code.update(`${f}:${statSync(join(MODELS, f)).size}\0`);
  const faceFiles = faces ? filesUnder(faces, () => true).map((f) => `${f}:${statSync(join(faces, f)).size}`) : [];
  const options = createHash('sha256')
    .update(JSON.stringify({ photos, shop: SHOP_PHOTOS, faces, faceFiles }))
    .digest('hex')
    .slice(0, 12);
  return { options, code: code.digest('hex').slice(0, 16) };
}

/** Whether the process that took a lock folder is gone (a killed test run): its lock can be taken. */
function lockAbandoned(lock: string): boolean {
  const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  if (age > 20 * 60_000) return true;
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return age > 10_000; // no pid: just made (the pid comes next), or left by a run killed in between
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The cache folder holding a finished seed for these options (made now if missing). Another process seeding
 * the same key is waited for (a lock folder with its pid); the lock of a process that is gone is taken over.
 */
async function seedCache(photos: number, faces: string | null): Promise<string> {
  const key = seedKey(photos, faces);
  const name = `pf-seed-cache-${key.options}-${key.code}`;
  const dir = join(tmpdir(), name);
  const done = join(dir, '.complete');
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(done)) return dir;
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (lockAbandoned(lock)) rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    if (existsSync(done)) return dir;
    // Half-made seeds of killed runs (nobody else writes them while we hold the lock).
    for (const other of readdirSync(tmpdir())) {
      if (other.startsWith(`${name}.tmp-`)) rmSync(join(tmpdir(), other), { recursive: true, force: true });
    }
    const work = mkdtempSync(join(tmpdir(), `${name}.tmp-`));
    const deps = await appDeps(work);
    try {
      await seed(deps, work, 'http://127.0.0.1', photos, faces);
    } finally {
      if (deps.store.db.open) deps.store.db.pragma('wal_checkpoint(TRUNCATE)');
      await deps.close();
    }
    writeFileSync(join(work, '.complete'), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    // Older seeds of the same options (made by older code) are of no use any more.
    for (const other of readdirSync(tmpdir())) {
      if (other.startsWith(`pf-seed-cache-${key.options}-`) && other !== name && !other.includes('.'))
        rmSync(join(tmpdir(), other), { recursive: true, force: true });
    }
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function startApiFixture(opts: FixtureOptions = {}): Promise<ApiFixture> {
  const photos = opts.photos ?? 64;
  const faces = opts.faces !== undefined ? opts.faces : existsSync(FACES_DATASET) ? FACES_DATASET : null;
  const cached = !opts.dataDir && process.env.PF_SEED_CACHE !== '0';
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pf-fixture-'));
  if (cached) {
    const cache = await seedCache(photos, faces);
    cpSync(cache, dataDir, { recursive: true, filter: (src) => !src.endsWith('.complete') });
  }
  const deps = await appDeps(dataDir);
  const server = await startServer(deps, 0);
  // From a copied seed this only points demo.json at this server's URL.
  const demo = await seed(deps, dataDir, server.url, photos, faces);
  return {
    url: server.url,
    demo,
    dataDir,
    deps,
    server,
    async stop() {
      await server.close(); // and deps.close(): the OCR and render threads, the store
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
