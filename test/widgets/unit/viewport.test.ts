// Unit tests of the gallery's virtualisation (widgets/pf-gallery/viewport.ts): the pure window maths, and the
// controller on a bare element in a scrolling box (no gallery, no server).
import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import { GridLayout } from '../../../widgets/pf-gallery/grid.ts';
import type { Cell } from '../../../widgets/pf-gallery/layout.ts';
import {
  cellsToRender,
  GalleryViewport,
  pagesToLoad,
  sameCells,
  visiblePages,
  type ViewportTarget,
} from '../../../widgets/pf-gallery/viewport.ts';

/** 100 photos in 6 columns of 100 × 100 px cells, no gap: row r is y = 100 r, photos 6r … 6r + 5. */
const grid = (count = 100) => new GridLayout(600, 0, count, 100, 1);
const indices = (cells: Cell[]) => cells.map((c) => c.index);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('cellsToRender', () => {
  it('renders the visible rows and 0.75 viewports either side', () => {
    // Visible 1000–1300 (vh 300): rendered 775–1525, rows 7–15.
    expect(indices(cellsToRender(grid(), 1000, 1300, 300, 45))).to.deep.equal(range(42, 96));
    // At the top nothing is rendered above 0.
    expect(indices(cellsToRender(grid(), 0, 300, 300, 0))).to.deep.equal(range(0, 36));
  });

  it('keeps the photo in the tab order rendered wherever it is, in index order', () => {
    expect(indices(cellsToRender(grid(), 1000, 1300, 300, 3))).to.deep.equal([3, ...range(42, 96)]);
    expect(indices(cellsToRender(grid(), 0, 300, 300, 80))).to.deep.equal([...range(0, 36), 80]);
    // …but not past the end of the layout (the photo was hidden, or is not laid out yet).
    expect(indices(cellsToRender(grid(), 0, 300, 300, 100))).to.deep.equal(range(0, 36));
  });

  it('an empty layout renders nothing', () => {
    expect(cellsToRender(grid(0), 0, 300, 300, 0)).to.deep.equal([]);
  });
});

describe('sameCells', () => {
  it('compares photos and boxes, not object identity', () => {
    const g = grid();
    expect(sameCells(g.cells(0, 300), g.cells(0, 300))).to.equal(true);
    expect(sameCells(g.cells(0, 300), g.cells(0, 400))).to.equal(false);
    expect(sameCells(g.cells(0, 100), grid(100).cells(0, 100))).to.equal(true);
    expect(sameCells(g.cells(0, 100), new GridLayout(700, 0, 100, 100, 1).cells(0, 100))).to.equal(false);
    expect(sameCells([], [])).to.equal(true);
  });
});

describe('pagesToLoad', () => {
  const pageOf = (view: number) => Math.floor(view / 12) + 1; // 12 photos (two rows) per page

  it('lists the visible pages first, then half a viewport above and 1.5 below, each once', () => {
    // Visible 1050–1250: rows 10–12 = pages 6–7. Ahead 900–1700: rows 9–16 = pages 5–9.
    expect(pagesToLoad(grid(), 1050, 1250, 300, pageOf)).to.deep.equal([6, 7, 5, 8, 9]);
    // A row touching an edge of the visible part counts as visible (rows 9–13 for 1000–1300).
    expect(pagesToLoad(grid(), 1000, 1300, 300, pageOf)).to.deep.equal([5, 6, 7, 8, 9]);
  });

  it('at the top: the first pages, nothing above', () => {
    expect(pagesToLoad(grid(), 0, 300, 300, pageOf)).to.deep.equal([1, 2, 3, 4]);
  });

  it('maps view positions through pageOf (photos hidden with "Not me" shift the pages)', () => {
    const shifted = (view: number) => Math.floor((view + 6) / 12) + 1;
    expect(pagesToLoad(grid(), 0, 300, 300, shifted)).to.deep.equal([1, 2, 3, 4, 5]);
  });
});

describe('visiblePages', () => {
  const pageOf = (view: number) => Math.floor(view / 12) + 1;

  it('only the pages of the cells on screen (what the gallery loads before its first thumbnails are in)', () => {
    expect(visiblePages(grid(), 1050, 1250, pageOf)).to.deep.equal([6, 7]);
    expect(visiblePages(grid(), 0, 300, pageOf)).to.deep.equal([1, 2]);
    expect(visiblePages(grid(), 0, 150, pageOf)).to.deep.equal([1]);
  });
});

describe('GalleryViewport', () => {
  /** A 300-px scrolling box holding a 600-px wide host whose canvas is the height of the layout. */
  function mount() {
    const box = document.createElement('div');
    box.style.cssText = 'position: fixed; top: 0; left: 0; width: 700px; height: 300px; overflow-y: auto';
    const el = document.createElement('div');
    el.style.width = '600px';
    const canvas = document.createElement('div');
    canvas.style.cssText = 'position: relative; height: 1700px';
    el.append(canvas);
    box.append(el);
    document.body.append(box);
    const calls = { updates: 0, resized: 0, loads: 0, layouts: 0 };
    const host = Object.assign(el, {
      addController: () => undefined,
      removeController: () => undefined,
      requestUpdate: () => void calls.updates++,
      updateComplete: Promise.resolve(true),
    }) as HTMLElement & ReactiveControllerHost;
    const target: ViewportTarget = {
      canvas: () => canvas,
      layout: () => (calls.layouts++, grid()),
      active: () => 0,
      pageOf: (view) => Math.floor(view / 12) + 1,
      resized: () => void calls.resized++,
      load: () => void calls.loads++,
    };
    const v = new GalleryViewport(host, target);
    v.hostConnected();
    return { box, v, calls, done: () => (v.hostDisconnected(), box.remove()) };
  }

  it('observes the width, measures in a frame, and lists the cells and pages near the viewport', async () => {
    const { v, calls, done } = mount();
    await waitUntil(() => v.width === 600 && v.cells.length > 0, 'never measured');
    expect(calls.resized).to.equal(1);
    expect(indices(v.cells)).to.deep.equal(range(0, 36)); // 300 px visible + 225 px below: rows 0–5
    expect(v.wanted).to.deep.equal([1, 2, 3, 4]);
    expect(calls.loads).to.be.greaterThan(0);
    expect(calls.updates).to.be.greaterThan(0);
    done();
  });

  it('finds the scrolling box: scrollByPx scrolls it (not the page), and its scroll events re-measure', async () => {
    const { box, v, done } = mount();
    await waitUntil(() => v.cells.length > 0, 'never measured');
    const pageY = window.scrollY;
    v.scrollByPx(1000);
    expect(box.scrollTop).to.equal(1000);
    expect(window.scrollY).to.equal(pageY);
    await waitUntil(() => v.cells[1]?.index === 42, 'scroll did not re-measure');
    expect(indices(v.cells)).to.deep.equal([0, ...range(42, 96)]); // photo 0 is in the tab order
    done();
  });

  it('a fling waits for the scroll to settle before loading pages', async () => {
    const { box, v, calls, done } = mount();
    await waitUntil(() => v.cells.length > 0, 'never measured');
    await waitUntil(() => calls.loads > 0, 'the first pages never loaded');
    const loads = calls.loads;
    box.scrollTop = 1300;
    v.measure(); // 1300 px in well under a frame: far faster than 6 px/ms
    expect(v.wanted[0]).to.equal(pagesToLoad(grid(), 1300, 1600, 300, (i) => Math.floor(i / 12) + 1)[0]);
    expect(calls.loads).to.equal(loads);
    await waitUntil(() => calls.loads > loads, 'pages never loaded after the fling');
    done();
  });

  it('stops listening when the host disconnects', async () => {
    const { box, v, calls, done } = mount();
    await waitUntil(() => v.cells.length > 0, 'never measured');
    v.hostDisconnected();
    const layouts = calls.layouts;
    // The scroll event has been dispatched and two frames drawn: a listener still there would have measured.
    const scrolled = new Promise((r) => box.addEventListener('scroll', r, { once: true }));
    box.scrollTop = 500;
    await scrolled;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(calls.layouts).to.equal(layouts);
    done();
  });
});
