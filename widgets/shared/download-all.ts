import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { DownloadAllRequest, DownloadMethod } from '../../core/api/models.ts';
import { ApiRequestError } from '../api/client.ts';
import '../api/endpoints.ts';
import { langOf, msg, pickLocale, plural, str, withLocale } from '../i18n/localize.ts';
import type { EventContextValue } from './context.ts';
import { emit } from './define.ts';
import { errorMessage } from './feature.ts';
import { formatNumber } from './format.ts';
import { icons } from './icons.ts';

type Host = ReactiveControllerHost & HTMLElement;

/** What a result set downloads as one ZIP: the API request, and how pf-download names it. */
export interface DownloadAllTarget {
  /** The request, or how to make it when the button is pressed (e.g. the ids of the photos still shown). */
  request: DownloadAllRequest | ((signal: AbortSignal) => Promise<DownloadAllRequest>);
  method: DownloadMethod;
  identifier: string;
}

/**
 * "Download all my photos" for a BIB, name or selfie result set: asks the server for one ZIP
 * (`POST …/download-all`), then sends the browser to its signed link (the ZIP downloads; the page stays). Shown
 * when the event allows it: bulk download on, and free originals — or, on an event that sells its originals, a
 * free web-size (watermarked) ZIP, "Download web-size photos". A `pf-download` listener may cancel the event to
 * handle the link itself.
 */
export class DownloadAllController implements ReactiveController {
  private busy = false;
  private note: { text: string; bad: boolean } | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.abort?.abort();
  }

  /** Forgets the last outcome (a new search). */
  reset(): void {
    this.abort?.abort();
    this.busy = false;
    this.note = null;
  }

  /** Which ZIP the event offers: originals, web-size copies, or none. */
  static kind(value: EventContextValue | undefined): 'original' | 'web' | null {
    const d = value?.details;
    if (!d || d.bulk_download === false) return null;
    if (d.free_downloads) return 'original';
    return d.web_download ? 'web' : null;
  }

  /** The button (and its outcome), or nothing when the event offers no ZIP or nothing was found. */
  render(value: EventContextValue | undefined, target: DownloadAllTarget | null, count: number | null, locale: string) {
    const kind = DownloadAllController.kind(value);
    if (!kind || !target || !count) return nothing;
    const label =
      kind === 'web'
        ? msg('Download web-size photos', { id: 'download-all.web' })
        : msg('Download all my photos', { id: 'download-all.original' });
    const n = formatNumber(count, locale);
    const hint = plural(locale, count, {
      one: () => msg(str`${n} photo in one ZIP file`, { id: 'download-all.hint-one' }),
      other: () => msg(str`${n} photos in one ZIP file`, { id: 'download-all.hint' }),
    });
    return html`<div class="download-all" part="download-all">
      <button class="btn" part="download-all-button" ?disabled=${this.busy} @click=${() => this.run(value, target)}>
        ${icons.download}${label}
      </button>
      <span class="muted">${kind === 'web' ? msg('watermarked, free', { id: 'download-all.web-note' }) + ' · ' : ''}${hint}</span>
      <p class=${this.note?.bad ? 'error' : 'muted'} part="download-all-status" role="status">${this.note?.text ?? ''}</p>
    </div>`;
  }

  private async run(value: EventContextValue | undefined, target: DownloadAllTarget) {
    const client = value?.client;
    if (!client || this.busy) return;
    const locale = pickLocale(langOf(this.host));
    const t = (fn: () => string) => withLocale(locale, fn);
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.busy = true;
    this.note = { text: t(() => msg('Preparing your ZIP file…', { id: 'download-all.preparing' })), bad: false };
    this.host.requestUpdate();
    try {
      const request = typeof target.request === 'function' ? await target.request(abort.signal) : target.request;
      if (abort.signal.aborted) return;
      const zip = await client.downloadAll(request, abort.signal);
      if (abort.signal.aborted) return;
      const go = emit(this.host, 'pf-download', {
        method: target.method,
        identifier: target.identifier,
        count: zip.photo_count,
        ok: true,
        zipUrl: zip.zip_url,
        kind: zip.kind,
      });
      const n = String(zip.photo_count);
      this.note = {
        text: t(() => msg(str`Your ZIP file of ${n} photos is downloading.`, { id: 'download-all.started' })),
        bad: false,
      };
      if (go) location.assign(zip.zip_url);
    } catch (e) {
      if (abort.signal.aborted || (e as Error).name === 'AbortError') return;
      const status = e instanceof ApiRequestError ? e.status : 0;
      const reason = t(() => errorMessage(status, (e as Error).message));
      this.note = { text: reason, bad: true };
      emit(this.host, 'pf-download', {
        method: target.method,
        identifier: target.identifier,
        count: 0,
        ok: false,
        reason,
        status,
      });
    } finally {
      if (!abort.signal.aborted) this.busy = false;
      this.host.requestUpdate();
    }
  }
}
