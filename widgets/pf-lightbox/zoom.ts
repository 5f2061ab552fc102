/**
 * Zoom and pan maths of the lightbox: no DOM, so it is unit-tested on its own (test/widgets/unit/zoom.test.ts).
 *
 * Coordinates are in CSS px relative to the centre of the stage (the photo's box), as the transform
 * `translate(tx, ty) scale(scale)` with `transform-origin: 50% 50%` sees them: a point `c` of the unscaled
 * photo is drawn at `c * scale + t`.
 */

export const MIN_SCALE = 1;
export const MAX_SCALE = 4;
export const DOUBLE_TAP_SCALE = 2.5;
/** Keyboard + / − step. */
export const KEY_STEP = 1.5;
/** Above this the photo counts as zoomed (float noise of a pinch back to 1 does not). */
export const ZOOMED_ABOVE = 1.01;
/** A pinch released below this snaps back to the fitted photo. */
export const SNAP_BELOW = 1.05;
/** Aspect ratio assumed for a photo whose size is not known. */
export const DEFAULT_RATIO = 1.5;

export interface Size {
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Scale and translation of the zoomed photo. */
export interface Zoom {
  scale: number;
  tx: number;
  ty: number;
}

export const IDENTITY: Readonly<Zoom> = Object.freeze({ scale: 1, tx: 0, ty: 0 });

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export const clampScale = (scale: number): number => clamp(scale, MIN_SCALE, MAX_SCALE);

export const isZoomed = (z: Pick<Zoom, 'scale'>): boolean => z.scale > ZOOMED_ABOVE;

/** Size of a photo of aspect ratio `ratio` (width / height) fitted inside `stage` (object-fit: contain). */
export function fitContain(stage: Size, ratio: number | undefined): Size {
  const r = ratio && Number.isFinite(ratio) && ratio > 0 ? ratio : DEFAULT_RATIO;
  return stage.w / stage.h > r ? { w: stage.h * r, h: stage.h } : { w: stage.w, h: stage.w / r };
}

/** How far the photo may move each way from the centre at `scale`: its overhang past the stage, halved. */
export function panBounds(fitted: Size, stage: Size, scale: number): Point {
  return {
    x: Math.max(0, (fitted.w * scale - stage.w) / 2),
    y: Math.max(0, (fitted.h * scale - stage.h) / 2),
  };
}

/** The zoom with its translation kept inside the pan bounds (no empty band beside a zoomed photo). */
export function clampPan(z: Zoom, fitted: Size, stage: Size): Zoom {
  const b = panBounds(fitted, stage, z.scale);
  // + 0 turns a −0 (clamped into [−0, 0]) into 0.
  return { scale: z.scale, tx: clamp(z.tx, -b.x, b.x) + 0, ty: clamp(z.ty, -b.y, b.y) + 0 };
}

/**
 * Zooms to `scale` (clamped to 1…MAX_SCALE) about the point `p` of the stage: the part of the photo under `p`
 * stays under `p`. The result is not yet clamped to the pan bounds.
 */
export function zoomAbout(z: Zoom, p: Point, scale: number): Zoom {
  const s = clampScale(scale);
  const cx = (p.x - z.tx) / z.scale;
  const cy = (p.y - z.ty) / z.scale;
  return { scale: s, tx: p.x - cx * s, ty: p.y - cy * s };
}

/** Where a pinch started: the zoom then, the fingers' midpoint and their distance. */
export interface PinchStart {
  zoom: Zoom;
  mid: Point;
  dist: number;
}

/**
 * A pinch in progress: the scale follows the fingers' distance (relative to the start), and the photo point
 * that was under the starting midpoint follows the midpoint now (two fingers pan while they zoom).
 */
export function pinch(start: PinchStart, mid: Point, dist: number): Zoom {
  const s = clampScale((start.zoom.scale * dist) / (start.dist || 1));
  const cx = (start.mid.x - start.zoom.tx) / start.zoom.scale;
  const cy = (start.mid.y - start.zoom.ty) / start.zoom.scale;
  return { scale: s, tx: mid.x - cx * s, ty: mid.y - cy * s };
}

/** The scale after a ctrl+wheel (trackpad pinch) step: smooth and proportional, wheel down zooms out. */
export const wheelScale = (scale: number, deltaY: number): number => scale * Math.exp(-deltaY * 0.01);

/** Double tap / double click / the zoom button: zoomed → fitted, fitted → DOUBLE_TAP_SCALE about `p`. */
export function toggleZoom(z: Zoom, p: Point = { x: 0, y: 0 }): Zoom {
  return isZoomed(z) ? { ...IDENTITY } : zoomAbout(z, p, DOUBLE_TAP_SCALE);
}

/** Keyboard −: one step out, or back to the fitted photo when the step would reach it. */
export function zoomOutStep(z: Zoom): Zoom {
  return z.scale / KEY_STEP <= ZOOMED_ABOVE ? { ...IDENTITY } : zoomAbout(z, { x: 0, y: 0 }, z.scale / KEY_STEP);
}

/** Whether the fitted photo shown (`naturalWidth` px wide) is too small for `fittedWidth * scale` CSS px. */
export const needsLarger = (naturalWidth: number, fittedWidth: number, scale: number, dpr: number): boolean =>
  naturalWidth < fittedWidth * scale * dpr;
