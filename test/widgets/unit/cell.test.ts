// Unit tests of one gallery cell (widgets/pf-gallery/cell.ts), rendered by lit into a bare element (no server).
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import type { ImageItem } from '../../../core/api/models.ts';
import { renderCell, thumbSrcset, type CellContext } from '../../../widgets/pf-gallery/cell.ts';

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
  const root = document.createElement('div');
  document.body.append(root);
  render(renderCell({ index, x: 10, y: 20, w: 150, h: 100 }, cx), root);
  return root.firstElementChild as HTMLElement;
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
