// Unit tests of the gallery's roving focus (widgets/pf-gallery/keyboard.ts): which photo a key moves to. No DOM.
import { expect } from '@open-wc/testing';
import { nextIndex } from '../../../widgets/pf-gallery/keyboard.ts';
import { GridLayout } from '../../../widgets/pf-gallery/grid.ts';
import type { GalleryLayout } from '../../../widgets/pf-gallery/layout.ts';

/** 40 photos in 6 columns of 108-px cells (rows 0–5 full, row 6 holds 36–39). */
const grid = () => new GridLayout(1000, 6, 40, 160);

/** A layout of `count` photos in rows of 10, every cell `h` px high. */
function rowsOf10(count: number, h: number): Pick<GalleryLayout, 'count' | 'cell' | 'vertical'> {
  return {
    count,
    cell: (index) => ({ index, x: 0, y: Math.floor(index / 10) * h, w: 100, h }),
    vertical: (index, dir) => (index + dir * 10 >= 0 && index + dir * 10 < count ? index + dir * 10 : index),
  };
}

describe('nextIndex (gallery keyboard)', () => {
  it('ArrowLeft/ArrowRight move by one photo, across rows, and stop at either end', () => {
    const g = grid();
    expect(nextIndex('ArrowRight', 0, g, 800)).to.equal(1);
    expect(nextIndex('ArrowRight', 5, g, 800)).to.equal(6); // end of row 0 → start of row 1
    expect(nextIndex('ArrowLeft', 6, g, 800)).to.equal(5);
    expect(nextIndex('ArrowLeft', 0, g, 800)).to.equal(0);
    expect(nextIndex('ArrowRight', 39, g, 800)).to.equal(39);
  });

  it('ArrowUp/ArrowDown move to the row above/below (the layout decides the column)', () => {
    const g = grid();
    expect(g.cols).to.equal(6);
    expect(nextIndex('ArrowDown', 2, g, 800)).to.equal(8);
    expect(nextIndex('ArrowUp', 8, g, 800)).to.equal(2);
    expect(nextIndex('ArrowUp', 2, g, 800)).to.equal(2);
    expect(nextIndex('ArrowDown', 33, g, 800)).to.equal(39); // the last row is shorter: its last photo
    expect(nextIndex('ArrowDown', 39, g, 800)).to.equal(39);
  });

  it('Home/End go to the first/last photo', () => {
    const g = grid();
    expect(nextIndex('Home', 17, g, 800)).to.equal(0);
    expect(nextIndex('End', 17, g, 800)).to.equal(39);
    expect(nextIndex('End', 39, g, 800)).to.equal(39);
  });

  it('PageDown/PageUp move as many rows as 80% of the viewport holds at the current row height', () => {
    // 80% of 800 px = 640 px of 108-px rows: 5 rows.
    const g = grid();
    expect(g.cell(2).h).to.equal(108);
    expect(nextIndex('PageDown', 2, g, 800)).to.equal(32);
    expect(nextIndex('PageDown', 32, g, 800)).to.equal(38); // stops at the last row
    expect(nextIndex('PageUp', 38, g, 800)).to.equal(8);
    expect(nextIndex('PageUp', 8, g, 800)).to.equal(2);
    // 100-px rows: 400 px of a 500-px viewport is 4 rows; a tiny viewport still moves one row.
    const l = rowsOf10(1000, 100);
    expect(nextIndex('PageDown', 5, l, 500)).to.equal(45);
    expect(nextIndex('PageUp', 45, l, 500)).to.equal(5);
    expect(nextIndex('PageDown', 5, l, 50)).to.equal(15);
    // A row of no height (not laid out yet) counts as 1 px: 400 rows, so down to the last row.
    expect(nextIndex('PageDown', 5, rowsOf10(1000, 0), 500)).to.equal(995);
  });

  it('other keys are not the gallery’s (null): Enter, Space and Tab keep their own meaning', () => {
    const g = grid();
    for (const key of ['Enter', ' ', 'Tab', 'a', 'Escape']) expect(nextIndex(key, 3, g, 800), key).to.equal(null);
  });

  it('one photo: every movement key stays on it', () => {
    const g = new GridLayout(1000, 6, 1, 160);
    for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']) {
      expect(nextIndex(key, 0, g, 800), key).to.equal(0);
    }
  });
});
