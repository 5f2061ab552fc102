import { html, nothing, type CSSResultGroup } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { bibProblem } from '../../core/bib.ts';
import type { PfResultsDetail } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import '../pf-gallery/pf-gallery.ts';
import type { PageLoader } from '../pf-gallery/pf-gallery.ts';
import '../pf-timeline/pf-timeline.ts';
import { defineElement, emit } from '../shared/define.ts';
import { bibField, bibFieldStyles, bibProblemText } from '../shared/bib-field.ts';
import { renderCta } from '../shared/cta.ts';
import { DownloadAllController } from '../shared/download-all.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { featureNotice, featureState } from '../shared/feature-notice.ts';
import { formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, writeParams } from '../shared/url-state.ts';
import { bibSearchStyles } from './pf-bib-search.styles.ts';
import '../api/endpoints.ts';

/**
 * Find your photos by BIB number: a search box with validation (submit with Enter), and the results in a
 * pf-gallery. The last search is kept in the page URL (`?bib=…`), so a shared link or a refresh shows the
 * same results. When nothing is found it offers the timeline instead. When the event allows it, "Download all my
 * photos" gets them as one ZIP (or "Download web-size photos" on an event that sells its originals). Shows a
 * notice instead of the box when the event has BIB search switched off.
 *
 * @summary BIB number search with results in a gallery.
 * @element pf-bib-search
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr page-size - photos per API request for the results (default 32)
 * @attr layout - layout of the results gallery: justified (default) or grid
 * @attr timeline-ref - id of a pf-timeline on the page to send people to when nothing is found (default: show one here)
 * @attr no-url - do not read or write ?bib= in the page URL
 * @fires pf-search - a search started: { method: 'bib', query }
 * @fires pf-results - (from the results gallery) a page of results arrived
 * @fires pf-download - "Download all my photos" started a ZIP download, or was refused: { method: 'bib', identifier, count, ok, zipUrl?, kind? }
 * @csspart base - the wrapper
 * @csspart form - the search form
 * @csspart label - the field label
 * @csspart search-input - the BIB field
 * @csspart search-button - the Search button
 * @csspart clear - the "Clear" button
 * @csspart problem - the validation message
 * @csspart summary - the "12 photos of BIB 427" line
 * @csspart empty - the "nothing found" box
 * @csspart download-all - the "Download all my photos" row
 * @csspart download-all-button - its button
 * @csspart download-all-status - its progress and outcome line
 * @csspart cta - the organiser's Call to Action (placement "download")
 * @csspart gallery - the results gallery (a pf-gallery: its own parts are not exported)
 * @csspart unavailable - the notice shown when BIB search is off for the event
 * @csspart error - the error shown when the event could not be loaded
 * @csspart retry - its "Try again" button
 */
export class PfBibSearch extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, bibFieldStyles, bibSearchStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property({ type: Number, attribute: 'page-size' }) pageSize = 32;
  @property() layout: 'justified' | 'grid' = 'justified';
  @property({ attribute: 'timeline-ref' }) timelineRef = '';
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  /** What the user typed (kept as typed, also after an error). */
  @state() private text = '';
  /** Shown after a submit with a bad BIB; updated as the user fixes it. */
  @state() private problem: string | null = null;
  /** The BIB of the results shown, or '' before any search. */
  @state() private bib = '';
  @state() private total: number | null = null;
  @state() private showTimeline = false;
  @state() private loader: PageLoader | null = null;

  @query('input') private input!: HTMLInputElement;

  private readonly event = new EventConsumer(this, () => this.maybeRestore());
  private readonly downloadAll = new DownloadAllController(this);
  private restored = false;
  /** A search restored from the URL keeps the URL's photo (a shared link opens it). */
  private restoring = false;

  /** The BIB of the results shown ('' before any search). */
  get value(): string {
    return this.bib;
  }

  /** Searches for a BIB, as if typed and submitted. */
  search(raw: string): boolean {
    this.text = raw;
    return this.submit();
  }

  /** Clears the search and its results. */
  clear(): void {
    this.text = '';
    this.bib = '';
    this.problem = null;
    this.loader = null;
    this.total = null;
    this.showTimeline = false;
    this.downloadAll.reset();
    if (!this.noUrl) writeParams({ bib: null, photo: null, photo_at: null });
    this.input?.focus();
  }

  private maybeRestore() {
    if (this.restored || this.noUrl || featureState(this.event.value, 'bib_search') !== 'on') {
      this.requestUpdate();
      return;
    }
    this.restored = true;
    const bib = readParam('bib');
    if (bib && !bibProblem(bib)) {
      this.restoring = true;
      this.search(bib);
      this.restoring = false;
    } else this.requestUpdate();
  }

  private problemText(raw: string): string | null {
    return this.t(() =>
      bibProblemText(raw, {
        empty: () => msg('Enter your BIB number.', { id: 'bib.problem-empty' }),
        long: (max) => msg(str`A BIB number has at most ${max} characters.`, { id: 'bib.problem-long' }),
        chars: () => msg('A BIB number has only letters and digits.', { id: 'bib.problem-chars' }),
      }),
    );
  }

  private submit(): boolean {
    const client = this.event.value?.client;
    this.problem = this.problemText(this.text);
    if (this.problem || !client) {
      this.input?.focus();
      return false;
    }
    const bib = this.text.trim();
    // A new search drops the photo of the previous results from the URL; a restored one keeps it.
    if (!this.noUrl) writeParams({ bib, ...(this.restoring ? {} : { photo: null, photo_at: null }) });
    emit(this, 'pf-search', { method: 'bib', query: bib });
    this.bib = bib;
    this.total = null;
    this.showTimeline = false;
    this.downloadAll.reset();
    this.loader = (page, size, signal) => client.bib(bib, page, size, signal);
    return true;
  }

  private onSubmit(e: Event) {
    e.preventDefault();
    this.submit();
  }

  private onInput(e: Event) {
    this.text = (e.target as HTMLInputElement).value;
    if (this.problem) this.problem = this.problemText(this.text);
  }

  private onResults(e: CustomEvent<PfResultsDetail>) {
    this.total = e.detail.total;
  }

  private offerTimeline() {
    const ref = this.timelineRef ? document.getElementById(this.timelineRef) : null;
    if (ref) {
      ref.scrollIntoView({ block: 'start' });
      ref.focus({ preventScroll: true });
      return;
    }
    this.showTimeline = true;
  }

  private summary(): string {
    if (!this.bib) return '';
    if (this.total === null) return msg(str`Searching for BIB ${this.bib}…`, { id: 'bib.searching' });
    if (this.total === 0) return msg(str`No photos of BIB ${this.bib} yet.`, { id: 'bib.none' });
    const n = formatNumber(this.total, this.formatTag);
    return plural(this.formatTag, this.total, {
      one: () => msg(str`${n} photo of BIB ${this.bib}`, { id: 'bib.found-one' }),
      other: () => msg(str`${n} photos of BIB ${this.bib}`, { id: 'bib.found' }),
    });
  }

  private renderEmpty() {
    const d = this.event.value?.details;
    const timelineOn = d?.timeline_search && d.show_all_images !== false;
    return html`<div class="empty notice" part="empty">
      <p>
        ${msg('Check the number on your bib. Photos are still being tagged after the race, so try again later too.', {
          id: 'bib.none-help',
        })}
      </p>
      ${
        timelineOn && !this.showTimeline
          ? html`<button class="btn" part="browse-timeline" @click=${this.offerTimeline}>
              ${icons.clock}${msg('Browse the photos by time instead', { id: 'bib.try-timeline' })}
            </button>`
          : nothing
      }
      ${this.showTimeline ? html`<pf-timeline event-ref=${this.eventRef || nothing}></pf-timeline>` : nothing}
    </div>`;
  }

  override render() {
    const state = featureState(this.event.value, 'bib_search');
    if (state !== 'on') {
      return html`<div class="root" part="base">
        ${featureNotice(this.event.value, state, msg('Search by BIB number is not available for this event.', { id: 'bib.off' }))}
      </div>`;
    }
    return html`<div class="root" part="base">
      ${bibField({
        ids: { input: 'bib', problem: 'bib-problem', hint: 'bib-hint' },
        value: this.text,
        problem: this.problem,
        formLabel: msg('Search photos by BIB number', { id: 'bib.form' }),
        role: 'search',
        label: msg('Your BIB number', { id: 'bib.label' }),
        hint: msg('The number printed on your race bib, e.g. 427.', { id: 'bib.hint' }),
        submit: msg('Search', { id: 'bib.submit' }),
        onSubmit: (e) => this.onSubmit(e),
        onInput: (e) => this.onInput(e),
        clear: this.bib ? { label: msg('Clear the search', { id: 'bib.clear' }), onClick: () => this.clear() } : null,
      })}
      <p class="summary" part="summary" role="status">${this.summary()}</p>
      ${this.downloadAll.render(
        this.event.value,
        this.bib ? { request: { bib: this.bib }, method: 'bib', identifier: this.bib } : null,
        this.total,
        this.formatTag,
      )}
      ${this.bib && this.total ? renderCta(this.event.value, 'download', { bib: this.bib }) : nothing}
      ${
        this.loader
          ? html`<pf-gallery
              part="gallery"
              .loader=${this.loader}
              method="bib"
              query=${this.bib}
              page-size=${this.pageSize}
              layout=${this.layout}
              event-ref=${this.eventRef || nothing}
              ?no-url=${this.noUrl}
              label=${msg(str`Photos of BIB ${this.bib}`, { id: 'bib.gallery-label' })}
              ?hidden=${this.total === 0}
              @pf-results=${this.onResults}
            ></pf-gallery>`
          : nothing
      }
      ${this.total === 0 ? this.renderEmpty() : nothing}
    </div>`;
  }
}

defineElement('pf-bib-search', PfBibSearch);

declare global {
  interface HTMLElementTagNameMap {
    'pf-bib-search': PfBibSearch;
  }
}
