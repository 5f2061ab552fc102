import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminEvent, AdminEventList } from '../../core/api/admin.ts';
import { msg, str } from '../i18n/index.ts';
import { href } from '../router.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { formatEventDate, formatNumber } from '../shared/format.ts';
import { processingState, type ProcessingReport } from '../shared/processing.ts';

const PAGE_SIZE = 24;

/**
 * The organisation's events: cover, date, photo count and processing state of each, by page, and "New event".
 *
 * @element pfc-events
 */
@customElement('pfc-events')
export class PfcEvents extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      ul.events {
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
        display: grid;
        gap: 1rem;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
      }
      li.card {
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
        padding: 0;
        overflow: hidden;
      }
      .cover {
        aspect-ratio: 3 / 2;
        width: 100%;
        object-fit: cover;
        background: var(--pf-color-placeholder, #e4e4e7);
        display: block;
      }
      .body {
        padding: 0 1rem 1rem;
      }
      .body a {
        font-weight: 700;
        font-size: 1.05rem;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.1rem 0.75rem;
        margin: 0.5rem 0 0;
      }
      dt {
        color: var(--pf-color-text-muted, #555);
      }
      dd {
        margin: 0;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: 1rem;
      }
      .head h1 {
        margin: 0;
      }
    `,
  ];

  @property({ type: Number }) page = 1;
  @state() private list: AdminEventList | null = null;
  @state() private error: unknown = null;
  @state() private processing = new Map<number, ProcessingReport | null>();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = null;
    try {
      this.list = await this.api.get<AdminEventList>(
        this.api.admin(this.org, `/events?page=${this.page}&page_size=${PAGE_SIZE}`),
      );
      for (const e of this.list.events) void this.loadProcessing(e);
    } catch (e) {
      this.error = e;
    }
  }

  private async loadProcessing(e: AdminEvent) {
    let report: ProcessingReport | null = null;
    try {
      report = await this.api.get<ProcessingReport>(this.api.admin(this.org, `/events/${e.event_id}/processing`));
    } catch {
      report = null;
    }
    this.processing = new Map(this.processing).set(e.event_id, report);
  }

  private go(page: number) {
    this.page = page;
    this.list = null;
    void this.load();
  }

  private stateText(id: number): string {
    const r = this.processing.get(id);
    if (r === undefined) return msg('…', { id: 'console.ellipsis' });
    if (r === null) return msg('unknown', { id: 'console.state.unknown' });
    switch (processingState(r)) {
      case 'processing':
        return msg(str`processing (${r.waiting} waiting)`, { id: 'console.state.processing' });
      case 'failed':
        return msg(str`${r.failed} failed`, { id: 'console.state.failed' });
      case 'done':
        return msg('all processed', { id: 'console.state.done' });
      default:
        return msg('no uploads yet', { id: 'console.state.idle' });
    }
  }

  private renderEvent(e: AdminEvent & { cover_url?: string | null }) {
    const link = href(`/events/${e.event_id}`);
    return html`<li class="card">
      ${
        e.cover_url
          ? html`<img class="cover" src=${e.cover_url} alt="" loading="lazy" />`
          : html`<div class="cover" role="presentation"></div>`
      }
      <div class="body">
        <a href=${link}>${e.name}</a>
        <dl>
          <dt>${msg('Date', { id: 'console.date' })}</dt>
          <dd>${e.event_date ? formatEventDate(e.event_date, this.formatTag) : msg('not set', { id: 'console.not-set' })}</dd>
          <dt>${msg('Photos', { id: 'console.photos' })}</dt>
          <dd>${formatNumber(e.image_count, this.formatTag)}</dd>
          <dt>${msg('Processing', { id: 'console.tab.processing' })}</dt>
          <dd>${this.stateText(e.event_id)}</dd>
          <dt>${msg('Status', { id: 'console.status' })}</dt>
          <dd>
            ${
              e.status === 'draft'
                ? msg('archived (draft)', { id: 'console.status.draft' })
                : e.event_enabled
                  ? msg('published', { id: 'console.status.active' })
                  : msg('hidden from the public', { id: 'console.status.disabled' })
            }
          </dd>
        </dl>
      </div>
    </li>`;
  }

  override render() {
    const l = this.list;
    return html`<div class="head">
        <h1 tabindex="-1">${msg('Events', { id: 'console.events' })}</h1>
        ${this.canManage ? html`<a class="btn primary" href=${href('/events/new')}>${msg('New event', { id: 'console.new-event' })}</a>` : nothing}
      </div>
      ${this.error ? errorBox(this.error, () => void this.load()) : nothing}
      ${!l && !this.error ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${
        l && l.events.length === 0
          ? html`<p>${msg('No events yet. Create the first one to start uploading photos.', { id: 'console.no-events' })}</p>`
          : nothing
      }
      ${
        l && l.events.length
          ? html`<ul class="events">
              ${l.events.map((e) => this.renderEvent(e))}
            </ul>`
          : nothing
      }
      ${
        l && l.pagination.totalPages > 1
          ? html`<nav class="row" aria-label=${msg('Pages', { id: 'console.pages' })}>
              <button class="btn" type="button" ?disabled=${!l.pagination.hasPreviousPage} @click=${() => this.go(this.page - 1)}>
                ${msg('Previous', { id: 'console.previous' })}
              </button>
              <span>${msg(str`Page ${l.pagination.currentPage} of ${l.pagination.totalPages}`, { id: 'console.page-of' })}</span>
              <button class="btn" type="button" ?disabled=${!l.pagination.hasNextPage} @click=${() => this.go(this.page + 1)}>
                ${msg('Next', { id: 'console.next' })}
              </button>
            </nav>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-events': PfcEvents;
  }
}
