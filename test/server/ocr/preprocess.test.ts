import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DET_MEAN,
  DET_STD,
  detTensorData,
  detTensorRows,
  planResize,
  prepareDetPicture,
  resizeRgb,
} from '../../../server/vision/ocr/preprocess.ts';

describe('ocr preprocess: planResize', () => {
  test('scales the long side to the target, up or down, and pads to /32', () => {
    const up = planResize(800, 600, 1536);
    assert.deepEqual([up.width, up.height, up.paddedWidth, up.paddedHeight], [1536, 1152, 1536, 1152]);
    const down = planResize(6000, 4000, 960);
    assert.deepEqual([down.width, down.height, down.paddedWidth, down.paddedHeight], [960, 640, 960, 640]);
    const odd = planResize(1000, 333, 1000);
    assert.deepEqual([odd.width, odd.height, odd.paddedWidth, odd.paddedHeight], [1000, 333, 1024, 352]);
    assert.ok(Math.abs(odd.scaleY - 1) < 1e-9);
  });

  test('portrait, tiny and extreme sizes keep at least one tensor block', () => {
    const p = planResize(600, 900, 1536);
    assert.deepEqual([p.width, p.height], [1024, 1536]);
    const sliver = planResize(5000, 10, 960);
    assert.equal(sliver.height, 2);
    assert.equal(sliver.paddedHeight, 32);
    assert.throws(() => planResize(0, 10, 960), RangeError);
    assert.throws(() => planResize(10, 10, 16), RangeError);
  });
});

describe('ocr preprocess: detTensorData', () => {
  test('BGR planes, ImageNet-normalised, zero padding', () => {
    // 2×1 picture: a red and a white pixel, padded to 4×2.
    const img = { data: new Uint8Array([255, 0, 0, 255, 255, 255]), width: 2, height: 1 };
    const t = detTensorData(img, 4, 2);
    assert.equal(t.length, 3 * 4 * 2);
    const plane = 8;
    const norm = (v: number, c: 0 | 1 | 2) => (v / 255 - DET_MEAN[c]) / DET_STD[c];
    // Red pixel: B plane 0, G plane 0, R plane 255.
    assert.ok(Math.abs(t[0]! - norm(0, 0)) < 1e-6);
    assert.ok(Math.abs(t[plane]! - norm(0, 1)) < 1e-6);
    assert.ok(Math.abs(t[2 * plane]! - norm(255, 2)) < 1e-6);
    // White pixel in every plane.
    assert.ok(Math.abs(t[1]! - norm(255, 0)) < 1e-6);
    assert.ok(Math.abs(t[2 * plane + 1]! - norm(255, 2)) < 1e-6);
    // Padding (right of row 0, and all of row 1) is 0.
    for (const i of [2, 3, 4, 5, 6, 7]) for (let c = 0; c < 3; c++) assert.equal(t[c * plane + i], 0);
  });

  test('detTensorRows: any band of rows equals that band of the whole tensor, padding zeroed in a reused buffer', () => {
    const width = 5;
    const height = 7;
    const img = { data: Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256), width, height };
    const [pw, ph] = [8, 9];
    const whole = detTensorData(img, pw, ph);
    const band = (t: Float32Array, from: number, to: number) => {
      const rows = to - from;
      return [0, 1, 2].flatMap((c) => [...t.subarray(c * pw * ph + from * pw, c * pw * ph + to * pw)]).concat([rows]);
    };
    const reused = new Float32Array(3 * pw * 6).fill(Number.NaN);
    for (const [from, to] of [
      [0, 4],
      [3, 9],
      [6, 9],
    ] as const) {
      const t = detTensorRows(img, pw, from, to, reused);
      assert.equal(t, reused, 'the given buffer is used');
      const rows = to - from;
      const got = [0, 1, 2].flatMap((c) => [...t.subarray(c * pw * rows, (c + 1) * pw * rows)]).concat([rows]);
      assert.deepEqual(got, band(whole, from, to));
    }
    assert.notEqual(detTensorRows(img, pw, 0, 9, reused), reused, 'a buffer too small is not used');
  });

  test('rejects a too-small pad or short buffer', () => {
    assert.throws(() => detTensorData({ data: new Uint8Array(12), width: 2, height: 2 }, 1, 2), RangeError);
    assert.throws(() => detTensorData({ data: new Uint8Array(5), width: 2, height: 1 }, 32, 32), RangeError);
  });
});

describe('ocr preprocess: resize + tensor', () => {
  test('prepareDetPicture resizes with sharp and plans the padding', async () => {
    const w = 50;
    const h = 20;
    const data = new Uint8Array(w * h * 3).fill(200);
    const r = await resizeRgb({ data, width: w, height: h }, 100, 40);
    assert.deepEqual([r.width, r.height, r.data.length], [100, 40, 100 * 40 * 3]);
    assert.ok(Math.abs(r.data[1234]! - 200) <= 1);
    const d = await prepareDetPicture({ data, width: w, height: h }, 100);
    assert.deepEqual(d.dims, [1, 3, 64, 128]);
    assert.deepEqual([d.resized.width, d.resized.height], [100, 40]);
    assert.equal(d.plan.width, 100);
    assert.equal(d.plan.height, 40);
  });
});
