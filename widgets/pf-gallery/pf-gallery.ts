import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ImageItem, ImagePage } from '../../core/index.ts';
import { defineElement, emit } from '../shared/define.ts';
import { EventConsumer } from '../shared/event-consumer.ts';

/** Loads one page of a result set. pf-gallery shows all photos when none is set. */
export type PageLoader = (page: number, pageSize: number, signal: AbortSignal) => Promise<ImagePage>;

/**
 * A grid of event photos over the paginated API, loading further pages as the user scrolls
 * (with a "Load more" button as the fallback).
 *
 * @element pf-gallery
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr page-size - photos per request (1–100)
 * @fires pf-results - after each page loads: { total, loaded }
 * @fires pf-select - when a photo is activated: { image, index }
 * @fires pf-error - when a page fails to load
 * @csspart grid - the photo grid
 * @csspart photo - each photo button
 * @csspart load-more - the "Load more" button
 */
export class PfGallery extends LitElement {
  static override styles = css`
    :host {
      display: block;
      --_gap: var(--pf-gallery-gap, 6px);
      --_min: var(--pf-gallery-min-width, 160px);
      color: var(--pf-color-text, #1a1a1a);
      font: var(--pf-font, 400 1rem/1.5 system-ui, sans-serif);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(var(--_min), 1fr));
      gap: var(--_gap);
      list-style: none;
      margin: 0;
      padding: 0;
    }
    button.photo {
      display: block;
      width: 100%;
      padding: 0;
      border: 0;
      background: var(--pf-color-placeholder, #e6e6e6);
      border-radius: var(--pf-radius, 6px);
      overflow: hidden;
      cursor: zoom-in;
      aspect-ratio: 3 / 2;
    }
    button.photo:focus-visible {
      outline: 3px solid var(--pf-color-focus, #1a56db);
      outline-offset: 2px;
    }
    img {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
    .status {
      margin: 0.75rem 0;
    }
    .error {
      color: var(--pf-color-danger, #b00020);
    }
    button.action {
      font: inherit;
      padding: 0.5rem 1rem;
      border-radius: var(--pf-radius, 6px);
      border: 1px solid var(--pf-color-border, #767676);
      background: var(--pf-color-surface, #fff);
      color: inherit;
      cursor: pointer;
    }
  `;

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property({ type: Number, attribute: 'page-size' }) pageSize = 32;
  /** Where pages come from; all photos of the event when unset. */
  @property({ attribute: false }) loader: PageLoader | null = null;

  @state() private images: ImageItem[] = [];
  @state() private total: number | null = null;
  @state() private loading = false;
  @state() private error: string | null = null;

  private nextPage = 1;
  private abort: AbortController | null = null;
  private observer: IntersectionObserver | null = null;
  private readonly event = new EventConsumer(this, () => this.reset());

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('loader') || changed.has('pageSize')) this.reset();
  }

  /** Starts the result set again from page 1. */
  reset(): void {
    this.abort?.abort();
    this.images = [];
    this.total = null;
    this.error = null;
    this.nextPage = 1;
    this.loading = false;
    void this.loadMore();
  }

  private get hasMore() {
    return this.total === null || this.images.length < this.total;
  }

  async loadMore(): Promise<void> {
    const client = this.event.value?.client;
    if (!client || this.loading || !this.hasMore) return;
    const loader: PageLoader = this.loader ?? ((p, s, signal) => client.images(p, s, signal));
    const abort = (this.abort = new AbortController());
    this.loading = true;
    this.error = null;
    try {
      const page = await loader(this.nextPage, this.pageSize, abort.signal);
      if (abort.signal.aborted) return;
      this.images = [...this.images, ...page.images];
      this.total = page.pagination.total;
      this.nextPage += 1;
      emit(this, 'pf-results', { total: this.total, loaded: this.images.length });
    } catch (e) {
      if (abort.signal.aborted) return;
      this.error = (e as Error).message;
      emit(this, 'pf-error', { source: 'pf-gallery', message: this.error });
    } finally {
      if (!abort.signal.aborted) this.loading = false;
    }
  }

  protected override updated(): void {
    const sentinel = this.renderRoot.querySelector('.sentinel');
    this.observer?.disconnect();
    if (sentinel && this.hasMore && !this.error) {
      this.observer ??= new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void this.loadMore(), {
        rootMargin: '600px',
      });
      this.observer.observe(sentinel);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.abort?.abort();
  }

  private srcset(img: ImageItem) {
    return img.renditions
      .filter((r) => r.format !== 'jpeg')
      .map((r) => `${r.url} ${r.width}w`)
      .join(', ');
  }

  override render() {
    if (!this.event.value) return html`<p class="status">Connecting to the photo server…</p>`;
    return html`
      <ul class="grid" part="grid" aria-label="Event photos">
        ${repeat(
          this.images,
          (img) => img.image_id,
          (img, index) =>
            html`<li>
              <button
                class="photo"
                part="photo"
                @click=${() => emit(this, 'pf-select', { image: img, index })}
                aria-label="Photo ${index + 1}${this.total ? ` of ${this.total}` : ''}"
              >
                <img
                  src=${img.thumbnail_url}
                  srcset=${this.srcset(img) || nothing}
                  sizes="(max-width: 600px) 50vw, 240px"
                  width=${img.width ?? nothing}
                  height=${img.height ?? nothing}
                  loading="lazy"
                  decoding="async"
                  alt=""
                />
              </button>
            </li>`,
        )}
      </ul>
      <div class="sentinel"></div>
      <div role="status" aria-live="polite" class="status">
        ${
          this.error
            ? html`<span class="error">${this.error}</span>`
            : this.loading
              ? 'Loading photos…'
              : this.total === 0
                ? 'No photos yet.'
                : this.total !== null
                  ? `${this.images.length} of ${this.total} photos`
                  : ''
        }
      </div>
      ${
        this.error
          ? html`<button class="action" part="retry" @click=${() => this.loadMore()}>Try again</button>`
          : this.hasMore && !this.loading && this.images.length
            ? html`<button class="action" part="load-more" @click=${() => this.loadMore()}>Load more</button>`
            : nothing
      }
    `;
  }
}

defineElement('pf-gallery', PfGallery);

declare global {
  interface HTMLElementTagNameMap {
    'pf-gallery': PfGallery;
  }
}
