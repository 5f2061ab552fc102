import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cropQuad,
  mapSquare,
  quadSize,
  recTensorData,
  rotateQuad,
  squareToQuad,
  subQuad,
} from '../../../server/vision/ocr/crop.ts';
import type { Quad } from '../../../server/vision/ocr/db-postprocess.ts';
import type { RgbImage } from '../../../server/vision/ocr/preprocess.ts';

const near = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b} (±${eps})`);

/** W×H picture: left half black, right half white, with a red 1-px column at x = W/4. */
function halves(W: number, H: number): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      const v = x >= W / 2 ? 255 : 0;
      data[i] = x === W / 4 ? 255 : v;
      data[i + 1] = v;
      data[i + 2] = v;
    }
  }
  return { data, width: W, height: H };
}

const px = (img: RgbImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('ocr crop: geometry', () => {
  test('quadSize takes the longer of opposite edges', () => {
    const q: Quad = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 12, y: 5 },
      { x: 0, y: 4 },
    ];
    const s = quadSize(q);
    near(s.width, Math.hypot(12, 1));
    near(s.height, Math.hypot(2, 5));
  });

  test('square→quad maps the corners exactly, affine and projective', () => {
    const quads: Quad[] = [
      [
        { x: 10, y: 20 },
        { x: 110, y: 40 },
        { x: 100, y: 90 },
        { x: 0, y: 70 },
      ],
      [
        { x: 5, y: 5 },
        { x: 95, y: 15 },
        { x: 80, y: 60 },
        { x: 15, y: 50 },
      ],
    ];
    for (const q of quads) {
      const m = squareToQuad(q);
      const corners = [mapSquare(m, 0, 0), mapSquare(m, 1, 0), mapSquare(m, 1, 1), mapSquare(m, 0, 1)];
      corners.forEach((c, i) => {
        near(c.x, q[i]!.x, 1e-9);
        near(c.y, q[i]!.y, 1e-9);
      });
    }
    // Projective: the centre of the square goes to the crossing of the diagonals.
    const q = quads[1]!;
    const c = mapSquare(squareToQuad(q), 0.5, 0.5);
    const cross = (ax: number, ay: number, bx: number, by: number) => ax * by - ay * bx;
    const d1 = { x: q[2].x - q[0].x, y: q[2].y - q[0].y };
    const d2 = { x: q[3].x - q[1].x, y: q[3].y - q[1].y };
    const t = cross(q[1].x - q[0].x, q[1].y - q[0].y, d2.x, d2.y) / cross(d1.x, d1.y, d2.x, d2.y);
    near(c.x, q[0].x + d1.x * t, 1e-9);
    near(c.y, q[0].y + d1.y * t, 1e-9);
  });

  test('rotateQuad relabels corners like np.rot90 (ccw) and its inverse (cw)', () => {
    const q: Quad = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 1, y: 3 },
      { x: 0, y: 3 },
    ];
    assert.deepEqual(rotateQuad(q, 'ccw'), [q[1], q[2], q[3], q[0]]);
    assert.deepEqual(rotateQuad(rotateQuad(q, 'ccw'), 'cw'), q);
  });

  test('subQuad interpolates along the top and bottom edges, clamped', () => {
    const q: Quad = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 10 },
      { x: 0, y: 10 },
    ];
    const s = subQuad(q, 0.25, 1.5);
    assert.deepEqual(s, [
      { x: 25, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 10 },
      { x: 25, y: 10 },
    ]);
  });
});

describe('ocr crop: sampling', () => {
  test('an axis-aligned box is cut to height 48 with its aspect kept', () => {
    const img = halves(200, 100);
    const q: Quad = [
      { x: 0, y: 0 },
      { x: 200, y: 0 },
      { x: 200, y: 100 },
      { x: 0, y: 100 },
    ];
    const c = cropQuad(img, q);
    assert.equal(c.height, 48);
    assert.equal(c.width, 96);
    assert.equal(c.rotated, false);
    assert.deepEqual(px(c, 5, 24), [0, 0, 0]);
    assert.deepEqual(px(c, 90, 24), [255, 255, 255]);
    // The 1-px red line at x=50 survives shrinking as a reddish column near x=24 (supersampled, not skipped).
    const col = [22, 23, 24, 25].map((x) => px(c, x, 24)[0]!);
    assert.ok(Math.max(...col) > 40, `red column lost: ${col}`);
  });

  test('a tall box is turned upright: ccw puts its right side on top', () => {
    const img = halves(100, 300);
    const q: Quad = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 300 },
      { x: 0, y: 300 },
    ];
    const ccw = cropQuad(img, q, { rotate: 'ccw' });
    assert.equal(ccw.rotated, true);
    assert.equal(ccw.height, 48);
    assert.equal(ccw.width, 144);
    // After np.rot90 the old right half (white) is the top half.
    assert.deepEqual(px(ccw, 70, 5), [255, 255, 255]);
    assert.deepEqual(px(ccw, 70, 42), [0, 0, 0]);
    const cw = cropQuad(img, q, { rotate: 'cw' });
    assert.deepEqual(px(cw, 70, 5), [0, 0, 0]);
    assert.deepEqual(px(cw, 70, 42), [255, 255, 255]);
  });

  test('a turned quad samples along its own axes; outside the picture is edge-clamped', () => {
    const img = halves(100, 100);
    const a = (20 * Math.PI) / 180;
    const c0 = { x: 50, y: 50 };
    const corner = (u: number, v: number) => ({
      x: c0.x + u * Math.cos(a) - v * Math.sin(a),
      y: c0.y + u * Math.sin(a) + v * Math.cos(a),
    });
    const q: Quad = [corner(-40, -10), corner(40, -10), corner(40, 10), corner(-40, 10)];
    const c = cropQuad(img, q);
    assert.equal(c.width, Math.round((48 * 80) / 20));
    assert.deepEqual(px(c, 10, 24), [0, 0, 0]);
    assert.deepEqual(px(c, c.width - 10, 24), [255, 255, 255]);
    const off: Quad = [
      { x: -50, y: -50 },
      { x: 150, y: -50 },
      { x: 150, y: 0 },
      { x: -50, y: 0 },
    ];
    const o = cropQuad(img, off);
    assert.equal(o.width, 192);
    assert.deepEqual(px(o, 0, 0), [0, 0, 0]);
    assert.deepEqual(px(o, 191, 0), [255, 255, 255]);
  });

  test('a long box is capped at maxWidth', () => {
    const img = halves(100, 100);
    const q: Quad = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 1 },
      { x: 0, y: 1 },
    ];
    assert.equal(cropQuad(img, q, { maxWidth: 320 }).width, 320);
  });
});

describe('ocr crop: recogniser tensor', () => {
  test('BGR planes, v/127.5 − 1, zero padding on the right', () => {
    const crop = { data: new Uint8Array(48 * 2 * 3), width: 2, height: 48 };
    crop.data.set([255, 0, 127]); // pixel (0,0) = RGB (255, 0, 127); the rest black
    const t = recTensorData([crop, crop], 4);
    const plane = 4 * 48;
    assert.equal(t.length, 2 * 3 * plane);
    near(t[0]!, 127 / 127.5 - 1); // B
    near(t[plane]!, -1); // G
    near(t[2 * plane]!, 1); // R
    near(t[1]!, -1);
    assert.equal(t[2], 0); // padding
    assert.equal(t[3], 0);
    near(t[3 * plane + 2 * plane]!, 1); // second crop, R plane
    assert.throws(() => recTensorData([crop], 1), RangeError);
    assert.throws(() => recTensorData([{ data: new Uint8Array(9), width: 1, height: 3 }], 4), RangeError);
  });
});
