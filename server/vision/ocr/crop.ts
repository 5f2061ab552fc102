/**
 * Recogniser input: cut a (rotated, possibly perspective) text box out of the picture straight to
 * the recogniser's height (48 px, aspect kept), turn tall boxes upright, and build the
 * [N,3,48,W] tensor (BGR, v/127.5 − 1, zero padding on the right).
 */
import type { Point, Quad } from './db-postprocess.ts';
import type { RgbImage } from './preprocess.ts';

export const REC_HEIGHT = 48;

/** Width and height of a box as PaddleOCR measures them: the longer of each pair of opposite edges. */
export function quadSize(q: Quad): { width: number; height: number } {
  const d = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
  return { width: Math.max(d(q[0], q[1]), d(q[3], q[2])), height: Math.max(d(q[0], q[3]), d(q[1], q[2])) };
}

/** Coefficients of the projective map from the unit square onto a quad. */
export interface SquareToQuad {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
  g: number;
  h: number;
}

/**
 * Projective map taking (0,0),(1,0),(1,1),(0,1) to q[0..3] (Heckbert's closed form; affine when the
 * quad is a parallelogram).
 */
export function squareToQuad(q: Quad): SquareToQuad {
  const [p0, p1, p2, p3] = q;
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  if (Math.abs(sx) < 1e-9 && Math.abs(sy) < 1e-9) {
    return { a: p1.x - p0.x, b: p3.x - p0.x, c: p0.x, d: p1.y - p0.y, e: p3.y - p0.y, f: p0.y, g: 0, h: 0 };
  }
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = den === 0 ? 0 : (sx * dy2 - dx2 * sy) / den;
  const h = den === 0 ? 0 : (dx1 * sy - sx * dy1) / den;
  return {
    a: p1.x - p0.x + g * p1.x,
    b: p3.x - p0.x + h * p3.x,
    c: p0.x,
    d: p1.y - p0.y + g * p1.y,
    e: p3.y - p0.y + h * p3.y,
    f: p0.y,
    g,
    h,
  };
}

export function mapSquare(m: SquareToQuad, u: number, v: number): Point {
  const w = m.g * u + m.h * v + 1;
  return { x: (m.a * u + m.b * v + m.c) / w, y: (m.d * u + m.e * v + m.f) / w };
}

/** The quad's corners re-labelled as if the crop were turned 90° (counter-clockwise = np.rot90). */
export function rotateQuad(q: Quad, dir: 'ccw' | 'cw'): Quad {
  const [tl, tr, br, bl] = q;
  return dir === 'ccw' ? [tr, br, bl, tl] : [bl, tl, tr, br];
}

export interface CropOptions {
  /** Output height. */
  height?: number;
  /** Widest output (longer boxes are squeezed). */
  maxWidth?: number;
  /** A box with height/width at or above this is turned upright (90°, direction `rotate`). */
  tallRatio?: number;
  rotate?: 'ccw' | 'cw';
}

export interface Crop extends RgbImage {
  /** The quad actually sampled (after any turn): crop (0,0) is quad[0], (width,0) is quad[1]. */
  quad: Quad;
  rotated: boolean;
}

/**
 * Samples the box into a `height`-high RGB image. Bilinear, with k×k supersampling when the box is
 * larger than the output (so shrinking does not alias); outside the picture is edge-clamped.
 */
export function cropQuad(img: RgbImage, quad: Quad, opts: CropOptions = {}): Crop {
  const outH = opts.height ?? REC_HEIGHT;
  const maxWidth = opts.maxWidth ?? 1600;
  const tallRatio = opts.tallRatio ?? 1.5;
  let q = quad;
  let size = quadSize(q);
  let rotated = false;
  if (size.width > 0 && size.height / size.width >= tallRatio) {
    q = rotateQuad(q, opts.rotate ?? 'ccw');
    size = { width: size.height, height: size.width };
    rotated = true;
  }
  const boxH = Math.max(size.height, 1e-6);
  const outW = Math.max(1, Math.min(maxWidth, Math.round((outH * size.width) / boxH)));
  const m = squareToQuad(q);
  const ss = Math.min(4, Math.max(1, Math.ceil(Math.max(size.width / outW, boxH / outH) - 0.25)));
  const out = new Uint8Array(outW * outH * 3);
  const { data, width: W, height: H } = img;
  const acc = [0, 0, 0];
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let sy = 0; sy < ss; sy++) {
        const v = (oy + (sy + 0.5) / ss) / outH;
        for (let sx = 0; sx < ss; sx++) {
          const u = (ox + (sx + 0.5) / ss) / outW;
          const p = mapSquare(m, u, v);
          // Continuous → pixel-centre coordinates, edge-clamped.
          const fx = Math.min(Math.max(p.x - 0.5, 0), W - 1);
          const fy = Math.min(Math.max(p.y - 0.5, 0), H - 1);
          const x0 = Math.floor(fx);
          const y0 = Math.floor(fy);
          const x1 = Math.min(x0 + 1, W - 1);
          const y1 = Math.min(y0 + 1, H - 1);
          const ax = fx - x0;
          const ay = fy - y0;
          const i00 = (y0 * W + x0) * 3;
          const i01 = (y0 * W + x1) * 3;
          const i10 = (y1 * W + x0) * 3;
          const i11 = (y1 * W + x1) * 3;
          for (let c = 0; c < 3; c++) {
            const top = data[i00 + c]! + (data[i01 + c]! - data[i00 + c]!) * ax;
            const bot = data[i10 + c]! + (data[i11 + c]! - data[i10 + c]!) * ax;
            acc[c]! += top + (bot - top) * ay;
          }
        }
      }
      const o = (oy * outW + ox) * 3;
      const n = ss * ss;
      out[o] = Math.round(acc[0]! / n);
      out[o + 1] = Math.round(acc[1]! / n);
      out[o + 2] = Math.round(acc[2]! / n);
    }
  }
  return { data: out, width: outW, height: outH, quad: q, rotated };
}

/**
 * [N,3,height,width] float32 for the recogniser: BGR planes, v/127.5 − 1, each crop left-aligned and
 * zero-padded on the right to `width`.
 */
export function recTensorData(crops: readonly RgbImage[], width: number, height = REC_HEIGHT): Float32Array {
  const plane = width * height;
  const out = new Float32Array(crops.length * 3 * plane);
  crops.forEach((c, n) => {
    if (c.height !== height) throw new RangeError(`crop height ${c.height}, expected ${height}`);
    if (c.width > width) throw new RangeError(`crop width ${c.width} exceeds tensor width ${width}`);
    const base = n * 3 * plane;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < c.width; x++) {
        const s = (y * c.width + x) * 3;
        const d = base + y * width + x;
        out[d] = c.data[s + 2]! / 127.5 - 1;
        out[d + plane] = c.data[s + 1]! / 127.5 - 1;
        out[d + 2 * plane] = c.data[s]! / 127.5 - 1;
      }
    }
  });
  return out;
}

/**
 * The part of a crop's quad between fractions `s0`..`s1` of its width (for pointing at the digits
 * inside a longer text line).
 */
export function subQuad(q: Quad, s0: number, s1: number): Quad {
  const lerp = (a: Point, b: Point, t: number): Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
  const a = Math.min(Math.max(s0, 0), 1);
  const b = Math.min(Math.max(s1, 0), 1);
  return [lerp(q[0], q[1], a), lerp(q[0], q[1], b), lerp(q[3], q[2], b), lerp(q[3], q[2], a)];
}
