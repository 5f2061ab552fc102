import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  binarise,
  connectedComponents,
  convexHull,
  dbPostprocess,
  minAreaRect,
  orderQuad,
  polygonArea,
  quadBounds,
  rectCorners,
  sortReadingOrder,
  unclipDistance,
  unclipRect,
  type Point,
  type Quad,
  type RotatedRect,
} from '../../../server/vision/ocr/db-postprocess.ts';
import { makeRng } from './bib-images.ts';

const near = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b} (±${eps})`);

/** Angle of a rectangle's sides folded to [0, 90°). */
const fold = (rad: number) => ((((rad * 180) / Math.PI) % 90) + 90) % 90;

function bruteMinArea(points: readonly Point[]): number {
  let best = Infinity;
  for (let d = 0; d < 18000; d++) {
    const a = (d / 18000) * (Math.PI / 2);
    const ux = Math.cos(a);
    const uy = Math.sin(a);
    let u0 = Infinity;
    let u1 = -Infinity;
    let v0 = Infinity;
    let v1 = -Infinity;
    for (const p of points) {
      const u = ux * p.x + uy * p.y;
      const v = -uy * p.x + ux * p.y;
      u0 = Math.min(u0, u);
      u1 = Math.max(u1, u);
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
    }
    best = Math.min(best, (u1 - u0) * (v1 - v0));
  }
  return best;
}

describe('ocr db: binarise and connected components', () => {
  test('threshold is strict, components are 8-connected, mean probability per component', () => {
    // 6×4 map: a diagonal pair (8-connected) and a separate blob.
    // prettier-ignore
    const prob = new Float32Array([
      0.9, 0,   0,   0,   0,   0,
      0,   0.7, 0,   0,   0.5, 0.5,
      0,   0,   0,   0,   0.5, 0.2,
      0,   0,   0,   0,   0,   0,
    ]);
    const mask = binarise(prob, 6, 4, 0.3);
    assert.equal(mask[17], 0);
    const { labels, components } = connectedComponents(mask, 6, 4, prob);
    assert.equal(components.length, 2);
    const [a, b] = components as [(typeof components)[0], (typeof components)[0]];
    assert.equal(a.area, 2);
    near(a.meanProb, 0.8, 1e-6);
    assert.deepEqual([a.minX, a.minY, a.maxX, a.maxY], [0, 0, 1, 1]);
    assert.equal(b.area, 3);
    near(b.meanProb, 0.5, 1e-6);
    assert.equal(labels[0], labels[7]);
    assert.notEqual(labels[0], labels[10]);
  });
});

describe('ocr db: convex hull and minimum-area rectangle', () => {
  test('hull drops interior and collinear points, counter-clockwise (positive area)', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 2, y: 0 },
      { x: 4, y: 0 },
      { x: 4, y: 3 },
      { x: 0, y: 3 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    const hull = convexHull(pts);
    assert.equal(hull.length, 4);
    near(polygonArea(hull), 12);
  });

  test('finds a known rotated rectangle exactly', () => {
    const truth: RotatedRect = { cx: 120, cy: 80, width: 90, height: 24, angle: (25 * Math.PI) / 180 };
    const corners = rectCorners(truth);
    // Points on the edges and inside must not change the answer.
    const extra: Point[] = [];
    for (let i = 0; i <= 10; i++) {
      const t = i / 10;
      extra.push({ x: corners[0].x + (corners[1].x - corners[0].x) * t, y: corners[0].y + (corners[1].y - corners[0].y) * t });
      extra.push({ x: 120 + (t - 0.5) * 40, y: 80 + (t - 0.5) * 5 });
    }
    const r = minAreaRect(convexHull([...corners, ...extra]));
    near(r.width * r.height, 90 * 24, 1e-6);
    near(r.cx, 120, 1e-6);
    near(r.cy, 80, 1e-6);
    near(Math.max(r.width, r.height), 90, 1e-6);
    near(Math.min(r.width, r.height), 24, 1e-6);
    near(fold(r.angle), 25, 1e-6);
  });

  test('matches a brute-force search on random point clouds', () => {
    const rng = makeRng(7);
    for (let k = 0; k < 25; k++) {
      const pts = Array.from({ length: 5 + Math.floor(rng() * 40) }, () => ({ x: rng() * 100, y: rng() * 60 }));
      const r = minAreaRect(convexHull(pts));
      const brute = bruteMinArea(pts);
      assert.ok(r.width * r.height <= brute + 1e-6, `calipers ${r.width * r.height} > brute ${brute}`);
      assert.ok(r.width * r.height >= brute * (1 - 1e-3), `calipers ${r.width * r.height} ≪ brute ${brute}`);
      // Every point inside the rectangle.
      const ux = Math.cos(r.angle);
      const uy = Math.sin(r.angle);
      for (const p of pts) {
        const u = (p.x - r.cx) * ux + (p.y - r.cy) * uy;
        const v = -(p.x - r.cx) * uy + (p.y - r.cy) * ux;
        assert.ok(Math.abs(u) <= r.width / 2 + 1e-6 && Math.abs(v) <= r.height / 2 + 1e-6);
      }
    }
  });

  test('degenerate inputs', () => {
    assert.deepEqual(minAreaRect([{ x: 3, y: 4 }]), { cx: 3, cy: 4, width: 0, height: 0, angle: 0 });
    const seg = minAreaRect([
      { x: 0, y: 0 },
      { x: 3, y: 4 },
    ]);
    near(seg.width, 5);
    assert.equal(seg.height, 0);
    assert.throws(() => minAreaRect([]), RangeError);
  });
});

describe('ocr db: unclip', () => {
  test('distance is area · ratio / perimeter; a rectangle grows by it on every side', () => {
    near(unclipDistance(100 * 20, 240, 1.5), 12.5);
    assert.equal(unclipDistance(0, 0, 1.5), 0);
    const r = unclipRect({ cx: 10, cy: 10, width: 100, height: 20, angle: 0.3 }, 1.5);
    near(r.width, 125);
    near(r.height, 45);
    assert.equal(r.angle, 0.3);
    assert.equal(r.cx, 10);
  });
});

describe('ocr db: corner and box order', () => {
  test('orders a turned rectangle tl, tr, br, bl whatever the input order', () => {
    const q = rectCorners({ cx: 50, cy: 50, width: 60, height: 20, angle: (20 * Math.PI) / 180 });
    for (let s = 0; s < 4; s++) {
      const shuffled = [q[(s + 2) % 4]!, q[s]!, q[(s + 3) % 4]!, q[(s + 1) % 4]!];
      const o = orderQuad(shuffled);
      // Top edge runs rightwards and is the long one; the box is below it.
      assert.ok(o[1].x > o[0].x);
      near(Math.hypot(o[1].x - o[0].x, o[1].y - o[0].y), 60, 1e-9);
      assert.ok(o[3].y > o[0].y && o[2].y > o[1].y);
    }
  });

  test('a box turned past 45° comes out tall', () => {
    const o = orderQuad(rectCorners({ cx: 0, cy: 0, width: 60, height: 20, angle: (70 * Math.PI) / 180 }));
    near(Math.hypot(o[1].x - o[0].x, o[1].y - o[0].y), 20, 1e-9);
    assert.ok(o[1].x > o[0].x);
  });

  test('reading order: rows top to bottom, left to right within a row', () => {
    const box = (x: number, y: number) => ({
      id: `${x},${y}`,
      quad: [
        { x, y },
        { x: x + 10, y },
        { x: x + 10, y: y + 5 },
        { x, y: y + 5 },
      ] as Quad,
    });
    const sorted = sortReadingOrder([box(50, 102), box(0, 100), box(20, 40), box(10, 105)]);
    assert.deepEqual(
      sorted.map((b) => b.id),
      ['20,40', '0,100', '10,105', '50,102'],
    );
  });
});

describe('ocr db: the whole step', () => {
  test('a synthetic rotated text blob becomes one unclipped box around it', () => {
    const W = 200;
    const H = 120;
    const prob = new Float32Array(W * H);
    const truth: RotatedRect = { cx: 100, cy: 60, width: 100, height: 20, angle: (15 * Math.PI) / 180 };
    const ux = Math.cos(truth.angle);
    const uy = Math.sin(truth.angle);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const u = (x + 0.5 - truth.cx) * ux + (y + 0.5 - truth.cy) * uy;
        const v = -(x + 0.5 - truth.cx) * uy + (y + 0.5 - truth.cy) * ux;
        if (Math.abs(u) < 50 && Math.abs(v) < 10) prob[y * W + x] = 0.9;
      }
    }
    // A faint blob (mean < 0.6) and a tiny speck are dropped.
    for (let y = 5; y < 15; y++) for (let x = 5; x < 40; x++) prob[y * W + x] = 0.45;
    prob[110 * W + 190] = 0.95;
    const boxes = dbPostprocess(prob, W, H);
    assert.equal(boxes.length, 1);
    const b = boxes[0]!;
    near(b.score, 0.9, 1e-6);
    const d = unclipDistance(100 * 20, 240, 1.5);
    const top = Math.hypot(b.quad[1].x - b.quad[0].x, b.quad[1].y - b.quad[0].y);
    const left = Math.hypot(b.quad[3].x - b.quad[0].x, b.quad[3].y - b.quad[0].y);
    // The hull of pixel squares overshoots a turned edge by up to a pixel, and unclip grows that a little.
    near(top, 100 + 2 * d, 4);
    near(left, 20 + 2 * d, 4);
    near(fold(Math.atan2(b.quad[1].y - b.quad[0].y, b.quad[1].x - b.quad[0].x)), 15, 1.5);
    const [x1, y1, x2, y2] = quadBounds(b.quad);
    near((x1 + x2) / 2, 100, 1);
    near((y1 + y2) / 2, 60, 1);
  });

  test('boxes are clipped to the unpadded area and thin ones dropped', () => {
    const W = 64;
    const H = 64;
    const prob = new Float32Array(W * H);
    for (let y = 20; y < 30; y++) for (let x = 30; x < 60; x++) prob[y * W + x] = 0.8;
    for (let x = 0; x < 20; x++) prob[50 * W + x] = 0.8; // one pixel high: too thin
    const boxes = dbPostprocess(prob, W, H, { validWidth: 50, validHeight: 64 });
    assert.equal(boxes.length, 1);
    assert.ok(boxes[0]!.quad.every((p) => p.x <= 50 && p.x >= 0));
  });
});
