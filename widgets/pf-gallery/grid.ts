import { DEFAULT_RATIO, type Cell, type GalleryLayout } from './layout.ts';

/**
 * The grid layout: equal cells, O(1) per lookup (see layout.ts for the justified one). A module of its own:
 * pf-gallery fetches it when a gallery first lays out as a grid, together with its first page.
 */
export class GridLayout implements GalleryLayout {
  readonly cols: number;
  readonly #cw: number;
  readonly #ch: number;
  readonly #pitch: number;

  constructor(
    width: number,
    private readonly gap: number,
    readonly count: number,
    minCell: number,
    ratio = DEFAULT_RATIO,
  ) {
    this.cols = Math.max(1, Math.floor((width + gap) / (minCell + gap)));
    this.#cw = Math.max(1, (width - gap * (this.cols - 1)) / this.cols);
    this.#ch = this.#cw / ratio;
    this.#pitch = this.#ch + gap;
  }

  get height(): number {
    const rows = Math.ceil(this.count / this.cols);
    return rows ? rows * this.#pitch - this.gap : 0;
  }

  cell(index: number): Cell {
    const r = Math.floor(index / this.cols);
    const c = index % this.cols;
    const x = Math.round(c * (this.#cw + this.gap));
    return {
      index,
      x,
      y: Math.round(r * this.#pitch),
      w: Math.round((c + 1) * (this.#cw + this.gap) - this.gap) - x,
      h: Math.round(this.#ch),
    };
  }

  cells(top: number, bottom: number): Cell[] {
    const out: Cell[] = [];
    if (!this.count) return out;
    const r0 = Math.max(0, Math.floor(top / this.#pitch));
    const r1 = Math.floor(Math.max(top, bottom - 1) / this.#pitch);
    const last = Math.min(this.count, (r1 + 1) * this.cols);
    for (let i = r0 * this.cols; i < last; i++) out.push(this.cell(i));
    return out;
  }

  vertical(index: number, dir: -1 | 1): number {
    const next = index + dir * this.cols;
    if (next < 0) return index;
    if (next >= this.count) {
      // The row below is shorter: go to its last photo, if there is a row below at all.
      const lastRow = Math.floor((this.count - 1) / this.cols);
      return Math.floor(index / this.cols) < lastRow ? this.count - 1 : index;
    }
    return next;
  }
}
