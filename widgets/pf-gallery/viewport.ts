import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Cell, GalleryLayout } from './layout.ts';

/** Viewports rendered above and below the visible part. */
export const OVERSCAN = 0.75;
/** Viewports of pages loaded ahead (and half a viewport behind). */
export const PREFETCH = 1.5;
/** A scroll faster than this (px/ms) waits SETTLE_MS for the scroll to settle before loading pages. */
export const FLING_SPEED = 6;
export const SETTLE_MS = 150;

/**
 * The cells to render for the visible part [top, bottom) of the canvas (`vh` = its height): OVERSCAN viewports
 * either side, plus the photo in the tab order (`active`) wherever it is, in index order: `renderCells` (cell.ts)
 * then never moves a photo's element (moving a focused node would drop the focus).
 */
export function cellsToRender(layout: GalleryLayout, top: number, bottom: number, vh: number, active: number): Cell[] {
  const cells = layout.cells(Math.max(0, top - vh * OVERSCAN), Math.max(0, bottom + vh * OVERSCAN));
  if (active < layout.count && !cells.some((c) => c.index === active)) {
    const at = cells.findIndex((c) => c.index > active);
    cells.splice(at < 0 ? cells.length : at, 0, layout.cell(active));
  }
  return cells;
}

/** Whether two lists of cells place the same photos at the same boxes. */
export function sameCells(a: Cell[], b: Cell[]): boolean {
  const key = (list: Cell[]) => list.map((c) => `${c.index}:${c.x},${c.y},${c.w},${c.h}`).join(' ');
  return a.length === b.length && key(a) === key(b);
}

/**
 * The pages (of `pageOf` a view position) the viewport needs: those of the visible part [top, bottom) first,
 * then those from half a viewport above to PREFETCH viewports below, each once.
 */
export function pagesToLoad(
  layout: GalleryLayout,
  top: number,
  bottom: number,
  vh: number,
  pageOf: (view: number) => number,
): number[] {
  const ahead = layout.cells(Math.max(0, top - vh * 0.5), Math.max(0, bottom + vh * PREFETCH));
  const visible = new Set(ahead.filter((c) => c.y + c.h >= top && c.y <= bottom).map((c) => pageOf(c.index)));
  return [...new Set([...visible, ...ahead.map((c) => pageOf(c.index))])];
}

/** The API pages of the cells on screen (between `top` and `bottom`). */
export function visiblePages(layout: GalleryLayout, top: number, bottom: number, pageOf: (view: number) => number): number[] {
  return [...new Set(layout.cells(Math.max(0, top), Math.max(0, bottom)).map((c) => pageOf(c.index)))];
}

/** What the viewport works on (the gallery), as functions so that the element keeps them private. */
export interface ViewportTarget {
  /** The list the cells are positioned in (null before the first render). */
  canvas(): HTMLElement | null;
  /** The layout of the result set at the current width, or null while there is none. */
  layout(): GalleryLayout | null;
  /** The photo in the tab order (always rendered). */
  active(): number;
  /** The API page of a view position. */
  pageOf(view: number): number;
  /** The width changed: the layout must be made again. */
  resized(): void;
  /** Loads the pages of `wanted` that are not loaded (at once, or once a fast scroll has settled). */
  load(): void;
}

/**
 * Virtualisation of the gallery: finds the scrolling ancestor (or the page), measures the visible part of the
 * canvas on scroll and resize (once per animation frame), keeps the cells near it in `cells` (the host renders
 * them) and the pages they need in `wanted`, and observes the host's width.
 */
export class GalleryViewport implements ReactiveController {
  /** The cells to render, in index order. */
  cells: Cell[] = [];
  /** Pages the viewport needs, nearest first. */
  wanted: number[] = [];
  /** The pages of the cells on screen (a subset of `wanted`). */
  onScreen: number[] = [];
  /** The part of the canvas on screen, in canvas pixels, at the last measure. */
  view = { top: 0, bottom: 0 };
  /** The host's content width in px (0 before it is observed). */
  width = 0;
  #frame = 0;
  #settleTimer = 0;
  #lastScroll = { top: 0, t: 0 };
  #resizeObserver: ResizeObserver | null = null;
  #scrollParent: Element | null | undefined = undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #target: ViewportTarget;

  constructor(host: ReactiveControllerHost & HTMLElement, target: ViewportTarget) {
    this.#host = host;
    this.#target = target;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('scroll', this.schedule, { capture: true, passive: true });
    window.addEventListener('resize', this.#onResize, { passive: true });
    this.#resizeObserver = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]!.contentRect.width);
      this.#scrollParent = undefined;
      if (w !== this.width) {
        this.width = w;
        this.#target.resized();
        this.schedule();
      }
    });
    this.#resizeObserver.observe(this.#host);
  }

  hostDisconnected(): void {
    window.removeEventListener('scroll', this.schedule, { capture: true });
    window.removeEventListener('resize', this.#onResize);
    this.#resizeObserver?.disconnect();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    clearTimeout(this.#settleTimer);
  }

  /** Measures once, in the next animation frame. */
  schedule = () => {
    if (!this.#frame) this.#frame = requestAnimationFrame(this.measure);
  };

  #onResize = () => {
    this.#scrollParent = undefined;
    this.schedule();
  };

  /** Top of the visible part of the viewport, in the canvas's coordinates. */
  viewTop(): number {
    const canvas = this.#target.canvas();
    return canvas ? Math.max(0, -canvas.getBoundingClientRect().top) : 0;
  }

  /** Scrolls the scrolling ancestor, or the page, by `dy` px. */
  scrollByPx(dy: number): void {
    const s = this.#scroller();
    if (s) s.scrollTop += dy;
    else window.scrollBy(0, dy);
  }

  /** The nearest scrolling ancestor (a CMS column with overflow: auto), or null for the page; cached per resize. */
  #scroller(): Element | null {
    if (this.#scrollParent !== undefined) return this.#scrollParent;
    const up = (n: Element): Element | null => n.parentElement ?? (n.getRootNode() as ShadowRoot).host ?? null;
    for (let node = up(this.#host); node && node !== document.body && node !== document.documentElement; node = up(node)) {
      const oy = getComputedStyle(node).overflowY;
      if ((oy === 'auto' || oy === 'scroll' || oy === 'overlay') && node.scrollHeight > node.clientHeight) {
        return (this.#scrollParent = node);
      }
    }
    return (this.#scrollParent = null);
  }

  /** Works out the visible window and the cells to render; has the pages it needs loaded. */
  measure = () => {
    this.#frame = 0;
    const canvas = this.#target.canvas();
    if (!canvas) return;
    const layout = this.#target.layout();
    if (!layout) {
      this.cells = [];
      this.#host.requestUpdate();
      return;
    }
    const rect = canvas.getBoundingClientRect();
    let vTop = 0;
    let vBottom = window.innerHeight;
    const s = this.#scroller();
    if (s) {
      const sr = s.getBoundingClientRect();
      vTop = Math.max(vTop, sr.top);
      vBottom = Math.min(vBottom, sr.bottom);
    }
    const vh = Math.max(1, vBottom - vTop);
    const top = vTop - rect.top;
    const bottom = vBottom - rect.top;
    const cells = cellsToRender(layout, top, bottom, vh, this.#target.active());
    if (!sameCells(cells, this.cells)) {
      this.cells = cells;
      this.#host.requestUpdate();
    }

    // Pages to load: the visible ones first, then ahead. While flinging or dragging the scrollbar, wait for
    // the scroll to settle instead of loading every page that flies past.
    const now = performance.now();
    const speed = Math.abs(top - this.#lastScroll.top) / Math.max(1, now - this.#lastScroll.t);
    this.#lastScroll = { top, t: now };
    this.wanted = pagesToLoad(layout, top, bottom, vh, this.#target.pageOf);
    this.onScreen = visiblePages(layout, top, bottom, this.#target.pageOf);
    this.view = { top, bottom };
    clearTimeout(this.#settleTimer);
    if (speed > FLING_SPEED) this.#settleTimer = window.setTimeout(this.#target.load, SETTLE_MS);
    else this.#target.load();
  };
}
