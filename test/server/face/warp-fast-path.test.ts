// The axis-aligned fast path of warpAffine (every detector tile of the face stage goes through it) gives the same
// bytes as the plain per-pixel bilinear loop it replaced, for RGB and RGBA sources, crops inside and outside the
// image, up- and down-scaling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropAffine, cropResize, type RasterImage, type Rect } from '../../../core/face/image.ts';

/** The loop before the fast path was unrolled (same taps, same arithmetic). */
function reference(img: RasterImage, rect: Rect, dstW: number, dstH: number, fill: number): Uint8Array {
  const m = cropAffine(rect, dstW, dstH);
  const { width: w, height: h, channels: c, data: s } = img;
  const tap = (n: number, scale: number, offset: number, size: number) =>
    Array.from({ length: n }, (_, i) => {
      const v = scale * i + offset;
      if (v < -0.5 || v > size - 0.5) return null;
      const cv = v < 0 ? 0 : v > size - 1 ? size - 1 : v;
      const i0 = Math.floor(cv);
      return { i0, i1: i0 + 1 < size ? i0 + 1 : i0, f: Math.fround(cv - i0) };
    });
  const tx = tap(dstW, m[0], m[2], w);
  const ty = tap(dstH, m[4], m[5], h);
  const out = new Uint8Array(dstW * dstH * 3);
  let o = 0;
  for (let y = 0; y < dstH; y++) {
    const ry = ty[y];
    for (let x = 0; x < dstW; x++) {
      const rx = tx[x];
      if (!ry || !rx) {
        out[o++] = fill;
        out[o++] = fill;
        out[o++] = fill;
        continue;
      }
      const p00 = (ry.i0 * w + rx.i0) * c;
      const p01 = (ry.i0 * w + rx.i1) * c;
      const p10 = (ry.i1 * w + rx.i0) * c;
      const p11 = (ry.i1 * w + rx.i1) * c;
      for (let k = 0; k < 3; k++) {
        const top = s[p00 + k]! + (s[p01 + k]! - s[p00 + k]!) * rx.f;
        const bot = s[p10 + k]! + (s[p11 + k]! - s[p10 + k]!) * rx.f;
        out[o++] = top + (bot - top) * ry.f + 0.5;
      }
    }
  }
  return out;
}

test('axis-aligned crops and resizes: the same bytes as the plain bilinear loop', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const image = (width: number, height: number, channels: 3 | 4): RasterImage => ({
    data: Uint8Array.from({ length: width * height * channels }, () => Math.floor(rnd() * 256)),
    width,
    height,
    channels,
  });
  const sources = [image(97, 61, 3), image(64, 80, 4), image(640, 480, 3)];
  let compared = 0;
  for (let i = 0; i < 300; i++) {
    for (const img of sources) {
      const rect = {
        x: rnd() * img.width * 1.4 - img.width * 0.2,
        y: rnd() * img.height * 1.4 - img.height * 0.2,
        w: 1 + rnd() * img.width,
        h: 1 + rnd() * img.height,
      };
      const dw = 1 + Math.floor(rnd() * 90);
      const dh = 1 + Math.floor(rnd() * 70);
      const fill = Math.floor(rnd() * 256);
      assert.deepEqual(cropResize(img, rect, dw, dh, fill).data, reference(img, rect, dw, dh, fill), JSON.stringify(rect));
      compared++;
    }
  }
  assert.equal(compared, 900);
});
