/**
 * Gallery layouts over a known number of photos, most of them not loaded yet. Pure maths (no DOM), so it is
 * cheap to rebuild on resize and exact enough to virtualise 100,000 photos: only the cells inside a vertical
 * window are ever asked for.
 *
 * - GridLayout (grid.ts, a module of its own: `layout="grid"` galleries fetch it): equal cells; O(1) per lookup.
 * - JustifiedLayout: rows of photos at their own aspect ratios, filling the width (Flickr/Google Photos
 *   style). Photos are laid out in blocks of `blockSize` (one API page); rows never cross a block, so a page
 *   that loads changes only its own block's height. Row breaks inside a block minimise the squared deviation
 *   from the target row height (a small dynamic programme), so the last row of a block is justified too.
 *   Blocks whose photos are not loaded use a default aspect ratio.
 */

export interface Cell {
  index: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GalleryLayout {
  readonly height: number;
  readonly count: number;
  /** Cells that intersect [top, bottom), in index order. */
  cells(top: number, bottom: number): Cell[];
  cell(index: number): Cell;
  /** The photo above (dir -1) or below (dir 1) `index`, nearest horizontally; `index` when none. */
  vertical(index: number, dir: -1 | 1): number;
}

export const DEFAULT_RATIO = 1.5;

/** The row height a justified layout aims at: `rowHeight` when set (> 0), else 120 px on phones, 160 on tablets, 200 wider. */
export const targetRowHeight = (width: number, rowHeight = 0): number =>
  rowHeight > 0 ? rowHeight : width < 500 ? 120 : width < 900 ? 160 : 200;

interface Row {
  start: number;
  count: number;
  y: number;
  h: number;
  /** The row fills the width (false when its height was capped). */
  full: boolean;
}

interface Block {
  height: number;
  rows: Row[];
  /** Per item in the block: x and width. */
  x: Float64Array;
  w: Float64Array;
}

export interface JustifiedOptions {
  width: number;
  gap: number;
  count: number;
  targetHeight: number;
  blockSize: number;
  /** Aspect ratio (width / height) of the photo at `index`, or undefined when not known yet. */
  ratioAt(index: number): number | undefined;
}

/** Row breaks of one block: minimises Σ((h − target)/target)² with rows of 1..maxPerRow photos. */
export function justifyBlock(ratios: ArrayLike<number>, width: number, gap: number, target: number): Block {
  const n = ratios.length;
  const maxPerRow = Math.max(1, Math.min(n, Math.ceil((width / (target * 0.5)) * 1.2)));
  const maxH = target * 1.6;
  const cost = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + ratios[i]!;
  cost[0] = 0;
  for (let j = 1; j <= n; j++) {
    for (let i = Math.max(0, j - maxPerRow); i < j; i++) {
      const h = (width - gap * (j - i - 1)) / (prefix[j]! - prefix[i]!);
      const d = (h - target) / target;
      // Rows taller than maxH are capped (then not full width): penalise them more.
      const c = cost[i]! + d * d + (h > maxH ? 4 * d * d : 0);
      if (c < cost[j]!) {
        cost[j] = c;
        from[j] = i;
      }
    }
  }
  const breaks: number[] = [];
  for (let j = n; j > 0; j = from[j]!) breaks.push(j);
  breaks.reverse();
  const rows: Row[] = [];
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  let y = 0;
  let start = 0;
  for (const end of breaks) {
    const sum = prefix[end]! - prefix[start]!;
    const natural = (width - gap * (end - start - 1)) / sum;
    const h = Math.min(maxH, natural);
    let cx = 0;
    for (let k = start; k < end; k++) {
      x[k] = cx;
      w[k] = ratios[k]! * h;
      cx += w[k]! + gap;
    }
    rows.push({ start, count: end - start, y, h, full: natural <= maxH });
    y += h + gap;
    start = end;
  }
  return { height: rows.length ? y - gap : 0, rows, x, w };
}

export class JustifiedLayout implements GalleryLayout {
  readonly count: number;
  private readonly o: JustifiedOptions;
  readonly #blocks: (Block | undefined)[];
  readonly #uniform = new Map<number, Block>();
  /** y of each block's top; length blocks + 1 (the last entry is the total height + gap). */
  #tops: Float64Array;
  #dirty = true;

  constructor(o: JustifiedOptions) {
    this.o = o;
    this.count = o.count;
    this.#blocks = new Array<Block | undefined>(Math.ceil(o.count / o.blockSize));
    this.#tops = new Float64Array(this.#blocks.length + 1);
  }

  /** Forgets the blocks holding [from, to) (their photos loaded or changed). */
  invalidate(from: number, to: number): void {
    const b0 = Math.floor(from / this.o.blockSize);
    const b1 = Math.min(this.#blocks.length - 1, Math.floor((to - 1) / this.o.blockSize));
    for (let b = b0; b <= b1; b++) this.#blocks[b] = undefined;
    this.#dirty = true;
  }

  #block(b: number): Block {
    const cached = this.#blocks[b];
    if (cached) return cached;
    const { blockSize, width, gap, targetHeight, ratioAt } = this.o;
    const start = b * blockSize;
    const n = Math.min(blockSize, this.count - start);
    const ratios = new Float64Array(n);
    let known = 0;
    for (let k = 0; k < n; k++) {
      const r = ratioAt(start + k);
      if (r) known++;
      ratios[k] = r && Number.isFinite(r) ? Math.min(4, Math.max(0.25, r)) : DEFAULT_RATIO;
    }
    let block: Block;
    if (known === 0) {
      // Not loaded: every such block of the same size has the same layout.
      block = this.#uniform.get(n) ?? justifyBlock(ratios, width, gap, targetHeight);
      this.#uniform.set(n, block);
    } else block = justifyBlock(ratios, width, gap, targetHeight);
    this.#blocks[b] = block;
    return block;
  }

  #settle() {
    if (!this.#dirty) return;
    let y = 0;
    for (let b = 0; b < this.#blocks.length; b++) {
      this.#tops[b] = y;
      y += this.#block(b).height + this.o.gap;
    }
    this.#tops[this.#blocks.length] = y;
    this.#dirty = false;
  }

  get height(): number {
    this.#settle();
    return this.#blocks.length ? this.#tops[this.#blocks.length]! - this.o.gap : 0;
  }

  /** Top of the block holding `index` (to keep the view steady when an earlier block changes height). */
  blockTop(index: number): number {
    this.#settle();
    return this.#tops[Math.floor(index / this.o.blockSize)] ?? 0;
  }

  #blockAt(y: number): number {
    let lo = 0;
    let hi = this.#blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#tops[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #rowOf(block: Block, k: number): number {
    for (let r = 0; r < block.rows.length; r++) {
      const row = block.rows[r]!;
      if (k < row.start + row.count) return r;
    }
    return block.rows.length - 1;
  }

  #make(b: number, block: Block, row: Row, k: number): Cell {
    const top = this.#tops[b]!;
    const x = Math.round(block.x[k]!);
    const last = k === row.start + row.count - 1;
    // The last photo of a full-width row ends exactly at the edge (no rounding gap).
    const right = last && row.full ? this.o.width : Math.round(block.x[k]! + block.w[k]!);
    const y = Math.round(top + row.y);
    return { index: b * this.o.blockSize + k, x, y, w: right - x, h: Math.round(top + row.y + row.h) - y };
  }

  cell(index: number): Cell {
    this.#settle();
    const b = Math.floor(index / this.o.blockSize);
    const block = this.#block(b);
    const k = index - b * this.o.blockSize;
    return this.#make(b, block, block.rows[this.#rowOf(block, k)]!, k);
  }

  cells(top: number, bottom: number): Cell[] {
    this.#settle();
    const out: Cell[] = [];
    if (!this.count) return out;
    for (let b = this.#blockAt(top); b < this.#blocks.length && this.#tops[b]! < bottom; b++) {
      const block = this.#block(b);
      for (const row of block.rows) {
        const y = this.#tops[b]! + row.y;
        if (y + row.h < top) continue;
        if (y >= bottom) break;
        for (let k = row.start; k < row.start + row.count; k++) out.push(this.#make(b, block, row, k));
      }
    }
    return out;
  }

  vertical(index: number, dir: -1 | 1): number {
    this.#settle();
    const bs = this.o.blockSize;
    let b = Math.floor(index / bs);
    let block = this.#block(b);
    const k = index - b * bs;
    const r = this.#rowOf(block, k);
    const centre = block.x[k]! + block.w[k]! / 2;
    let target: Row | undefined = block.rows[r + dir];
    if (!target) {
      b += dir;
      if (b < 0 || b >= this.#blocks.length) return index;
      block = this.#block(b);
      target = dir === 1 ? block.rows[0] : block.rows[block.rows.length - 1];
      if (!target) return index;
    }
    let best = target.start;
    let bestD = Infinity;
    for (let j = target.start; j < target.start + target.count; j++) {
      const d = Math.abs(block.x[j]! + block.w[j]! / 2 - centre);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    return b * bs + best;
  }
}
