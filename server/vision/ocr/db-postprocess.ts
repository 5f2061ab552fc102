/**
 * DB (differentiable binarisation) post-processing for the PP-OCRv4 text detector: probability map →
 * rotated text boxes. Binarise, 8-connected components, mean-probability filter, convex hull,
 * minimum-area rectangle (rotating calipers), unclip, size filter, corner and reading order.
 *
 * Coordinates are continuous: pixel (i, j) covers [i, i+1) × [j, j+1).
 */

export interface Point {
  x: number;
  y: number;
}

/** Corners in order top-left, top-right, bottom-right, bottom-left (clockwise on screen). */
export type Quad = [Point, Point, Point, Point];

export interface RotatedRect {
  cx: number;
  cy: number;
  /** Side along `angle`. */
  width: number;
  /** Side across `angle`. */
  height: number;
  /** Direction of the `width` side, radians. */
  angle: number;
}

export interface DetBox {
  quad: Quad;
  /** Mean text probability of the component. */
  score: number;
}

export interface DbOptions {
  /** Probability above which a pixel is text. */
  binThreshold?: number;
  /** Components whose mean probability is below this are dropped. */
  boxThreshold?: number;
  /** Unclip distance = area · ratio / perimeter of the box. */
  unclipRatio?: number;
  /** Boxes with a side shorter than this (after unclipping) are dropped. */
  minSide?: number;
  /** Keep at most this many components (largest first). */
  maxCandidates?: number;
  /** Only the top-left `validWidth`×`validHeight` of the map is picture (the rest is padding). */
  validWidth?: number;
  validHeight?: number;
}

// ---------------------------------------------------------------------------------------------
// Binarise + connected components

export function binarise(prob: ArrayLike<number>, width: number, height: number, threshold = 0.3): Uint8Array {
  const n = width * height;
  if (prob.length < n) throw new RangeError('probability map smaller than width×height');
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = prob[i]! > threshold ? 1 : 0;
  return mask;
}

export interface Component {
  /** 1-based label in `labels`. */
  label: number;
  /** Pixel count. */
  area: number;
  /** Mean probability over the component's pixels (NaN when no map was given). */
  meanProb: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Components {
  /** Per pixel: 0 = background, else the component's label. */
  labels: Int32Array;
  components: Component[];
}

/** 8-connected components of a 0/1 mask (iterative flood fill), with the mean of `prob` over each. */
export function connectedComponents(mask: Uint8Array, width: number, height: number, prob?: ArrayLike<number>): Components {
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack = new Int32Array(width * height);
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = ++next;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = label;
    let area = 0;
    let sum = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    while (sp > 0) {
      const i = stack[--sp]!;
      const x = i % width;
      const y = (i - x) / width;
      area++;
      if (prob) sum += prob[i]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (mask[j] && !labels[j]) {
            labels[j] = label;
            stack[sp++] = j;
          }
        }
      }
    }
    components.push({ label, area, meanProb: prob ? sum / area : NaN, minX, minY, maxX, maxY });
  }
  return { labels, components };
}

/**
 * The corners of a component's outermost pixels in each row (the hull of these equals the hull of
 * all its pixel squares).
 */
export function componentOutlinePoints(labels: Int32Array, width: number, c: Component): Point[] {
  const pts: Point[] = [];
  for (let y = c.minY; y <= c.maxY; y++) {
    const row = y * width;
    let x0 = -1;
    let x1 = -1;
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[row + x] === c.label) {
        if (x0 < 0) x0 = x;
        x1 = x;
      }
    }
    if (x0 < 0) continue;
    pts.push({ x: x0, y }, { x: x0, y: y + 1 }, { x: x1 + 1, y }, { x: x1 + 1, y: y + 1 });
  }
  return pts;
}

// ---------------------------------------------------------------------------------------------
// Geometry

const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/**
 * Convex hull (Andrew's monotone chain), collinear points removed, counter-clockwise in the
 * mathematical sense (positive shoelace area with x right, y down it looks clockwise on screen).
 */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const uniq: Point[] = [];
  for (const p of pts) {
    const last = uniq[uniq.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) uniq.push(p);
  }
  if (uniq.length < 3) return uniq;
  const lower: Point[] = [];
  for (const p of uniq) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = uniq.length - 1; i >= 0; i--) {
    const p = uniq[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

export function polygonArea(poly: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2;
}

/**
 * Minimum-area enclosing rectangle of a convex polygon (counter-clockwise, as `convexHull` returns)
 * by rotating calipers: one side of the optimum lies on a hull edge, and for consecutive edges the
 * extreme points (farthest along the edge, farthest from it, least along it) only move forward.
 */
export function minAreaRect(hull: readonly Point[]): RotatedRect {
  const n = hull.length;
  if (n === 0) throw new RangeError('minAreaRect of no points');
  if (n === 1) return { cx: hull[0]!.x, cy: hull[0]!.y, width: 0, height: 0, angle: 0 };
  if (n === 2) {
    const [a, b] = hull as [Point, Point];
    return {
      cx: (a.x + b.x) / 2,
      cy: (a.y + b.y) / 2,
      width: Math.hypot(b.x - a.x, b.y - a.y),
      height: 0,
      angle: Math.atan2(b.y - a.y, b.x - a.x),
    };
  }
  const at = (i: number) => hull[i % n]!;
  const dot = (ux: number, uy: number, p: Point) => ux * p.x + uy * p.y;
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  let j = 0; // max along the edge
  let k = 0; // farthest from the edge
  let l = 0; // min along the edge
  const EPS = 1e-9;
  for (let i = 0; i < n; i++) {
    const p = at(i);
    const q = at(i + 1);
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    if (len === 0) continue;
    const ux = (q.x - p.x) / len;
    const uy = (q.y - p.y) / len;
    const vx = -uy; // left normal: the interior side of a counter-clockwise polygon
    const vy = ux;
    if (i === 0) {
      // Full scan once; afterwards the calipers only advance.
      for (let m = 0; m < n; m++) {
        if (dot(ux, uy, at(m)) > dot(ux, uy, at(j)) + EPS) j = m;
        if (dot(vx, vy, at(m)) > dot(vx, vy, at(k)) + EPS) k = m;
        if (dot(ux, uy, at(m)) < dot(ux, uy, at(l)) - EPS) l = m;
      }
    } else {
      for (let s = 0; s < n && dot(ux, uy, at(j + 1)) > dot(ux, uy, at(j)) + EPS; s++) j = (j + 1) % n;
      for (let s = 0; s < n && dot(vx, vy, at(k + 1)) > dot(vx, vy, at(k)) + EPS; s++) k = (k + 1) % n;
      for (let s = 0; s < n && dot(ux, uy, at(l + 1)) < dot(ux, uy, at(l)) - EPS; s++) l = (l + 1) % n;
    }
    const uMin = dot(ux, uy, at(l));
    const uMax = dot(ux, uy, at(j));
    const vMin = dot(vx, vy, p);
    const vMax = dot(vx, vy, at(k));
    const w = uMax - uMin;
    const h = vMax - vMin;
    const area = w * h;
    if (area < bestArea - EPS) {
      bestArea = area;
      const uc = (uMin + uMax) / 2;
      const vc = (vMin + vMax) / 2;
      best = { cx: ux * uc + vx * vc, cy: uy * uc + vy * vc, width: w, height: h, angle: Math.atan2(uy, ux) };
    }
  }
  return best!;
}

/** The four corners of a rotated rectangle (in no particular order). */
export function rectCorners(r: RotatedRect): Quad {
  const ux = Math.cos(r.angle);
  const uy = Math.sin(r.angle);
  const hw = r.width / 2;
  const hh = r.height / 2;
  const c = (a: number, b: number): Point => ({ x: r.cx + ux * a - uy * b, y: r.cy + uy * a + ux * b });
  return [c(-hw, -hh), c(hw, -hh), c(hw, hh), c(-hw, hh)];
}

/** Unclip distance (PaddleOCR's): the polygon is grown by area · ratio / perimeter. */
export function unclipDistance(area: number, perimeter: number, ratio: number): number {
  return perimeter > 0 ? (area * ratio) / perimeter : 0;
}

/**
 * Grows a rectangle by its unclip distance on every side. (Offsetting a rectangle with round joins
 * and taking the minimum-area rectangle of the result, as PaddleOCR does, gives exactly this.)
 */
export function unclipRect(r: RotatedRect, ratio: number): RotatedRect {
  const d = unclipDistance(r.width * r.height, 2 * (r.width + r.height), ratio);
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d };
}

/**
 * Orders four corners as top-left, top-right, bottom-right, bottom-left: clockwise on screen,
 * starting so that the first edge points most nearly rightwards. A box turned by more than 45°
 * therefore comes out "tall" (taller than wide); the cropper turns such boxes upright.
 */
export function orderQuad(pts: readonly Point[]): Quad {
  if (pts.length !== 4) throw new RangeError('orderQuad needs 4 points');
  const cx = (pts[0]!.x + pts[1]!.x + pts[2]!.x + pts[3]!.x) / 4;
  const cy = (pts[0]!.y + pts[1]!.y + pts[2]!.y + pts[3]!.y) / 4;
  const s = [...pts].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  let start = 0;
  let bestCos = -Infinity;
  for (let i = 0; i < 4; i++) {
    const a = s[i]!;
    const b = s[(i + 1) % 4]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const c = (b.x - a.x) / len;
    if (c > bestCos + 1e-9) {
      bestCos = c;
      start = i;
    }
  }
  return [0, 1, 2, 3].map((i) => s[(start + i) % 4]!) as Quad;
}

/** Reading order: top to bottom, and left to right among boxes whose tops are within `lineTolerance`. */
export function sortReadingOrder<T extends { quad: Quad }>(boxes: readonly T[], lineTolerance = 10): T[] {
  const out = [...boxes].sort((a, b) => a.quad[0].y - b.quad[0].y || a.quad[0].x - b.quad[0].x);
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0; j--) {
      const a = out[j - 1]!;
      const b = out[j]!;
      if (Math.abs(b.quad[0].y - a.quad[0].y) < lineTolerance && b.quad[0].x < a.quad[0].x) {
        out[j - 1] = b;
        out[j] = a;
      } else break;
    }
  }
  return out;
}

/** Axis-aligned bounds of a quad: [x1, y1, x2, y2]. */
export function quadBounds(q: readonly Point[]): [number, number, number, number] {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of q) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  return [x1, y1, x2, y2];
}

// ---------------------------------------------------------------------------------------------
// The whole step

/** Text boxes from a DB probability map of `width`×`height`, in map pixels, in reading order. */
export function dbPostprocess(prob: ArrayLike<number>, width: number, height: number, opts: DbOptions = {}): DetBox[] {
  const binThreshold = opts.binThreshold ?? 0.3;
  const boxThreshold = opts.boxThreshold ?? 0.6;
  const unclipRatio = opts.unclipRatio ?? 1.5;
  const minSide = opts.minSide ?? 5;
  const maxCandidates = opts.maxCandidates ?? 1000;
  const vw = Math.min(width, opts.validWidth ?? width);
  const vh = Math.min(height, opts.validHeight ?? height);

  const mask = binarise(prob, width, height, binThreshold);
  const { labels, components } = connectedComponents(mask, width, height, prob);
  const kept = components
    .filter((c) => c.area >= 2 && c.meanProb >= boxThreshold && c.minX < vw && c.minY < vh)
    .sort((a, b) => b.area - a.area)
    .slice(0, maxCandidates);

  const boxes: DetBox[] = [];
  for (const c of kept) {
    const hull = convexHull(componentOutlinePoints(labels, width, c));
    const rect = minAreaRect(hull);
    if (Math.min(rect.width, rect.height) < 3) continue; // PaddleOCR's min_size before unclipping
    const grown = unclipRect(rect, unclipRatio);
    if (Math.min(grown.width, grown.height) < minSide) continue;
    const quad = orderQuad(
      rectCorners(grown).map((p) => ({ x: Math.min(Math.max(p.x, 0), vw), y: Math.min(Math.max(p.y, 0), vh) })),
    );
    boxes.push({ quad, score: c.meanProb });
  }
  return sortReadingOrder(boxes);
}
