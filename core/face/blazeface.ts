/**
 * MediaPipe BlazeFace, "back camera" (full-range) variant, 256×256 (`blazeface_back_256.onnx`, Apache-2.0): input
 * NHWC RGB in [-1, 1]; outputs per anchor a score logit and 16 regressors (box centre, size, six keypoints), over
 * 16×16 cells × 2 anchors and 8×8 cells × 6 anchors. Evaluated against the Ultra-Light detector in
 * bench/face-eval.ts (`--compare-detectors`); not used by a shipped pipeline (see docs/face-search.md).
 */
import { cropAffine, type ImagePyramid, type Rect } from './image.ts';
import type { Box, DetectedFace } from './detect.ts';

export const BLAZE_INPUT = 256;
export const BLAZE_DIMS = [1, BLAZE_INPUT, BLAZE_INPUT, 3] as const;

/** Anchor centres (normalised), in the model's output order: 16×16×2 then 8×8×6. */
export const BLAZE_ANCHORS: readonly (readonly [number, number])[] = (() => {
  const out: [number, number][] = [];
  for (const [grid, per] of [
    [16, 2],
    [8, 6],
  ] as const) {
    for (let y = 0; y < grid; y++)
      for (let x = 0; x < grid; x++) for (let k = 0; k < per; k++) out.push([(x + 0.5) / grid, (y + 0.5) / grid]);
  }
  return out;
})();

/** NHWC `[-1, 1]` tensor of an image rectangle squeezed into 256×256. */
export function buildBlazeTensor(pyr: ImagePyramid, rect: Rect): Float32Array {
  const img = pyr.warp(cropAffine(rect, BLAZE_INPUT, BLAZE_INPUT), BLAZE_INPUT, BLAZE_INPUT, 0, true);
  const out = new Float32Array(BLAZE_INPUT * BLAZE_INPUT * 3);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i]! / 127.5 - 1;
  return out;
}

/**
 * Faces of one run: `scores` = logits of the 512 + 384 anchors, `regs` = their 16 regressors. Boxes are mapped
 * back to image pixels through `rect` and widened to the Ultra-Light detector's proportions (BlazeFace's box is
 * the inner face, about eyebrows to chin) so both feed the same landmark crop.
 */
export function decodeBlaze(scores: Float32Array, regs: Float32Array, rect: Rect, threshold: number): DetectedFace[] {
  const out: DetectedFace[] = [];
  for (let i = 0; i < BLAZE_ANCHORS.length; i++) {
    const logit = Math.max(-100, Math.min(100, scores[i]!));
    const score = 1 / (1 + Math.exp(-logit));
    if (score < threshold) continue;
    const [ax, ay] = BLAZE_ANCHORS[i]!;
    const r = 16 * i;
    const cx = ax + regs[r]! / BLAZE_INPUT;
    const cy = ay + regs[r + 1]! / BLAZE_INPUT;
    const w = regs[r + 2]! / BLAZE_INPUT;
    const h = regs[r + 3]! / BLAZE_INPUT;
    const bw = w * rect.w;
    const bh = h * rect.h * 1.25;
    const x = rect.x + cx * rect.w;
    const y = rect.y + cy * rect.h - 0.1 * bh;
    const box: Box = [x - bw / 2, y - bh / 2, x + bw / 2, y + bh / 2];
    out.push({ box, score });
  }
  return out;
}
