import { html, nothing, render, type TemplateResult } from 'lit';
import type { ImageItem } from '../../core/api/models.ts';
import { msg, str } from '../i18n/localize.ts';
import type { Cell } from './layout.ts';

/** The `srcset` of a thumbnail: every rendition but the large image, by width ('' when there is none). */
export function thumbSrcset(img: ImageItem): string {
  return img.renditions
    .filter((r) => r.url !== img.img_url)
    .map((r) => `${r.url} ${r.width}w`)
    .join(', ');
}

/** Why a search found the photo, as the badge says it (face, bib, both), or null when the result does not say. */
export function matchLabel(img: ImageItem): string | null {
  switch (img.match) {
    case 'face':
      return msg('Face', { id: 'gallery.match-face' });
    case 'bib':
      return msg('Bib', { id: 'gallery.match-bib' });
    case 'both':
      return msg('Face + bib', { id: 'gallery.match-both' });
    default:
      return null;
  }
}

/** What a cell shows and does, the same for every cell of one render of the gallery. */
export interface CellContext {
  /** The photo in the tab order. */
  active: number;
  /** Photos in the view (aria-setsize). */
  size: number;
  selectable: boolean;
  hideable: boolean;
  /** A cell whose image waits for the first thumbnails (the first row on screen, then the rest on screen). */
  deferred(cell: Cell): boolean;
  /** A cell on screen: its image loads at once, even in a hidden tab (the first paint waits for it). */
  onScreen(cell: Cell): boolean;
  /** The photo at a view position (undefined while its page is not loaded). */
  item(view: number): ImageItem | undefined;
  /** The accessible name of a photo. */
  label(view: number): string;
  isSelected(id: string): boolean;
  /** The photo was activated (click, Enter): open it. */
  open(view: number): void;
  /** The photo's button got the focus. */
  focused(view: number): void;
  toggleSelected(view: number): void;
  hide(view: number): void;
}

/**
 * One cell of the gallery, absolutely positioned (through the CSSOM, CSP-safe): a placeholder while its photo
 * is not loaded, else the photo button with its thumbnail, and the confidence badge, selection checkbox and
 * "Not me" button when they apply. Sets the attributes and box of the cell's element `el` and renders its content
 * (lit); returns `el`. Called during the gallery's update (msg() speaks its language).
 */
export function renderCell(c: Cell, g: CellContext, el: HTMLElement = document.createElement('div')): HTMLElement {
  const s = el.style;
  for (const [k, v] of [
    ['left', c.x],
    ['top', c.y],
    ['width', c.w],
    ['height', c.h],
  ] as const)
    if (s[k] !== `${v}px`) s[k] = `${v}px`;
  const img = c.index === g.active || !g.deferred(c) ? g.item(c.index) : undefined;
  const selected = !!img && g.isSelected(img.image_id);
  const attrs = {
    class: img ? `cell${selected ? ' selected' : ''}` : 'cell ph',
    part: img ? 'cell' : 'cell placeholder',
    'data-i': `${c.index}`,
    'aria-hidden': img ? null : 'true',
    role: img ? 'listitem' : null,
    'aria-setsize': img ? `${g.size}` : null,
    'aria-posinset': img ? `${c.index + 1}` : null,
  };
  for (const [k, v] of Object.entries(attrs))
    if (v === null) el.removeAttribute(k);
    else if (el.getAttribute(k) !== v) el.setAttribute(k, v);
  render(img ? cellContent(c, g, img, selected) : nothing, el);
  return el;
}

/**
 * The cells in `canvas`, in index order: one element per photo, kept while the photo is rendered (`nodes` maps
 * positions to them between updates), so a node never moves and a focused photo keeps the focus.
 */
export function renderCells(canvas: HTMLElement, cells: Cell[], g: CellContext, nodes: Map<number, HTMLElement>): void {
  const keep = new Set(cells.map((c) => c.index));
  for (const [i, el] of nodes)
    if (!keep.has(i)) {
      el.remove();
      nodes.delete(i);
    }
  let at = canvas.firstChild;
  for (const c of cells) {
    let el = nodes.get(c.index);
    if (!el) nodes.set(c.index, (el = document.createElement('div')));
    renderCell(c, g, el);
    if (el === at) at = el.nextSibling;
    else canvas.insertBefore(el, at);
  }
}

function cellContent(c: Cell, g: CellContext, img: ImageItem, selected: boolean): TemplateResult {
  const label = g.label(c.index);
  const confidence = typeof img.confidence === 'number' ? Math.round(img.confidence) : null;
  const why = matchLabel(img);
  const tab = c.index === g.active ? 0 : -1;
  return html`<button
      class="photo"
      part="photo"
      tabindex=${tab}
      aria-label=${label}
      @click=${() => g.open(c.index)}
      @focus=${() => g.focused(c.index)}
    >
      <img
        part="thumbnail"
        src=${img.thumbnail_url}
        srcset=${thumbSrcset(img) || nothing}
        sizes="${c.w}px"
        width=${img.width ?? nothing}
        height=${img.height ?? nothing}
        loading=${c.index < 8 || g.onScreen(c) ? 'eager' : 'lazy'}
        fetchpriority=${c.index < 4 ? 'high' : 'auto'}
        decoding="async"
        alt=""
        @load=${(e: Event) => (e.target as HTMLElement).classList.add('ready')}
        @error=${(e: Event) => (e.target as HTMLElement).classList.add('ready')}
      />
    </button>
    ${
      confidence === null
        ? nothing
        : html`<span class="badge" part="confidence"
            ><span class="sr-only">${msg('Match confidence', { id: 'gallery.confidence' })} </span>${confidence}%</span
          >`
    }
    ${
      why === null
        ? nothing
        : html`<span class="badge why" part="match" data-match=${img.match!}
            ><span class="sr-only">${msg('Found by', { id: 'gallery.found-by' })} </span>${why}</span
          >`
    }
    ${
      g.selectable
        ? html`<label class="select" part="select">
            <input
              type="checkbox"
              tabindex=${tab}
              .checked=${selected}
              aria-label=${msg(str`Select ${label}`, { id: 'gallery.select-photo' })}
              @change=${() => g.toggleSelected(c.index)}
            />
          </label>`
        : nothing
    }
    ${
      g.hideable
        ? html`<button
            class="hide"
            part="hide"
            tabindex=${tab}
            aria-label=${msg(str`Not me: hide ${label}`, { id: 'gallery.hide-photo' })}
            @click=${() => g.hide(c.index)}
          >
            ${msg('Not me', { id: 'gallery.not-me' })}
          </button>`
        : nothing
    }`;
}
