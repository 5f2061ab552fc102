// The face stage's cheaper tiles (issue 20): the detector input built in one reused buffer gives the same tensor as a
// fresh one, and indexing skips flat tiles (sky, road, walls) without losing a face: the real photos of the dataset
// give the same faces with and without the skip, and a face pasted on a flat background is still found.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import {
  DETECT_INPUT_H,
  DETECT_INPUT_W,
  ImagePyramid,
  buildDetectorTensor,
  detectFaces,
  detectorScratch,
  planDetection,
  tileActivity,
  type FaceBackend,
  type RasterImage,
} from '../../../core/face/index.ts';
import { loadFaceModels } from '../../../server/vision/face-models.ts';
import { INDEX_FLAT_TILE_STEP, INDEX_MAX_TILES, createFaceRunner, decodeImage } from '../../../server/vision/face-runner.ts';
import { FACES_DIR, MODELS_DIR, needsDataset, readFace } from './dataset.ts';

function randomImage(width: number, height: number, seed: number): RasterImage {
  let s = seed;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 16807) % 2147483647) & 255;
  return { data, width, height, channels: 3 };
}

/** A smooth sky-to-ground gradient with a little noise: no face can be there. */
function flatImage(width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  let s = 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const n = ((s = (s * 16807) % 2147483647) % 5) - 2;
      const p = (y * width + x) * 3;
      data[p] = 110 + (60 * y) / height + n;
      data[p + 1] = 160 + (40 * y) / height + n;
      data[p + 2] = 230 - (30 * y) / height + n;
    }
  }
  return { data, width, height, channels: 3 };
}

describe('detector tiles', () => {
  it('a reused input buffer holds the same tensor as a fresh one, tile after tile', () => {
    const pyr = new ImagePyramid(randomImage(1700, 1100, 11));
    const tiles = planDetection(pyr.width, pyr.height, { minFace: 16 });
    assert.ok(tiles.length > 20 && new Set(tiles.map((t) => t.level)).size >= 3);
    const scratch = detectorScratch();
    for (const tile of tiles) {
      const fresh = buildDetectorTensor(pyr, tile);
      const reused = buildDetectorTensor(pyr, tile, true, scratch);
      assert.equal(reused, scratch.tensor);
      assert.equal(reused.length, 3 * DETECT_INPUT_W * DETECT_INPUT_H);
      assert.deepEqual(reused, fresh);
    }
  });

  it('tile activity: a smooth gradient is flat, texture is not', () => {
    const flat = new ImagePyramid(flatImage(1600, 1200));
    const busy = new ImagePyramid(randomImage(1600, 1200, 5));
    for (const tile of planDetection(1600, 1200, { minFace: 16 }).filter((t) => t.level > 0)) {
      assert.ok(tileActivity(flat, tile) <= INDEX_FLAT_TILE_STEP, `flat tile ${JSON.stringify(tile.rect)}`);
      assert.ok(tileActivity(busy, tile) > 40);
      // Stopping early still says "not flat".
      assert.ok(tileActivity(busy, tile, INDEX_FLAT_TILE_STEP) > INDEX_FLAT_TILE_STEP);
    }
  });
});

describe('flat tiles skipped by indexing (real models and faces)', needsDataset, () => {
  let backend: FaceBackend;
  let runs = 0;
  before(async () => {
    const models = await loadFaceModels(MODELS_DIR);
    backend = {
      feature: models.backend.feature,
      run: (model, input, dims) => {
        if (model === 'detect') runs++;
        return models.backend.run(model, input, dims);
      },
    };
  });

  it('every real photo gives the same faces with and without the skip', async () => {
    const files: string[] = [];
    for (const d of readdirSync(FACES_DIR)) {
      if (!statSync(join(FACES_DIR, d)).isDirectory()) continue;
      for (const f of readdirSync(join(FACES_DIR, d))) if (/\.jpe?g$/i.test(f)) files.push(`${d}/${f}`);
    }
    assert.ok(files.length >= 10);
    let faces = 0;
    for (const file of files) {
      const { image } = await decodeImage(readFace(file));
      const pyr = new ImagePyramid(image);
      const all = await detectFaces(pyr, backend, { minFace: 16 });
      const skipped = await detectFaces(pyr, backend, { minFace: 16, skipFlatTiles: INDEX_FLAT_TILE_STEP });
      assert.deepEqual(skipped, all, file);
      faces += all.length;
    }
    assert.ok(faces >= 20, `${faces} faces`);
  });

  it('indexing a 12-MP frame runs the detector at most INDEX_MAX_TILES times; a 2000×1428 photo keeps 16-px tiles', async () => {
    const runner = createFaceRunner(backend);
    const image = randomImage(4000, 3000, 17);
    runs = 0;
    await runner.indexDecodedFaces!({ image, originalWidth: 4000, originalHeight: 3000, scale: 1 });
    assert.ok(runs > 50 && runs <= INDEX_MAX_TILES, `${runs} detector runs`);
    const plan = planDetection(2000, 1428, { minFace: 16, maxTiles: INDEX_MAX_TILES });
    assert.deepEqual(plan, planDetection(2000, 1428, { minFace: 16 }));
    assert.equal(Math.min(...plan.map((t) => t.rect.w)), DETECT_INPUT_W);
  });

  it('a small face on a flat sky is found; the flat tiles around it are not run', async () => {
    const W = 2400;
    const H = 1800;
    const sky = flatImage(W, H);
    const face = await sharp(readFace('obama/obama_official_portrait.jpg'))
      .extract({ left: 200, top: 120, width: 520, height: 620 })
      .resize(48, 57)
      .removeAlpha()
      .raw()
      .toBuffer();
    const data = Buffer.from(sky.data);
    for (let y = 0; y < 57; y++) face.copy(data, ((1300 + y) * W + 1700) * 3, y * 48 * 3, (y + 1) * 48 * 3);
    const image: RasterImage = { data, width: W, height: H, channels: 3 };
    const runner = createFaceRunner(backend);
    runs = 0;
    const withSkip = await runner.indexDecodedFaces!({ image, originalWidth: W, originalHeight: H, scale: 1 });
    const skippedRuns = runs;
    runs = 0;
    const without = await runner.indexDecodedFaces!(
      { image, originalWidth: W, originalHeight: H, scale: 1 },
      { skipFlatTiles: undefined },
    );
    assert.equal(without.length, 1, 'the pasted face is found without the skip');
    assert.equal(withSkip.length, 1, 'and with it');
    assert.deepEqual(withSkip[0]!.box, without[0]!.box);
    assert.ok(withSkip[0]!.box[0] < 1720 && withSkip[0]!.box[2] > 1730 && withSkip[0]!.box[1] < 1330);
    assert.ok(skippedRuns < runs / 4, `detector runs ${skippedRuns} with the skip, ${runs} without`);
  });
});
