import { html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FeatureFlag, NameRunner } from '../../core/api/models.ts';
import { ApiRequestError } from '../api/client.ts';
import '../api/endpoints.ts';
import type { PfResultsDetail } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import '../pf-bib-search/pf-bib-search.ts';
import '../pf-gallery/pf-gallery.ts';
import type { PageLoader } from '../pf-gallery/pf-gallery.ts';
import { renderCta } from '../shared/cta.ts';
import { defineElement, emit } from '../shared/define.ts';
import { DownloadAllController } from '../shared/download-all.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { featureNotice, featureState } from '../shared/feature-notice.ts';
import { formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, writeParams } from '../shared/url-state.ts';
import { finderStyles } from './pf-finder.styles.ts';

export type FinderTab = 'bib' | 'name' | 'selfie';
const ALL_TABS: readonly FinderTab[] = ['bib', 'name', 'selfie'];
const FLAG: Record<FinderTab, FeatureFlag> = { bib: 'bib_search', name: 'name_search', selfie: 'selfie_search' };

/** Letters before the name search asks the server. */
const MIN_NAME = 2;
/** Pause in typing before the name search asks (a keystroke does not cost a request). */
const TYPE_AHEAD_MS = 250;

/**
 * One search box for participants: BIB number, name and selfie as tabs of one compact element (the WAI-ARIA tabs
 * pattern: arrow keys, Home and End move between tabs). Only the searches the event has switched on get a tab;
 * with one, it shows that search alone. The BIB tab is a pf-bib-search; the selfie tab a pf-selfie-search
 * (its code loads when the tab is first opened). The name tab searches as you type (accents and case do not
 * matter, part of a name is enough); a name shared by several runners is shown as a choice, and the chosen
 * runner's photos come through their BIB. A BIB found here drives a pf-certificate on the page, the organiser's
 * Call to Action and "Download all my photos", as a BIB search does.
 *
 * @summary BIB, name and selfie search in one element, as tabs.
 * @element pf-finder
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr tabs - which searches to offer, in order, among those the event has on (default "bib name selfie")
 * @attr page-size - photos per API request for the results (default 32)
 * @attr layout - layout of the results galleries: justified (default) or grid
 * @attr privacy - the selfie search's privacy mode: "crop" (default) or "vector" (see pf-selfie-search)
 * @attr no-url - do not read or write the search in the page URL
 * @fires pf-search - a search started: { method: 'bib' | 'selfie' | 'name', query } (choosing a runner by name is a BIB search)
 * @fires pf-results - (from the results galleries) a page of results arrived
 * @fires pf-download - "Download all my photos" started a ZIP download, or was refused
 * @csspart base - the wrapper
 * @csspart tabs - the tab list
 * @csspart tab - each tab
 * @csspart panel - each tab panel
 * @csspart bib-search - the BIB search (a pf-bib-search)
 * @csspart selfie-search - the selfie search (a pf-selfie-search)
 * @csspart name-form - the name search form
 * @csspart name-input - the name field
 * @csspart name-status - "3 runners found" and other news of the name search (a live region)
 * @csspart runners - the list of matching runners
 * @csspart runner - each runner's button
 * @csspart summary - the "12 photos of Jane Doe (BIB 427)" line
 * @csspart download-all - the "Download all my photos" row of a runner's photos
 * @csspart download-all-button - its button
 * @csspart download-all-status - its progress and outcome line
 * @csspart cta - the organiser's Call to Action (placement "download")
 * @csspart gallery - the chosen runner's photos (a pf-gallery)
 * @csspart unavailable - the notice when the event has none of these searches
 * @csspart error - an error message
 * @csspart retry - its "Try again" button
 */
export class PfFinder extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, finderStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property() tabs = 'bib name selfie';
  @property({ type: Number, attribute: 'page-size' }) pageSize = 32;
  @property() layout: 'justified' | 'grid' = 'justified';
  @property() privacy: 'crop' | 'vector' = 'crop';
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  /** The tab shown ('' until the event's details are known). */
  @state() private selected: FinderTab | '' = '';
  /** The selfie tab's code has loaded. */
  @state() private selfieReady = false;

  // Name search.
  @state() private nameText = '';
  @state() private runners: NameRunner[] | null = null;
  @state() private nameBusy = false;
  @state() private nameError: { message: string; status: number } | null = null;
  @state() private runner: NameRunner | null = null;
  @state() private runnerTotal: number | null = null;
  @state() private runnerLoader: PageLoader | null = null;

  private readonly event = new EventConsumer(this, () => this.pickInitialTab());
  private readonly downloadAll = new DownloadAllController(this);
  private nameTimer: ReturnType<typeof setTimeout> | null = null;
  private nameAbort: AbortController | null = null;

  /** The tab shown. */
  get tab(): FinderTab | '' {
    return this.selected;
  }

  /** The searches offered: the `tabs` attribute's, in its order, those the event has on. */
  get available(): FinderTab[] {
    const d = this.event.value?.details;
    if (!d) return [];
    const wanted = this.tabs
      .split(/[\s,]+/)
      .map((t) => t.trim().toLowerCase())
      .filter((t): t is FinderTab => (ALL_TABS as readonly string[]).includes(t));
    return [...new Set(wanted)].filter((t) => d[FLAG[t]]);
  }

  /** Shows a tab (one the event offers); returns false otherwise. */
  show(tab: FinderTab): boolean {
    if (!this.available.includes(tab)) return false;
    this.selected = tab;
    if (tab === 'selfie') void this.loadSelfie();
    return true;
  }

  /** Searches runners by name, as if typed (the list of matches shows; one is chosen with `choose`). */
  async searchName(q: string): Promise<NameRunner[]> {
    this.show('name');
    this.nameText = q;
    return this.lookupNames(q);
  }

  /** Shows the photos of a runner found by name (through their BIB). */
  choose(runner: NameRunner): void {
    const client = this.event.value?.client;
    if (!client) return;
    const bib = runner.bib;
    this.runner = runner;
    this.runnerTotal = null;
    this.downloadAll.reset();
    this.runnerLoader = (page, size, signal) => client.bib(bib, page, size, signal);
    if (!this.noUrl) writeParams({ bib, photo: null, photo_at: null });
    emit(this, 'pf-search', { method: 'bib', query: bib });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tabs')) this.pickInitialTab();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.nameAbort?.abort();
    if (this.nameTimer) clearTimeout(this.nameTimer);
  }

  /** Once the details are known: the tab a shared link asks for (`?selfie=`, `?bib=`), else the first. */
  private pickInitialTab() {
    const tabs = this.available;
    if (!tabs.length) {
      this.selected = '';
      return;
    }
    if (this.selected && tabs.includes(this.selected)) return;
    let tab = tabs[0]!;
    if (!this.noUrl && readParam('selfie') && tabs.includes('selfie')) tab = 'selfie';
    else if (!this.noUrl && readParam('bib') && tabs.includes('bib')) tab = 'bib';
    this.show(tab);
  }

  private async loadSelfie() {
    if (this.selfieReady) return;
    // The selfie search (and its consent text, its worker client) is only fetched when its tab is opened.
    await import('../pf-selfie-search/pf-selfie-search.ts');
    this.selfieReady = true;
  }

  // ── tabs (WAI-ARIA tabs pattern, automatic activation) ───────────────────────────────────────────────────

  private label(tab: FinderTab): string {
    switch (tab) {
      case 'bib':
        return msg('BIB number', { id: 'finder.tab-bib' });
      case 'name':
        return msg('Name', { id: 'finder.tab-name' });
      case 'selfie':
        return msg('Selfie', { id: 'finder.tab-selfie' });
    }
  }

  private onTabKey(e: KeyboardEvent) {
    const tabs = this.available;
    const i = tabs.indexOf(this.selected as FinderTab);
    let next: FinderTab | undefined;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    else return;
    e.preventDefault();
    if (!next) return;
    this.show(next);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  // ── name search ───────────────────────────────────────────────────────────────────────────────────────

  private onNameInput(e: Event) {
    this.nameText = (e.target as HTMLInputElement).value;
    if (this.nameTimer) clearTimeout(this.nameTimer);
    const q = this.nameText.trim();
    if (q.length < MIN_NAME) {
      this.nameAbort?.abort();
      this.runners = null;
      this.nameBusy = false;
      this.nameError = null;
      return;
    }
    this.nameTimer = setTimeout(() => void this.lookupNames(q), TYPE_AHEAD_MS);
  }

  private async onNameSubmit(e: Event) {
    e.preventDefault();
    if (this.nameTimer) clearTimeout(this.nameTimer);
    const q = this.nameText.trim();
    if (q.length < MIN_NAME) {
      this.nameError = {
        message: this.t(() => msg('Type at least two letters of your name.', { id: 'finder.name-short' })),
        status: 0,
      };
      return;
    }
    const runners = await this.lookupNames(q);
    // One runner of that name: their photos at once. Several: the list is the choice.
    if (runners.length === 1) this.choose(runners[0]!);
    else if (runners.length > 1) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part~=runner]')?.focus();
    }
  }

  private async lookupNames(q: string): Promise<NameRunner[]> {
    const client = this.event.value?.client;
    if (!client) return [];
    this.nameAbort?.abort();
    const abort = (this.nameAbort = new AbortController());
    this.nameBusy = true;
    this.nameError = null;
    try {
      const { runners } = await client.names(q, abort.signal);
      if (abort.signal.aborted) return [];
      this.runners = runners;
      emit(this, 'pf-search', { method: 'name', query: q });
      return runners;
    } catch (e) {
      if (abort.signal.aborted || (e as Error).name === 'AbortError') return [];
      const status = e instanceof ApiRequestError ? e.status : 0;
      this.nameError = { message: (e as Error).message, status };
      this.runners = null;
      emit(this, 'pf-error', { source: 'pf-finder', message: (e as Error).message, status });
      return [];
    } finally {
      if (!abort.signal.aborted) this.nameBusy = false;
    }
  }

  private onNameKey(e: KeyboardEvent) {
    // Down arrow from the field: into the list of runners.
    if (e.key !== 'ArrowDown' || !this.runners?.length) return;
    e.preventDefault();
    this.renderRoot.querySelector<HTMLButtonElement>('[part~=runner]')?.focus();
  }

  private onRunnerKey(e: KeyboardEvent) {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[part~=runner]')];
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = buttons[Math.min(buttons.length - 1, i + 1)];
    else if (e.key === 'ArrowUp')
      next = i === 0 ? (this.renderRoot.querySelector<HTMLElement>('#name') ?? undefined) : buttons[i - 1];
    else if (e.key === 'Home') next = buttons[0];
    else if (e.key === 'End') next = buttons[buttons.length - 1];
    else return;
    e.preventDefault();
    next?.focus();
  }

  private nameStatus(): string {
    if (this.nameBusy) return msg('Looking for runners…', { id: 'finder.name-searching' });
    if (this.nameError) return '';
    if (!this.runners) return '';
    const q = this.nameText.trim();
    if (!this.runners.length)
      return msg(str`No runner named “${q}”. Check the spelling, or search by BIB number.`, { id: 'finder.name-none' });
    const n = formatNumber(this.runners.length, this.formatTag);
    return plural(this.formatTag, this.runners.length, {
      one: () => msg(str`${n} runner found`, { id: 'finder.name-found-one' }),
      other: () => msg(str`${n} runners found: choose yours`, { id: 'finder.name-found' }),
    });
  }

  private runnerSummary(r: NameRunner): string {
    if (this.runnerTotal === null) return msg(str`Looking for the photos of ${r.name}…`, { id: 'finder.runner-searching' });
    if (this.runnerTotal === 0) return msg(str`No photos of ${r.name} (BIB ${r.bib}) yet.`, { id: 'finder.runner-none' });
    const n = formatNumber(this.runnerTotal, this.formatTag);
    return plural(this.formatTag, this.runnerTotal, {
      one: () => msg(str`${n} photo of ${r.name} (BIB ${r.bib})`, { id: 'finder.runner-found-one' }),
      other: () => msg(str`${n} photos of ${r.name} (BIB ${r.bib})`, { id: 'finder.runner-found' }),
    });
  }

  private renderName() {
    const status = this.nameStatus();
    const runner = this.runner;
    return html`<form
        class="name-form"
        part="name-form"
        role="search"
        aria-label=${msg('Search photos by name', { id: 'finder.name-form' })}
        novalidate
        @submit=${this.onNameSubmit}
      >
        <label for="name">${msg('Your name', { id: 'finder.name-label' })}</label>
        <div class="row">
          <input
            id="name"
            class="text-input"
            part="name-input"
            type="search"
            autocomplete="name"
            spellcheck="false"
            enterkeyhint="search"
            maxlength="100"
            .value=${this.nameText}
            aria-describedby="name-hint name-status"
            aria-controls=${this.runners?.length ? 'runners' : nothing}
            @input=${this.onNameInput}
            @keydown=${this.onNameKey}
          />
          <button class="btn primary" type="submit">${icons.search}${msg('Search', { id: 'finder.name-submit' })}</button>
        </div>
        <p id="name-hint" class="hint muted">
          ${msg('First name, last name or both, as on the results.', { id: 'finder.name-hint' })}
        </p>
      </form>
      <p id="name-status" class="status" part="name-status" role="status">${status}</p>
      ${
        this.nameError
          ? html`<div class="notice" part="error" role="alert">
              <p class="error">${errorMessage(this.nameError.status, this.nameError.message)}</p>
              ${
                this.nameError.status !== 403
                  ? html`<button class="btn" part="retry" @click=${() => void this.lookupNames(this.nameText.trim())}>
                      ${msg('Try again', { id: 'common.retry' })}
                    </button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      ${
        this.runners?.length
          ? html`<ul id="runners" class="runners" part="runners" aria-label=${msg('Runners found', { id: 'finder.runners' })}>
              ${this.runners.map(
                (r) =>
                  html`<li>
                    <button
                      class="btn runner"
                      part="runner"
                      aria-pressed=${runner?.bib === r.bib ? 'true' : 'false'}
                      @click=${() => this.choose(r)}
                      @keydown=${this.onRunnerKey}
                    >
                      <span class="runner-name">${r.name}</span>
                      <span class="muted">${msg(str`BIB ${r.bib}`, { id: 'finder.runner-bib' })}</span>
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        runner && this.runnerLoader
          ? html`<p class="summary" part="summary" role="status">${this.runnerSummary(runner)}</p>
              ${this.downloadAll.render(
                this.event.value,
                { request: { bib: runner.bib }, method: 'bib', identifier: runner.bib },
                this.runnerTotal,
                this.formatTag,
              )}
              ${this.runnerTotal ? renderCta(this.event.value, 'download', { bib: runner.bib }) : nothing}
              <pf-gallery
                part="gallery"
                .loader=${this.runnerLoader}
                method="bib"
                query=${runner.bib}
                page-size=${this.pageSize}
                layout=${this.layout}
                event-ref=${this.eventRef || nothing}
                ?no-url=${this.noUrl}
                label=${msg(str`Photos of ${runner.name}`, { id: 'finder.gallery-label' })}
                ?hidden=${this.runnerTotal === 0}
                @pf-results=${(e: CustomEvent<PfResultsDetail>) => (this.runnerTotal = e.detail.total)}
              ></pf-gallery>`
          : nothing
      }`;
  }

  // ── render ─────────────────────────────────────────────────────────────────────────────────────────────

  private renderPanel(tab: FinderTab, tabbed: boolean) {
    const hidden = this.selected !== tab;
    let body;
    if (tab === 'bib') {
      body = html`<pf-bib-search
        part="bib-search"
        event-ref=${this.eventRef || nothing}
        page-size=${this.pageSize}
        layout=${this.layout}
        ?no-url=${this.noUrl}
      ></pf-bib-search>`;
    } else if (tab === 'selfie') {
      body = this.selfieReady
        ? html`<pf-selfie-search
            part="selfie-search"
            event-ref=${this.eventRef || nothing}
            page-size=${this.pageSize}
            layout=${this.layout}
            privacy=${this.privacy}
            ?no-url=${this.noUrl}
          ></pf-selfie-search>`
        : html`<p class="muted" part="status">${msg('Loading…', { id: 'common.loading' })}</p>`;
    } else body = this.renderName();
    return tabbed
      ? html`<div
          id="panel-${tab}"
          class="panel"
          part="panel"
          role="tabpanel"
          aria-labelledby="tab-${tab}"
          tabindex="0"
          ?hidden=${hidden}
        >
          ${body}
        </div>`
      : html`<div class="panel" part="panel" ?hidden=${hidden}>${body}</div>`;
  }

  override render() {
    const value = this.event.value;
    if (!value?.details) {
      const state = featureState(value, 'bib_search');
      return html`<div class="root" part="base">
        ${featureNotice(value, state === 'on' || state === 'off' ? 'loading' : state, '')}
      </div>`;
    }
    const tabs = this.available;
    if (!tabs.length) {
      return html`<div class="root" part="base">
        <p class="notice" part="unavailable">
          ${msg('Searching for photos is not available for this event.', { id: 'finder.off' })}
        </p>
      </div>`;
    }
    const tabbed = tabs.length > 1;
    return html`<div class="root" part="base">
      ${
        tabbed
          ? html`<div
              class="tabs"
              part="tabs"
              role="tablist"
              aria-label=${msg('Find your photos by', { id: 'finder.tabs' })}
              @keydown=${this.onTabKey}
            >
              ${tabs.map(
                (t) =>
                  html`<button
                    id="tab-${t}"
                    class="tab"
                    part="tab"
                    role="tab"
                    type="button"
                    aria-selected=${this.selected === t ? 'true' : 'false'}
                    aria-controls="panel-${t}"
                    tabindex=${this.selected === t ? 0 : -1}
                    @click=${() => this.show(t)}
                  >
                    ${this.label(t)}
                  </button>`,
              )}
            </div>`
          : nothing
      }
      ${tabs.map((t) => this.renderPanel(t, tabbed))}
    </div>`;
  }
}

defineElement('pf-finder', PfFinder);

declare global {
  interface HTMLElementTagNameMap {
    'pf-finder': PfFinder;
  }
}
