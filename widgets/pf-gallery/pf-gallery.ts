import { html, nothing, type PropertyValues, type CSSResultGroup } from 'lit';
import type { ImageItem, ImagePage } from '../../core/api/models.ts';
import { ApiRequestError } from '../api/client.ts';
import type { SearchMethod } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import { defineElement, emit } from '../shared/define.ts';
import type { ctaStyles, renderCta } from './gallery-cta.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { formatClock, formatNumber } from '../shared/format.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, writeParams } from '../shared/url-state.ts';
import type { LightboxHost, PfLightbox } from '../pf-lightbox/pf-lightbox.ts';
import { renderCells, type CellContext } from './cell.ts';
import { HiddenPositions } from './hidden.ts';
import { nextIndex } from './keyboard.ts';
import type { GridLayout } from './grid.ts';
import { JustifiedLayout, targetRowHeight, type Cell, type GalleryLayout } from './layout.ts';
import { galleryStyles } from './pf-gallery.styles.ts';
import { ResultSet } from './result-set.ts';
import { GalleryViewport } from './viewport.ts';

/** Loads one page (1-based) of a result set. pf-gallery shows all photos of the event when none is set. */
export type PageLoader = (page: number, pageSize: number, signal: AbortSignal) => Promise<ImagePage>;

/** Pages loading at once. */
const MAX_PARALLEL = 2;
/** The longest the gallery waits for its first thumbnails before loading the rest anyway. */
const FIRST_PAINT_PATIENCE_MS = 15_000;

/** The grid layout (`layout="grid"`): its module comes when a gallery first asks for it, beside its first page. */
let Grid: typeof GridLayout | undefined;
let gridModule: Promise<void> | undefined;

/** The Call to Action's module: fetched when an event places one under a gallery (most do not), after its first paint. */
let ctaModule: Promise<{ renderCta: typeof renderCta; ctaStyles: typeof ctaStyles }> | undefined;

/** The server's answer when an event shows its photos only through a search (`show_all_images` off). */
const SEARCH_ONLY = /only through a search/i;

/**
 * The photos of an event (or of any result set) in a justified or grid layout, virtualised so that only the
 * rows near the viewport are in the DOM: 100,000 photos scroll like 100. Pages of the API load as their rows
 * come near the viewport; the scroll height comes from the known total. Activating a photo opens it in a
 * lightbox (keyboard, swipe, pinch and double-tap zoom, download, share).
 *
 * Inside the gallery, one photo is in the tab order; arrow keys, Home/End and PageUp/PageDown move between
 * photos, Enter opens one.
 *
 * On a search-only event (the organiser switched "show all images" off) a gallery of all photos shows a short
 * notice instead (galleries of search results work as usual); when the organiser hides the photo count, a
 * gallery of all photos does not say how many there are. The event's Call to Action placed at `gallery` shows
 * under it.
 *
 * @summary Justified/grid photo gallery with a lightbox, virtualised over the paginated API.
 * @element pf-gallery
 *
 * @attr event-ref - id of a pf-event elsewhere on the page (when the gallery is not inside one)
 * @attr page-size - photos per API request (1–100, default 32)
 * @attr layout - "justified" (default: rows at the photos' own shapes) or "grid" (equal cells)
 * @attr row-height - justified layout: target row height in px (default: 120 on phones, 160 on tablets, 200 wider)
 * @attr paging - "auto" (default: load while scrolling) or "button" (a "Load more" button instead)
 * @attr selectable - show a checkbox on each photo; fires pf-selection-change
 * @attr hideable - show a "Not me" action on each photo; fires pf-hide
 * @attr label - accessible name of the photo list (default "Event photos")
 * @attr method - how this result set was found, echoed in pf-results: all, bib, selfie, timeline
 * @attr query - the query of this result set, echoed in pf-results
 * @attr no-url - do not keep the open photo in the page URL, and ignore ?photo= links
 *
 * @fires pf-results - a page arrived: { method, query, total, loaded }
 * @fires pf-select - a photo was opened: { image, index }; cancel it to stop the lightbox from opening
 * @fires pf-download - an original was downloaded or refused: { method, identifier, count, ok, reason? }
 * @fires pf-hide - "Not me" was chosen: { image, index }; cancel it to keep the photo
 * @fires pf-selection-change - selection changed: { imageIds }
 * @fires pf-error - a page failed to load: { source, message, status }
 *
 * @csspart base - the wrapper
 * @csspart grid - the photo list (its height is the whole result set's)
 * @csspart cell - each photo's box
 * @csspart photo - each photo button
 * @csspart thumbnail - each thumbnail image
 * @csspart placeholder - a photo not loaded yet
 * @csspart confidence - the match confidence badge (face search results)
 * @csspart match - why a search found the photo: "Face", "Bib" or "Face + bib" (selfie and BIB search results)
 * @csspart select - the selection checkbox
 * @csspart hide - the "Not me" button
 * @csspart status - the photo count / loading line
 * @csspart error - an error message
 * @csspart retry - the "Try again" button
 * @csspart load-more - the "Load more" button (paging="button")
 * @csspart search-only - the notice of a search-only event (a gallery of all photos)
 * @csspart cta - the organiser's Call to Action (placement "gallery")
 * @csspart lightbox - the lightbox dialog (see pf-lightbox for its inner parts, exported with a lightbox- prefix)
 *
 * @cssprop --pf-gallery-gap - space between photos (default 6px)
 * @cssprop --pf-gallery-min-width - grid layout: narrowest cell (default 160px)
 * @cssprop --pf-color-placeholder - background of a photo not loaded yet
 * @cssprop --pf-color-badge-bg - background of the confidence badge and "Not me" button
 * @cssprop --pf-color-badge-text - text of the confidence badge and "Not me" button
 */
export class PfGallery extends PfElement implements LightboxHost {
  static override styles: CSSResultGroup = [PfElement.styles, galleryStyles];

  // Reactive properties declared without decorators (no decorator runtime in a gallery page's scripts); the states
  // say `attribute: false` for the manifest's analyser, which would list them as attributes.
  static override properties = {
    eventRef: { attribute: 'event-ref' },
    pageSize: { type: Number, attribute: 'page-size' },
    layout: {},
    rowHeight: { type: Number, attribute: 'row-height' },
    paging: {},
    selectable: { type: Boolean },
    hideable: { type: Boolean },
    label: {},
    method: {},
    query: {},
    noUrl: { type: Boolean, attribute: 'no-url' },
    loader: { attribute: false },
    total: { state: true, attribute: false },
    error: { state: true, attribute: false },
    activeIndex: { state: true, attribute: false },
    searchOnly: { state: true, attribute: false },
    lightboxLoaded: { state: true, attribute: false },
  };

  eventRef = '';
  pageSize = 32;
  layout: 'justified' | 'grid' = 'justified';
  rowHeight = 0;
  paging: 'auto' | 'button' = 'auto';
  selectable = false;
  hideable = false;
  label = '';
  method: SearchMethod = 'all';
  query = '';
  noUrl = false;
  /** Where pages come from; all photos of the event when unset. */
  loader: PageLoader | null = null;

  private total: number | null = null;
  private error: { message: string; status: number; page: number } | null = null;
  private activeIndex = 0;
  /** All photos of a search-only event: nothing to browse (the server refused, or the details say so). */
  private searchOnly = false;

  get #canvas(): HTMLElement | null {
    return this.renderRoot?.querySelector('.canvas') ?? null;
  }
  get #lightbox(): PfLightbox | null {
    return this.renderRoot?.querySelector('pf-lightbox') ?? null;
  }
  /** The lightbox's module arrived: `<pf-lightbox>` is rendered from then on. */
  private lightboxLoaded = typeof customElements !== 'undefined' && !!customElements.get('pf-lightbox');
  #lightboxLoading: Promise<PfLightbox> | null = null;
  /** A photo activated while the lightbox's module is on its way: the gallery keys wait too. */
  #opening: number | null = null;
  /**
   * The first paint, in steps, so that nothing competes with the first thumbnails for the link: 0 = only the first
   * row on screen has its images; 1 = every cell on screen (once the first row is decoded); 2 = everything (once
   * those are decoded): the pages and images below the fold, then the lightbox's module when the page is idle.
   */
  #paint: 0 | 1 | 2 = 0;
  #paintWatch = false;
  #gridWait = false;
  #ctaRender: typeof renderCta | null = null;

  /**
   * The result set: loaded photos by position (sparse), pages loaded/loading/failed (a failed page is not
   * retried automatically: the error bar offers a retry). Pages come from `loader`, else all photos.
   */
  readonly #results = new ResultSet<ImageItem>(
    32,
    (page, size, signal) => {
      const client = this.#event.value!.client;
      const loader: PageLoader = this.loader ?? ((p, s, sig) => client.images(p, s, sig));
      return loader(page, size, signal);
    },
    {
      started: (page) => {
        if (this.error?.page === page) this.error = null;
        this.requestUpdate();
      },
      loaded: (page, info) => this.#accept(page, info.start, info.count, info.total, info.totalChanged),
      failed: (page, e) => {
        const status = e instanceof ApiRequestError ? e.status : 0;
        if (!this.loader && status === 403 && SEARCH_ONLY.test((e as Error).message)) {
          this.searchOnly = true;
          return;
        }
        this.error = { message: (e as Error).message, status, page };
        emit(this, 'pf-error', { source: 'pf-gallery', message: this.error.message, status });
      },
      settled: () => {
        this.requestUpdate();
        this.#pump();
      },
    },
  );
  /** Positions (in the result set) hidden with "Not me", ascending. */
  readonly #notMe = new HiddenPositions();
  readonly #selected = new Map<string, ImageItem>();
  #generation = 0;
  #layoutCache: GalleryLayout | null = null;
  /** Which cells are near the viewport, and the pages they need. */
  readonly #viewport = new GalleryViewport(this, {
    canvas: () => this.#canvas,
    layout: () => this.#layoutObj,
    active: () => this.activeIndex,
    pageOf: (view) => this.#results.pageOf(this.#toData(view)),
    resized: () => (this.#layoutCache = null),
    load: () => this.#pump(),
  });
  /** Each rendered photo's cell element, by view position (see renderCells). */
  readonly #cellNodes = new Map<number, HTMLElement>();
  /** What the cells show, made by the last render (they are rendered right after it, see update). */
  #cellsToPaint: { cx: CellContext; height: number } | null = null;
  #pendingFocus: number | null = null;
  #client: unknown = null;
  #needsReset = false;
  readonly #event = new EventConsumer(this, (v) => {
    if (v.client !== this.#client) {
      this.#client = v.client;
      this.#needsReset = true;
    }
    this.requestUpdate();
  });

  // ── public API ─────────────────────────────────────────────────────────────────────────────────────────

  /** Photos in the result set (after "Not me"), or null before the first page. */
  get count(): number | null {
    return this.total === null ? null : this.total - this.#notMe.size;
  }

  /** Ids of the selected photos, in selection order. */
  get selectedIds(): string[] {
    return [...this.#selected.keys()];
  }

  /** The loaded photos, in order (placeholders skipped). */
  get loadedImages(): ImageItem[] {
    return this.#results.items.filter((i): i is ImageItem => !!i && !this.#isHiddenId(i.image_id));
  }

  /** Starts the result set again from page 1. */
  reset(): void {
    this.#generation++;
    this.#results.reset(this.pageSize);
    this.#notMe.clear();
    this.total = null;
    this.error = null;
    this.searchOnly = false;
    this.activeIndex = 0;
    this.#layoutCache = null;
    this.#viewport.cells = [];
    this.requestUpdate();
    if (this.#selected.size) {
      this.#selected.clear();
      emit(this, 'pf-selection-change', { imageIds: [] });
    }
    if (this.#event.value) void this.#loadPage(1);
  }

  /** Loads the next page (paging="button", or to force loading). */
  async loadMore(): Promise<void> {
    const p = this.#results.nextPage();
    if (p !== null) await this.#loadPage(p);
  }

  /** Opens the lightbox at a position of the result set. */
  async open(index: number): Promise<void> {
    await this.updateComplete;
    this.activeIndex = index;
    await (await this.#loadLightbox()).show(index);
  }

  /**
   * The lightbox, its module fetched on first use: a gallery page loads without it, and a pointer over the grid or
   * the focus in it starts the fetch before the first click. A failed fetch is tried again on the next open.
   */
  #loadLightbox(): Promise<PfLightbox> {
    this.#lightboxLoading ??= import('../pf-lightbox/pf-lightbox.ts').then(
      async () => {
        this.lightboxLoaded = true;
        await this.updateComplete;
        await this.#lightbox!.updateComplete;
        return this.#lightbox!;
      },
      (e: unknown) => {
        this.#lightboxLoading = null;
        throw e;
      },
    );
    return this.#lightboxLoading;
  }

  #prefetchLightbox = () => {
    this.#loadLightbox().catch(() => undefined);
  };

  /**
   * Watches the thumbnails of the current step of the first paint; once they are decoded (or after a few seconds),
   * the next step's images may load.
   */
  #watchFirstPaint() {
    if (this.#paintWatch || this.#paint === 2) return;
    const imgs = [...this.renderRoot.querySelectorAll<HTMLImageElement>('img[part~=thumbnail]')];
    if (!imgs.length) return;
    this.#paintWatch = true;
    // The images on screen load eagerly (even in a hidden tab): this only guards against a link that stalls.
    const patience = new Promise<void>((r) => setTimeout(r, FIRST_PAINT_PATIENCE_MS));
    const decoded = Promise.all(imgs.map((img) => img.decode().catch(() => undefined)));
    void Promise.race([decoded, patience]).then(() => {
      this.#paintWatch = false;
      this.#paint = this.#paint === 0 ? 1 : 2;
      this.requestUpdate();
      if (this.#paint < 2) return;
      this.#pump();
      const idle = (fn: () => void) =>
        'requestIdleCallback' in globalThis ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 50);
      if (!this.lightboxLoaded) idle(this.#prefetchLightbox);
    });
  }

  /** Selects exactly these photos (loaded ones only). */
  select(imageIds: string[]): void {
    this.#selected.clear();
    for (const id of imageIds) {
      const img = this.#results.items.find((i) => i?.image_id === id);
      if (img) this.#selected.set(id, img);
    }
    this.#selectionChanged();
  }

  clearSelection(): void {
    this.select([]);
  }

  // ── LightboxHost ───────────────────────────────────────────────────────────────────────────────────────

  get details() {
    return this.#event.value?.details ?? null;
  }

  get apiClient() {
    return this.#event.value?.client ?? null;
  }

  get eventValue() {
    return this.#event.value;
  }

  get viewCount(): number {
    return this.count ?? 0;
  }

  item(view: number): ImageItem | undefined {
    return this.#results.at(this.#toData(view));
  }

  async ensure(view: number): Promise<void> {
    const page = this.#results.pageOf(this.#toData(view));
    if (!this.#results.isLoaded(page)) await this.#loadPage(page);
  }

  isSelected(id: string): boolean {
    return this.#selected.has(id);
  }

  toggleSelected(view: number): void {
    const img = this.item(view);
    if (!img) return;
    if (this.#selected.has(img.image_id)) this.#selected.delete(img.image_id);
    else this.#selected.set(img.image_id, img);
    this.#selectionChanged();
  }

  hide(view: number): boolean {
    const img = this.item(view);
    if (!img || !emit(this, 'pf-hide', { image: img, index: view })) return false;
    this.#notMe.add(this.#toData(view));
    if (this.#selected.delete(img.image_id)) this.#selectionChanged();
    this.activeIndex = Math.max(0, Math.min(this.activeIndex, this.viewCount - 1));
    this.#layoutCache = null;
    this.#viewport.measure();
    return true;
  }

  photoLabel(view: number): string {
    const img = this.item(view);
    const n = formatNumber(view + 1, this.formatTag);
    const total = formatNumber(this.viewCount, this.formatTag);
    const time = img ? formatClock(img.captured_at, this.formatTag, this.details?.time_zone) : '';
    return this.t(() =>
      time
        ? msg(str`Photo ${n} of ${total}, taken at ${time}`, { id: 'gallery.photo-label-time' })
        : msg(str`Photo ${n} of ${total}`, { id: 'gallery.photo-label' }),
    );
  }

  lightboxOpened(view: number, first: boolean): boolean {
    const img = this.item(view);
    if (!img) return false;
    if (!emit(this, 'pf-select', { image: img, index: view }) && first) return false;
    this.activeIndex = view;
    if (!this.noUrl) writeParams({ photo: img.image_id, photo_at: String(view) });
    return true;
  }

  lightboxClosed(view: number): void {
    if (!this.noUrl) writeParams({ photo: null, photo_at: null });
    if (view < this.viewCount) void this.#focusIndex(view);
  }

  // ── index mapping ("Not me" hides photos without reloading) ───────────────────────────────────────────

  #toData(view: number): number {
    return this.#notMe.toData(view);
  }

  #toView(data: number): number {
    return this.#notMe.toView(data);
  }

  #isHiddenId(id: string): boolean {
    return this.#notMe.positions.some((h) => this.#results.at(h)?.image_id === id);
  }

  #selectionChanged() {
    emit(this, 'pf-selection-change', { imageIds: this.selectedIds });
    this.requestUpdate();
    this.#lightbox?.requestUpdate();
  }

  // ── loading ────────────────────────────────────────────────────────────────────────────────────────────

  /** Loads a page of the result set (one request per page, however many ask). */
  #loadPage(page: number): Promise<void> {
    if (!this.#event.value?.client || this.#browsingOff()) return Promise.resolve();
    return this.#results.load(page);
  }

  /** A page arrived (already stored in the result set): lay it out, keeping the view steady. */
  #accept(page: number, start: number, count: number, total: number, totalChanged: boolean) {
    const layout = this.#layoutCache;
    // Keep the view steady when a block above the viewport changes height (justified layout). The cached
    // layout has not seen the new photos yet (its blocks are computed), so this is the position before.
    const anchor = this.#viewport.cells.find((c) => c.y + c.h > this.#viewport.viewTop());
    const before = anchor && layout ? layout.cell(anchor.index).y : 0;

    if (totalChanged) {
      this.total = total;
      this.#layoutCache = null;
    }
    if (this.paging === 'button') this.#layoutCache = null;
    if (this.#layoutCache instanceof JustifiedLayout) {
      this.#layoutCache.invalidate(this.#toView(start), this.#toView(start + count));
    }
    if (anchor && this.#layoutCache && layout === this.#layoutCache) {
      const after = this.#layoutCache.cell(anchor.index).y;
      if (after !== before && this.#toView(start) < anchor.index) this.#viewport.scrollByPx(after - before);
    }
    emit(this, 'pf-results', { method: this.method, query: this.query, total, loaded: this.loadedImages.length });
    this.#viewport.measure();
    this.#lightbox?.requestUpdate();
    // A shared link (?photo=…): its module comes only then.
    if (page === 1 && !this.noUrl && readParam('photo')) {
      const gen = this.#generation;
      void import('./shared-link.ts').then(({ openSharedPhoto }) =>
        openSharedPhoto({
          count: this.viewCount,
          current: () => gen === this.#generation,
          ensure: (v) => this.ensure(v),
          item: (v) => this.item(v),
          find: (id) => {
            const at = this.#results.items.findIndex((i) => i?.image_id === id);
            return at < 0 ? at : this.#toView(at);
          },
          open: (v) => this.open(v),
        }),
      );
    }
  }

  /** Loads the pages the viewport needs, nearest first, at most MAX_PARALLEL at once. */
  #pump() {
    const pages = this.#paint === 2 ? this.#viewport.wanted : this.#viewport.onScreen;
    for (const page of pages) {
      if (this.#results.loadingCount >= MAX_PARALLEL) return;
      if (this.#results.isLoaded(page) || this.#results.isLoading(page) || this.#results.hasFailed(page)) continue;
      void this.#loadPage(page);
    }
  }

  /** A gallery of all photos on an event that shows its photos only through a search. */
  #browsingOff(): boolean {
    return !this.loader && (this.searchOnly || this.#event.value?.details?.show_all_images === false);
  }

  // ── layout ─────────────────────────────────────────────────────────────────────────────────────────────

  get #layoutObj(): GalleryLayout | null {
    if (this.#layoutCache) return this.#layoutCache;
    const width = this.#viewport.width;
    if (this.total === null || width <= 0) return null;
    const gap = parseFloat(getComputedStyle(this).getPropertyValue('--pf-gallery-gap')) || 6;
    let count = this.viewCount;
    if (this.paging === 'button') {
      count = Math.min(count, this.#toView(this.#results.loadedPrefix()));
    }
    if (this.layout === 'grid') {
      if (!Grid) return null;
      const min = parseFloat(getComputedStyle(this).getPropertyValue('--pf-gallery-min-width')) || 160;
      this.#layoutCache = new Grid(width, gap, count, Math.min(min, width));
    } else {
      this.#layoutCache = new JustifiedLayout({
        width,
        gap,
        count,
        targetHeight: targetRowHeight(width, this.rowHeight),
        blockSize: this.#results.pageSize,
        ratioAt: (v) => {
          const img = this.item(v);
          return img?.width && img.height ? img.width / img.height : undefined;
        },
      });
    }
    return this.#layoutCache;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#results.abortAll();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // One reset for everything set in the same task (a new client, loader and page size arrive together).
    if (this.#needsReset || (this.hasUpdated && (changed.has('loader') || changed.has('pageSize')))) {
      this.#needsReset = false;
      this.reset();
    }
    if (changed.has('layout') || changed.has('rowHeight') || changed.has('paging')) this.#layoutCache = null;
    if (this.layout === 'grid' && !Grid && !this.#gridWait) {
      this.#gridWait = true;
      (gridModule ??= import('./grid.ts').then((m) => void (Grid = m.GridLayout)))
        .then(
          () => this.#viewport.schedule(),
          () => (gridModule = undefined), // tried again on the next update
        )
        .finally(() => (this.#gridWait = false));
    }
  }

  /** After lit's render: the canvas's height and its cells (kept per photo, in the element's language). */
  protected override update(changed: PropertyValues): void {
    super.update(changed);
    const canvas = this.#canvas;
    const p = this.#cellsToPaint;
    if (!canvas || !p) return;
    canvas.style.height = `${p.height}px`;
    this.t(() => renderCells(canvas, this.#viewport.cells, p.cx, this.#cellNodes));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('total') || changed.has('layout') || changed.has('rowHeight') || changed.has('paging')) {
      this.#viewport.schedule();
    }
    this.#watchFirstPaint();
  }

  // ── keyboard and focus ─────────────────────────────────────────────────────────────────────────────────

  async #focusIndex(view: number) {
    const cellButton = () => this.renderRoot.querySelector<HTMLButtonElement>(`.cell[data-i="${view}"] button.photo`);
    this.activeIndex = view;
    this.#pendingFocus = view;
    // Already rendered: focus it at once (the lightbox closing hands the focus back in the same task), and again
    // once the update has put it in the tab order.
    cellButton()?.focus();
    if (!this.item(view)) await this.ensure(view);
    if (this.#pendingFocus !== view) return;
    this.#viewport.measure();
    await this.updateComplete;
    cellButton()?.focus();
    this.#pendingFocus = null;
  }

  #onKeydown(e: KeyboardEvent) {
    if (!(e.target as HTMLElement).classList.contains('photo')) return;
    const layout = this.#layoutObj;
    if (!layout?.count) return;
    const next = nextIndex(e.key, this.activeIndex, layout, window.innerHeight);
    if (next === null) return;
    e.preventDefault();
    // The viewer is opening (its module on the way): the keys are for it, not for the gallery behind.
    if (this.#opening !== null) return;
    if (next !== this.activeIndex) void this.#focusIndex(next);
  }

  #activate(view: number) {
    if (!this.item(view)) return;
    this.activeIndex = view;
    // Loaded: open in this very task, so that a key pressed right after the tap reaches the viewer.
    if (this.#lightbox) {
      void this.#lightbox.show(view);
      return;
    }
    this.#opening = view;
    this.#loadLightbox().then(
      (lightbox) => {
        if (this.#opening !== view) return;
        this.#opening = null;
        return lightbox.show(view);
      },
      () => (this.#opening = null),
    );
  }

  // ── rendering ──────────────────────────────────────────────────────────────────────────────────────────

  #statusText(): string {
    const count = this.count;
    if (this.total === null) return this.#results.loadingCount ? msg('Loading photos…', { id: 'gallery.loading' }) : '';
    if (count === 0) return msg('No photos here yet.', { id: 'gallery.empty' });
    // The organiser hides how many photos the event has (a gallery of search results still says what it found).
    if (!this.loader && this.#event.value?.details?.show_photo_count === false) return '';
    const n = formatNumber(count!, this.formatTag);
    if (this.paging === 'button') {
      const shown = formatNumber(this.#layoutObj?.count ?? 0, this.formatTag);
      return msg(str`${shown} of ${n} photos shown`, { id: 'gallery.shown' });
    }
    return plural(this.formatTag, count!, {
      one: () => msg(str`${n} photo`, { id: 'gallery.count-one' }),
      other: () => msg(str`${n} photos`, { id: 'gallery.count' }),
    });
  }

  override render() {
    if (!this.#event.value) {
      return html`<div class="root" part="base">
        <p class="status muted" part="status">${msg('Connecting to the photo server…', { id: 'common.connecting' })}</p>
      </div>`;
    }
    if (this.#browsingOff()) {
      return html`<div class="root" part="base">
        <p class="notice" part="search-only">
          ${msg('Search by BIB number, name or selfie to see your photos.', { id: 'gallery.search-only' })}
        </p>
      </div>`;
    }
    const layout = this.#layoutObj;
    const height = layout ? layout.height : this.total === null ? 200 : 0;
    const more = this.paging === 'button' && layout && this.total !== null && layout.count < this.viewCount;
    const onScreen = (c: Cell) => c.y + c.h >= this.#viewport.view.top && c.y <= this.#viewport.view.bottom;
    // The first step of the first paint: the first row on screen only (its thumbnails share the link with nothing).
    const firstRow = this.#paint ? 0 : Math.min(...this.#viewport.cells.filter(onScreen).map((c) => c.y));
    const cx: CellContext = {
      active: this.activeIndex,
      size: this.viewCount,
      selectable: this.selectable,
      hideable: this.hideable,
      item: (v) => this.item(v),
      deferred: (c) => this.#paint < 2 && !(onScreen(c) && (this.#paint === 1 || c.y === firstRow)),
      onScreen,
      label: (v) => this.photoLabel(v),
      isSelected: (id) => this.#selected.has(id),
      open: (v) => this.#activate(v),
      focused: (v) => (this.activeIndex = v),
      toggleSelected: (v) => this.toggleSelected(v),
      hide: (v) => this.hide(v),
    };
    this.#cellsToPaint = { cx, height };
    return html`<div class="root" part="base">
      <div
        class="canvas"
        part="grid"
        role="list"
        aria-label=${this.label || msg('Event photos', { id: 'gallery.label' })}
        aria-busy=${this.#results.loadingCount > 0 ? 'true' : 'false'}
        @keydown=${this.#onKeydown}
        @pointerover=${this.#prefetchLightbox}
        @focusin=${this.#prefetchLightbox}
      ></div>
      <div class="bar">
        <p class="status muted" part="status" role="status">${this.#statusText()}</p>
        ${
          this.error
            ? html`<p class="error" part="error" role="alert">${errorMessage(this.error.status, this.error.message)}</p>
                <button class="btn" part="retry" @click=${() => this.#retry()}>
                  ${msg('Try again', { id: 'common.retry' })}
                </button>`
            : more
              ? html`<button
                  class="btn"
                  part="load-more"
                  ?disabled=${this.#results.loadingCount > 0}
                  @click=${() => this.loadMore()}
                >
                  ${msg('Load more', { id: 'gallery.load-more' })}
                </button>`
              : nothing
        }
      </div>
      ${this.total ? this.#galleryCta() : nothing}
      ${
        this.lightboxLoaded
          ? html`<pf-lightbox
              .source=${this as LightboxHost}
              .selectable=${this.selectable}
              .hideable=${this.hideable}
            ></pf-lightbox>`
          : nothing
      }
    </div>`;
  }

  /** The event's Call to Action placed under galleries, once its module is in (fetched after the first paint). */
  #galleryCta() {
    const value = this.#event.value;
    if (value?.details?.cta?.placement !== 'gallery' || this.#paint < 2) return nothing;
    if (this.#ctaRender) return this.#ctaRender(value, 'gallery', this.participantOfResults());
    void (ctaModule ??= import('./gallery-cta.ts')).then(({ renderCta, ctaStyles }) => {
      if (this.#ctaRender) return;
      this.addStyles(ctaStyles);
      this.#ctaRender = renderCta;
      this.requestUpdate();
    });
    return nothing;
  }

  /** What this result set says about the participant (a BIB's or a selfie's photos), for the Call to Action. */
  participantOfResults(): { bib?: string; selfie?: string } {
    if (this.method === 'bib' && this.query) return { bib: this.query };
    if (this.method === 'selfie' && this.query) return { selfie: this.query };
    return {};
  }

  #retry() {
    this.error = null;
    if (this.#event.value?.client) this.#results.retry();
  }
}

defineElement('pf-gallery', PfGallery);

declare global {
  interface HTMLElementTagNameMap {
    'pf-gallery': PfGallery;
  }
}
