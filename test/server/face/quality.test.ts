// Face quality (issue 17): the score, how search uses it, and where it is stored (migration 0121).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cosine, faceQuality, l2normalize, matchThreshold, packEmbeddingInt8 } from '../../../core/face/index.ts';
import { FACE_PIPELINES, MODEL_FILES } from '../../../core/models.ts';
import { FaceService } from '../../../server/services/faces.ts';
import { createLogger } from '../../../server/log.ts';
import type { Store } from '../../../server/store/types.ts';
import { releaseDatabaseFor } from '../../support/postgres.ts';
import { openTestStore } from '../../support/store.ts';
import { FaceIndex } from '../../../server/vision/face-index.ts';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const unit = (rand: () => number) => l2normalize(Float32Array.from({ length: 512 }, () => rand() - 0.5));
function near(rand: () => number, v: Float32Array, c: number): Float32Array {
  const r = unit(rand);
  const d = cosine(r, v);
  for (let i = 0; i < v.length; i++) r[i] = r[i]! - d * v[i]!;
  l2normalize(r);
  return l2normalize(Float32Array.from(v, (x, i) => c * x + Math.sqrt(1 - c * c) * r[i]!));
}

describe('faceQuality', () => {
  it('is 0..1, grows with size and sharpness, and is 1 for a large sharp face', () => {
    assert.equal(faceQuality(200, 500), 1);
    assert.equal(faceQuality(64, 120), 1);
    assert.ok(faceQuality(20, 500) < faceQuality(32, 500));
    assert.ok(faceQuality(32, 500) < faceQuality(48, 500));
    assert.ok(faceQuality(80, 10) < faceQuality(80, 40));
    for (const [s, b] of [
      [0, 0],
      [10, 1],
      [20, Number.NaN],
      [1e6, 1e9],
      [-5, -5],
    ] as const) {
      const q = faceQuality(s, b);
      assert.ok(q >= 0 && q <= 1, `${s}, ${b} → ${q}`);
    }
  });

  it('raises the threshold of a low-quality face by at most maxRaise, never for quality 1', () => {
    const rule = { penalty: 0.2, maxRaise: 0.1 };
    assert.equal(matchThreshold(0.45, 1, rule), 0.45);
    assert.ok(Math.abs(matchThreshold(0.45, 0.75, rule) - 0.5) < 1e-9);
    assert.ok(Math.abs(matchThreshold(0.45, 0, rule) - 0.55) < 1e-9);
    assert.equal(matchThreshold(0.45, 0.2), 0.45); // no rule: the legacy behaviour
    assert.equal(matchThreshold(0.45, Number.NaN, rule), 0.45); // unknown quality counts as 1
  });
});

describe('FaceIndex with a quality rule', () => {
  it('matches a low-quality face only on a clearer resemblance; unknown quality is not penalised', () => {
    const rand = rng(7);
    const me = unit(rand);
    const rows = [
      { image_id: 'sharp', packed: packEmbeddingInt8(near(rand, me, 0.5)), quality: 1 },
      { image_id: 'tiny', packed: packEmbeddingInt8(near(rand, me, 0.5)), quality: 0.1 },
      { image_id: 'tiny-but-close', packed: packEmbeddingInt8(near(rand, me, 0.7)), quality: 0.1 },
      { image_id: 'old', packed: packEmbeddingInt8(near(rand, me, 0.5)), quality: null },
    ];
    const rule = { penalty: 0.2, maxRaise: 0.2 };
    for (const forceJs of [false, true]) {
      const withRule = FaceIndex.fromPacked(rows, { qualityRule: rule, forceJs });
      assert.deepEqual(
        withRule
          .search(me, 0.45)
          .map((h) => h.image_id)
          .sort(),
        ['old', 'sharp', 'tiny-but-close'],
      );
      const without = FaceIndex.fromPacked(rows, { forceJs });
      assert.equal(without.search(me, 0.45).length, 4);
    }
  });
});

describe('faces store and service: quality and model (migration 0121)', () => {
  let dir: string;
  let store: Store;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-face-quality-'));
    store = openTestStore(dir);
  });
  after(async () => {
    await store.close();
    await releaseDatabaseFor(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores quality and model per face; search compares only embeddings of the pipeline’s feature model', async () => {
    const org = await store.orgs.create('Q');
    const event = await store.events.create(org.id, { name: 'Q' });
    const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    for (const i of [1, 2, 3]) {
      await store.images.insert(
        {
          id: id(i),
          event_id: event.id,
          content_hash: `h${i}`,
          original_name: `p${i}.jpg`,
          captured_at: null,
          width: 100,
          height: 100,
          mime: 'image/jpeg',
          bytes: 1,
          original_key: `o/${i}`,
          renditions: [],
        },
        [],
      );
    }
    const rand = rng(3);
    const me = unit(rand);
    const face = (c: number, quality: number | null | undefined, model: string | null | undefined) => ({
      box: [0, 0, 30, 40] as [number, number, number, number],
      score: 0.99,
      sharpness: 50,
      embedding: packEmbeddingInt8(near(rand, me, c)),
      ...(quality !== undefined ? { quality } : {}),
      ...(model !== undefined ? { model } : {}),
    });
    const feature = MODEL_FILES[FACE_PIPELINES.default.models.feature].name;
    await store.faces.replaceForImage(event.id, id(1), [face(0.8, 0.4, feature)]);
    await store.faces.replaceForImage(event.id, id(2), [face(0.8, undefined, undefined)]); // before 0121: NULLs
    await store.faces.replaceForImage(event.id, id(3), [face(0.8, 1, 'another_model.onnx')]);
    const [row] = await store.faces.listForImage(id(1));
    assert.equal(row!.quality, 0.4);
    assert.equal(row!.model, feature);
    const [old] = await store.faces.listForImage(id(2));
    assert.equal(old!.quality, null);
    assert.equal(old!.model, null);

    const service = new FaceService({ store, log: createLogger('error'), modelsDir: dir });
    const { search } = await service.search({ ...event, face_threshold: 0.45 }, () => ({ kind: 'vector', embedding: me }));
    const hits = await store.faces.allSearchHits(search.request_id);
    assert.deepEqual(hits.map((h) => h.image_id).sort(), [id(1), id(2)]);
    await service.close();
  });
});
