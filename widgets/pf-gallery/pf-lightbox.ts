import { css, html, nothing, type PropertyValues, type CSSResultGroup } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { EventDetails, ImageItem } from '../../core/api/models.ts';
import { ApiRequestError, type ApiClient } from '../api/client.ts';
import { msg, str } from '../i18n/localize.ts';
import { defineElement, emit } from '../shared/define.ts';
import { downloadOriginals } from '../shared/download.ts';
import { formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { PfElement } from '../shared/pf-element.ts';
import { urlWith } from '../shared/url-state.ts';

/** What the lightbox needs from the gallery that opens it. */
export interface LightboxHost {
  readonly viewCount: number;
  readonly details: EventDetails | null;
  readonly apiClient: ApiClient | null;
  item(index: number): ImageItem | undefined;
  /** Loads the page that holds `index`. */
  ensure(index: number): Promise<void>;
  isSelected(id: string): boolean;
  toggleSelected(index: number): void;
  /** "Not me": returns false when a listener kept the photo. */
  hide(index: number): boolean;
  photoLabel(index: number): string;
  /** Called before a photo shows; returning false on the first one cancels opening. */
  lightboxOpened(index: number, first: boolean): boolean;
  lightboxClosed(index: number): void;
}

const MAX_SCALE = 4;
const DOUBLE_TAP_SCALE = 2.5;
const SLIDE_GAP = 16;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The photo viewer pf-gallery opens: a native modal `<dialog>` (focus trapped, Esc closes, focus goes back to
 * the thumbnail), with the photo counter in a polite live region.
 *
 * Keys: ← → previous/next, Home/End first/last, + − 0 zoom, Esc close. Touch: swipe sideways to move, swipe
 * down to close, pinch or double-tap to zoom, drag to pan a zoomed photo. Mouse: double-click zooms, ctrl+wheel
 * (trackpad pinch) zooms. The full-size preview loads only when zooming needs more pixels than the fitted image.
 *
 * @summary Full-screen photo viewer used by pf-gallery.
 * @element pf-lightbox
 * @csspart lightbox - the dialog
 * @csspart lightbox-toolbar - the top bar
 * @csspart lightbox-counter - "3 / 72"
 * @csspart lightbox-button - each toolbar button
 * @csspart lightbox-nav - the previous/next buttons
 * @csspart lightbox-image - the photo
 * @csspart lightbox-status - download/share messages
 * @cssprop --pf-color-lightbox-bg - background of the viewer (default #0b0b0c)
 * @cssprop --pf-color-lightbox-text - text and icons of the viewer (default #f5f5f5)
 * @fires pf-download - an original was downloaded or refused
 */
export class PfLightbox extends PfElement {
  static override styles: CSSResultGroup = [
    PfElement.styles,
    css`
      :host {
        display: contents;
      }
      dialog.root {
        position: fixed;
        inset: 0;
        width: 100%;
        height: 100%;
        max-width: none;
        max-height: none;
        margin: 0;
        padding: 0;
        border: 0;
        overflow: hidden;
        overscroll-behavior: contain;
        background: var(--pf-color-lightbox-bg, #0b0b0c);
        color: var(--pf-color-lightbox-text, #f5f5f5);
        --pf-color-text: var(--pf-color-lightbox-text, #f5f5f5);
        --pf-color-focus: var(--pf-color-lightbox-focus, #8ab4ff);
      }
      dialog[open] {
        display: grid;
        grid-template-rows: auto 1fr auto;
      }
      dialog:focus {
        outline: none;
      }
      dialog::backdrop {
        background: rgba(0, 0, 0, 0.85);
      }
      .top {
        display: flex;
        align-items: center;
        gap: 0.5em;
        padding: 0.4em 0.5em;
        z-index: 2;
        background: var(--pf-color-lightbox-bar, rgba(11, 11, 12, 0.8));
      }
      .counter {
        margin: 0 auto 0 0.5em;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .tool {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        gap: 0.35em;
        min-width: 44px;
        min-height: 44px;
        padding: 0 0.6em;
        border: 0;
        border-radius: var(--pf-radius, 6px);
        background: transparent;
        color: inherit;
        cursor: pointer;
      }
      .tool:hover,
      .tool[aria-pressed='true'] {
        background: rgba(255, 255, 255, 0.16);
      }
      .tool .text {
        font-size: 0.9em;
      }
      @media (max-width: 640px) {
        .tool .text {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
      }
      .stage {
        position: relative;
        overflow: hidden;
        touch-action: none;
        user-select: none;
        -webkit-user-select: none;
      }
      .track {
        position: absolute;
        inset: 0;
        will-change: transform;
      }
      .track.animating {
        transition: transform 0.22s ease-out;
      }
      .slide {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
      }
      .slide.prev {
        transform: translateX(calc(-100% - ${SLIDE_GAP}px));
      }
      .slide.next {
        transform: translateX(calc(100% + ${SLIDE_GAP}px));
      }
      .zoom {
        position: absolute;
        inset: 0;
        transform-origin: 50% 50%;
      }
      .zoom img {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        max-width: none;
        object-fit: contain;
        -webkit-user-drag: none;
      }
      .stage.zoomable {
        cursor: zoom-in;
      }
      .stage.zoomed {
        cursor: grab;
      }
      .loading {
        color: var(--pf-color-lightbox-text, #f5f5f5);
      }
      .nav {
        position: absolute;
        top: 50%;
        z-index: 2;
        transform: translateY(-50%);
        width: 48px;
        height: 64px;
        border: 0;
        border-radius: var(--pf-radius, 6px);
        background: rgba(11, 11, 12, 0.55);
        color: inherit;
        cursor: pointer;
        display: grid;
        place-items: center;
      }
      .nav.prev {
        left: 8px;
      }
      .nav.next {
        right: 8px;
      }
      .nav[hidden] {
        display: none;
      }
      @media (pointer: coarse) {
        .nav {
          display: none;
        }
      }
      .foot {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: center;
        gap: 0.5em 1em;
        min-height: 2.5em;
        padding: 0.4em 1em;
        z-index: 2;
        background: var(--pf-color-lightbox-bar, rgba(11, 11, 12, 0.8));
        text-align: center;
      }
      .foot p {
        margin: 0;
      }
      .foot .bad {
        color: var(--pf-color-lightbox-danger, #ffb4ab);
      }
      .foot input {
        width: min(100%, 32em);
        padding: 0.4em;
        border-radius: var(--pf-radius, 6px);
        border: 1px solid #8a8a8a;
        background: #1b1b1d;
      }
    `,
  ];

  /** The gallery this lightbox shows (set by pf-gallery). */
  @property({ attribute: false }) source: LightboxHost | null = null;
  @property({ type: Boolean }) selectable = false;
  @property({ type: Boolean }) hideable = false;

  @state() private index = 0;
  @state() private open = false;
  @state() private status: { text: string; bad?: boolean } | null = null;
  @state() private shareUrl: string | null = null;
  @state() private busy = false;
  @state() private zoomed = false;
  @state() private stageSize = { w: 0, h: 0 };
  /** Indexes whose full-size image is needed (zoomed in). */
  @state() private large = new Set<number>();

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.stage') private stage!: HTMLElement;
  @query('.track') private track!: HTMLElement;
  @query('.slide.cur .zoom') private zoomEl!: HTMLElement | null;

  private scale = 1;
  private tx = 0;
  private ty = 0;
  private pointers = new Map<number, { x: number; y: number }>();
  private mode: 'none' | 'pending' | 'swipe' | 'pull' | 'pan' | 'pinch' = 'none';
  private start = { x: 0, y: 0, t: 0, tx: 0, ty: 0, scale: 1, dist: 1, mx: 0, my: 0 };
  private lastTap: { t: number; x: number; y: number } | null = null;
  private lastPointer = 'mouse';
  private resize: ResizeObserver | null = null;
  private actionAbort: AbortController | null = null;

  /** Opens the viewer at `index` (loading its page first when needed). */
  async show(index: number): Promise<void> {
    const h = this.source;
    if (!h) return;
    if (!h.item(index)) await h.ensure(index);
    if (!h.item(index) || !h.lightboxOpened(index, !this.dialog?.open)) return;
    this.index = index;
    this.resetZoom();
    this.status = null;
    this.shareUrl = null;
    if (!this.dialog?.open) {
      this.open = true;
      await this.updateComplete;
      if (!this.open || this.dialog.open) return; // closed again (or opened) while rendering
      this.dialog.showModal();
      this.dialog.focus();
      this.measureStage();
    }
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
    else this.open = false;
  }

  /** Whether the viewer is showing. */
  get isOpen(): boolean {
    return !!this.dialog?.open;
  }

  get currentIndex(): number {
    return this.index;
  }

  private async go(index: number) {
    const h = this.source;
    if (!h || index < 0 || index >= h.viewCount || index === this.index) return;
    this.actionAbort?.abort();
    this.index = index;
    this.resetZoom();
    this.status = null;
    this.shareUrl = null;
    this.busy = false;
    if (!h.item(index)) {
      await h.ensure(index);
      if (this.index !== index) return;
      this.requestUpdate();
    }
    h.lightboxOpened(index, false);
  }

  private onClose = () => {
    this.open = false;
    this.actionAbort?.abort();
    this.pointers.clear();
    this.source?.lightboxClosed(this.index);
  };

  // ── geometry and zoom ──────────────────────────────────────────────────────────────────────────────────

  private measureStage() {
    if (!this.stage) return;
    const r = this.stage.getBoundingClientRect();
    if (r.width !== this.stageSize.w || r.height !== this.stageSize.h) this.stageSize = { w: r.width, h: r.height };
  }

  /** Size of the current photo fitted (contain) into the stage. */
  private fitted(img: ImageItem | undefined) {
    // Before the first measure, assume the stage fills the window (less the two bars).
    const w = this.stageSize.w || innerWidth;
    const h = this.stageSize.h || Math.max(1, innerHeight - 110);
    const ratio = img?.width && img.height ? img.width / img.height : 1.5;
    return w / h > ratio ? { fw: h * ratio, fh: h } : { fw: w, fh: w / ratio };
  }

  private applyZoom() {
    const img = this.source?.item(this.index);
    const { fw, fh } = this.fitted(img);
    const mx = Math.max(0, (fw * this.scale - this.stageSize.w) / 2);
    const my = Math.max(0, (fh * this.scale - this.stageSize.h) / 2);
    this.tx = clamp(this.tx, -mx, mx);
    this.ty = clamp(this.ty, -my, my);
    if (this.zoomEl) this.zoomEl.style.transform = `translate(${this.tx}px, ${this.ty}px) scale(${this.scale})`;
    const zoomed = this.scale > 1.01;
    if (zoomed !== this.zoomed) this.zoomed = zoomed;
    if (zoomed) this.needLarge();
  }

  /** Zooms to `scale` keeping the point (px, py), relative to the stage centre, where it is. */
  private zoomAt(px: number, py: number, scale: number) {
    const s = clamp(scale, 1, MAX_SCALE);
    const cx = (px - this.tx) / this.scale;
    const cy = (py - this.ty) / this.scale;
    this.scale = s;
    this.tx = px - cx * s;
    this.ty = py - cy * s;
    this.applyZoom();
  }

  private resetZoom() {
    this.scale = 1;
    this.tx = 0;
    this.ty = 0;
    if (this.zoomEl) this.zoomEl.style.transform = '';
    this.zoomed = false;
  }

  private toggleZoom(px = 0, py = 0) {
    if (this.scale > 1.01) {
      this.resetZoom();
    } else this.zoomAt(px, py, DOUBLE_TAP_SCALE);
  }

  /** Loads the full-size preview when the zoomed photo needs more pixels than the fitted image has. */
  private needLarge() {
    const i = this.index;
    const item = this.source?.item(i);
    if (!item || this.large.has(i)) return;
    const shown = this.renderRoot.querySelector<HTMLImageElement>('.slide.cur img.main');
    const { fw } = this.fitted(item);
    if (shown && shown.currentSrc === item.img_url) return;
    if (shown && shown.naturalWidth >= fw * this.scale * devicePixelRatio) return;
    const pre = new Image();
    pre.src = item.img_url;
    pre
      .decode()
      .catch(() => undefined)
      .then(() => {
        this.large = new Set(this.large).add(i);
      });
  }

  private centreOf(x: number, y: number) {
    const r = this.stage.getBoundingClientRect();
    return { px: x - r.left - r.width / 2, py: y - r.top - r.height / 2 };
  }

  // ── pointer gestures ───────────────────────────────────────────────────────────────────────────────────

  private onPointerDown = (e: PointerEvent) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    if ((e.target as HTMLElement).closest('button')) return;
    this.lastPointer = e.pointerType;
    try {
      this.stage.setPointerCapture(e.pointerId);
    } catch {
      /* a pointer that is already gone: follow it without capture */
    }
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const pts = [...this.pointers.values()];
    if (pts.length === 2) {
      const [a, b] = pts as [{ x: number; y: number }, { x: number; y: number }];
      const m = this.centreOf((a.x + b.x) / 2, (a.y + b.y) / 2);
      this.mode = 'pinch';
      this.track.style.transform = '';
      this.start = {
        ...this.start,
        dist: Math.hypot(a.x - b.x, a.y - b.y) || 1,
        scale: this.scale,
        mx: m.px,
        my: m.py,
        tx: this.tx,
        ty: this.ty,
      };
    } else if (pts.length === 1) {
      this.mode = this.scale > 1.01 ? 'pan' : 'pending';
      this.start = { ...this.start, x: e.clientX, y: e.clientY, t: performance.now(), tx: this.tx, ty: this.ty };
    }
  };

  private onPointerMove = (e: PointerEvent) => {
    if (!this.pointers.has(e.pointerId)) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const dx = e.clientX - this.start.x;
    const dy = e.clientY - this.start.y;
    switch (this.mode) {
      case 'pinch': {
        const [a, b] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
        if (!b) return;
        const m = this.centreOf((a.x + b.x) / 2, (a.y + b.y) / 2);
        const s = clamp((this.start.scale * Math.hypot(a.x - b.x, a.y - b.y)) / this.start.dist, 1, MAX_SCALE);
        const cx = (this.start.mx - this.start.tx) / this.start.scale;
        const cy = (this.start.my - this.start.ty) / this.start.scale;
        this.scale = s;
        this.tx = m.px - cx * s;
        this.ty = m.py - cy * s;
        this.applyZoom();
        return;
      }
      case 'pan':
        this.tx = this.start.tx + dx;
        this.ty = this.start.ty + dy;
        this.applyZoom();
        return;
      case 'pending':
        if (Math.abs(dx) > 10 || Math.abs(dy) > 10) this.mode = Math.abs(dx) > Math.abs(dy) ? 'swipe' : dy > 0 ? 'pull' : 'none';
        return;
      case 'swipe': {
        const h = this.source!;
        const edge = (dx > 0 && this.index === 0) || (dx < 0 && this.index >= h.viewCount - 1);
        this.track.style.transform = `translateX(${edge ? dx / 3 : dx}px)`;
        return;
      }
      case 'pull':
        this.track.style.transform = `translateY(${Math.max(0, dy)}px)`;
        this.track.style.opacity = String(Math.max(0.3, 1 - dy / 400));
        return;
    }
  };

  private onPointerUp = (e: PointerEvent) => {
    if (!this.pointers.delete(e.pointerId)) return;
    const dx = e.clientX - this.start.x;
    const dy = e.clientY - this.start.y;
    const dt = performance.now() - this.start.t;
    const mode = this.mode;
    if (mode === 'pinch') {
      const rest = [...this.pointers.values()][0];
      if (rest) {
        this.mode = 'pan';
        this.start = { ...this.start, x: rest.x, y: rest.y, tx: this.tx, ty: this.ty };
      } else this.mode = 'none';
      if (this.scale < 1.05) this.resetZoom();
      return;
    }
    this.mode = 'none';
    if (mode === 'swipe') {
      const w = this.stageSize.w;
      const fast = Math.abs(dx) / Math.max(1, dt) > 0.5;
      const dir = Math.abs(dx) > Math.min(80, w * 0.2) || (fast && Math.abs(dx) > 30) ? (dx < 0 ? 1 : -1) : 0;
      const target = this.index + dir;
      if (dir && target >= 0 && target < this.source!.viewCount) this.slideTo(dir, target);
      else this.snapBack();
    } else if (mode === 'pull') {
      this.track.style.transform = '';
      this.track.style.opacity = '';
      if (dy > 100) this.close();
    } else if ((mode === 'pending' || (mode === 'pan' && Math.hypot(dx, dy) < 10)) && e.pointerType !== 'mouse') {
      // A tap: two of them close together in time and place are a double tap.
      const now = performance.now();
      const last = this.lastTap;
      if (last && now - last.t < 320 && Math.hypot(e.clientX - last.x, e.clientY - last.y) < 30) {
        const p = this.centreOf(e.clientX, e.clientY);
        this.toggleZoom(p.px, p.py);
        this.lastTap = null;
      } else this.lastTap = { t: now, x: e.clientX, y: e.clientY };
    }
  };

  private reducedMotion() {
    return matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  private slideTo(dir: 1 | -1, target: number) {
    if (this.reducedMotion()) {
      this.track.style.transform = '';
      void this.go(target);
      return;
    }
    this.track.classList.add('animating');
    this.track.style.transform = `translateX(${-dir * (this.stageSize.w + SLIDE_GAP)}px)`;
    const done = () => {
      this.track.classList.remove('animating');
      this.track.style.transform = '';
      void this.go(target);
    };
    this.track.addEventListener('transitionend', done, { once: true });
  }

  private snapBack() {
    if (!this.reducedMotion()) {
      this.track.classList.add('animating');
      this.track.addEventListener('transitionend', () => this.track.classList.remove('animating'), { once: true });
    }
    this.track.style.transform = '';
  }

  private onDblClick = (e: MouseEvent) => {
    if (this.lastPointer !== 'mouse' || (e.target as HTMLElement).closest('button')) return;
    const p = this.centreOf(e.clientX, e.clientY);
    this.toggleZoom(p.px, p.py);
  };

  private onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const p = this.centreOf(e.clientX, e.clientY);
    if (e.ctrlKey) this.zoomAt(p.px, p.py, this.scale * Math.exp(-e.deltaY * 0.01));
    else if (this.scale > 1.01) {
      this.tx -= e.deltaX;
      this.ty -= e.deltaY;
      this.applyZoom();
    }
  };

  private onKeydown = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const h = this.source;
    if (!h) return;
    const keys: Record<string, () => void> = {
      ArrowRight: () => void this.go(this.index + 1),
      ArrowLeft: () => void this.go(this.index - 1),
      Home: () => void this.go(0),
      End: () => void this.go(h.viewCount - 1),
      '+': () => this.zoomAt(0, 0, this.scale * 1.5),
      '=': () => this.zoomAt(0, 0, this.scale * 1.5),
      '-': () => (this.scale / 1.5 <= 1.01 ? this.resetZoom() : this.zoomAt(0, 0, this.scale / 1.5)),
      '0': () => this.resetZoom(),
    };
    const act = keys[e.key];
    if (!act || e.altKey || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    act();
  };

  // ── actions ────────────────────────────────────────────────────────────────────────────────────────────

  private async download() {
    const h = this.source;
    const item = h?.item(this.index);
    const client = h?.apiClient;
    if (!h || !item || !client || this.busy) return;
    const identifier = item.image_id;
    const refuse = (reason: string, status?: number) => {
      this.status = { text: reason, bad: true };
      emit(this, 'pf-download', { method: 'image_id', identifier, count: 0, ok: false, reason, status });
    };
    if (h.details && !h.details.free_downloads && !client.orderToken) {
      refuse(
        this.t(() =>
          msg('The original photos of this event are for sale: buy this photo to download it.', { id: 'lightbox.not-free' }),
        ),
      );
      return;
    }
    this.busy = true;
    this.status = { text: this.t(() => msg('Preparing the download…', { id: 'lightbox.preparing' })) };
    const abort = (this.actionAbort = new AbortController());
    try {
      const out = await downloadOriginals(client, { method: 'image_id', identifier }, abort.signal);
      if (abort.signal.aborted) return;
      if (out.saved > 0) {
        this.status = { text: this.t(() => msg('Original photo downloaded.', { id: 'lightbox.downloaded' })) };
        emit(this, 'pf-download', { method: 'image_id', identifier, count: out.saved, ok: true });
      } else {
        refuse(
          out.failed[0]?.error ??
            out.message ??
            this.t(() => msg('No original is available for this photo.', { id: 'lightbox.no-original' })),
        );
      }
    } catch (e) {
      if (abort.signal.aborted) return;
      const status = e instanceof ApiRequestError ? e.status : 0;
      refuse(
        status === 0
          ? this.t(() => msg('The photo server could not be reached. Check your connection.', { id: 'common.offline' }))
          : (e as Error).message,
        status,
      );
    } finally {
      if (!abort.signal.aborted) this.busy = false;
    }
  }

  private async share() {
    const item = this.source?.item(this.index);
    if (!item) return;
    const url = urlWith({ photo: item.image_id, photo_at: String(this.index) });
    const title = this.source?.details?.event_name ?? document.title;
    if (typeof navigator.share === 'function' && (navigator.canShare?.({ url }) ?? true)) {
      try {
        await navigator.share({ title, url });
        return;
      } catch (e) {
        if ((e as Error).name === 'AbortError') return; // the user closed the share sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      this.shareUrl = null;
      this.status = { text: this.t(() => msg('Link copied. It opens this photo.', { id: 'lightbox.link-copied' })) };
    } catch {
      // No clipboard (permissions, insecure page): show the link to copy by hand.
      this.shareUrl = url;
      this.status = { text: this.t(() => msg('Copy this link to share the photo:', { id: 'lightbox.copy-link' })) };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('.foot input')?.select();
    }
  }

  private notMe() {
    const h = this.source;
    if (!h) return;
    const i = this.index;
    if (!h.hide(i)) return;
    if (h.viewCount === 0) {
      this.close();
      return;
    }
    this.index = -1;
    void this.go(Math.min(i, h.viewCount - 1));
  }

  // ── lifecycle and rendering ────────────────────────────────────────────────────────────────────────────

  protected override firstUpdated(): void {
    this.dialog.addEventListener('close', this.onClose);
    this.dialog.addEventListener('wheel', this.onWheel, { passive: false });
    this.resize = new ResizeObserver(() => {
      this.measureStage();
      this.applyZoom();
    });
    this.resize.observe(this.stage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.actionAbort?.abort();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('index') || changed.has('large')) this.applyZoom();
  }

  private slide(i: number, pos: 'prev' | 'cur' | 'next') {
    const h = this.source;
    if (!h || i < 0 || i >= h.viewCount) return nothing;
    const item = h.item(i);
    if (!item) {
      if (pos === 'cur') void h.ensure(i).then(() => this.requestUpdate());
      return html`<div class="slide ${pos}">
        <p class="loading">${msg('Loading photo…', { id: 'lightbox.loading' })}</p>
      </div>`;
    }
    const { fw } = this.fitted(item);
    const big = this.large.has(i);
    const srcset = item.renditions.map((r) => `${r.url} ${r.width}w`).join(', ');
    return html`<div class="slide ${pos}" aria-hidden=${pos === 'cur' ? 'false' : 'true'}>
      <div class="zoom">
        <img class="ph" src=${item.thumbnail_url} alt="" draggable="false" />
        <img
          class="main"
          part=${pos === 'cur' ? 'lightbox-image' : nothing}
          src=${big ? item.img_url : item.thumbnail_url}
          srcset=${big ? nothing : srcset || nothing}
          sizes=${big ? nothing : `${Math.max(1, Math.round(fw))}px`}
          width=${item.width ?? nothing}
          height=${item.height ?? nothing}
          alt=${pos === 'cur' ? h.photoLabel(i) : ''}
          draggable="false"
          fetchpriority=${pos === 'cur' ? 'high' : 'low'}
          decoding="async"
        />
      </div>
    </div>`;
  }

  override render() {
    const h = this.source;
    const total = h?.viewCount ?? 0;
    const i = this.index;
    const item = h?.item(i);
    const selected = !!item && !!h?.isSelected(item.image_id);
    const n = formatNumber(i + 1, this.formatTag);
    const of = formatNumber(total, this.formatTag);
    const tool = (
      label: string,
      icon: unknown,
      onClick: () => void,
      extra: { pressed?: boolean; text?: boolean; disabled?: boolean } = {},
    ) =>
      html`<button
        class="tool"
        part="lightbox-button"
        aria-label=${extra.text ? nothing : label}
        aria-pressed=${extra.pressed === undefined ? nothing : String(extra.pressed)}
        ?disabled=${extra.disabled}
        title=${label}
        @click=${onClick}
      >
        ${icon}${extra.text ? html`<span class="text">${label}</span>` : nothing}
      </button>`;
    return html`<dialog
      class="root"
      part="lightbox"
      tabindex="-1"
      aria-label=${msg('Photo viewer', { id: 'lightbox.label' })}
      @keydown=${this.onKeydown}
    >
      <div class="top" part="lightbox-toolbar">
        <p class="counter" part="lightbox-counter" aria-live="polite" aria-atomic="true">
          <span aria-hidden="true">${n} / ${of}</span
          ><span class="sr-only"
            >${item && h ? h.photoLabel(i) : msg(str`Photo ${n} of ${of}`, { id: 'gallery.photo-label' })}</span
          >
        </p>
        ${
          typeof item?.confidence === 'number'
            ? html`<span class="muted">${msg(str`Match ${Math.round(item.confidence)}%`, { id: 'lightbox.match' })}</span>`
            : nothing
        }
        ${tool(this.zoomed ? msg('Zoom out', { id: 'lightbox.zoom-out' }) : msg('Zoom in', { id: 'lightbox.zoom-in' }), this.zoomed ? icons.zoomOut : icons.zoomIn, () => this.toggleZoom())}
        ${tool(msg('Download', { id: 'lightbox.download' }), icons.download, () => this.download(), { text: true, disabled: this.busy })}
        ${tool(msg('Share', { id: 'lightbox.share' }), icons.share, () => this.share(), { text: true })}
        ${
          this.selectable
            ? tool(msg('Select', { id: 'lightbox.select' }), icons.check, () => h?.toggleSelected(i), {
                text: true,
                pressed: selected,
              })
            : nothing
        }
        ${this.hideable ? tool(msg('Not me', { id: 'gallery.not-me' }), icons.hide, () => this.notMe(), { text: true }) : nothing}
        ${tool(msg('Close', { id: 'lightbox.close' }), icons.close, () => this.close())}
      </div>
      <div
        class="stage ${this.zoomed ? 'zoomed' : 'zoomable'}"
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @dblclick=${this.onDblClick}
      >
        <div class="track">
          ${this.open ? [this.slide(i - 1, 'prev'), this.slide(i, 'cur'), this.slide(i + 1, 'next')] : nothing}
        </div>
        <button
          class="nav prev"
          part="lightbox-nav"
          ?hidden=${i <= 0}
          aria-label=${msg('Previous photo', { id: 'lightbox.prev' })}
          @click=${() => this.go(i - 1)}
        >
          ${icons.prev}
        </button>
        <button
          class="nav next"
          part="lightbox-nav"
          ?hidden=${i >= total - 1}
          aria-label=${msg('Next photo', { id: 'lightbox.next' })}
          @click=${() => this.go(i + 1)}
        >
          ${icons.next}
        </button>
      </div>
      <div class="foot" part="lightbox-status">
        <p role="status" class=${this.status?.bad ? 'bad' : ''}>${this.status?.text ?? ''}</p>
        ${
          this.shareUrl
            ? html`<input
                readonly
                .value=${this.shareUrl}
                aria-label=${msg('Link to this photo', { id: 'lightbox.link' })}
                @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
              />`
            : nothing
        }
      </div>
    </dialog>`;
  }
}

defineElement('pf-lightbox', PfLightbox);

declare global {
  interface HTMLElementTagNameMap {
    'pf-lightbox': PfLightbox;
  }
}
