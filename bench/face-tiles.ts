// Face detection tiles on 12-MP race frames (issue 20): per plan, the detector runs per photo, the CPU spent building
// tiles and running the detector, and the faces found. The indexing plan (INDEX_MAX_TILES runs at most, flat tiles
// skipped, server/vision/face-runner.ts) next to the plan before it (200 runs, every tile) in the same run.
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
  detectorScratch,
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
import { INDEX_FLAT_TILE_STEP, INDEX_MAX_TILES, decodeImage } from '../server/vision/face-runner.ts';

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
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const plans = [
  { label: 'before: 200 runs, every tile', maxTiles: 200, flat: undefined },
  { label: `indexing: ≤ ${INDEX_MAX_TILES} runs, flat tiles skipped`, maxTiles: INDEX_MAX_TILES, flat: INDEX_FLAT_TILE_STEP },
];
const stats = plans.map(() => ({ runs: 0, skipped: 0, buildMs: 0, runMs: 0, faces: [] as number[] }));
const r = prng(7);
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
  for (const [k, plan] of plans.entries()) {
    const s = stats[k]!;
    const pyr = new ImagePyramid(image);
    const scratch = detectorScratch();
    const tiles = planDetection(pyr.width, pyr.height, {
      minFace: Math.min(spec.minEmbedFace, spec.detectMinFace),
      maxTiles: plan.maxTiles,
    });
    const found: DetectedFace[] = [];
    for (const tile of tiles) {
      const t0 = cpu();
      if (plan.flat !== undefined && tile.level > 0 && tileActivity(pyr, tile, plan.flat) <= plan.flat) {
        s.skipped++;
        s.buildMs += cpu() - t0;
        continue;
      }
      const input = buildDetectorTensor(pyr, tile, true, scratch);
      const t1 = cpu();
      const out = await models.backend.run('detect', input, [...DETECT_DIMS]);
      s.runMs += cpu() - t1;
      s.buildMs += t1 - t0;
      s.runs++;
      found.push(...decodeDetections(out.scores!, out.boxes!, tile, pyr.width, pyr.height));
    }
    for (const f of nms(found, NMS_IOU_THRESHOLD, CONTAINMENT_THRESHOLD)) {
      s.faces.push(Math.round(Math.min(f.box[2] - f.box[0], f.box[3] - f.box[1])));
    }
  }
}
console.log(`${N} generated 4000×3000 race frames, 3 real faces each; CPU per photo (every thread of the process)`);
for (const [k, plan] of plans.entries()) {
  const s = stats[k]!;
  console.log(
    `${plan.label}: ${(s.runs / N).toFixed(0)} detector runs (${(s.skipped / N).toFixed(0)} flat tiles skipped), ` +
      `tiles built ${(s.buildMs / N).toFixed(0)} ms, detector ${(s.runMs / N).toFixed(0)} ms; ` +
      `${s.faces.length} faces (shorter side ${s.faces.sort((a, b) => a - b).join(' ')} px)`,
  );
}
