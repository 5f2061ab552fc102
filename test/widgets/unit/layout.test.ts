// Unit tests of the gallery layouts (widgets/pf-gallery/layout.ts, grid.ts): pure maths, no DOM.
import { expect } from '@open-wc/testing';
import { GridLayout } from '../../../widgets/pf-gallery/grid.ts';
import {
  DEFAULT_RATIO,
  JustifiedLayout,
  justifyBlock,
  targetRowHeight,
  type Cell,
  type JustifiedOptions,
} from '../../../widgets/pf-gallery/layout.ts';

/** Cells grouped by row (same y), in order. */
function rows(cells: Cell[]): Cell[][] {
  const out: Cell[][] = [];
  for (const c of cells) {
    const last = out.at(-1);
    if (last && last[0]!.y === c.y) last.push(c);
    else out.push([c]);
  }
  return out;
}

/** Every cell of a layout. */
const all = (l: { height: number; cells(top: number, bottom: number): Cell[] }) => l.cells(0, l.height + 1);

function justified(ratios: (number | undefined)[], o: Partial<JustifiedOptions> = {}) {
  return new JustifiedLayout({
    width: 1000,
    gap: 6,
    count: ratios.length,
    targetHeight: 200,
    blockSize: 32,
    ratioAt: (i) => ratios[i],
    ...o,
  });
}

describe('GridLayout', () => {
  it('fits as many columns of at least minCell as the width allows, cells filling the width exactly', () => {
    const g = new GridLayout(1000, 6, 10, 160);
    // (1000 + 6) / (160 + 6) = 6.06 → 6 columns.
    expect(g.cols).to.equal(6);
    const first = rows(all(g))[0]!;
    expect(first).to.have.length(6);
    expect(first[0]!.x).to.equal(0);
    const last = first.at(-1)!;
    expect(last.x + last.w).to.equal(1000);
    // Gaps of 6 px between neighbours (rounded positions may differ by a pixel at most).
    for (let k = 1; k < first.length; k++) expect(first[k]!.x - (first[k - 1]!.x + first[k - 1]!.w)).to.be.within(5, 7);
    // Cells are 3:2 by default.
    expect(first[0]!.w / first[0]!.h).to.be.closeTo(DEFAULT_RATIO, 0.02);
  });

  it('height covers every row, with a gap between rows and none after the last', () => {
    const g = new GridLayout(1000, 6, 13, 160); // 6 + 6 + 1
    const cells = all(g);
    expect(cells).to.have.length(13);
    expect(rows(cells).map((r) => r.length)).to.deep.equal([6, 6, 1]);
    const lastCell = cells.at(-1)!;
    expect(g.height).to.be.closeTo(lastCell.y + lastCell.h, 1);
    expect(rows(cells)[1]![0]!.y).to.be.closeTo(rows(cells)[0]![0]!.h + 6, 1);
  });

  it('returns only the rows inside a window', () => {
    const g = new GridLayout(1000, 6, 600, 160);
    // From just below the top of row 10 to just above row 12: rows 10 and 11.
    const top = g.cell(60).y + 1;
    const bottom = g.cell(72).y - 1;
    const win = g.cells(top, bottom);
    expect(win.map((c) => c.index)).to.deep.equal(Array.from({ length: 12 }, (_, k) => 60 + k));
    expect(win.every((c) => c.y + c.h >= top && c.y < bottom)).to.equal(true);
  });

  it('a narrow container gets one column as wide as itself', () => {
    const g = new GridLayout(120, 6, 3, 160);
    expect(g.cols).to.equal(1);
    expect(all(g).map((c) => [c.x, c.w])).to.deep.equal([
      [0, 120],
      [0, 120],
      [0, 120],
    ]);
  });

  it('moves up and down by a row, to the last photo when the row below is shorter', () => {
    const g = new GridLayout(1000, 6, 13, 160);
    expect(g.vertical(2, 1)).to.equal(8);
    expect(g.vertical(8, -1)).to.equal(2);
    expect(g.vertical(2, -1)).to.equal(2);
    expect(g.vertical(9, 1)).to.equal(12); // row 3 has one photo
    expect(g.vertical(12, 1)).to.equal(12);
  });

  it('an empty set has no height and no cells', () => {
    const g = new GridLayout(1000, 6, 0, 160);
    expect(g.height).to.equal(0);
    expect(g.cells(0, 1000)).to.deep.equal([]);
  });
});

describe('justifyBlock', () => {
  it('breaks rows so that each row fills the width (gaps included)', () => {
    const ratios = [1.5, 1.5, 0.67, 1.5, 1.78, 1, 1.5, 0.75, 1.5, 1.33, 1.5, 1.5];
    const b = justifyBlock(ratios, 1000, 6, 200);
    let covered = 0;
    for (const row of b.rows) {
      covered += row.count;
      let sum = 0;
      for (let k = row.start; k < row.start + row.count; k++) sum += b.w[k]!;
      const gaps = 6 * (row.count - 1);
      if (row.full) expect(sum + gaps).to.be.closeTo(1000, 1e-6);
      else expect(sum + gaps).to.be.lessThan(1000);
      // Within a row: same height, x increasing by width + gap.
      for (let k = row.start + 1; k < row.start + row.count; k++) {
        expect(b.x[k]).to.be.closeTo(b.x[k - 1]! + b.w[k - 1]! + 6, 1e-9);
        expect(b.w[k]! / ratios[k]!).to.be.closeTo(row.h, 1e-9);
      }
    }
    expect(covered).to.equal(ratios.length);
    // Rows come one under the other, a gap apart; the block's height ends at the last row.
    for (let r = 1; r < b.rows.length; r++) expect(b.rows[r]!.y).to.be.closeTo(b.rows[r - 1]!.y + b.rows[r - 1]!.h + 6, 1e-9);
    expect(b.height).to.be.closeTo(b.rows.at(-1)!.y + b.rows.at(-1)!.h, 1e-9);
  });

  it('row heights stay near the target', () => {
    const ratios = Array.from({ length: 32 }, (_, i) => [1.5, 0.67, 1.33, 1.78][i % 4]!);
    const b = justifyBlock(ratios, 1000, 6, 200);
    for (const row of b.rows) expect(row.h).to.be.within(120, 320);
  });

  it('picks the break with the least deviation: four 3:2 photos at 1000 px make one row of 4 at ~165 px, not 2 + 2', () => {
    // One row: h = (1000 − 18) / 6 = 163.7 (deviation 0.18); two rows of 2: h = 994 / 3 = 331 (0.66 each).
    const b = justifyBlock([1.5, 1.5, 1.5, 1.5], 1000, 6, 200);
    expect(b.rows.map((r) => r.count)).to.deep.equal([4]);
    expect(b.rows[0]!.h).to.be.closeTo(982 / 6, 1e-9);
  });

  it('one photo alone is capped in height (1.6 × target) and then does not fill the width', () => {
    const b = justifyBlock([1.5], 1000, 6, 200);
    expect(b.rows).to.have.length(1);
    expect(b.rows[0]!.h).to.equal(320);
    expect(b.rows[0]!.full).to.equal(false);
    expect(b.w[0]).to.equal(480);
  });

  it('a very wide panorama gets a row of its own, full width and low', () => {
    const b = justifyBlock([1.5, 1.5, 1.5, 8, 1.5, 1.5, 1.5], 1000, 6, 200);
    const pano = b.rows.find((r) => r.start <= 3 && 3 < r.start + r.count)!;
    expect(pano.count).to.equal(1);
    expect(pano.full).to.equal(true);
    expect(b.w[3]).to.be.closeTo(1000, 1e-9);
    expect(pano.h).to.be.closeTo(125, 1e-9);
  });

  it('an empty block has no rows and no height', () => {
    const b = justifyBlock([], 1000, 6, 200);
    expect(b.rows).to.deep.equal([]);
    expect(b.height).to.equal(0);
  });
});

describe('JustifiedLayout', () => {
  it('the cells of every full row end exactly at the container edge (no rounding gap)', () => {
    const ratios = Array.from({ length: 100 }, (_, i) => [1.5, 0.67, 1.33, 1.78, 1, 0.75][i % 6]!);
    const l = justified(ratios, { width: 997, gap: 5 });
    const byRow = rows(all(l));
    expect(byRow.flat()).to.have.length(100);
    expect(byRow.flat().map((c) => c.index)).to.deep.equal([...Array(100).keys()]);
    for (const row of byRow) {
      expect(row[0]!.x).to.equal(0);
      const last = row.at(-1)!;
      if (last.x + last.w !== 997) {
        // Only a capped (short) row may stop early, and never past the edge.
        expect(last.x + last.w).to.be.lessThan(997);
      }
      // Widths plus gaps add up to the row's extent (each rounded edge moves a pixel at most).
      const sum = row.reduce((s, c) => s + c.w, 0) + 5 * (row.length - 1);
      expect(Math.abs(sum - (last.x + last.w))).to.be.at.most(row.length);
    }
    expect(byRow.filter((r) => r.at(-1)!.x + r.at(-1)!.w === 997).length).to.be.greaterThan(byRow.length / 2);
  });

  it('blocks of one API page never share a row, so a page that loads changes only its own block', () => {
    const ratios: (number | undefined)[] = Array.from({ length: 20 }, () => undefined);
    const l = justified(ratios, { blockSize: 10 });
    const heightBefore = l.height;
    const secondBlockTop = l.blockTop(10);
    const cell15 = l.cell(15);
    for (const r of rows(all(l))) expect(Math.floor(r[0]!.index / 10)).to.equal(Math.floor(r.at(-1)!.index / 10));
    // Page 1 arrives with portrait photos: block 0 gets taller, block 1 keeps its layout, only moved down.
    for (let i = 0; i < 10; i++) ratios[i] = 0.67;
    l.invalidate(0, 10);
    const shift = l.blockTop(10) - secondBlockTop;
    expect(shift).to.not.equal(0);
    expect(l.cell(15).x).to.equal(cell15.x);
    expect(l.cell(15).w).to.equal(cell15.w);
    expect(l.cell(15).y).to.be.closeTo(cell15.y + shift, 1);
    expect(l.height).to.be.closeTo(heightBefore + shift, 1);
  });

  it('photos not loaded yet are laid out at the default 3:2', () => {
    const unknown = justified([undefined, undefined, undefined, undefined]);
    const known = justified([DEFAULT_RATIO, DEFAULT_RATIO, DEFAULT_RATIO, DEFAULT_RATIO]);
    expect(all(unknown)).to.deep.equal(all(known));
  });

  it('odd aspect ratios are clamped to 1:4 … 4:1, and broken ones count as unknown', () => {
    const extreme = justified([50, 0.01, NaN, Infinity]);
    const clamped = justified([4, 0.25, DEFAULT_RATIO, DEFAULT_RATIO]);
    expect(all(extreme)).to.deep.equal(all(clamped));
    for (const c of all(extreme)) {
      expect(c.w).to.be.greaterThan(0);
      expect(c.h).to.be.greaterThan(0);
    }
  });

  it('one photo: a single capped cell at the top left', () => {
    const l = justified([1.5]);
    expect(all(l)).to.deep.equal([{ index: 0, x: 0, y: 0, w: 480, h: 320 }]);
    expect(l.height).to.equal(320);
    expect(l.vertical(0, 1)).to.equal(0);
    expect(l.vertical(0, -1)).to.equal(0);
  });

  it('an empty set has no height and no cells', () => {
    const l = justified([]);
    expect(l.height).to.equal(0);
    expect(l.cells(0, 1000)).to.deep.equal([]);
  });

  it('returns only the cells inside a window, in index order, for a very large set', () => {
    const l = justified(
      Array.from({ length: 100_000 }, () => undefined),
      { blockSize: 50 },
    );
    expect(l.height).to.be.greaterThan(1_000_000);
    const top = l.height / 2;
    const win = l.cells(top, top + 800);
    expect(win.length).to.be.within(1, 60);
    for (let k = 1; k < win.length; k++) expect(win[k]!.index).to.equal(win[k - 1]!.index + 1);
    expect(win.every((c) => c.y + c.h >= top && c.y < top + 800)).to.equal(true);
  });

  it('moves up and down to the nearest photo of the next row, across blocks', () => {
    const l = justified(
      Array.from({ length: 20 }, () => 1.5),
      { blockSize: 10 },
    );
    const byRow = rows(all(l));
    const [r0, r1] = [byRow[0]!, byRow[1]!];
    const below = l.vertical(r0[0]!.index, 1);
    expect(r1.map((c) => c.index)).to.include(below);
    expect(l.vertical(below, -1)).to.equal(r0[0]!.index);
    // From the last row of block 0 down into block 1.
    const lastOfBlock0 = byRow.filter((r) => r[0]!.index < 10).at(-1)!;
    expect(l.vertical(lastOfBlock0[0]!.index, 1)).to.be.at.least(10);
    // Nothing above the first row or below the last.
    expect(l.vertical(0, -1)).to.equal(0);
    expect(l.vertical(19, 1)).to.equal(19);
  });
});

describe('targetRowHeight', () => {
  it('is row-height when set, else 120 px below 500 px of width, 160 below 900, 200 wider', () => {
    expect([320, 499, 500, 899, 900, 1600].map((w) => targetRowHeight(w))).to.deep.equal([120, 120, 160, 160, 200, 200]);
    expect(targetRowHeight(320, 90)).to.equal(90);
    expect(targetRowHeight(1600, 0)).to.equal(200);
  });
});
