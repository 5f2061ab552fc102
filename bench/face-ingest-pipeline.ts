// Faces indexed per second through the REAL ingest (hash, EXIF, renditions, watermark, face stage, one store
// transaction), on race-like frames: generated scenes with several runners wearing real dataset faces, at
// 12 MP (4000×2667) and at the demo's 1600×1067. The same frames without the face stage, for its cost.
//   node --import tsx bench/face-ingest-pipeline.ts [--photos 8] [--concurrency 2]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalBlobStore } from '../server/blobs/local.ts';
import { ingestBatch } from '../server/ingest/batch.ts';
import { createLogger } from '../server/log.ts';
import { demoRunners } from '../server/seed/demo.ts';
import { loadDemoFaces } from '../server/seed/faces.ts';
import { prng } from '../server/seed/random.ts';
import { renderScene } from '../server/seed/scene.ts';
import { FaceService } from '../server/services/faces.ts';
import { openSqliteStore } from '../server/store/sqlite/index.ts';

const { values } = parseArgs({
  options: { photos: { type: 'string', default: '8' }, concurrency: { type: 'string', default: '2' } },
});
const N = Math.max(1, Number(values.photos));
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const root = resolve(import.meta.dirname, '..');
const facesDir = resolve(process.env.FACES_DATASET ?? join(root, '..', 'shared', 'datasets', 'faces'));
if (!existsSync(facesDir)) throw new Error(`face dataset not found at ${facesDir}`);
const modelsDir = resolve(process.env.MODELS_DIR ?? join(root, 'models'));

const log = createLogger('silent');
const faceStage = (store: ReturnType<typeof openSqliteStore>) => new FaceService({ store, log, modelsDir });
const runners = demoRunners();
const demoFaces = await loadDemoFaces(
  facesDir,
  faceStage(openSqliteStore(':memory:')),
  runners.map((r) => r.bib),
);
const wearing = runners.filter((r) => demoFaces.cutouts.has(r.bib));

async function frames(width: number, height: number) {
  const r = prng(width);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < N; i++) {
    const field = [wearing[i % wearing.length]!, wearing[(i + 1) % wearing.length]!, wearing[(i + 2) % wearing.length]!];
    const data = await renderScene(r, {
      width,
      height,
      runners: field,
      banner: i % 2 ? 'FINISH' : null,
      exif: null,
      faces: field.map((f) => demoFaces.cutouts.get(f.bib) ?? null),
    });
    out.push({ name: `frame-${i}.jpg`, data });
  }
  return out;
}

async function run(label: string, photos: { name: string; data: Buffer }[], withFaces: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-faces-'));
  const store = openSqliteStore(join(dir, 'db.sqlite'));
  const blobs = new LocalBlobStore(join(dir, 'blobs'));
  const faces = withFaces ? faceStage(store) : undefined;
  if (faces) await faces.runner(); // models loaded before the clock starts
  const org = await store.orgs.create('bench');
  const event = await store.events.create(org.id, { name: 'bench', watermark_text: 'photo-finish bench' });
  const report = await ingestBatch(
    { store, blobs, faces },
    event,
    photos.map((p) => ({ name: p.name, read: async () => p.data })),
    { concurrency: CONCURRENCY },
  );
  const s = await store.faces.stats(event.id);
  const sec = report.elapsedMs / 1000;
  console.log(
    `  ${label.padEnd(34)} ${report.added}/${photos.length} photos in ${sec.toFixed(1)} s: ${(report.added / sec).toFixed(2)} photos/s` +
      (withFaces ? `, ${s.faces} faces → ${(s.faces / sec).toFixed(1)} faces/s` : ''),
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return sec;
}

console.log(
  `face stage through the real ingest: ${N} frames, 3 runners with real faces each, concurrency ${CONCURRENCY}, ` +
    `${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}`,
);
for (const [w, h] of [
  [4000, 2667],
  [1600, 1067],
] as const) {
  const photos = await frames(w, h);
  const withFaces = await run(`${w}×${h}, face stage on`, photos, true);
  const without = await run(`${w}×${h}, face stage off`, photos, false);
  console.log(
    `  → the face stage adds ${(((withFaces - without) / N) * 1000).toFixed(0)} ms per photo (wall, ${CONCURRENCY} at a time)`,
  );
}
