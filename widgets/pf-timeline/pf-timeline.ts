import { html, nothing, type CSSResultGroup } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { zoneOffsetMinutes } from '../../core/time.ts';
import type { PfResultsDetail } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import '../pf-gallery/pf-gallery.ts';
import type { PageLoader } from '../pf-gallery/pf-gallery.ts';
import { ApiRequestError } from '../api/client.ts';
import '../api/endpoints.ts';
import { cssomStyle } from '../shared/cssom-style.ts';
import { defineElement, emit } from '../shared/define.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { featureNotice, featureState } from '../shared/feature-notice.ts';
import { formatDate, formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, writeParams } from '../shared/url-state.ts';
import { timelineStyles } from './pf-timeline.styles.ts';

/** One UTC hour of the API's timeline, placed on the event's local calendar. */
interface Bucket {
  /** Start, Unix seconds (UTC hour boundary). */
  from: number;
  count: number;
  /** Local date in the event's zone, YYYY-MM-DD. */
  day: string;
}

const HOUR = 3600;

/** "2026-11-22T08:00Z": the URL form of a bucket (UTC, readable). */
const toParam = (from: number) => new Date(from * 1000).toISOString().slice(0, 16) + 'Z';
const fromParam = (v: string | null) => {
  const t = v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
};

/**
 * Browse photos by when they were taken: the event's photos per hour drawn as a bar chart (a toolbar of
 * buttons: arrow keys move, Enter shows that hour; each bar's name reads its time and count), one row of
 * day buttons when the event spans days, and the chosen hour's photos in a pf-gallery with "Earlier" and
 * "Later". Times are shown in the event's time zone and the viewer's locale. The chosen hour is kept in the
 * page URL (`?time=…`). Days carry their year when the event spans years; photos without a capture time are
 * counted under the chart. Shows a notice when the event has the timeline switched off, or shows its photos only
 * through a search.
 *
 * @summary Photos per hour as an accessible bar chart; pick an hour to see its photos.
 * @element pf-timeline
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr page-size - photos per API request for the hour's gallery (default 32)
 * @attr layout - layout of the hour's gallery: justified (default) or grid
 * @attr no-url - do not read or write ?time= in the page URL
 * @fires pf-search - an hour was chosen: { method: 'timeline', query, from, to }
 * @fires pf-results - (from the hour's gallery) a page of photos arrived
 * @fires pf-error - the timeline could not be loaded
 * @csspart base - the wrapper
 * @csspart days - the row of day buttons
 * @csspart day - each day button
 * @csspart chart - the bar chart
 * @csspart bar - each hour's button
 * @csspart bar-fill - the coloured bar inside it
 * @csspart zone - the time zone note
 * @csspart undated - how many photos have no capture time
 * @csspart window - the chosen hour's heading line
 * @csspart earlier - the "Earlier" button
 * @csspart later - the "Later" button
 * @csspart gallery - the hour's pf-gallery
 * @csspart unavailable - the notice shown when the timeline is off for the event
 * @csspart error - an error message
 * @csspart retry - its "Try again" button
 * @cssprop --pf-timeline-bar - colour of the bars (default: the accent colour)
 * @cssprop --pf-timeline-height - height of the chart (default 8em)
 */
export class PfTimeline extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, timelineStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property({ type: Number, attribute: 'page-size' }) pageSize = 32;
  @property() layout: 'justified' | 'grid' = 'justified';
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  @state() private buckets: Bucket[] | null = null;
  @state() private error: { message: string; status: number } | null = null;
  @state() private day = '';
  /** Bucket under keyboard focus (roving tabindex), by `from`. */
  @state() private focusFrom = 0;
  /** The chosen hour, by `from`, or 0. */
  @state() private selected = 0;
  @state() private loader: PageLoader | null = null;
  @state() private windowTotal: number | null = null;
  /** Photos with no capture time (in no hour). */
  @state() private undated = 0;

  private client: unknown = null;
  private abort: AbortController | null = null;
  private readonly event = new EventConsumer(this, () => this.maybeLoad());

  /** Shows the photos of the hour starting at `from` (Unix seconds, a UTC hour boundary). */
  choose(from: number, focus = false, restoring = false): void {
    const b = this.buckets?.find((x) => x.from === from);
    const client = this.event.value?.client;
    if (!b || !client) return;
    this.day = b.day;
    this.focusFrom = from;
    this.selected = from;
    this.windowTotal = null;
    const to = from + HOUR;
    this.loader = (page, size, signal) => client.timelineImages(from, to, page, size, signal);
    if (!this.noUrl) writeParams({ time: toParam(from), ...(restoring ? {} : { photo: null, photo_at: null }) });
    emit(this, 'pf-search', { method: 'timeline', query: `${from}/${to}`, from, to });
    if (focus) void this.focusBar(from);
  }

  /** Focuses the chart (the bar in the tab order), or the element's first control. */
  override focus(options?: FocusOptions): void {
    const el = this.renderRoot.querySelector<HTMLElement>('.bar[tabindex="0"], button, [tabindex="0"]');
    if (el) el.focus(options);
    else super.focus(options);
  }

  private tz(): string | undefined {
    return this.event.value?.details?.time_zone;
  }

  private maybeLoad() {
    const v = this.event.value;
    if (featureState(v, 'timeline_search') !== 'on' || !v || v.client === this.client || this.searchOnly()) {
      this.requestUpdate();
      return;
    }
    this.client = v.client;
    void this.load();
  }

  private async load() {
    const client = this.event.value?.client;
    if (!client) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.error = null;
    this.buckets = null;
    try {
      const { days, undated } = await client.timelineDays(abort.signal);
      if (abort.signal.aborted) return;
      this.undated = undated ?? 0;
      const tz = this.tz();
      const buckets: Bucket[] = [];
      for (const d of days) {
        const [y, m, day] = d.date.split('-').map(Number) as [number, number, number];
        for (const h of d.hours) {
          const from = Date.UTC(y, m - 1, day, h.hour) / 1000;
          buckets.push({
            from,
            count: h.count,
            day: formatDate(from * 1000, 'en-CA', tz, { year: 'numeric', month: '2-digit', day: '2-digit' }),
          });
        }
      }
      buckets.sort((a, b) => a.from - b.from);
      this.buckets = buckets;
      const first = buckets.find((b) => b.count > 0);
      this.day = first?.day ?? '';
      this.focusFrom = first?.from ?? 0;
      const wanted = this.noUrl ? null : fromParam(readParam('time'));
      if (wanted !== null && buckets.some((b) => b.from === wanted && b.count > 0)) this.choose(wanted, false, true);
    } catch (e) {
      if (abort.signal.aborted) return;
      const status = e instanceof ApiRequestError ? e.status : 0;
      this.error = { message: (e as Error).message, status };
      emit(this, 'pf-error', { source: 'pf-timeline', message: this.error.message, status });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.client = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.maybeLoad();
  }

  /** The hours of the chosen day, from its first to its last photo, gaps filled with empty hours. */
  private dayBuckets(): Bucket[] {
    const list = (this.buckets ?? []).filter((b) => b.day === this.day);
    if (!list.length) return [];
    const out: Bucket[] = [];
    const byFrom = new Map(list.map((b) => [b.from, b]));
    for (let t = list[0]!.from; t <= list[list.length - 1]!.from; t += HOUR) {
      out.push(byFrom.get(t) ?? { from: t, count: 0, day: this.day });
    }
    return out;
  }

  private nonEmpty(): Bucket[] {
    return (this.buckets ?? []).filter((b) => b.count > 0);
  }

  private async focusBar(from: number) {
    this.focusFrom = from;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`.bar[data-from="${from}"]`)?.focus();
  }

  private onChartKey(e: KeyboardEvent) {
    const bars = this.dayBuckets().filter((b) => b.count > 0);
    const i = bars.findIndex((b) => b.from === this.focusFrom);
    let next: Bucket | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = bars[Math.min(bars.length - 1, i + 1)];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = bars[Math.max(0, i - 1)];
    else if (e.key === 'Home') next = bars[0];
    else if (e.key === 'End') next = bars[bars.length - 1];
    else return;
    e.preventDefault();
    if (next) void this.focusBar(next.from);
  }

  private step(dir: -1 | 1) {
    const list = this.nonEmpty();
    const i = list.findIndex((b) => b.from === this.selected);
    const next = list[i + dir];
    if (next) this.choose(next.from);
  }

  /** "8 AM" / "08 h" on the hour; with minutes in zones whose offset is not whole hours ("10:30"). */
  private time(from: number): string {
    const tz = this.tz();
    let onTheHour = true;
    try {
      onTheHour = !tz || zoneOffsetMinutes(tz, from * 1000) % 60 === 0;
    } catch {
      /* unknown zone: formatDate falls back to the viewer's zone */
    }
    return formatDate(from * 1000, this.formatTag, tz, onTheHour ? { hour: 'numeric' } : { hour: 'numeric', minute: '2-digit' });
  }

  /** The event spans more than one calendar year (then days carry their year). */
  private spansYears(): boolean {
    const b = this.buckets;
    return !!b?.length && b[0]!.day.slice(0, 4) !== b[b.length - 1]!.day.slice(0, 4);
  }

  private dayLabel(from: number): string {
    return formatDate(from * 1000, this.formatTag, this.tz(), {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      ...(this.spansYears() ? { year: 'numeric' } : {}),
    });
  }

  /** A search-only event (the organiser switched "show all images" off): no browsing by time. */
  private searchOnly(): boolean {
    return this.event.value?.details?.show_all_images === false;
  }

  private undatedNote() {
    if (!this.undated) return nothing;
    const n = formatNumber(this.undated, this.formatTag);
    return html`<p class="muted" part="undated">
      ${plural(this.formatTag, this.undated, {
        one: () => msg(str`${n} photo has no capture time, so it is not in the timeline.`, { id: 'timeline.undated-one' }),
        other: () => msg(str`${n} photos have no capture time, so they are not in the timeline.`, { id: 'timeline.undated' }),
      })}
    </p>`;
  }

  private photos(n: number): string {
    const s = formatNumber(n, this.formatTag);
    return plural(this.formatTag, n, {
      one: () => msg(str`${s} photo`, { id: 'gallery.count-one' }),
      other: () => msg(str`${s} photos`, { id: 'gallery.count' }),
    });
  }

  private zoneNote() {
    const tz = this.tz();
    if (!tz) return nothing;
    const viewer = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (viewer === tz) return nothing;
    const first = this.buckets?.[0]?.from ?? Date.now() / 1000;
    let name = tz;
    try {
      name =
        new Intl.DateTimeFormat(this.formatTag, { timeZone: tz, timeZoneName: 'long' })
          .formatToParts(first * 1000)
          .find((p) => p.type === 'timeZoneName')?.value ?? tz;
    } catch {
      /* unknown zone: show its id */
    }
    return html`<p class="zone muted" part="zone">
      ${msg(str`Times are the event's local time (${name}).`, { id: 'timeline.zone' })}
    </p>`;
  }

  private renderChart() {
    const bars = this.dayBuckets();
    const max = Math.max(1, ...bars.map((b) => b.count));
    const days = [...new Set((this.buckets ?? []).map((b) => b.day))];
    const firstOfDay = bars[0]?.from ?? 0;
    return html`
      ${
        days.length > 1
          ? html`<div class="days" part="days" role="group" aria-label=${msg('Days', { id: 'timeline.days' })}>
              ${days.map((d) => {
                const first = this.buckets!.find((b) => b.day === d)!;
                return html`<button
                  class="btn day"
                  part="day"
                  aria-pressed=${d === this.day ? 'true' : 'false'}
                  @click=${() => {
                    this.day = d;
                    this.focusFrom = this.dayBuckets().find((b) => b.count > 0)?.from ?? 0;
                  }}
                >
                  ${this.dayLabel(first.from)}
                </button>`;
              })}
            </div>`
          : nothing
      }
      <div
        class="chart"
        part="chart"
        role="toolbar"
        aria-label=${msg(str`Photos per hour, ${this.dayLabel(firstOfDay)}`, { id: 'timeline.chart' })}
        @keydown=${this.onChartKey}
      >
        ${repeat(
          bars,
          (b) => b.from,
          (b) => {
            const label = msg(str`${this.time(b.from)} to ${this.time(b.from + HOUR)}: ${this.photos(b.count)}`, {
              id: 'timeline.bar',
            });
            // The button (transparent, over the whole column) carries the name; the visible count and hour
            // beside it are hidden from assistive technology, so the name is the one full sentence.
            return html`<div class="col ${b.count ? '' : 'empty'} ${b.from === this.selected ? 'on' : ''}">
              <span class="count" aria-hidden="true">${b.count ? formatNumber(b.count, this.formatTag) : ''}</span>
              <span class="track" aria-hidden="true"
                ><span class="fill" part="bar-fill" ${cssomStyle({ height: `${(b.count / max) * 100}%` })}></span
              ></span>
              <span class="hour" aria-hidden="true">${this.time(b.from)}</span>
              <button
                class="bar"
                part="bar"
                data-from=${b.from}
                ?disabled=${b.count === 0}
                tabindex=${b.from === this.focusFrom ? 0 : -1}
                aria-pressed=${b.from === this.selected ? 'true' : 'false'}
                aria-label=${label}
                title=${label}
                @click=${() => this.choose(b.from)}
                @focus=${() => (this.focusFrom = b.from)}
              ></button>
            </div>`;
          },
        )}
      </div>
      ${this.zoneNote()} ${this.undatedNote()}
    `;
  }

  private renderWindow() {
    if (!this.selected || !this.loader) return nothing;
    const list = this.nonEmpty();
    const i = list.findIndex((b) => b.from === this.selected);
    const count = this.windowTotal ?? list[i]?.count ?? 0;
    return html`<div class="window" part="window">
        <p role="status">
          ${msg(
            str`${this.dayLabel(this.selected)}, ${this.time(this.selected)} to ${this.time(this.selected + HOUR)}: ${this.photos(count)}`,
            { id: 'timeline.window' },
          )}
        </p>
        <button class="btn" part="earlier" ?disabled=${i <= 0} @click=${() => this.step(-1)}>
          ${icons.prev}${msg('Earlier', { id: 'timeline.earlier' })}
        </button>
        <button class="btn" part="later" ?disabled=${i < 0 || i >= list.length - 1} @click=${() => this.step(1)}>
          ${msg('Later', { id: 'timeline.later' })}${icons.next}
        </button>
      </div>
      <pf-gallery
        part="gallery"
        .loader=${this.loader}
        method="timeline"
        query=${`${this.selected}/${this.selected + HOUR}`}
        page-size=${this.pageSize}
        layout=${this.layout}
        event-ref=${this.eventRef || nothing}
        ?no-url=${this.noUrl}
        label=${msg(str`Photos taken ${this.time(this.selected)} to ${this.time(this.selected + HOUR)}`, { id: 'timeline.gallery-label' })}
        @pf-results=${(e: CustomEvent<PfResultsDetail>) => (this.windowTotal = e.detail.total)}
      ></pf-gallery>`;
  }

  override render() {
    const state = featureState(this.event.value, 'timeline_search');
    if (state === 'on' && this.searchOnly()) {
      return html`<div class="root" part="base">
        <p class="notice" part="unavailable">
          ${msg('This event shows its photos only through a search: search by BIB number, name or selfie.', {
            id: 'timeline.search-only',
          })}
        </p>
      </div>`;
    }
    if (state !== 'on') {
      return html`<div class="root" part="base">
        ${featureNotice(this.event.value, state, msg('Browsing photos by time is not available for this event.', { id: 'timeline.off' }))}
      </div>`;
    }
    let body;
    if (this.error) {
      body = html`<div class="notice" part="error" role="alert">
        <p class="error">${errorMessage(this.error.status, this.error.message)}</p>
        <button class="btn" part="retry" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
      </div>`;
    } else if (!this.buckets)
      body = html`<p class="muted" part="status">${msg('Loading the timeline…', { id: 'timeline.loading' })}</p>`;
    else if (!this.buckets.length)
      body = html`<p class="notice" part="empty">${msg('No photos with a capture time yet.', { id: 'timeline.empty' })}</p>
        ${this.undatedNote()}`;
    else body = html`${this.renderChart()}${this.renderWindow()}`;
    return html`<div class="root" part="base">${body}</div>`;
  }
}

defineElement('pf-timeline', PfTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'pf-timeline': PfTimeline;
  }
}
