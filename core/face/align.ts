/**
 * Landmarks (68-point `fr_landmark.onnx`) → five points → similarity transform → 112×112
 * ArcFace-aligned face.
 */
import type { Affine, ImagePyramid, RasterImage, Rect } from './image.ts';
import { toGray } from './image.ts';
import type { Box } from './detect.ts';

export type Point = readonly [x: number, y: number];

export const LANDMARK_INPUT = 64;
export const LANDMARK_DIMS = [1, 1, LANDMARK_INPUT, LANDMARK_INPUT] as const;
/** Margins of the landmark crop around the detector box, as fractions of the box width/height. */
export const LANDMARK_CROP_MARGIN = { left: 0.05, top: 0, right: 0.05, bottom: 0.1 } as const;

export const ALIGNED_SIZE = 112;
/** The standard ArcFace 112×112 reference points: eyes (image left, right), nose tip, mouth corners. */
export const ARCFACE_REFERENCE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** The image rectangle fed to the landmark network for a detector box (clipped to the image). */
export function landmarkCrop(box: Box, width: number, height: number): Rect {
  const bw = box[2] - box[0];
  const bh = box[3] - box[1];
  const x1 = Math.max(0, box[0] - LANDMARK_CROP_MARGIN.left * bw);
  const y1 = Math.max(0, box[1] - LANDMARK_CROP_MARGIN.top * bh);
  const x2 = Math.min(width, box[2] + LANDMARK_CROP_MARGIN.right * bw);
  const y2 = Math.min(height, box[3] + LANDMARK_CROP_MARGIN.bottom * bh);
  return { x: x1, y: y1, w: Math.max(1, x2 - x1), h: Math.max(1, y2 - y1) };
}

/** Grayscale `/256` 64×64 tensor of the landmark crop. */
export function buildLandmarkTensor(pyr: ImagePyramid, crop: Rect): Float32Array {
  const img = pyr.cropResize(crop, LANDMARK_INPUT, LANDMARK_INPUT);
  const gray = toGray(img);
  for (let i = 0; i < gray.length; i++) gray[i] = gray[i]! / 256;
  return gray;
}

/** 136 outputs (x,y normalised to the crop) → 68 image-pixel points. */
export function decodeLandmarks(out: Float32Array, crop: Rect): Point[] {
  if (out.length < 136) throw new RangeError(`landmarks: expected 136 values, got ${out.length}`);
  const pts: Point[] = [];
  for (let i = 0; i < 68; i++) pts.push([crop.x + out[2 * i]! * crop.w, crop.y + out[2 * i + 1]! * crop.h]);
  return pts;
}

const mean = (pts: readonly Point[], from: number, to: number): Point => {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += pts[i]![0];
    y += pts[i]![1];
  }
  const n = to - from + 1;
  return [x / n, y / n];
};

/** iBUG 68 points → [image-left eye centre, image-right eye centre, nose tip, left mouth corner, right mouth corner]. */
export function fivePoints(pts68: readonly Point[]): Point[] {
  if (pts68.length < 68) throw new RangeError(`landmarks: expected 68 points, got ${pts68.length}`);
  return [mean(pts68, 36, 41), mean(pts68, 42, 47), pts68[30]!, pts68[48]!, pts68[54]!];
}

/** A 2-D similarity `[a, -b, tx; b, a, ty]` as an `Affine` (forward map src → dst). */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/**
 * Least-squares similarity (rotation + uniform scale + translation, no reflection) mapping
 * `src` onto `dst` — the 2-D case of Umeyama's method, in closed form.
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n < 2 || dst.length !== n) throw new RangeError('similarity: need ≥2 point pairs of equal count');
  let sx = 0,
    sy = 0,
    dx = 0,
    dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0];
    sy += src[i]![1];
    dx += dst[i]![0];
    dy += dst[i]![1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let num_a = 0,
    num_b = 0,
    den = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx;
    const py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx;
    const qy = dst[i]![1] - dy;
    num_a += px * qx + py * qy;
    num_b += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den < 1e-12) throw new RangeError('similarity: degenerate source points');
  const a = num_a / den;
  const b = num_b / den;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return [t.a * p[0] - t.b * p[1] + t.tx, t.b * p[0] + t.a * p[1] + t.ty];
}

/** The inverse similarity, as the dst → src affine a warp samples with. */
export function invertSimilarity(t: Similarity): Affine {
  const d = t.a * t.a + t.b * t.b;
  if (d < 1e-18) throw new RangeError('similarity: singular');
  const ia = t.a / d;
  const ib = -t.b / d;
  // inverse: p = R'^{-1} (q - t) with R'^{-1} = [ia, -ib; ib, ia]
  return [ia, -ib, -(ia * t.tx - ib * t.ty), ib, ia, -(ib * t.tx + ia * t.ty)];
}

/** Warps the face so that its five points land on the ArcFace reference (112×112 RGB). */
export function alignByFivePoints(pyr: ImagePyramid, five: readonly Point[]): { image: RasterImage; transform: Similarity } {
  const transform = estimateSimilarity(five, ARCFACE_REFERENCE);
  const image = pyr.warp(invertSimilarity(transform), ALIGNED_SIZE, ALIGNED_SIZE, 0);
  return { image, transform };
}
