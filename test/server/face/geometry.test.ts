// Pure geometry / tensor / quality units of core/face (no models).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ARCFACE_REFERENCE,
  DETECT_INPUT_H,
  DETECT_INPUT_W,
  DETECTOR_MIN_FACE_INPUT_PX,
  ImagePyramid,
  MIN_EMBED_FACE_PX,
  SELFIE_MIN_FACE_PX,
  applySimilarity,
  buildDetectorTensor,
  buildFeatureTensor,
  chooseSelfieFace,
  containment,
  cosine,
  cropResize,
  decodeDetections,
  decodeLandmarks,
  dequantizeInt8,
  detectFaces,
  dot,
  embeddingFromBytes,
  embeddingToBytes,
  estimateSimilarity,
  fivePoints,
  halve,
  invertSimilarity,
  iou,
  l2normalize,
  landmarkCrop,
  laplacianVariance,
  nms,
  packEmbeddingInt8,
  planDetection,
  quantizeInt8,
  unpackEmbeddingInt8,
  warpAffine,
  type Box,
  type DetectTile,
  type FaceBackend,
  type Point,
  type RasterImage,
} from '../../../core/face/index.ts';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianUnit(rand: () => number, n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  return l2normalize(v);
}

/** RGB image whose channels are linear in x and y (bilinear sampling reproduces it exactly). */
function gradient(width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = x;
      data[o + 1] = y;
      data[o + 2] = 100;
    }
  }
  return { data, width, height, channels: 3 };
}

const face = (box: Box, score = 0.99) => ({ box, score });

describe('boxes: IoU and NMS', () => {
  it('computes IoU and containment', () => {
    assert.equal(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
    assert.equal(iou([0, 0, 10, 10], [10, 0, 20, 10]), 0);
    assert.ok(Math.abs(iou([0, 0, 10, 10], [5, 0, 15, 10]) - 50 / 150) < 1e-12);
    assert.equal(containment([2, 2, 4, 4], [0, 0, 10, 10]), 1);
    assert.equal(containment([0, 0, 10, 10], [2, 2, 4, 4]), 0.04);
  });

  it('keeps the best box of each overlapping cluster and every separate box', () => {
    const kept = nms(
      [face([0, 0, 100, 100], 0.96), face([5, 5, 105, 105], 0.99), face([300, 0, 400, 100], 0.97), face([2, 0, 98, 102], 0.98)],
      0.3,
    );
    assert.deepEqual(
      kept.map((f) => f.score),
      [0.99, 0.97],
    );
  });

  it('keeps boxes overlapping less than the threshold, drops parts of a face with containment', () => {
    const a = face([0, 0, 100, 100], 0.99);
    const b = face([80, 0, 180, 100], 0.98); // IoU 20/180
    assert.equal(nms([a, b], 0.3).length, 2);
    const part = face([20, 40, 60, 90], 0.97); // wholly inside a, IoU 0.2
    assert.equal(nms([a, part], 0.3).length, 2);
    assert.deepEqual(nms([a, part], 0.3, 0.7), [a]);
  });
});

describe('tiling plan', () => {
  const sizes: [number, number][] = [
    [320, 240],
    [640, 480],
    [1434, 2333],
    [4000, 3000],
    [6000, 1000],
    [4096, 2734],
  ];

  it('starts with one full-frame pass and only adds tiles when faces could be too small for it', () => {
    const small = planDetection(320, 240);
    assert.equal(small.length, 1);
    assert.equal(small[0]!.level, 0);
    const big = planDetection(4000, 3000);
    assert.ok(big.length > 1);
    assert.equal(big.filter((t) => t.level === 0).length, 1);
    const full = big[0]!.rect;
    assert.ok(full.x <= 0 && full.y <= 0 && full.x + full.w >= 4000 && full.y + full.h >= 3000);
    assert.ok(Math.abs(full.w / full.h - DETECT_INPUT_W / DETECT_INPUT_H) < 1e-9);
    // Fewer runs when small faces need not be found.
    assert.ok(planDetection(4000, 3000, { minFace: 100 }).length < big.length);
    assert.ok(planDetection(8000, 6000, { maxTiles: 40 }).length <= 40);
  });

  it('every tile level covers the whole image', () => {
    for (const [w, h] of sizes) {
      const plan = planDetection(w, h);
      for (const level of new Set(plan.map((t) => t.level))) {
        const tiles = plan.filter((t) => t.level === level);
        for (let y = 0; y < h; y += Math.max(1, Math.floor(h / 97))) {
          for (let x = 0; x < w; x += Math.max(1, Math.floor(w / 97))) {
            assert.ok(
              tiles.some((t) => x >= t.rect.x && x < t.rect.x + t.rect.w && y >= t.rect.y && y < t.rect.y + t.rect.h),
              `${w}x${h} level ${level}: (${x},${y}) not covered`,
            );
          }
        }
      }
    }
  });

  it('for any face from minFace up, some tile sees it whole, at a detectable size, within its size range', () => {
    const rand = rng(7);
    for (const [w, h] of sizes) {
      const plan = planDetection(w, h, { minFace: MIN_EMBED_FACE_PX });
      for (let i = 0; i < 400; i++) {
        const size = MIN_EMBED_FACE_PX * Math.pow(Math.min(w, h) / MIN_EMBED_FACE_PX / 1.5, rand());
        const bw = size;
        const bh = Math.min(h, size * 1.3);
        const x = rand() * (w - bw);
        const y = rand() * (h - bh);
        const box: Box = [x, y, x + bw, y + bh];
        const ok = plan.some((t) => {
          const inside =
            t.level === 0 ||
            (box[0] >= t.rect.x && box[1] >= t.rect.y && box[2] <= t.rect.x + t.rect.w && box[3] <= t.rect.y + t.rect.h);
          const detectable = (bw * DETECT_INPUT_W) / t.rect.w >= DETECTOR_MIN_FACE_INPUT_PX - 1e-9;
          return inside && detectable && bw <= t.maxFace;
        });
        assert.ok(ok, `${w}x${h}: face ${box.map(Math.round).join(',')} is seen whole by no tile at a detectable size`);
      }
    }
  });
});

describe('detector tensors and decoding', () => {
  it('builds planar RGB (v-127)/128 with letterbox padding', () => {
    const img: RasterImage = { data: new Uint8Array(640 * 240 * 3).fill(200), width: 640, height: 240, channels: 3 };
    const pyr = new ImagePyramid(img);
    const [tile] = planDetection(640, 240);
    const t = buildDetectorTensor(pyr, tile!);
    assert.equal(t.length, 3 * 240 * 320);
    // 640×240 letterboxed into 4:3: rows at the top and bottom are padding (black → -127/128).
    assert.equal(t[0], -127 / 128);
    assert.equal(t[120 * 320 + 160], (200 - 127) / 128);
    assert.equal(t[2 * 240 * 320 + 120 * 320 + 160], (200 - 127) / 128);
  });

  it('maps tile-normalised boxes to image pixels, applies the cut and drops inner-edge boxes', () => {
    const tile: DetectTile = {
      rect: { x: 1000, y: 500, w: 640, h: 480 },
      level: 2,
      maxFace: 200,
      inner: { left: true, top: false, right: true, bottom: false },
    };
    const scores = Float32Array.from([0.01, 0.99, 0.5, 0.5, 0.02, 0.98, 0.03, 0.97, 0.04, 0.96]);
    const boxes = Float32Array.from([
      0.5,
      0.5,
      0.6,
      0.7, // kept
      0.1,
      0.1,
      0.2,
      0.2, // score 0.5: cut
      0.0,
      0.2,
      0.1,
      0.4, // touches the inner left edge: dropped
      0.2,
      0.0,
      0.3,
      0.2, // touches the top edge, which is the image border: kept
      0.1,
      0.1,
      0.9,
      0.9, // wider than maxFace: dropped
    ]);
    const out = decodeDetections(scores, boxes, tile, 5000, 4000, 0.95);
    assert.equal(out.length, 2);
    assert.deepEqual(
      out[0]!.box.map((v) => Math.round(v * 1000) / 1000),
      [1320, 740, 1384, 836],
    );
    assert.ok(Math.abs(out[0]!.score - 0.99) < 1e-6);
    assert.deepEqual(out[1]!.box.map(Math.round), [1128, 500, 1192, 596]);
  });

  it('detectFaces runs every tile through the backend and merges by NMS (fake backend)', async () => {
    const img: RasterImage = { data: new Uint8Array(2000 * 1500 * 3), width: 2000, height: 1500, channels: 3 };
    const calls: number[][] = [];
    // Every run reports a face in the middle of its tile with the same image-space meaning only
    // for the full frame; tile detections are either small faces or dropped as inner-edge ones.
    const backend: FaceBackend = {
      async run(model, input, dims) {
        assert.equal(model, 'detect');
        assert.equal(
          input.length,
          dims.reduce((a, b) => a * b, 1),
        );
        calls.push(dims);
        const scores = new Float32Array(4420 * 2);
        const boxes = new Float32Array(4420 * 4);
        scores[1] = 0.999;
        boxes.set([0.45, 0.4, 0.55, 0.6], 0);
        return { scores, boxes };
      },
    };
    const faces = await detectFaces(img, backend, { minFace: 40 });
    const plan = planDetection(2000, 1500, { minFace: 40 });
    assert.equal(calls.length, plan.length);
    assert.deepEqual(calls[0], [1, 3, 240, 320]);
    // One face per tile centre, merged where they coincide; the full-frame one is there.
    assert.ok(faces.some((f) => iou(f.box, [900, 600, 1100, 900]) > 0.99));
    for (const f of faces) assert.ok(f.box[0] >= 0 && f.box[3] <= 1500);
  });
});

describe('resampling', () => {
  it('crop+resize reproduces a linear gradient exactly (pixel-centre convention)', () => {
    const img = gradient(200, 100);
    const out = cropResize(img, { x: 20, y: 10, w: 100, h: 50 }, 50, 25);
    for (let y = 0; y < 25; y++) {
      for (let x = 0; x < 50; x++) {
        const o = (y * 50 + x) * 3;
        assert.ok(Math.abs(out.data[o]! - (20 + 2 * x + 0.5)) <= 0.51, `x at ${x},${y}: ${out.data[o]}`);
        assert.ok(Math.abs(out.data[o + 1]! - (10 + 2 * y + 0.5)) <= 0.51);
      }
    }
  });

  it('an identity crop returns the image; outside samples get the fill', () => {
    const img = gradient(40, 30);
    assert.deepEqual(cropResize(img, { x: 0, y: 0, w: 40, h: 30 }, 40, 30).data, img.data);
    const out = cropResize(img, { x: -40, y: 0, w: 80, h: 30 }, 80, 30, 9);
    assert.equal(out.data[0], 9);
    assert.equal(out.data[(0 * 80 + 41) * 3], 1);
  });

  it('warps by a rotation+scale and samples the right source points', () => {
    const img = gradient(220, 220);
    const sim = { a: 0.8 * Math.cos(0.3), b: 0.8 * Math.sin(0.3), tx: 15, ty: -20 }; // src → dst
    const out = warpAffine(img, invertSimilarity(sim), 112, 112);
    const inv = invertSimilarity(sim);
    for (const [x, y] of [
      [10, 10],
      [56, 56],
      [100, 30],
      [30, 100],
    ] as const) {
      const sx = inv[0] * x + inv[1] * y + inv[2];
      const sy = inv[3] * x + inv[4] * y + inv[5];
      const o = (y * 112 + x) * 3;
      assert.ok(Math.abs(out.data[o]! - sx) <= 0.51, `x: ${out.data[o]} vs ${sx}`);
      assert.ok(Math.abs(out.data[o + 1]! - sy) <= 0.51, `y: ${out.data[o + 1]} vs ${sy}`);
    }
  });

  it('halve: every output pixel is the rounded mean of its 2×2 block (edges replicated), RGB or RGBA, odd sizes', () => {
    const r = rng(11);
    for (const [w, h, c] of [
      [9, 7, 3],
      [8, 5, 4],
      [1, 6, 3],
      [6, 1, 4],
      [1, 1, 3],
    ] as const) {
      const img: RasterImage = {
        data: Uint8Array.from({ length: w * h * c }, () => Math.floor(r() * 256)),
        width: w,
        height: h,
        channels: c,
      };
      const out = halve(img);
      assert.deepEqual([out.width, out.height, out.channels], [Math.max(1, w >> 1), Math.max(1, h >> 1), 3]);
      const px = (x: number, y: number, k: number) => img.data[(Math.min(y, h - 1) * w + Math.min(x, w - 1)) * c + k]!;
      for (let y = 0; y < out.height; y++)
        for (let x = 0; x < out.width; x++)
          for (let k = 0; k < 3; k++) {
            const sum = px(2 * x, 2 * y, k) + px(2 * x + 1, 2 * y, k) + px(2 * x, 2 * y + 1, k) + px(2 * x + 1, 2 * y + 1, k);
            assert.equal(out.data[(y * out.width + x) * 3 + k], (sum + 2) >> 2, `${w}x${h}x${c} at ${x},${y},${k}`);
          }
    }
  });

  it('the pyramid halves with a box filter and anti-aliased warps stay close to plain ones on smooth images', () => {
    const img = gradient(256, 200);
    const h = halve(img);
    assert.equal(h.width, 128);
    assert.equal(h.height, 100);
    assert.equal(h.data[(10 * 128 + 10) * 3], Math.round((20 + 21 + 20 + 21) / 4));
    const pyr = new ImagePyramid(img);
    const a = pyr.cropResize({ x: 0, y: 0, w: 256, h: 200 }, 32, 25);
    const b = cropResize(img, { x: 0, y: 0, w: 256, h: 200 }, 32, 25);
    for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(a.data[i]! - b.data[i]!) <= 2);
  });
});

describe('similarity transform (Umeyama) and alignment', () => {
  it('recovers a known similarity from the five points exactly', () => {
    const truth = { a: 1.7 * Math.cos(0.4), b: 1.7 * Math.sin(0.4), tx: 123.4, ty: -56.7 };
    const src: Point[] = ARCFACE_REFERENCE.map((p) => [p[0] * 3 + 10, p[1] * 2.5 + 4]);
    const dst = src.map((p) => applySimilarity(truth, p));
    const est = estimateSimilarity(src, dst);
    for (const k of ['a', 'b', 'tx', 'ty'] as const)
      assert.ok(Math.abs(est[k] - truth[k]) < 1e-9, `${k}: ${est[k]} vs ${truth[k]}`);
  });

  it('is the least-squares fit under noise and its inverse maps back', () => {
    const rand = rng(3);
    const truth = { a: 0.42, b: -0.11, tx: 20, ty: 30 };
    const src: Point[] = Array.from({ length: 50 }, () => [rand() * 400, rand() * 400]);
    const dst = src
      .map((p) => applySimilarity(truth, p))
      .map((p): Point => [p[0] + (rand() - 0.5) * 0.2, p[1] + (rand() - 0.5) * 0.2]);
    const est = estimateSimilarity(src, dst);
    assert.ok(Math.abs(est.a - truth.a) < 1e-3 && Math.abs(est.b - truth.b) < 1e-3);
    const inv = invertSimilarity(est);
    const q = applySimilarity(est, [17, 99]);
    assert.ok(Math.abs(inv[0] * q[0] + inv[1] * q[1] + inv[2] - 17) < 1e-9);
    assert.ok(Math.abs(inv[3] * q[0] + inv[4] * q[1] + inv[5] - 99) < 1e-9);
  });

  it('picks eye centres, nose tip and mouth corners from 68 points, in crop coordinates', () => {
    const out = new Float32Array(136);
    for (let i = 0; i < 68; i++) {
      out[2 * i] = i / 100;
      out[2 * i + 1] = 0.5;
    }
    const crop = { x: 10, y: 20, w: 200, h: 100 };
    const pts = decodeLandmarks(out, crop);
    assert.ok(Math.abs(pts[30]![0] - (10 + 0.3 * 200)) < 1e-4 && pts[30]![1] === 70);
    const five = fivePoints(pts);
    assert.ok(Math.abs(five[0]![0] - (10 + 0.385 * 200)) < 1e-4); // mean of 36..41
    assert.ok(Math.abs(five[1]![0] - (10 + 0.445 * 200)) < 1e-4); // mean of 42..47
    assert.deepEqual(
      five.slice(2).map((p) => Math.round(p[0])),
      [70, 106, 118],
    );
  });

  it('the landmark crop extends the box and stays inside the image', () => {
    const c = landmarkCrop([100, 100, 200, 220], 1000, 1000);
    assert.deepEqual([c.x, c.y, c.w, c.h], [95, 100, 110, 132]);
    const edge = landmarkCrop([0, 50, 100, 180], 90, 190);
    assert.ok(edge.x >= 0 && edge.x + edge.w <= 90 && edge.y + edge.h <= 190);
  });
});

describe('embedding maths', () => {
  it('feature tensor is planar BGR (v-127)/128', () => {
    const data = new Uint8Array(112 * 112 * 3);
    for (let i = 0; i < 112 * 112; i++) data.set([255, 10, 0], i * 3);
    const t = buildFeatureTensor({ data, width: 112, height: 112, channels: 3 });
    const n = 112 * 112;
    assert.equal(t[0], -127 / 128); // B plane first
    assert.equal(t[n], (10 - 127) / 128);
    assert.equal(t[2 * n], 1); // R plane last: (255-127)/128
    assert.throws(() => buildFeatureTensor({ data, width: 56, height: 224, channels: 3 }), /112/);
  });

  it('normalises and compares', () => {
    const v = l2normalize(Float32Array.from([3, 4]));
    assert.ok(Math.abs(v[0]! - 0.6) < 1e-7 && Math.abs(v[1]! - 0.8) < 1e-7);
    assert.deepEqual(l2normalize(new Float32Array(3)), new Float32Array(3));
    assert.ok(Math.abs(cosine([1, 0], [1, 1]) - Math.SQRT1_2) < 1e-12);
    assert.equal(cosine([1, 2, 3], [-1, -2, -3]), -1);
    assert.equal(dot([1, 2], [3, 4]), 11);
  });

  it('int8 storage changes cosine scores by ≤ 0.002', () => {
    const rand = rng(11);
    let worst = 0;
    for (let i = 0; i < 300; i++) {
      const a = gaussianUnit(rand, 512);
      const b = gaussianUnit(rand, 512);
      // Mix so that scores span −0.2..1.
      const mix = rand() * 1.2 - 0.2;
      for (let k = 0; k < 512; k++) b[k] = mix * a[k]! + (1 - Math.abs(mix)) * b[k]!;
      l2normalize(b);
      const { q, scale } = quantizeInt8(b);
      worst = Math.max(worst, Math.abs(dot(a, dequantizeInt8(q, scale)) - dot(a, b)));
    }
    assert.ok(worst <= 0.002, `worst int8 error ${worst}`);
  });

  it('packs and unpacks int8 and float32 embeddings', () => {
    const v = gaussianUnit(rng(5), 512);
    const packed = packEmbeddingInt8(v);
    assert.equal(packed.length, 516);
    const { q, scale } = unpackEmbeddingInt8(packed);
    assert.ok(cosine(dequantizeInt8(q, scale), v) > 0.9999);
    assert.deepEqual(embeddingFromBytes(embeddingToBytes(v)), v);
  });
});

describe('quality and selfie choice', () => {
  it('variance of the Laplacian: 0 on flat or linear images, high on texture', () => {
    assert.equal(laplacianVariance({ data: new Uint8Array(30 * 30 * 3).fill(90), width: 30, height: 30, channels: 3 }), 0);
    assert.ok(laplacianVariance(gradient(60, 60)) < 1e-6);
    const data = new Uint8Array(30 * 30 * 3);
    for (let i = 0; i < 900; i++) data.fill(((i % 30) + Math.floor(i / 30)) % 2 ? 255 : 0, i * 3, i * 3 + 3);
    assert.ok(laplacianVariance({ data, width: 30, height: 30, channels: 3 }) > 10000);
  });

  it('chooses the largest, most central face or refuses with a reason', () => {
    const big = SELFIE_MIN_FACE_PX * 3;
    assert.deepEqual(chooseSelfieFace([], 1000, 1000), { ok: false, reason: 'no_face' });
    const one = chooseSelfieFace([face([400, 400, 400 + big, 400 + big])], 1000, 1000);
    assert.ok(one.ok);
    const two = chooseSelfieFace([face([0, 0, 200, 200]), face([500, 500, 690, 690])], 1000, 1000);
    assert.deepEqual(two, { ok: false, reason: 'several_faces' });
    const bystander = chooseSelfieFace([face([20, 20, 80, 80]), face([400, 300, 700, 700])], 1000, 1000);
    assert.ok(bystander.ok && bystander.index === 1);
    assert.deepEqual(chooseSelfieFace([face([10, 10, 10 + SELFIE_MIN_FACE_PX - 1, 90])], 1000, 1000), {
      ok: false,
      reason: 'too_small',
    });
  });
});
