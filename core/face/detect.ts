/**
 * Face detector (Ultra-Light 320×240, `fr_detect.onnx`) pre/post-processing and the tiling plan
 * that lets a 320×240 network find small faces in large photos.
 */
import { cropAffine, type ImagePyramid, type Rect } from './image.ts';

/** Detector input size (width × height) and normalisation (v - 127) / 128, RGB, planar. */
export const DETECT_INPUT_W = 320;
export const DETECT_INPUT_H = 240;
export const DETECT_DIMS = [1, 3, DETECT_INPUT_H, DETECT_INPUT_W] as const;
/** Face score cut (softmax column 1): 0.95 keeps faces and drops hands, ears and shirts. */
export const DETECT_SCORE_THRESHOLD = 0.95;
/** IoU above which two detections are the same face. */
export const NMS_IOU_THRESHOLD = 0.3;
/**
 * Smallest face (box width, in detector-input pixels) the network finds reliably (a 320×240
 * pass over a 4000-px frame misses faces under ~200 px: 16 input px). Smaller faces are left to
 * a finer tile level.
 */
export const DETECTOR_MIN_FACE_INPUT_PX = 16;
/** Default smallest face (box width, image pixels) a tiling plan must cover. */
export const DEFAULT_MIN_FACE_PX = 32;
/** Ratio between consecutive tile sizes of the pyramid of tiles. */
export const DEFAULT_LEVEL_RATIO = 3;
/** Safety cap on the number of detector runs for one image. */
export const DEFAULT_MAX_TILES = 200;
/**
 * A tile only reports faces up to this multiple of the smallest face the next coarser level
 * finds reliably: bigger faces belong to the coarser level, and a tile that sees only part of a
 * big face tends to fire on that part (eyes, mouth).
 */
export const TILE_MAX_FACE_FACTOR = 2;
/** A box lying this much (intersection / own area) inside a better box is a part of that face. */
export const CONTAINMENT_THRESHOLD = 0.7;

/** `[x1, y1, x2, y2]` in image pixels. */
export type Box = [x1: number, y1: number, x2: number, y2: number];

export interface DetectedFace {
  box: Box;
  score: number;
}

/** One detector run: the image rectangle squeezed into the 320×240 input. */
export interface DetectTile {
  /** Image-pixel rectangle (4:3; may extend beyond the image, padded with black). */
  readonly rect: Rect;
  /** 0 = the whole frame, higher = finer. */
  readonly level: number;
  /** Largest face (box width, image pixels) this tile reports; Infinity for the full frame. */
  readonly maxFace: number;
  /** Sides shared with an overlapping neighbour tile (detections touching them are dropped). */
  readonly inner: { readonly left: boolean; readonly top: boolean; readonly right: boolean; readonly bottom: boolean };
}

export interface TilePlanOptions {
  /** Smallest face width (image pixels) to cover; decides the finest tile size. Default 32. */
  minFace?: number;
  /** Size ratio between tile levels (default 3). */
  levelRatio?: number;
  /** Maximum detector runs; the finest level is coarsened until the plan fits. Default 200. */
  maxTiles?: number;
}

const ASPECT = DETECT_INPUT_W / DETECT_INPUT_H;

/** Positions of `n` tiles of length `t` evenly covering `[0, len)`, or one centred tile. */
function spread(len: number, t: number, overlap: number): number[] {
  if (t >= len) return [(len - t) / 2];
  const n = Math.ceil((len - t) / (t - overlap)) + 1;
  const step = (len - t) / (n - 1);
  return Array.from({ length: n }, (_, i) => i * step);
}

function levelWidths(width: number, height: number, opts: TilePlanOptions): number[] {
  const minFace = Math.max(1, opts.minFace ?? DEFAULT_MIN_FACE_PX);
  const ratio = Math.max(1.5, opts.levelRatio ?? DEFAULT_LEVEL_RATIO);
  const full = Math.max(width, height * ASPECT);
  const finest = (minFace * DETECT_INPUT_W) / DETECTOR_MIN_FACE_INPUT_PX;
  if (full <= finest) return [full];
  const n = Math.ceil(Math.log(full / finest) / Math.log(ratio) - 1e-9);
  return Array.from({ length: n + 1 }, (_, k) => full / Math.pow(full / finest, k / n));
}

function planFor(width: number, height: number, widths: number[]): DetectTile[] {
  const tiles: DetectTile[] = [];
  widths.forEach((tw, level) => {
    const th = tw / ASPECT;
    if (level === 0) {
      // Whole frame, letterboxed (centred) into 4:3.
      tiles.push({
        rect: { x: (width - tw) / 2, y: (height - th) / 2, w: tw, h: th },
        level,
        maxFace: Infinity,
        inner: { left: false, top: false, right: false, bottom: false },
      });
      return;
    }
    // Faces too small for the previous (coarser) level must fit entirely inside some tile here.
    const prevMin = DETECTOR_MIN_FACE_INPUT_PX * (widths[level - 1]! / DETECT_INPUT_W);
    const overlap = Math.min(0.5 * tw, 1.3 * prevMin);
    const maxFace = TILE_MAX_FACE_FACTOR * prevMin;
    const xs = spread(width, tw, overlap);
    const ys = spread(height, th, overlap);
    for (const y of ys) {
      for (const x of xs) {
        tiles.push({
          rect: { x, y, w: tw, h: th },
          level,
          maxFace,
          inner: { left: x > 0.5, top: y > 0.5, right: x + tw < width - 0.5, bottom: y + th < height - 0.5 },
        });
      }
    }
  });
  return tiles;
}

/**
 * The detector runs for an image: the letterboxed full frame, then overlapping tiles at finer
 * scales (ratio `levelRatio`) until a `minFace`-pixel face is at least
 * `DETECTOR_MIN_FACE_INPUT_PX` wide in the detector input. Bounded by `maxTiles`.
 */
export function planDetection(width: number, height: number, opts: TilePlanOptions = {}): DetectTile[] {
  const maxTiles = Math.max(1, opts.maxTiles ?? DEFAULT_MAX_TILES);
  let minFace = Math.max(1, opts.minFace ?? DEFAULT_MIN_FACE_PX);
  for (;;) {
    const plan = planFor(width, height, levelWidths(width, height, { ...opts, minFace }));
    if (plan.length <= maxTiles) return plan;
    minFace *= 1.15;
  }
}

/** Smallest face (image pixels) a flatness test still sees: the test samples the coarsest level where it is this wide. */
const FLAT_TEST_FACE_PX = 8;

/**
 * How much a tile's picture changes locally: the largest step of luma ((R + 2G + B) / 4, 0..255) between
 * neighbouring pixels (left or above) over the tile's rectangle, sampled at the coarsest pyramid level where the
 * smallest face the tile looks for is still `FLAT_TEST_FACE_PX` wide. A face that small still has steps of tens of
 * levels (eyes, brows, hair against skin); sky, road, walls and blurred backgrounds stay within a few levels.
 * Stops early once a step exceeds `stopAbove` (returns that step).
 */
export function tileActivity(pyr: ImagePyramid, tile: DetectTile, stopAbove = Infinity): number {
  const smallest = (DETECTOR_MIN_FACE_INPUT_PX * tile.rect.w) / DETECT_INPUT_W;
  const level = Math.max(0, Math.floor(Math.log2(smallest / FLAT_TEST_FACE_PX)));
  const img = pyr.level(level);
  const { width: w, height: h, channels: c, data: s } = img;
  const kx = w / pyr.width;
  const ky = h / pyr.height;
  const x0 = Math.max(0, Math.floor(tile.rect.x * kx));
  const y0 = Math.max(0, Math.floor(tile.rect.y * ky));
  const x1 = Math.min(w, Math.ceil((tile.rect.x + tile.rect.w) * kx));
  const y1 = Math.min(h, Math.ceil((tile.rect.y + tile.rect.h) * ky));
  if (x1 - x0 < 2 || y1 - y0 < 2) return 0;
  const above = new Int32Array(x1 - x0);
  let max = 0;
  for (let y = y0; y < y1; y++) {
    let p = (y * w + x0) * c;
    let left = -1;
    for (let x = 0; x < x1 - x0; x++, p += c) {
      const v = (s[p]! + 2 * s[p + 1]! + s[p + 2]!) >> 2;
      if (left >= 0) {
        const d = v > left ? v - left : left - v;
        if (d > max) max = d;
      }
      if (y > y0) {
        const u = above[x]!;
        const d = v > u ? v - u : u - v;
        if (d > max) max = d;
      }
      above[x] = v;
      left = v;
    }
    if (max > stopAbove) return max;
  }
  return max;
}

/** Buffers one detector input is built in, reused from tile to tile (a 12-MP photo runs ~180 tiles). */
export interface DetectorScratch {
  readonly rgb: Uint8Array;
  readonly tensor: Float32Array;
}

export const detectorScratch = (): DetectorScratch => ({
  rgb: new Uint8Array(DETECT_INPUT_W * DETECT_INPUT_H * 3),
  tensor: new Float32Array(3 * DETECT_INPUT_W * DETECT_INPUT_H),
});

/**
 * Builds the planar RGB `(v-127)/128` detector tensor for one tile, into `scratch` when given (its tensor is then
 * overwritten by the next tile: run the detector on it before building the next).
 */
export function buildDetectorTensor(
  pyr: ImagePyramid,
  tile: DetectTile,
  antialias = true,
  scratch?: DetectorScratch,
): Float32Array {
  const img = pyr.warp(
    cropAffine(tile.rect, DETECT_INPUT_W, DETECT_INPUT_H),
    DETECT_INPUT_W,
    DETECT_INPUT_H,
    0,
    antialias,
    scratch?.rgb,
  );
  return planarTensor(img.data, DETECT_INPUT_W * DETECT_INPUT_H, false, scratch?.tensor);
}

/** `(v - 127) / 128` for every byte value. */
const NORM = Float32Array.from({ length: 256 }, (_, v) => (v - 127) / 128);

/** Interleaved RGB bytes → planar float `(v-127)/128`, optionally in BGR plane order (into `into` when given). */
export function planarTensor(rgb: Uint8Array | Uint8ClampedArray, n: number, bgr: boolean, into?: Float32Array): Float32Array {
  if (into && into.length !== 3 * n) throw new RangeError(`tensor: ${into.length} floats for ${3 * n}`);
  const out = into ?? new Float32Array(3 * n);
  const r = bgr ? 2 * n : 0;
  const b = bgr ? 0 : 2 * n;
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    out[r + i] = NORM[rgb[p]!]!;
    out[n + i] = NORM[rgb[p + 1]!]!;
    out[b + i] = NORM[rgb[p + 2]!]!;
  }
  return out;
}

/**
 * Maps the detector outputs of one tile to image-pixel boxes. `scores` is `[N,2]` softmaxed
 * (column 1 = face), `boxes` is `[N,4]` normalised x1,y1,x2,y2 (already decoded against the
 * priors inside the graph). Boxes are clipped to the image; detections touching an inner tile
 * edge are dropped (the overlapping neighbour sees that face whole).
 */
export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  tile: DetectTile,
  imageWidth: number,
  imageHeight: number,
  threshold = DETECT_SCORE_THRESHOLD,
): DetectedFace[] {
  const n = Math.min(scores.length >> 1, boxes.length >> 2);
  const { x, y, w, h } = tile.rect;
  const margin = 0.01 * w;
  const out: DetectedFace[] = [];
  for (let i = 0; i < n; i++) {
    const score = scores[2 * i + 1]!;
    if (!(score >= threshold)) continue;
    const bx1 = x + boxes[4 * i]! * w;
    const by1 = y + boxes[4 * i + 1]! * h;
    const bx2 = x + boxes[4 * i + 2]! * w;
    const by2 = y + boxes[4 * i + 3]! * h;
    if (bx2 - bx1 > tile.maxFace) continue;
    if (tile.inner.left && bx1 <= x + margin) continue;
    if (tile.inner.top && by1 <= y + margin) continue;
    if (tile.inner.right && bx2 >= x + w - margin) continue;
    if (tile.inner.bottom && by2 >= y + h - margin) continue;
    const box: Box = [
      clamp(bx1, 0, imageWidth),
      clamp(by1, 0, imageHeight),
      clamp(bx2, 0, imageWidth),
      clamp(by2, 0, imageHeight),
    ];
    if (box[2] - box[0] < 1 || box[3] - box[1] < 1) continue;
    out.push({ box, score });
  }
  return out;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

export function boxArea(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

/** Intersection over the area of `a`: how much of `a` lies inside `b`. */
export function containment(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  const area = boxArea(a);
  return iw <= 0 || ih <= 0 || area <= 0 ? 0 : (iw * ih) / area;
}

/**
 * Greedy non-maximum suppression: keeps the best-scoring box of each cluster with
 * IoU > `threshold`. With `containmentThreshold`, a box lying mostly inside a kept one (a part of
 * that face) is dropped too.
 */
export function nms<T extends DetectedFace>(
  faces: readonly T[],
  threshold = NMS_IOU_THRESHOLD,
  containmentThreshold = 1.01,
): T[] {
  const sorted = [...faces].sort((p, q) => q.score - p.score || boxArea(q.box) - boxArea(p.box));
  const kept: T[] = [];
  for (const f of sorted) {
    if (kept.every((k) => iou(k.box, f.box) <= threshold && containment(f.box, k.box) < containmentThreshold)) kept.push(f);
  }
  return kept;
}

/** Shorter side of a box, the measure the size limits use. */
export function faceSize(b: Box): number {
  return Math.min(b[2] - b[0], b[3] - b[1]);
}
