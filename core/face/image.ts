/**
 * Minimal raster type and resampling shared by the browser worker and the server.
 * Pure TypeScript: no DOM, no Node built-ins.
 */

/** Interleaved 8-bit pixels, row-major, RGB or RGBA (alpha is ignored). */
export interface RasterImage {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** Axis-aligned rectangle in (continuous) pixel units: x/y is the top-left edge. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Affine map from destination pixel centres to source pixel centres:
 * `sx = a*dx + b*dy + c`, `sy = d*dx + e*dy + f` (pixel centres at integer coordinates).
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export function assertRaster(img: RasterImage): void {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`image: bad size ${width}x${height}`);
  }
  if (channels !== 3 && channels !== 4) throw new RangeError(`image: channels must be 3 or 4, got ${String(channels)}`);
  if (data.length < width * height * channels) {
    throw new RangeError(`image: ${data.length} bytes for ${width}x${height}x${channels}`);
  }
}

/** Halves an image with a 2×2 box filter (odd edges are replicated); the result is RGB. */
export function halve(img: RasterImage): RasterImage {
  const { width: w, height: h, channels: c, data: s } = img;
  const ow = Math.max(1, w >> 1);
  const oh = Math.max(1, h >> 1);
  const out = new Uint8Array(ow * oh * 3);
  // Output columns whose two source columns are both in the image (all of them unless the image is 1 pixel wide).
  const full = w >> 1;
  for (let y = 0; y < oh; y++) {
    const r0 = Math.min(2 * y, h - 1) * w * c;
    const r1 = Math.min(2 * y + 1, h - 1) * w * c;
    let o = y * ow * 3;
    for (let x = 0, p0 = r0, p1 = r1; x < full; x++, p0 += 2 * c, p1 += 2 * c, o += 3) {
      out[o] = (s[p0]! + s[p0 + c]! + s[p1]! + s[p1 + c]! + 2) >> 2;
      out[o + 1] = (s[p0 + 1]! + s[p0 + c + 1]! + s[p1 + 1]! + s[p1 + c + 1]! + 2) >> 2;
      out[o + 2] = (s[p0 + 2]! + s[p0 + c + 2]! + s[p1 + 2]! + s[p1 + c + 2]! + 2) >> 2;
    }
    for (let x = full; x < ow; x++) {
      const x0 = Math.min(2 * x, w - 1) * c;
      const x1 = Math.min(2 * x + 1, w - 1) * c;
      for (let k = 0; k < 3; k++) {
        out[o++] = (s[r0 + x0 + k]! + s[r0 + x1 + k]! + s[r1 + x0 + k]! + s[r1 + x1 + k]! + 2) >> 2;
      }
    }
  }
  return { data: out, width: ow, height: oh, channels: 3 };
}

/**
 * An image plus a lazily built mip pyramid (each level half the previous, box filtered), so that
 * strong downscales (a 4000-px frame into a 320×240 detector input) are anti-aliased while the
 * resampling itself stays plain bilinear.
 */
export class ImagePyramid {
  readonly base: RasterImage;
  private readonly levels: RasterImage[];

  constructor(img: RasterImage) {
    assertRaster(img);
    this.base = img;
    this.levels = [img];
  }

  get width(): number {
    return this.base.width;
  }

  get height(): number {
    return this.base.height;
  }

  /** Pyramid level `n` (0 = the image itself); stops at 1×1. */
  level(n: number): RasterImage {
    while (this.levels.length <= n) {
      const last = this.levels[this.levels.length - 1]!;
      if (last.width === 1 && last.height === 1) return last;
      this.levels.push(halve(last));
    }
    return this.levels[n]!;
  }

  /**
   * Bilinear affine warp into an RGB image of `dstW×dstH`. `srcPerDst` is how many source pixels
   * one destination pixel spans; above 2 a coarser pyramid level is sampled instead.
   * Samples outside the image get `fill` (0..255). `out` (≥ dstW×dstH×3 bytes) is written instead of a new array.
   */
  warp(m: Affine, dstW: number, dstH: number, fill = 0, antialias = true, out?: Uint8Array): RasterImage {
    const scale = Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
    let lvl = 0;
    if (antialias && scale >= 2) lvl = Math.floor(Math.log2(scale));
    if (lvl === 0) return warpAffine(this.base, m, dstW, dstH, fill, out);
    const img = this.level(lvl);
    // Source level-0 centre coordinate s maps to level-L coordinate (s + 0.5) / 2^L - 0.5,
    // but the halved level's true size is floor-divided, so use its actual ratio.
    const kx = img.width / this.base.width;
    const ky = img.height / this.base.height;
    const ml: Affine = [m[0] * kx, m[1] * kx, (m[2] + 0.5) * kx - 0.5, m[3] * ky, m[4] * ky, (m[5] + 0.5) * ky - 0.5];
    return warpAffine(img, ml, dstW, dstH, fill, out);
  }

  /** Crops `rect` (source pixels, may extend outside the image) and resizes it to `dstW×dstH`. */
  cropResize(rect: Rect, dstW: number, dstH: number, fill = 0, antialias = true): RasterImage {
    return this.warp(cropAffine(rect, dstW, dstH), dstW, dstH, fill, antialias);
  }
}

/** The affine (dst centre → src centre) of an axis-aligned crop+resize. */
export function cropAffine(rect: Rect, dstW: number, dstH: number): Affine {
  const sx = rect.w / dstW;
  const sy = rect.h / dstH;
  return [sx, 0, rect.x + 0.5 * sx - 0.5, 0, sy, rect.y + 0.5 * sy - 0.5];
}

/**
 * Plain bilinear affine warp (no anti-aliasing) into RGB. Out-of-image samples get `fill`. Writes `into` (every byte
 * of its first dstW×dstH×3) when given, else a new array.
 */
export function warpAffine(img: RasterImage, m: Affine, dstW: number, dstH: number, fill = 0, into?: Uint8Array): RasterImage {
  if (m[1] === 0 && m[3] === 0) return resizeAxisAligned(img, m, dstW, dstH, fill, into);
  const { width: w, height: h, channels: c, data: s } = img;
  const out = outBuffer(into, dstW * dstH * 3);
  const [a, b, cc, d, e, f] = m;
  let o = 0;
  for (let y = 0; y < dstH; y++) {
    let sx = b * y + cc;
    let sy = e * y + f;
    for (let x = 0; x < dstW; x++, sx += a, sy += d) {
      // Outside by more than half a pixel: fill. Within the border half-pixel: clamp (edge replicate).
      if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) {
        out[o++] = fill;
        out[o++] = fill;
        out[o++] = fill;
        continue;
      }
      const cx = sx < 0 ? 0 : sx > w - 1 ? w - 1 : sx;
      const cy = sy < 0 ? 0 : sy > h - 1 ? h - 1 : sy;
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      const x1 = x0 + 1 < w ? x0 + 1 : x0;
      const y1 = y0 + 1 < h ? y0 + 1 : y0;
      const fx = cx - x0;
      const fy = cy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const p00 = (y0 * w + x0) * c;
      const p01 = (y0 * w + x1) * c;
      const p10 = (y1 * w + x0) * c;
      const p11 = (y1 * w + x1) * c;
      out[o++] = s[p00]! * w00 + s[p01]! * w01 + s[p10]! * w10 + s[p11]! * w11 + 0.5;
      out[o++] = s[p00 + 1]! * w00 + s[p01 + 1]! * w01 + s[p10 + 1]! * w10 + s[p11 + 1]! * w11 + 0.5;
      out[o++] = s[p00 + 2]! * w00 + s[p01 + 2]! * w01 + s[p10 + 2]! * w10 + s[p11 + 2]! * w11 + 0.5;
    }
  }
  return { data: out, width: dstW, height: dstH, channels: 3 };
}

/** The first `n` bytes of `into` (a reused buffer), or a new array. */
function outBuffer(into: Uint8Array | undefined, n: number): Uint8Array {
  if (!into) return new Uint8Array(n);
  if (into.length < n) throw new RangeError(`image: output buffer of ${into.length} bytes for ${n}`);
  return into.length === n ? into : into.subarray(0, n);
}

interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  f: Float32Array;
  /** 0 = outside the image (fill). */
  inside: Uint8Array;
}

function taps(n: number, scale: number, offset: number, size: number): Taps {
  const t: Taps = { i0: new Int32Array(n), i1: new Int32Array(n), f: new Float32Array(n), inside: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const v = scale * i + offset;
    if (v < -0.5 || v > size - 0.5) continue;
    const cv = v < 0 ? 0 : v > size - 1 ? size - 1 : v;
    const i0 = Math.floor(cv);
    t.i0[i] = i0;
    t.i1[i] = i0 + 1 < size ? i0 + 1 : i0;
    t.f[i] = cv - i0;
    t.inside[i] = 1;
  }
  return t;
}

/**
 * Separable fast path of `warpAffine` for crops/resizes (no rotation): same sampling, ~3× faster. The taps' byte
 * offsets are computed once per warp and the three channels unrolled (the same arithmetic, so the same bytes).
 */
function resizeAxisAligned(
  img: RasterImage,
  m: Affine,
  dstW: number,
  dstH: number,
  fill: number,
  into?: Uint8Array,
): RasterImage {
  const { width: w, height: h, channels: c, data: s } = img;
  const out = outBuffer(into, dstW * dstH * 3);
  const tx = taps(dstW, m[0], m[2], w);
  const ty = taps(dstH, m[4], m[5], h);
  const x0 = new Int32Array(dstW);
  const x1 = new Int32Array(dstW);
  for (let x = 0; x < dstW; x++) {
    x0[x] = tx.i0[x]! * c;
    x1[x] = tx.i1[x]! * c;
  }
  const fxs = tx.f;
  const inside = tx.inside;
  const rowBytes = w * c;
  let o = 0;
  for (let y = 0; y < dstH; y++) {
    if (!ty.inside[y]) {
      out.fill(fill, o, o + dstW * 3);
      o += dstW * 3;
      continue;
    }
    const r0 = ty.i0[y]! * rowBytes;
    const r1 = ty.i1[y]! * rowBytes;
    const fy = ty.f[y]!;
    for (let x = 0; x < dstW; x++, o += 3) {
      if (!inside[x]) {
        out[o] = fill;
        out[o + 1] = fill;
        out[o + 2] = fill;
        continue;
      }
      const fx = fxs[x]!;
      const p00 = r0 + x0[x]!;
      const p01 = r0 + x1[x]!;
      const p10 = r1 + x0[x]!;
      const p11 = r1 + x1[x]!;
      let a = s[p00]!;
      let b = s[p10]!;
      let top = a + (s[p01]! - a) * fx;
      let bot = b + (s[p11]! - b) * fx;
      out[o] = top + (bot - top) * fy + 0.5;
      a = s[p00 + 1]!;
      b = s[p10 + 1]!;
      top = a + (s[p01 + 1]! - a) * fx;
      bot = b + (s[p11 + 1]! - b) * fx;
      out[o + 1] = top + (bot - top) * fy + 0.5;
      a = s[p00 + 2]!;
      b = s[p10 + 2]!;
      top = a + (s[p01 + 2]! - a) * fx;
      bot = b + (s[p11 + 2]! - b) * fx;
      out[o + 2] = top + (bot - top) * fy + 0.5;
    }
  }
  return { data: out, width: dstW, height: dstH, channels: 3 };
}

/** Bilinear crop+resize without a pyramid (convenience for one-off crops). */
export function cropResize(img: RasterImage, rect: Rect, dstW: number, dstH: number, fill = 0): RasterImage {
  return warpAffine(img, cropAffine(rect, dstW, dstH), dstW, dstH, fill);
}

/** Luma (BT.601: 0.299 R + 0.587 G + 0.114 B) as floats 0..255. */
export function toGray(img: RasterImage): Float32Array {
  const { width, height, channels: c, data } = img;
  const n = width * height;
  const out = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += c) {
    out[i] = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
  }
  return out;
}

/** Drops alpha (or copies) into a packed RGB image. */
export function toRgb(img: RasterImage): RasterImage {
  if (img.channels === 3) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = img.data[i * 4]!;
    out[i * 3 + 1] = img.data[i * 4 + 1]!;
    out[i * 3 + 2] = img.data[i * 4 + 2]!;
  }
  return { data: out, width: img.width, height: img.height, channels: 3 };
}
