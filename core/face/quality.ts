/** Face quality checks: size, blur, and the choice of the face in a selfie. */
import { toGray, type ImagePyramid, type RasterImage } from './image.ts';
import { boxArea, faceSize, type Box, type DetectedFace } from './detect.ts';

/**
 * Faces narrower than this (box shorter side, image pixels) are not indexed by the legacy pipeline
 * (the default pipeline indexes down to `SMALL_FACE_PX`, with a quality score that search uses).
 */
export const MIN_EMBED_FACE_PX = 32;
/** Smallest face (box shorter side, image pixels) the default pipeline indexes: race photos have faces from ~20 px. */
export const SMALL_FACE_PX = 20;
/** A selfie's face must be at least this big (shorter box side, pixels of the decoded selfie). */
export const SELFIE_MIN_FACE_PX = 64;
/**
 * Below this sharpness (`faceSharpness`: variance of the Laplacian of the face crop resampled to
 * 96×96, gray 0..255; `alignedFaceSharpness` is on the same scale) a selfie is refused as too
 * blurry. Measured on the dataset: sharp faces 250–2600; Gaussian blur of σ = 2 % of the face
 * width 18–88 (embedding still ≥0.85 cosine to the sharp one); σ = 3 % 7–35 (0.62–0.83);
 * σ = 5 % 3–9 (≤0.53, useless).
 */
export const SELFIE_MIN_SHARPNESS = 12;
/** Another face at least this fraction of the chosen face's area makes the selfie ambiguous. */
export const SELFIE_SECOND_FACE_AREA_RATIO = 0.5;

export type SelfieRefusal = 'no_face' | 'several_faces' | 'too_small' | 'too_blurry';

export const SELFIE_REFUSAL_MESSAGES: Record<SelfieRefusal, string> = {
  no_face: 'No face was found in the photo.',
  several_faces: 'Several faces are in the photo; take a selfie with only your face.',
  too_small: 'The face is too small; come closer to the camera.',
  too_blurry: 'The photo is too blurry; hold still and try again.',
};

/**
 * Variance of the 4-neighbour Laplacian over the image's gray levels: a standard focus measure
 * (higher = sharper). Computed on the inner region, skipping a `border` of pixels.
 */
export function laplacianVariance(img: RasterImage, border = 1): number {
  const g = toGray(img);
  const { width: w, height: h } = img;
  let s = 0,
    s2 = 0,
    n = 0;
  const b = Math.max(1, border);
  for (let y = b; y < h - b; y++) {
    for (let x = b; x < w - b; x++) {
      const i = y * w + x;
      const l = g[i - 1]! + g[i + 1]! + g[i - w]! + g[i + w]! - 4 * g[i]!;
      s += l;
      s2 += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const m = s / n;
  return s2 / n - m * m;
}

/** Side of the square the face crop is resampled to before measuring sharpness. */
export const SHARPNESS_CROP_PX = 96;

/**
 * Sharpness of a detected face: variance of the Laplacian of its box (clipped to the image),
 * resampled to `SHARPNESS_CROP_PX`² so that the measure does not depend on the face's size.
 */
export function faceSharpness(pyr: ImagePyramid, box: Box): number {
  const x1 = Math.max(0, box[0]);
  const y1 = Math.max(0, box[1]);
  const x2 = Math.min(pyr.width, box[2]);
  const y2 = Math.min(pyr.height, box[3]);
  if (x2 - x1 < 2 || y2 - y1 < 2) return 0;
  return laplacianVariance(pyr.cropResize({ x: x1, y: y1, w: x2 - x1, h: y2 - y1 }, SHARPNESS_CROP_PX, SHARPNESS_CROP_PX));
}

/**
 * Sharpness of an already aligned 112×112 face, on its central 60 % (eyes, nose, mouth; the
 * warp may leave black borders). On about the same scale as `faceSharpness`.
 */
export function alignedFaceSharpness(aligned: RasterImage): number {
  return laplacianVariance(aligned, Math.round(aligned.width * 0.2));
}

export function isFaceLargeEnough(face: DetectedFace, min = MIN_EMBED_FACE_PX): boolean {
  return faceSize(face.box) >= min;
}

export type SelfieChoice<T extends DetectedFace> = { ok: true; face: T; index: number } | { ok: false; reason: SelfieRefusal };

/**
 * Chooses the selfie's face: the largest, ties broken towards the centre. Refuses with
 * `no_face` (nothing detected), `too_small` (chosen face under `SELFIE_MIN_FACE_PX`) or
 * `several_faces` (another face is at least `SELFIE_SECOND_FACE_AREA_RATIO` of its area).
 */
export function chooseSelfieFace<T extends DetectedFace>(
  faces: readonly T[],
  width: number,
  height: number,
  minFace = SELFIE_MIN_FACE_PX,
): SelfieChoice<T> {
  if (faces.length === 0) return { ok: false, reason: 'no_face' };
  const diag = Math.hypot(width, height) || 1;
  const rank = (f: DetectedFace) => {
    const cx = (f.box[0] + f.box[2]) / 2 - width / 2;
    const cy = (f.box[1] + f.box[3]) / 2 - height / 2;
    // Area, discounted by up to 50 % at the corners.
    return boxArea(f.box) * (1 - Math.hypot(cx, cy) / diag);
  };
  let best = 0;
  for (let i = 1; i < faces.length; i++) if (rank(faces[i]!) > rank(faces[best]!)) best = i;
  const face = faces[best]!;
  const area = boxArea(face.box);
  for (let i = 0; i < faces.length; i++) {
    if (i !== best && boxArea(faces[i]!.box) >= SELFIE_SECOND_FACE_AREA_RATIO * area) {
      return { ok: false, reason: 'several_faces' };
    }
  }
  if (faceSize(face.box) < minFace) return { ok: false, reason: 'too_small' };
  return { ok: true, face, index: best };
}

/**
 * How sure an embedding can be trusted, 0..1, from what is measurable on the face: its size (box shorter
 * side, pixels) and its sharpness (`faceSharpness`: variance of the Laplacian of the crop resampled to
 * 96×96, which also falls as a small face is upscaled). 1 = a face of `QUALITY_FULL_SIZE_PX` or more
 * and at least `QUALITY_FULL_SHARPNESS` sharp; the score is the geometric mean of the two terms.
 */
export function faceQuality(size: number, sharpness: number): number {
  const s = clamp01((size - QUALITY_MIN_SIZE_PX) / (QUALITY_FULL_SIZE_PX - QUALITY_MIN_SIZE_PX));
  const sh = Number.isFinite(sharpness) && sharpness > 0 ? sharpness : 0;
  const b = clamp01(Math.log(Math.max(1, sh) / QUALITY_MIN_SHARPNESS) / Math.log(QUALITY_FULL_SHARPNESS / QUALITY_MIN_SHARPNESS));
  return Math.round(Math.max(0.02, Math.sqrt(s * b)) * 1000) / 1000;
}
/** `faceQuality`: faces of this many pixels or fewer score 0 on size; `QUALITY_FULL_SIZE_PX` and more score 1. */
export const QUALITY_MIN_SIZE_PX = 14;
export const QUALITY_FULL_SIZE_PX = 64;
/** `faceQuality`: sharpness at or under this scores 0, at or over `QUALITY_FULL_SHARPNESS` 1 (log scale between). */
export const QUALITY_MIN_SHARPNESS = 4;
export const QUALITY_FULL_SHARPNESS = 120;

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : Number.isFinite(v) ? v : 0);

/**
 * How search uses a stored face's quality: a face of quality q matches at cosine ≥ threshold +
 * `penalty` × (1 − q) (capped at `maxRaise`). A blurred or tiny face can still match, but only on a
 * clearer resemblance; nothing is dropped. `penalty` 0 = the legacy behaviour (quality ignored).
 */
export interface QualityRule {
  readonly penalty: number;
  readonly maxRaise: number;
}

export const NO_QUALITY_RULE: QualityRule = { penalty: 0, maxRaise: 0 };

/** The cosine a face of quality `quality` must reach under `rule`, for the event's `threshold`. */
export function matchThreshold(threshold: number, quality: number, rule: QualityRule = NO_QUALITY_RULE): number {
  const q = Number.isFinite(quality) ? clamp01(quality) : 1;
  return threshold + Math.min(rule.maxRaise, rule.penalty * (1 - q));
}
