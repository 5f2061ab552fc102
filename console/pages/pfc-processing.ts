import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminEvent } from '../../core/api/admin.ts';
import type { RetryReport } from '../../core/api/auth.ts';
import type { CreditsSummary, WaitingPhoto, WaitingPhotoList } from '../../core/api/credits.ts';
import { msg, str } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { formatInstant, formatNumber } from '../shared/format.ts';
import { processingState, type ProcessingReport } from '../shared/processing.ts';
import { href } from '../router.ts';

/** Polling interval when the event stream is not available. */
const POLL_MS = 3000;

/**
 * Live processing of an event's uploads: received, processed, failed (with reasons), waiting, faces and bibs
 * found. Follows `…/processing/stream` (server-sent events), falls back to polling, and retries failed files.
 *
 * @element pfc-processing
 */
@customElement('pfc-processing')
export class PfcProcessing extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      dl.counts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.75rem;
        margin: 0 0 1rem;
      }
      dl.counts div {
        border: 1px solid var(--pf-color-border, #767676);
        border-radius: var(--pf-radius, 6px);
        padding: 0.5rem 0.75rem;
      }
      dt {
        color: var(--pf-color-text-muted, #555);
        font-size: 0.9rem;
      }
      dd {
        margin: 0;
        font-size: 1.5rem;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) event!: AdminEvent;
  @state() private report: ProcessingReport | null = null;
  @state() private error: unknown = null;
  @state() private live: 'stream' | 'polling' | 'off' = 'off';
  @state() private retryError: unknown = null;
  @state() private retrying = false;
  /** Photos of this event stored but waiting for credits (a metered organisation ran out), and how many in all. */
  @state() private waiting: { photos: WaitingPhoto[]; total: number } | null = null;
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  private get path(): string {
    return this.api.admin(this.org, `/events/${this.event.event_id}/processing`);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh().then(() => this.follow());
    void this.loadWaiting();
  }

  /** The organisation's waiting photos that belong to this event (none on an unmetered plan). */
  private async loadWaiting() {
    try {
      const c = await this.api.get<CreditsSummary>(this.api.admin(this.org, '/credits'));
      if (!c.metered || c.waiting_photos === 0) {
        this.waiting = null;
        return;
      }
      const list = await this.api.get<WaitingPhotoList>(
        this.api.admin(this.org, `/credits/waiting?event_id=${this.event.event_id}&page_size=100`),
      );
      const photos = list.photos.filter((p) => p.event_id === this.event.event_id);
      this.waiting = photos.length ? { photos, total: photos.length } : null;
    } catch {
      /* the role may not read credits: the counts above still show */
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop() {
    this.source?.close();
    this.source = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.live = 'off';
  }

  private async refresh() {
    try {
      this.report = await this.api.get<ProcessingReport>(this.path);
      this.error = null;
    } catch (e) {
      this.error = e;
    }
  }

  private follow() {
    if (!this.isConnected) return;
    if (typeof EventSource === 'undefined') return this.poll();
    const source = new EventSource(this.api.url(`${this.path}/stream`));
    this.source = source;
    source.onopen = () => (this.live = 'stream');
    // The server names its messages `processing` (the same JSON as GET …/processing).
    source.addEventListener('processing', (e: MessageEvent<string>) => {
      try {
        this.report = JSON.parse(e.data) as ProcessingReport;
        this.error = null;
      } catch {
        /* a line we do not know */
      }
    });
    source.onerror = () => {
      // Closed by the server or the network: poll instead (the stream is tried again on the next visit).
      if (source.readyState === EventSource.CLOSED || this.live !== 'stream') {
        source.close();
        this.source = null;
        this.poll();
      }
    };
  }

  private poll() {
    if (!this.isConnected) return;
    this.live = 'polling';
    this.timer = setTimeout(async () => {
      await this.refresh();
      this.poll();
    }, POLL_MS);
  }

  private async retry() {
    this.retrying = true;
    this.retryError = null;
    try {
      await this.api.post<RetryReport>(`${this.path}/retry`);
      await this.refresh();
    } catch (e) {
      this.retryError = e;
    } finally {
      this.retrying = false;
    }
  }

  private stateText(r: ProcessingReport): string {
    switch (processingState(r)) {
      case 'processing':
        return msg(str`Processing: ${r.waiting} waiting.`, { id: 'console.processing-busy' });
      case 'failed':
        return msg(str`Done, ${r.failed} failed.`, { id: 'console.processing-failed' });
      case 'done':
        return msg('All photos are processed.', { id: 'console.processing-done' });
      default:
        return msg('No uploads yet.', { id: 'console.processing-idle' });
    }
  }

  /** A table of files with why each is listed and when (the waiting and the failed files). */
  private fileTable(rows: { file: string; reason: string; at: string }[]) {
    return html`<div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">${msg('File', { id: 'console.file' })}</th>
            <th scope="col">${msg('Reason', { id: 'console.reason' })}</th>
            <th scope="col">${msg('When', { id: 'console.when' })}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr>
                <td>${row.file}</td>
                <td>${row.reason}</td>
                <td>${formatInstant(row.at, this.formatTag)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderWaiting(w: { photos: WaitingPhoto[]; total: number }) {
    return html`<section aria-labelledby="waiting-title" data-waiting=${w.total}>
      <h2 id="waiting-title">${msg('Photos waiting for credits', { id: 'console.waiting-credits' })}</h2>
      <p class="error" role="status">
        ${msg(
          str`${formatNumber(w.total, this.formatTag)} photos are stored but not processed: the organisation has no credits left. Adding credits processes them.`,
          {
            id: 'console.waiting-credits-text',
          },
        )}
        ${
          this.canManage
            ? html`<a href=${href('/credits/buy')}>${msg('Buy credits', { id: 'console.buy-credits' })}</a>`
            : nothing
        }
      </p>
      ${this.fileTable(
        w.photos.map((p) => ({
          file: p.original_name,
          reason: msg('Waiting for credits', { id: 'console.waiting-for-credits' }),
          at: p.received_at,
        })),
      )}
    </section>`;
  }

  override render() {
    const r = this.report;
    const n = (v: number) => formatNumber(v, this.formatTag);
    const total = r ? r.received : 0;
    const done = r ? r.processed + r.failed : 0;
    return html`<h1 tabindex="-1">${msg('Processing', { id: 'console.tab.processing' })}</h1>
      ${this.error ? errorBox(this.error, () => void this.refresh()) : nothing}
      ${!r && !this.error ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${
        r
          ? html`<p role="status" aria-live="polite">${this.stateText(r)}</p>
              <progress
                max=${Math.max(1, total)}
                .value=${done}
                aria-label=${msg('Processed', { id: 'console.processed' })}
              ></progress>
              <dl class="counts">
                <div>
                  <dt>${msg('Received', { id: 'console.received' })}</dt>
                  <dd data-count="received">${n(r.received)}</dd>
                </div>
                <div>
                  <dt>${msg('Processed', { id: 'console.processed' })}</dt>
                  <dd data-count="processed">${n(r.processed)}</dd>
                </div>
                <div>
                  <dt>${msg('Waiting', { id: 'console.waiting' })}</dt>
                  <dd data-count="waiting">${n(r.waiting)}</dd>
                </div>
                <div>
                  <dt>${msg('Failed', { id: 'console.failed' })}</dt>
                  <dd data-count="failed">${n(r.failed)}</dd>
                </div>
                <div>
                  <dt>${msg('Faces found', { id: 'console.faces' })}</dt>
                  <dd data-count="faces">${n(r.faces)}</dd>
                </div>
                <div>
                  <dt>${msg('Bibs found', { id: 'console.bibs' })}</dt>
                  <dd data-count="bibs">${n(r.bibs)}</dd>
                </div>
              </dl>
              <p class="muted">
                ${
                  this.live === 'stream'
                    ? msg('Live: updates as photos are processed.', { id: 'console.live-stream' })
                    : this.live === 'polling'
                      ? msg('Updated every few seconds.', { id: 'console.live-polling' })
                      : ''
                }
              </p>
              ${this.waiting ? this.renderWaiting(this.waiting) : nothing}
              ${
                r.failures.length
                  ? html`<h2>${msg('Failed files', { id: 'console.failed-files' })}</h2>
                      ${this.retryError ? errorBox(this.retryError) : nothing}
                      ${
                        this.canWrite
                          ? html`<button class="btn" type="button" ?disabled=${this.retrying} @click=${this.retry}>
                              ${msg('Retry the failed files', { id: 'console.retry-failed' })}
                            </button>`
                          : nothing
                      }
                      ${this.fileTable(r.failures.map((f) => ({ file: f.file_name, reason: f.reason, at: f.at })))}`
                  : nothing
              }`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-processing': PfcProcessing;
  }
}
