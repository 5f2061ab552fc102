// In-memory face index (WebAssembly SIMD kernel and JS fallback) and its per-event LRU cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cosine, l2normalize, packEmbeddingInt8, quantizeInt8 } from '../../../core/face/index.ts';
import { FaceIndex, FaceIndexCache, simdAvailable } from '../../../server/vision/face-index.ts';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const unit = (rand: () => number, dim = 512) => l2normalize(Float32Array.from({ length: dim }, () => rand() - 0.5));
/** A vector at cosine ≈ `c` to `v`. */
function near(rand: () => number, v: Float32Array, c: number): Float32Array {
  const r = unit(rand, v.length);
  const d = cosine(r, v);
  for (let i = 0; i < v.length; i++) r[i] = r[i]! - d * v[i]!;
  l2normalize(r);
  return l2normalize(Float32Array.from(v, (x, i) => c * x + Math.sqrt(1 - c * c) * r[i]!));
}

describe('FaceIndex', () => {
  it('has the SIMD kernel on this Node', () => assert.ok(simdAvailable()));

  it('returns one hit per photo (its best face), best first, above the threshold', () => {
    const rand = rng(1);
    const me = unit(rand);
    const faces = [
      { image_id: 'a', embedding: near(rand, me, 0.6) },
      { image_id: 'a', embedding: near(rand, me, 0.9) }, // same photo, better face
      { image_id: 'b', embedding: near(rand, me, 0.7) },
      { image_id: 'c', embedding: near(rand, me, 0.3) }, // below threshold
      { image_id: 'd', embedding: unit(rand) },
      { image_id: 'e', embedding: near(rand, me, 0.5) },
    ];
    for (const precision of ['int8', 'float32'] as const) {
      for (const forceJs of [false, true]) {
        const idx = FaceIndex.fromFaces(faces, { precision, forceJs });
        assert.equal(idx.size, 6);
        assert.equal(idx.photoCount, 5);
        assert.equal(idx.simd, !forceJs);
        const hits = idx.search(me, 0.45);
        assert.deepEqual(
          hits.map((h) => h.image_id),
          ['a', 'b', 'e'],
          `${precision} ${forceJs ? 'js' : 'simd'}`,
        );
        assert.ok(Math.abs(hits[0]!.score - 0.9) < 0.002);
        assert.ok(Math.abs(hits[2]!.score - 0.5) < 0.002);
        assert.deepEqual(
          idx.search(me, 0.45, { limit: 1 }).map((h) => h.image_id),
          ['a'],
        );
      }
    }
  });

  it('SIMD and JS paths and int8 vs float32 agree (≤0.002) on 5k random faces, with non-multiple-of-16 dims too', () => {
    const rand = rng(2);
    for (const dim of [512, 100]) {
      const n = 5000;
      const ids = Array.from({ length: n }, (_, i) => i % 1700);
      const matrix = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) matrix.set(unit(rand, dim), i * dim);
      const q = near(rand, matrix.subarray(0, dim) as Float32Array, 0.8);
      const f32 = FaceIndex.fromFloat32(ids, matrix, { precision: 'float32', dim }).scores(q);
      const f32js = FaceIndex.fromFloat32(ids, matrix, { precision: 'float32', dim, forceJs: true }).scores(q);
      const i8 = FaceIndex.fromFloat32(ids, matrix, { precision: 'int8', dim }).scores(q);
      const i8js = FaceIndex.fromFloat32(ids, matrix, { precision: 'int8', dim, forceJs: true }).scores(q);
      let dJs = 0;
      let dInt8 = 0;
      for (let i = 0; i < n; i++) {
        const exact = cosine(q, matrix.subarray(i * dim, (i + 1) * dim));
        assert.ok(Math.abs(f32[i]! - exact) < 1e-5);
        dJs = Math.max(dJs, Math.abs(f32[i]! - f32js[i]!), Math.abs(i8[i]! - i8js[i]!));
        dInt8 = Math.max(dInt8, Math.abs(i8[i]! - exact));
      }
      assert.ok(dJs < 1e-4, `simd vs js ${dJs}`);
      assert.ok(dInt8 <= 0.002, `int8 error ${dInt8}`);
    }
  });

  it('builds from int8 rows and from packed rows (as stored), and handles an empty event', () => {
    const rand = rng(3);
    const vs = Array.from({ length: 10 }, () => unit(rand));
    const ids = vs.map((_, i) => `p${i}`);
    const q = new Int8Array(10 * 512);
    const scales = new Float32Array(10);
    vs.forEach((v, i) => (scales[i] = quantizeInt8(v, q.subarray(i * 512, (i + 1) * 512)).scale));
    const a = FaceIndex.fromInt8(ids, q, scales);
    const b = FaceIndex.fromPacked(vs.map((v, i) => ({ image_id: ids[i]!, packed: packEmbeddingInt8(v) })));
    assert.deepEqual(a.search(vs[4]!, 0.45), b.search(vs[4]!, 0.45));
    assert.equal(a.search(vs[4]!, 0.45)[0]!.image_id, 'p4');
    const empty = FaceIndex.fromFaces<string>([]);
    assert.deepEqual(empty.search(vs[0]!, 0.45), []);
    assert.throws(() => a.search(new Float32Array(128)), /512/);
  });

  it('candidates and rescore give exactly the cosines of a full scan; search is the scan filtered per photo', () => {
    const rand = rng(7);
    const me = unit(rand);
    // 3000 faces of 1000 photos: random ones and ~300 near `me` at cosines 0.2–0.95, with qualities.
    const faces = Array.from({ length: 3000 }, (_, i) => ({
      id: 10 + 2 * i,
      image_id: `p${i % 1000}`,
      embedding: i % 10 === 0 ? near(rand, me, 0.2 + 0.75 * rand()) : unit(rand),
      quality: i % 3 === 0 ? null : rand(),
    }));
    const packed = faces.map((f) => ({ ...f, packed: packEmbeddingInt8(f.embedding) }));
    const rule = { penalty: 0.05, maxRaise: 0.05 };
    for (const forceJs of [false, true]) {
      const idx = FaceIndex.fromPacked(packed, { qualityRule: rule, forceJs });
      const all = idx.scores(me);
      const c = idx.candidates(me, 0.3);
      const expected = [...all.keys()].filter((r) => all[r]! >= 0.3);
      assert.ok(expected.length > 100, `${expected.length} candidates`);
      assert.deepEqual([...c.rows.subarray(0, c.count)], expected);
      assert.deepEqual(
        [...c.scores.subarray(0, c.count)],
        expected.map((r) => all[r]!),
      );
      // Another query over those rows only: the same values as its full scan.
      const other = near(rand, me, 0.8);
      const full = idx.scores(other);
      const re = idx.rescore(other, c.rows, c.count);
      assert.deepEqual(
        [...re],
        expected.map((r) => full[r]!),
      );
      // search = per photo, the best face passing threshold + its quality raise, best first.
      const best = new Map<string, number>();
      for (let r = 0; r < idx.size; r++) {
        if (!idx.passes(r, all[r]!, 0.45)) continue;
        const p = idx.photoAt(r);
        best.set(p, Math.max(best.get(p) ?? -Infinity, all[r]!));
      }
      const hits = idx.search(me, 0.45);
      assert.equal(hits.length, best.size);
      for (const h of hits) assert.equal(h.score, best.get(h.image_id));
      for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
      // The quality raise is applied: some face above 0.45 but under its raise is not counted.
      assert.ok([...all.keys()].some((r) => all[r]! >= 0.45 && !idx.passes(r, all[r]!, 0.45)));
      // Face ids, rows and the stored vectors.
      assert.ok(idx.hasFaceIds);
      assert.equal(idx.faceId(5), 20);
      assert.equal(idx.rowOfFace(20), 5);
      assert.equal(idx.rowOfFace(21), -1);
      const v = idx.vector(42);
      const { q, scale } = quantizeInt8(l2normalize(Float32Array.from(faces[42]!.embedding)));
      const ref = l2normalize(Float32Array.from(q, (x) => x * scale));
      for (let k = 0; k < v.length; k++) assert.ok(Math.abs(v[k]! - ref[k]!) < 1e-6);
      assert.ok(Math.abs(cosine(v, me) - all[42]!) < 0.002);
    }
    // A threshold every face passes: each call answers in full (the grown scratch buffer is let go and rebuilt).
    const rand2 = rng(9);
    const many = FaceIndex.fromFunction(
      Array.from({ length: 70_000 }, (_, i) => i % 20_000),
      () => unit(rand2, 16),
      { dim: 16 },
    );
    const q16 = unit(rand2, 16);
    for (let k = 0; k < 2; k++) assert.equal(many.search(q16, -1.1).length, 20_000);
    assert.equal(many.search(q16, 2).length, 0);
    // Without ids (an index built from float rows) rows are not found by id.
    const plain = FaceIndex.fromFaces(faces.slice(0, 10));
    assert.equal(plain.hasFaceIds, false);
    assert.equal(plain.rowOfFace(10), -1);
  });
});

describe('FaceIndexCache', () => {
  const tiny = (tag: string) =>
    FaceIndex.fromFaces([{ image_id: tag, embedding: Float32Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0)) }]);

  it('loads once, shares concurrent loads and evicts the least recently used', async () => {
    const loads: number[] = [];
    const cache = new FaceIndexCache<number>({
      maxEntries: 2,
      load: async (id) => {
        loads.push(id);
        await new Promise((r) => setTimeout(r, 5));
        return tiny(`e${id}`);
      },
    });
    const [x, y] = await Promise.all([cache.get(1), cache.get(1)]);
    assert.equal(x, y);
    await cache.get(2);
    await cache.get(1); // 1 is now the most recent
    await cache.get(3); // evicts 2
    assert.deepEqual(loads, [1, 2, 3]);
    assert.ok(cache.has(1) && cache.has(3) && !cache.has(2));
    assert.equal(cache.size, 2);
    await cache.get(2);
    assert.deepEqual(loads, [1, 2, 3, 2]);
  });

  it('invalidate drops the entry and discards a load in flight', async () => {
    let version = 0;
    let release: () => void = () => {};
    const cache = new FaceIndexCache<string>({
      load: async () => {
        const v = ++version;
        if (v === 1) await new Promise<void>((r) => (release = r));
        return tiny(`v${v}`);
      },
    });
    const stale = cache.get('ev');
    cache.invalidate('ev'); // faces changed while loading
    const fresh = await cache.get('ev');
    release();
    await stale;
    assert.equal(fresh.search(Float32Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0)))[0]!.image_id, 'v2');
    assert.equal(await cache.get('ev'), fresh);
    cache.invalidate('ev');
    assert.equal(cache.has('ev'), false);
  });

  it('does not cache a failed load', async () => {
    let fail = true;
    const cache = new FaceIndexCache<string>({
      load: () => {
        if (fail) throw new Error('db down');
        return tiny('ok');
      },
    });
    await assert.rejects(cache.get('ev'), /db down/);
    fail = false;
    assert.ok(await cache.get('ev'));
  });

  it('respects a memory budget', async () => {
    const cache = new FaceIndexCache<number>({ maxEntries: 10, maxBytes: 1, load: (id) => tiny(String(id)) });
    await cache.get(1);
    await cache.get(2);
    assert.equal(cache.size, 1);
    assert.ok(cache.has(2));
  });
});
