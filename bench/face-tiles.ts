// Face detection tiles on 12-MP race frames (issue 20): per tile level, the detector runs, the time spent resampling
// tiles and running the detector, and the faces each level contributes to the final result.
//   node --import tsx bench/face-tiles.ts [--photos 6]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CONTAINMENT_THRESHOLD,
  DETECT_DIMS,
  ImagePyramid,
  NMS_IOU_THRESHOLD,
  buildDetectorTensor,
  decodeDetections,
  nms,
  planDetection,
  tileActivity,
  type DetectedFace,
} from '../core/face/index.ts';
import { FACE_PIPELINES } from '../core/models.ts';
import { createLogger } from '../server/log.ts';
import { demoRunners } from '../server/seed/demo.ts';
import { loadDemoFaces } from '../server/seed/faces.ts';
import { prng } from '../server/seed/random.ts';
import { renderScene } from '../server/seed/scene.ts';
import { FaceService } from '../server/services/faces.ts';
import { openSqliteStore } from '../server/store/sqlite/index.ts';
import { loadFaceModels } from '../server/vision/face-models.ts';
import { decodeImage } from '../server/vision/face-runner.ts';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '6' } } });
const N = Number(values.photos);
const ROOT = resolve(import.meta.dirname, '..');
const facesDir = resolve(process.env.FACES_DATASET ?? join(ROOT, '..', 'shared', 'datasets', 'faces'));
if (!existsSync(facesDir)) throw new Error(`face dataset not found at ${facesDir}`);
const modelsDir = resolve(process.env.MODELS_DIR ?? join(ROOT, 'models'));
const runners = demoRunners();
const demoFaces = await loadDemoFaces(
  facesDir,
  new FaceService({ store: openSqliteStore(':memory:'), log: createLogger('silent'), modelsDir }),
  runners.map((r) => r.bib),
);
const wearing = runners.filter((r) => demoFaces.cutouts.has(r.bib));
const models = await loadFaceModels(modelsDir, 'default');
const spec = FACE_PIPELINES.default;
const r = prng(7);
type Stat = { tiles: number; warpMs: number; runMs: number; faces: number };
const acts: number[] = [];
const hitActs: number[] = [];
const stats = new Map<number, Stat>();
const sizes: number[] = [];
for (let i = 0; i < N; i++) {
  const field = [wearing[i % wearing.length]!, wearing[(i + 1) % wearing.length]!, wearing[(i + 2) % wearing.length]!];
  const jpeg = await renderScene(r, {
    width: 4000,
    height: 3000,
    runners: field,
    banner: i % 2 ? 'FINISH' : null,
    exif: null,
    faces: field.map((f) => demoFaces.cutouts.get(f.bib) ?? null),
  });
  const { image } = await decodeImage(jpeg);
  const pyr = new ImagePyramid(image);
  const tiles = planDetection(pyr.width, pyr.height, { minFace: Math.min(spec.minEmbedFace, spec.detectMinFace) });
  const found: (DetectedFace & { level: number })[] = [];
  for (const tile of tiles) {
    const s = stats.get(tile.level) ?? { tiles: 0, warpMs: 0, runMs: 0, faces: 0 };
    stats.set(tile.level, s);
    const act = tileActivity(pyr, tile);
    if (tile.level > 0) acts.push(act);
    const t0 = performance.now();
    const input = buildDetectorTensor(pyr, tile);
    const t1 = performance.now();
    const out = await models.backend.run('detect', input, [...DETECT_DIMS]);
    const t2 = performance.now();
    s.tiles++;
    s.warpMs += t1 - t0;
    s.runMs += t2 - t1;
    const hits = decodeDetections(out.scores!, out.boxes!, tile, pyr.width, pyr.height);
    if (hits.length && tile.level > 0) hitActs.push(act);
    for (const f of hits) found.push({ ...f, level: tile.level });
  }
  for (const f of nms(found, NMS_IOU_THRESHOLD, CONTAINMENT_THRESHOLD)) {
    stats.get(f.level)!.faces++;
    sizes.push(Math.round(Math.min(f.box[2] - f.box[0], f.box[3] - f.box[1])));
  }
}
console.log(`${N} photos 4000×3000; face sizes (shorter side, px): ${sizes.sort((a, b) => a - b).join(' ')}`);
const pct = (t: number) => `${((100 * acts.filter((a) => a <= t).length) / acts.length).toFixed(0)} %`;
console.log(
  `tile activity (max luma step): tiles with a detection ${hitActs.sort((a, b) => a - b).join(' ')}; tiles ≤ 8: ${pct(8)}, ≤ 12: ${pct(12)}, ≤ 16: ${pct(16)}, ≤ 24: ${pct(24)}`,
);
for (const [level, s] of [...stats].sort((a, b) => a[0] - b[0])) {
  console.log(
    `level ${level}: ${s.tiles / N} tiles/photo, warp ${(s.warpMs / N).toFixed(0)} ms, detector ${(s.runMs / N).toFixed(0)} ms ` +
      `(${(s.runMs / s.tiles).toFixed(2)} ms/run), faces kept ${s.faces}`,
  );
}
