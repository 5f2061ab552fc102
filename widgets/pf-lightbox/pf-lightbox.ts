import { html, nothing, type PropertyValues, type CSSResultGroup } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { EventDetails, ImageItem } from '../../core/api/models.ts';
import { ApiRequestError, type ApiClient } from '../api/client.ts';
import { msg, str } from '../i18n/localize.ts';
import type { EventContextValue, Participant } from '../shared/context.ts';
import { renderCta } from '../shared/cta.ts';
import { defineElement, emit } from '../shared/define.ts';
import { downloadOriginals } from '../shared/download.ts';
import { formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { lockPageScroll } from '../shared/scroll-lock.ts';
import { urlWith } from '../shared/url-state.ts';
import { LightboxGestures } from './gestures.ts';
import { lightboxStyles } from './pf-lightbox.styles.ts';
import {
  clampPan,
  fitContain,
  IDENTITY,
  isZoomed,
  KEY_STEP,
  needsLarger,
  toggleZoom as toggledZoom,
  zoomAbout,
  zoomOutStep,
  type Point,
  type Size,
  type Zoom,
} from './zoom.ts';

/** What the lightbox needs from the gallery that opens it. */
export interface LightboxHost {
  readonly viewCount: number;
  readonly details: EventDetails | null;
  readonly apiClient: ApiClient | null;
  /** pf-event's value (the Call to Action and the participant's searches). */
  readonly eventValue?: EventContextValue | undefined;
  /** What the result set says about the participant (the BIB or selfie it was found by). */
  participantOfResults?(): Partial<Participant>;
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
 * @csspart lightbox-cta - the organiser's Call to Action (placement "lightbox", or "download" after a download)
 * @cssprop --pf-color-lightbox-bg - background of the viewer (default #0b0b0c)
 * @cssprop --pf-color-lightbox-text - text and icons of the viewer (default #f5f5f5)
 * @fires pf-download - an original was downloaded or refused
 */
export class PfLightbox extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, lightboxStyles];

  /** The gallery this lightbox shows (set by pf-gallery). */
  @property({ attribute: false }) source: LightboxHost | null = null;
  @property({ type: Boolean }) selectable = false;
  @property({ type: Boolean }) hideable = false;

  @state() private index = 0;
  @state() private open = false;
  /** `done`: an original was downloaded (the Call to Action placed at "download" shows). */
  @state() private status: { text: string; bad?: boolean; done?: boolean } | null = null;
  @state() private shareUrl: string | null = null;
  @state() private busy = false;
  @state() private zoomed = false;
  @state() private stageSize = { w: 0, h: 0 };
  /** Indexes whose full-size image is needed (zoomed in). */
  @state() private large = new Set<number>();

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.stage') private stage!: HTMLElement | null;
  @query('.track') private track!: HTMLElement | null;
  @query('.slide.cur .zoom') private zoomEl!: HTMLElement | null;

  private z: Zoom = { ...IDENTITY };
  private readonly gestures = new LightboxGestures(this, {
    stage: () => this.stage,
    track: () => this.track,
    stageWidth: () => this.stageSize.w,
    zoom: () => this.z,
    setZoom: (z) => this.setZoom(z),
    resetZoom: () => this.resetZoom(),
    toggleZoom: (p) => this.toggleZoom(p),
    canStep: (dir) => this.canStep(dir),
    step: (dir) => void this.go(this.index + dir),
    close: () => this.close(),
  });
  private resize: ResizeObserver | null = null;
  private actionAbort: AbortController | null = null;
  /** Unlocks the page's scrolling, locked while the viewer is open. */
  private unlockScroll: (() => void) | null = null;

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
      // Ready for keys in this task: the dialog opens and takes the focus now, its slides render in the update that
      // follows (before the next paint). Waiting for that update first left a moment in which a key pressed right
      // after Enter or a tap (a slow phone, a busy machine) went to the gallery behind and moved its focus.
      if (!this.hasUpdated) await this.updateComplete; // first use: the dialog is not rendered yet
      if (!this.open || this.dialog.open) return; // closed again (or opened) meanwhile
      // The page behind neither scrolls nor shows its scrollbar (Firefox keeps both beside a modal dialog).
      this.unlockScroll ??= lockPageScroll();
      this.dialog.showModal();
      this.dialog.focus();
      await this.updateComplete;
      this.measureStage();
    }
  }

  close(): void {
    if (this.dialog?.open) {
      this.dialog.close();
      // The dialog has given the focus back to the thumbnail that opened it: the gallery moves it to the photo
      // shown last now, in this task (the close event comes a task later).
      this.onClose();
    } else this.open = false;
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
    this.releaseScroll();
    if (!this.open) return; // already handled by close()
    this.open = false;
    this.actionAbort?.abort();
    this.gestures.cancel();
    this.source?.lightboxClosed(this.index);
  };

  // ── geometry and zoom (the maths is in zoom.ts, the pointer gestures in gestures.ts) ───────────────────

  private measureStage() {
    if (!this.stage) return;
    const r = this.stage.getBoundingClientRect();
    if (r.width !== this.stageSize.w || r.height !== this.stageSize.h) this.stageSize = { w: r.width, h: r.height };
  }

  /** Size of the photo fitted (contain) into the stage. */
  private fitted(img: ImageItem | undefined): Size {
    // Before the first measure, assume the stage fills the window (less the two bars).
    const stage = { w: this.stageSize.w || innerWidth, h: this.stageSize.h || Math.max(1, innerHeight - 110) };
    return fitContain(stage, img?.width && img.height ? img.width / img.height : undefined);
  }

  /** Sets the zoom, kept inside the pan bounds, and draws it. */
  private setZoom(z: Zoom): void {
    this.z = clampPan(z, this.fitted(this.source?.item(this.index)), this.stageSize);
    const { scale, tx, ty } = this.z;
    if (this.zoomEl) this.zoomEl.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`;
    const zoomed = isZoomed(this.z);
    if (zoomed !== this.zoomed) this.zoomed = zoomed;
    if (zoomed) this.needLarge();
  }

  private resetZoom(): void {
    this.z = { ...IDENTITY };
    if (this.zoomEl) this.zoomEl.style.transform = '';
    this.zoomed = false;
  }

  private toggleZoom(p?: Point): void {
    const next = toggledZoom(this.z, p);
    if (isZoomed(next)) this.setZoom(next);
    else this.resetZoom();
  }

  private canStep(dir: 1 | -1): boolean {
    const target = this.index + dir;
    return target >= 0 && target < (this.source?.viewCount ?? 0);
  }

  /** Loads the full-size preview when the zoomed photo needs more pixels than the fitted image has. */
  private needLarge() {
    const i = this.index;
    const item = this.source?.item(i);
    if (!item || this.large.has(i)) return;
    const shown = this.renderRoot.querySelector<HTMLImageElement>('.slide.cur img.main');
    if (shown && shown.currentSrc === item.img_url) return;
    if (shown && !needsLarger(shown.naturalWidth, this.fitted(item).w, this.z.scale, devicePixelRatio)) return;
    const pre = new Image();
    pre.src = item.img_url;
    pre
      .decode()
      .catch(() => undefined)
      .then(() => {
        this.large = new Set(this.large).add(i);
      });
  }

  private onKeydown = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const h = this.source;
    if (!h) return;
    const keys: Record<string, () => void> = {
      ArrowRight: () => void this.go(this.index + 1),
      ArrowLeft: () => void this.go(this.index - 1),
      Home: () => void this.go(0),
      End: () => void this.go(h.viewCount - 1),
      '+': () => this.setZoom(zoomAbout(this.z, { x: 0, y: 0 }, this.z.scale * KEY_STEP)),
      '=': () => this.setZoom(zoomAbout(this.z, { x: 0, y: 0 }, this.z.scale * KEY_STEP)),
      '-': () => {
        const out = zoomOutStep(this.z);
        if (isZoomed(out)) this.setZoom(out);
        else this.resetZoom();
      },
      '0': () => this.resetZoom(),
      // Closed here rather than by the dialog's own Esc handling, so that the focus returns in this task.
      Escape: () => this.close(),
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
        this.status = { text: this.t(() => msg('Original photo downloaded.', { id: 'lightbox.downloaded' })), done: true };
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
        this.countShare();
        return;
      } catch (e) {
        if ((e as Error).name === 'AbortError') return; // the user closed the share sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      this.countShare();
      this.shareUrl = null;
      this.status = { text: this.t(() => msg('Link copied. It opens this photo.', { id: 'lightbox.link-copied' })) };
    } catch {
      // No clipboard (permissions, insecure page): show the link to copy by hand.
      this.countShare();
      this.shareUrl = url;
      this.status = { text: this.t(() => msg('Copy this link to share the photo:', { id: 'lightbox.copy-link' })) };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('.foot input')?.select();
    }
  }

  /** Counts a share (the share sheet, a copied link, or the link shown to copy) for the organiser's analytics. */
  private countShare() {
    this.source?.apiClient?.analytics('share').catch(() => undefined);
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
    this.dialog.addEventListener('wheel', this.gestures.onWheel, { passive: false });
    this.resize = new ResizeObserver(() => {
      this.measureStage();
      this.setZoom(this.z);
    });
    this.resize.observe(this.stage!);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Its parts, for the gallery that holds it (pf-gallery's own `lightbox…` parts): exported from here, so that
    // the list travels with the lightbox's module, not in every gallery page.
    if (!this.hasAttribute('exportparts'))
      this.setAttribute(
        'exportparts',
        'lightbox, lightbox-image, lightbox-toolbar, lightbox-button, lightbox-counter, lightbox-status, lightbox-nav, lightbox-cta',
      );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.actionAbort?.abort();
    this.releaseScroll();
  }

  private releaseScroll() {
    this.unlockScroll?.();
    this.unlockScroll = null;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('index') || changed.has('large')) this.setZoom(this.z);
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
    const fw = this.fitted(item).w;
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
        @pointerdown=${this.gestures.onPointerDown}
        @pointermove=${this.gestures.onPointerMove}
        @pointerup=${this.gestures.onPointerUp}
        @pointercancel=${this.gestures.onPointerUp}
        @dblclick=${this.gestures.onDblClick}
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
        ${renderCta(h?.eventValue, 'lightbox', h?.participantOfResults?.(), 'lightbox-cta')}
        ${this.status?.done ? renderCta(h?.eventValue, 'download', h?.participantOfResults?.(), 'lightbox-cta') : nothing}
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
