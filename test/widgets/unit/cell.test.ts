// Unit tests of one gallery cell (widgets/pf-gallery/cell.ts), rendered by lit into a bare element (no server).
import { expect } from '@open-wc/testing';
import type { ImageItem } from '../../../core/api/models.ts';
import { renderCell, renderCells, thumbSrcset, type CellContext } from '../../../widgets/pf-gallery/cell.ts';
import type { Cell } from '../../../widgets/pf-gallery/layout.ts';

const image = (over: Partial<ImageItem> = {}): ImageItem => ({
  image_id: 'img-1',
  img_url: '/f/large.webp',
  thumbnail_url: '/f/thumb-320.webp',
  original_url: null,
  width: 1600,
  height: 1067,
  captured_at: null,
  renditions: [
    { url: '/f/thumb-320.webp', width: 320, height: 213, format: 'webp' },
    { url: '/f/thumb-640.webp', width: 640, height: 427, format: 'webp' },
    { url: '/f/large.webp', width: 1600, height: 1067, format: 'webp' },
  ],
  ...over,
});

function context(over: Partial<CellContext> = {}) {
  const calls: string[] = [];
  const cx: CellContext = {
    active: 0,
    size: 40,
    selectable: false,
    hideable: false,
    deferred: () => false,
    onScreen: () => false,
    item: () => image(),
    label: (v) => `Photo ${v + 1} of 40`,
    isSelected: () => false,
    open: (v) => void calls.push(`open ${v}`),
    focused: (v) => void calls.push(`focused ${v}`),
    toggleSelected: (v) => void calls.push(`toggle ${v}`),
    hide: (v) => void calls.push(`hide ${v}`),
    ...over,
  };
  return { cx, calls };
}

function mount(index: number, cx: CellContext) {
  const cell = renderCell({ index, x: 10, y: 20, w: 150, h: 100 }, cx);
  document.body.append(cell);
  return cell;
}

describe('thumbSrcset', () => {
  it('lists every rendition but the large image, by width', () => {
    expect(thumbSrcset(image())).to.equal('/f/thumb-320.webp 320w, /f/thumb-640.webp 640w');
  });

  it('is empty without renditions (the element then leaves srcset out)', () => {
    expect(thumbSrcset(image({ renditions: [] }))).to.equal('');
  });
});

describe('renderCell', () => {
  it('a loaded photo off screen before the first thumbnails are in waits as a placeholder, unless it is in the tab order', () => {
    const { cx } = context({ deferred: () => true, active: 3 });
    expect(mount(7, cx).getAttribute('part')).to.equal('cell placeholder');
    expect(mount(7, cx).querySelector('img')).to.equal(null);
    expect(mount(3, cx).querySelector('img[part=thumbnail]')).to.not.equal(null);
  });

  it('a photo not loaded yet is an aria-hidden placeholder at its box', () => {
    const { cx } = context({ item: () => undefined });
    const cell = mount(7, cx);
    expect(cell.getAttribute('part')).to.equal('cell placeholder');
    expect(cell.getAttribute('aria-hidden')).to.equal('true');
    expect(cell.dataset.i).to.equal('7');
    expect(cell.querySelector('button')).to.equal(null);
    expect([cell.style.left, cell.style.top, cell.style.width, cell.style.height]).to.deep.equal([
      '10px',
      '20px',
      '150px',
      '100px',
    ]);
    expect(cell.hasAttribute('style')).to.equal(true); // set through the CSSOM
  });

  it('a loaded photo is a list item with a labelled button, its position in the set and the thumbnail', () => {
    const { cx, calls } = context();
    const cell = mount(2, cx);
    expect(cell.getAttribute('role')).to.equal('listitem');
    expect(cell.getAttribute('aria-setsize')).to.equal('40');
    expect(cell.getAttribute('aria-posinset')).to.equal('3');
    const button = cell.querySelector<HTMLButtonElement>('button.photo')!;
    expect(button.getAttribute('aria-label')).to.equal('Photo 3 of 40');
    expect(button.tabIndex).to.equal(-1); // not the active photo
    const img = button.querySelector('img')!;
    expect(img.getAttribute('srcset')).to.equal('/f/thumb-320.webp 320w, /f/thumb-640.webp 640w');
    expect(img.getAttribute('sizes')).to.equal('150px');
    expect([img.getAttribute('width'), img.getAttribute('height'), img.getAttribute('alt')]).to.deep.equal(['1600', '1067', '']);
    expect(img.getAttribute('loading')).to.equal('eager');
    expect(img.getAttribute('fetchpriority')).to.equal('high');
    button.click();
    button.focus();
    expect(calls).to.deep.equal(['open 2', 'focused 2']);
    expect(cell.querySelector('[part=confidence], [part=select], [part=hide]')).to.equal(null);
  });

  it('only the active photo is in the tab order; far photos load lazily', () => {
    const { cx } = context({ active: 30 });
    const img = mount(30, cx).querySelector('img')!;
    expect(img.closest('button')!.tabIndex).to.equal(0);
    expect(img.getAttribute('loading')).to.equal('lazy');
    expect(img.getAttribute('fetchpriority')).to.equal('auto');
  });

  it('shows the rounded confidence, a labelled checkbox and a "Not me" button when asked', () => {
    const { cx, calls } = context({
      active: 1,
      selectable: true,
      hideable: true,
      item: () => image({ confidence: 93.4, width: null, height: null }),
      isSelected: (id) => id === 'img-1',
    });
    const cell = mount(1, cx);
    expect(cell.classList.contains('selected')).to.equal(true);
    expect(cell.querySelector('[part=confidence]')!.textContent).to.contain('93%');
    const box = cell.querySelector<HTMLInputElement>('[part=select] input')!;
    expect(box.checked).to.equal(true);
    expect(box.tabIndex).to.equal(0);
    expect(box.getAttribute('aria-label')).to.equal('Select Photo 2 of 40');
    const hide = cell.querySelector<HTMLButtonElement>('[part=hide]')!;
    expect(hide.getAttribute('aria-label')).to.equal('Not me: hide Photo 2 of 40');
    expect(cell.querySelector('img')!.hasAttribute('width')).to.equal(false);
    box.click();
    hide.click();
    expect(calls).to.deep.equal(['toggle 1', 'hide 1']);
  });
});

describe('renderCells', () => {
  const row = (from: number, to: number): Cell[] =>
    Array.from({ length: to - from }, (_, k) => ({ index: from + k, x: k * 100, y: 0, w: 90, h: 60 }));
  const indexes = (canvas: HTMLElement) => [...canvas.children].map((c) => Number((c as HTMLElement).dataset.i));

  it('keeps one element per photo in index order while it stays rendered, so a focused photo keeps the focus', () => {
    const { cx } = context({ active: 3 });
    const canvas = document.createElement('div');
    document.body.append(canvas);
    const nodes = new Map<number, HTMLElement>();
    renderCells(canvas, row(0, 6), cx, nodes);
    expect(indexes(canvas)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    const kept = canvas.children[3] as HTMLElement;
    const button = kept.querySelector<HTMLButtonElement>('button.photo')!;
    button.focus();
    expect(button.matches(':focus')).to.equal(true);

    // Scrolled on: 0–2 leave, 6–8 come; the active photo 3 stays and so does its element (and the focus).
    renderCells(canvas, row(3, 9), cx, nodes);
    expect(indexes(canvas)).to.deep.equal([3, 4, 5, 6, 7, 8]);
    expect(canvas.children[0]).to.equal(kept);
    expect(button.isConnected && button.matches(':focus')).to.equal(true);
    expect(nodes.size).to.equal(6);

    // Photos inserted before and between kept ones land in index order; a cell whose photo is unloaded becomes a
    // placeholder in the same element.
    const { cx: partly } = context({ active: 3, item: (v) => (v === 5 ? undefined : image()) });
    renderCells(canvas, [...row(1, 4), ...row(5, 7)], partly, nodes);
    expect(indexes(canvas)).to.deep.equal([1, 2, 3, 5, 6]);
    expect(canvas.children[2]).to.equal(kept);
    expect(canvas.children[3]!.getAttribute('part')).to.equal('cell placeholder');
    expect(canvas.children[3]!.hasAttribute('role')).to.equal(false);
    renderCells(canvas, row(0, 8), cx, nodes);
    expect(indexes(canvas)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(canvas.children[5]!.getAttribute('role')).to.equal('listitem');
    expect(canvas.children[3]).to.equal(kept);
    canvas.remove();
  });
});
