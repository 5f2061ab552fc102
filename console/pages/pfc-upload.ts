import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Upload } from 'tus-js-client';
import type { AdminEvent } from '../../core/api/admin.ts';
import { msg, str } from '../i18n/index.ts';
import { href } from '../router.ts';
import { ConsoleElement } from '../shared/console-element.ts';
import { formatBytes, formatNumber } from '../shared/format.ts';
import './pfc-camera-clock.ts';
import { enqueue, nextToStart, SentFiles, totals, unfinishedUploads, type QueueItem } from './upload-queue.ts';

/** Files sent at once. */
const PARALLEL = 3;
/** Waits between retries after a network error (then the upload waits for the browser to be back online). */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

/**
 * Race-day intake: photos chosen or dropped go to the server through tus 1.0 (`…/events/{id}/uploads`),
 * three at a time, each with its progress. Pause and resume all or one file; a network drop is retried and
 * resumed from the server's offset; after a reload, choosing the same files again resumes them where they
 * stopped (tus fingerprints in localStorage). A file chosen twice or already sent from this browser is
 * skipped; the server also skips content it already has.
 *
 * @element pfc-upload
 */
@customElement('pfc-upload')
export class PfcUpload extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      .drop {
        border: 2px dashed var(--pf-color-border, #767676);
        border-radius: var(--pf-radius, 6px);
        padding: 1.5rem 1rem;
        text-align: center;
        margin: 0 0 1rem;
      }
      .drop.over {
        border-color: var(--pf-color-accent, #1a56db);
        background: var(--pf-color-surface-hover, rgba(26, 86, 219, 0.1));
      }
      .drop input {
        margin-top: 0.5rem;
        max-width: 100%;
      }
      ul.files {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.files li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0.25rem 0.75rem;
        align-items: center;
        padding: 0.5rem 0;
        border-bottom: 1px solid var(--pf-color-border, #767676);
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .state {
        font-size: 0.9rem;
        color: var(--pf-color-text-muted, #555);
      }
      .state.failed {
        color: var(--pf-color-danger, #b00020);
      }
      li progress {
        grid-column: 1 / -1;
      }
      .summary {
        position: sticky;
        top: 0;
        background: var(--pf-color-surface, #fff);
        padding: 0.5rem 0;
        z-index: 1;
      }
    `,
  ];

  @property({ attribute: false }) event!: AdminEvent;
  @state() private items: QueueItem[] = [];
  @state() private paused = false;
  @state() private over = false;
  @state() private unfinished: { key: string; name: string; size: number }[] = [];
  @state() private offline = !navigator.onLine;
  private uploads = new Map<number, Upload>();
  private ids = 0;
  private sent!: SentFiles;
  private startedAt = 0;
  private finishedAt = 0;

  private get endpoint(): string {
    return new URL(this.api.url(this.api.admin(this.org, `/events/${this.event.event_id}/uploads`)), location.href).href;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.sent = new SentFiles(this.org, this.event.event_id);
    this.unfinished = unfinishedUploads(this.endpoint);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    // Leaving the page pauses: the bytes on the server stay, and coming back with the same files resumes them.
    for (const u of this.uploads.values()) void u.abort();
  }

  private onOnline = () => {
    this.offline = false;
    // Files that gave up while offline start again from the server's offset.
    this.items = this.items.map((i) => (i.state === 'failed' ? { ...i, state: 'queued', error: null } : i));
    this.pump();
  };

  private onOffline = () => {
    this.offline = true;
  };

  private update1(id: number, patch: Partial<QueueItem>) {
    this.items = this.items.map((i) => (i.id === id ? { ...i, ...patch } : i));
  }

  private add(files: File[]) {
    const images = files.filter((f) => f.type.startsWith('image/') || /\.(jpe?g|png|webp|heic|tiff?)$/i.test(f.name));
    this.items = enqueue(this.items, images, this.sent, () => ++this.ids);
    if (!this.startedAt) this.startedAt = performance.now();
    this.pump();
  }

  private pick(e: Event) {
    const input = e.target as HTMLInputElement;
    this.add([...(input.files ?? [])]);
    input.value = '';
  }

  private drop(e: DragEvent) {
    e.preventDefault();
    this.over = false;
    this.add([...(e.dataTransfer?.files ?? [])]);
  }

  /** Starts queued files up to the limit (not while paused). */
  private pump() {
    if (this.paused) return;
    for (const item of nextToStart(this.items, PARALLEL)) void this.start(item);
  }

  private async start(item: QueueItem) {
    this.update1(item.id, { state: 'uploading', error: null });
    let upload = this.uploads.get(item.id);
    if (!upload) {
      upload = new Upload(item.file, {
        endpoint: this.endpoint,
        metadata: { filename: item.file.name, filetype: item.file.type || 'application/octet-stream' },
        retryDelays: RETRY_DELAYS,
        removeFingerprintOnSuccess: true,
        storeFingerprintForResuming: true,
        headers: this.api.csrf ? { 'X-CSRF-Token': this.api.csrf } : {},
        onProgress: (sent) => this.update1(item.id, { sent }),
        onSuccess: () => {
          this.sent.add(item.key);
          this.uploads.delete(item.id);
          this.update1(item.id, { state: 'done', sent: item.file.size });
          this.unfinished = this.unfinished.filter((u) => !u.key.includes(item.file.name));
          if (this.items.every((i) => i.state === 'done' || i.state === 'skipped' || i.state === 'failed'))
            this.finishedAt = performance.now();
          this.pump();
        },
        onError: (err) => {
          const status = (err as { originalResponse?: { getStatus(): number } }).originalResponse?.getStatus?.() ?? 0;
          let body = '';
          try {
            body = (err as { originalResponse?: { getBody(): string } }).originalResponse?.getBody?.() ?? '';
            body = (JSON.parse(body) as { message?: string }).message ?? body;
          } catch {
            /* not JSON */
          }
          this.update1(item.id, {
            state: 'failed',
            error: status
              ? `${status}: ${body || err.message}`
              : msg('Network error: it resumes when the connection is back.', { id: 'console.upload-network' }),
          });
          this.pump();
        },
      });
      this.uploads.set(item.id, upload);
      try {
        const previous = await upload.findPreviousUploads();
        if (previous[0]) {
          upload.resumeFromPreviousUpload(previous[0]);
          this.update1(item.id, { resumedAt: -1 });
        }
      } catch {
        /* no storage: a fresh upload */
      }
    }
    upload.start();
  }

  private pauseAll() {
    this.paused = true;
    for (const item of this.items) {
      if (item.state !== 'uploading') continue;
      void this.uploads.get(item.id)?.abort();
      this.update1(item.id, { state: 'paused' });
    }
  }

  private resumeAll() {
    this.paused = false;
    this.items = this.items.map((i) =>
      i.state === 'paused' || i.state === 'failed' ? { ...i, state: 'queued', error: null } : i,
    );
    this.pump();
  }

  private toggle(item: QueueItem) {
    if (item.state === 'uploading') {
      void this.uploads.get(item.id)?.abort();
      this.update1(item.id, { state: 'paused' });
      this.pump();
    } else {
      this.update1(item.id, { state: 'queued', error: null });
      this.pump();
    }
  }

  private forgetUnfinished() {
    for (const u of this.unfinished) localStorage.removeItem(u.key);
    this.unfinished = [];
  }

  private stateText(i: QueueItem): string {
    switch (i.state) {
      case 'queued':
        return msg('waiting', { id: 'console.up.queued' });
      case 'uploading':
        return i.resumedAt !== null
          ? msg('resuming…', { id: 'console.up.resuming' })
          : msg('uploading', { id: 'console.up.uploading' });
      case 'paused':
        return msg('paused', { id: 'console.up.paused' });
      case 'done':
        return msg('uploaded', { id: 'console.up.done' });
      case 'failed':
        return i.error ?? msg('failed', { id: 'console.up.failed' });
      case 'skipped':
        return i.skipReason === 'selected-twice'
          ? msg('skipped: chosen twice', { id: 'console.up.twice' })
          : msg('skipped: already uploaded', { id: 'console.up.already' });
    }
  }

  /** Photos per second since the first file was chosen (until the last one finished). */
  get photosPerSecond(): number {
    const t = totals(this.items);
    const end = this.finishedAt || performance.now();
    const s = (end - this.startedAt) / 1000;
    return s > 0 ? t.done / s : 0;
  }

  override render() {
    const t = totals(this.items);
    const active = this.items.some((i) => i.state === 'uploading' || i.state === 'queued');
    const n = (v: number) => formatNumber(v, this.formatTag);
    return html`<h1 tabindex="-1">${msg('Upload photos', { id: 'console.upload-title' })}</h1>
      ${
        this.canWrite
          ? nothing
          : html`<p class="error" role="alert">${msg('Your role cannot upload photos.', { id: 'console.upload-forbidden' })}</p>`
      }
      ${
        this.unfinished.length
          ? html`<div class="notice" role="status">
              <p>
                ${msg(str`${this.unfinished.length} unfinished uploads from an earlier visit. Choose the same files again: they resume where they stopped.`, { id: 'console.unfinished' })}
              </p>
              <p class="muted">
                ${this.unfinished
                  .slice(0, 10)
                  .map((u) => u.name)
                  .join(', ')}${this.unfinished.length > 10 ? '…' : ''}
              </p>
              <button class="btn small" type="button" @click=${this.forgetUnfinished}>
                ${msg('Forget them', { id: 'console.forget' })}
              </button>
            </div>`
          : nothing
      }
      ${this.offline ? html`<p class="error" role="alert">${msg('You are offline. Uploads resume when the connection is back.', { id: 'console.offline-upload' })}</p>` : nothing}
      <div
        class="drop ${this.over ? 'over' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.over = true;
        }}
        @dragleave=${() => (this.over = false)}
        @drop=${this.drop}
      >
        <label for="files">${msg('Choose photos (or drop them here)', { id: 'console.choose-photos' })}</label><br />
        <input
          id="files"
          type="file"
          multiple
          accept="image/jpeg,image/png,image/webp,image/tiff,image/heic,.jpg,.jpeg,video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm"
          ?disabled=${!this.canWrite}
          @change=${this.pick}
        />
      </div>
      ${
        this.items.length
          ? html`<div class="summary">
                <p role="status" aria-live="polite" id="summary">
                  ${msg(str`${n(t.done)} of ${n(t.files - t.skipped)} uploaded`, { id: 'console.up.summary' })}
                  ${t.skipped ? msg(str`· ${n(t.skipped)} skipped`, { id: 'console.up.skipped' }) : ''}
                  ${t.failed ? msg(str`· ${n(t.failed)} failed`, { id: 'console.up.failed-count' }) : ''} ·
                  ${formatBytes(t.sentBytes, this.formatTag)} / ${formatBytes(t.bytes, this.formatTag)}
                  ${t.done ? html`· <span data-rate=${this.photosPerSecond.toFixed(2)}>${msg(str`${this.photosPerSecond.toFixed(1)} photos/s`, { id: 'console.up.rate' })}</span>` : ''}
                </p>
                <progress
                  max=${Math.max(1, t.bytes)}
                  .value=${t.sentBytes}
                  aria-label=${msg('All files', { id: 'console.up.all' })}
                ></progress>
                <div class="row">
                  ${
                    this.paused
                      ? html`<button class="btn primary" type="button" @click=${this.resumeAll}>
                          ${msg('Resume all', { id: 'console.resume-all' })}
                        </button>`
                      : html`<button class="btn" type="button" ?disabled=${!active} @click=${this.pauseAll}>
                          ${msg('Pause all', { id: 'console.pause-all' })}
                        </button>`
                  }
                  ${
                    t.failed && !this.paused
                      ? html`<button class="btn" type="button" @click=${this.resumeAll}>
                          ${msg('Retry the failed ones', { id: 'console.retry-failed-uploads' })}
                        </button>`
                      : nothing
                  }
                  <a href=${href(`/events/${this.event.event_id}/processing`)}
                    >${msg('See the processing', { id: 'console.see-processing' })}</a
                  >
                </div>
              </div>
              <ul class="files" aria-label=${msg('Files', { id: 'console.files' })}>
                ${this.items.map(
                  (i) =>
                    html`<li data-state=${i.state}>
                      <span class="name" id=${`f${i.id}`}>${i.file.name}</span>
                      ${
                        i.state === 'uploading' || i.state === 'paused' || (i.state === 'queued' && this.paused)
                          ? html`<button
                              class="btn small"
                              type="button"
                              aria-label=${`${i.state === 'uploading' ? msg('Pause', { id: 'console.pause' }) : msg('Resume', { id: 'console.resume' })} ${i.file.name}`}
                              @click=${() => this.toggle(i)}
                            >
                              ${i.state === 'uploading' ? msg('Pause', { id: 'console.pause' }) : msg('Resume', { id: 'console.resume' })}
                            </button>`
                          : html`<span class="state ${i.state}">${this.stateText(i)}</span>`
                      }
                      ${
                        i.state === 'uploading' || i.state === 'paused' || i.state === 'queued'
                          ? html`<progress
                                max=${Math.max(1, i.file.size)}
                                .value=${i.sent}
                                aria-labelledby=${`f${i.id}`}
                              ></progress>
                              <span class="state"
                                >${this.stateText(i)} · ${Math.round((100 * i.sent) / Math.max(1, i.file.size))} %</span
                              >`
                          : nothing
                      }
                    </li>`,
                )}
              </ul>`
          : html`<p class="muted">
              ${msg('Photos go through the same processing as any upload: previews, watermark, faces, bib numbers.', { id: 'console.upload-help' })}
            </p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-upload': PfcUpload;
  }
}
