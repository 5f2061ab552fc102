import { html, nothing, type CSSResultGroup, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { PublicCertificate } from '../../core/api/certificates.ts';
import { bibProblem } from '../../core/bib.ts';
import { ApiRequestError } from '../api/client.ts';
import { fetchSignedFile } from '../api/endpoints.ts';
import type { PfSearchDetail } from '../events.ts';
import { msg, str } from '../i18n/localize.ts';
import { defineElement, emit } from '../shared/define.ts';
import { bibField, bibFieldStyles, bibProblemText } from '../shared/bib-field.ts';
import { saveBlob } from '../shared/download.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { featureNotice } from '../shared/feature-notice.ts';
import { formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, urlWith, writeParams } from '../shared/url-state.ts';
import { certificateStyles } from './pf-certificate.styles.ts';

export type CertificateFormat = 'png' | 'pdf';

/** `pf-certificate`: a certificate was found and shown (`shown`), downloaded, or shared. */
export interface PfCertificateDetail {
  action: 'shown' | 'download' | 'share';
  bib: string;
  name: string;
  /** Downloads only. */
  format?: CertificateFormat;
}

declare module '../events.ts' {
  interface PfEventMap {
    'pf-certificate': PfCertificateDetail;
  }
}

type View =
  | { kind: 'idle' }
  | { kind: 'loading'; bib: string }
  | { kind: 'found'; cert: PublicCertificate }
  | { kind: 'unavailable'; bib: string }
  | { kind: 'not-found'; bib: string }
  | { kind: 'error'; bib: string; message: string; status: number };

/** Links are signed for about an hour: ask for fresh ones when less than this is left. */
const FRESH_FOR_MS = 60_000;

/**
 * The participant's finisher certificate: type a BIB (or give it in the `bib` attribute, or come with the
 * `?bib=` a BIB search put in the page URL), see the certificate, download it as an image (PNG) or a PDF, and
 * share the page. Shows in place when the event's certificates are not published yet, when the BIB has no
 * certificate, and when something failed (with a retry), keeping what was typed. It also follows BIB searches
 * (`pf-search` with method `bib`) made on the page. On an event without published certificates (its details say
 * `certificates: false`), a followed search or a `?bib=` link makes it stay silent: it hides itself and asks
 * nothing (a `bib` attribute or a BIB typed in it still asks, and says that certificates are not available yet).
 *
 * @summary Find and download your finisher certificate by BIB.
 * @element pf-certificate
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr bib - show the certificate of this BIB (the form stays, to look up another)
 * @attr no-url - do not read or write ?bib= in the page URL, and do not follow BIB searches
 * @fires pf-certificate - a certificate was shown, downloaded or shared: { action, bib, name, format? }
 * @fires pf-error - a look-up or download failed: { source, message, status }
 * @csspart base - the wrapper
 * @csspart form - the look-up form
 * @csspart label - the field label
 * @csspart search-input - the BIB field
 * @csspart search-button - the "Show my certificate" button
 * @csspart problem - the validation message
 * @csspart status - progress messages (a live region)
 * @csspart certificate - the figure: preview and summary
 * @csspart preview - the certificate image
 * @csspart summary - name, BIB, category, time and place
 * @csspart actions - the download and share buttons
 * @csspart download-png - the "Download image" button
 * @csspart download-pdf - the "Download PDF" button
 * @csspart share - the "Share" button
 * @csspart copy-link - the field with the page link, when it could not be shared or copied
 * @csspart unavailable - the notice when the event's certificates are not published
 * @csspart not-found - the notice when the BIB has no certificate
 * @csspart error - an error message
 * @csspart retry - its "Try again" button
 * @cssproperty --pf-certificate-max-width - largest width of the preview (default 48em)
 * @cssproperty --pf-color-accent - the download buttons' colour
 */
export class PfCertificate extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, bibFieldStyles, certificateStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property() bib = '';
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  /** What the user typed (kept as typed, also after an error). */
  @state() private text = '';
  @state() private problem: string | null = null;
  @state() private view: View = { kind: 'idle' };
  @state() private image: 'loading' | 'loaded' | 'error' = 'loading';
  @state() private busy: CertificateFormat | 'share' | null = null;
  @state() private actionError: string | null = null;
  @state() private note: string | null = null;
  @state() private manualLink: string | null = null;
  /** A look-up the participant did not ask for (a BIB search, the URL) found the event has no certificates. */
  @state() private silent = false;

  @query('input') private input!: HTMLInputElement;

  private readonly event = new EventConsumer(this, () => this.start());
  private started = false;
  private abort: AbortController | null = null;

  private readonly onSearch = (e: Event) => {
    const d = (e as CustomEvent<PfSearchDetail>).detail;
    if (this.noUrl || this.bib || d.method !== 'bib' || !d.query || e.composedPath().includes(this)) return;
    if (bibProblem(d.query) || this.silent) return;
    this.text = d.query;
    void this.lookup(d.query, false);
  };

  /** The certificate shown, or null. */
  get certificate(): PublicCertificate | null {
    return this.view.kind === 'found' ? this.view.cert : null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pf-search', this.onSearch);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pf-search', this.onSearch);
    this.abort?.abort();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('bib') && changed.get('bib') !== undefined && this.bib && this.started) this.show(this.bib);
  }

  /** Looks a BIB up, as if typed and submitted. Returns false when it is not a valid BIB. */
  show(raw: string): boolean {
    this.text = raw;
    return this.submit(false);
  }

  /** First look-up once pf-event is there: the `bib` attribute, else the page URL's `?bib=`. */
  private start() {
    const v = this.event.value;
    if (this.started || !v?.client) return;
    // A `?bib=` link is not asked for: wait for the details, which say whether the event has certificates.
    if (!this.bib && !v.details && !v.error) return;
    this.started = true;
    const initial = this.bib || (this.noUrl ? '' : (readParam('bib') ?? ''));
    if (initial && !bibProblem(initial)) {
      this.text = initial;
      void this.lookup(initial, !!this.bib);
    }
  }

  private problemText(raw: string): string | null {
    return this.t(() =>
      bibProblemText(raw, {
        empty: () => msg('Enter your BIB number.', { id: 'certificate.problem-empty' }),
        long: (max) => msg(str`A BIB number has at most ${max} characters.`, { id: 'certificate.problem-long' }),
        chars: () => msg('A BIB number has only letters and digits.', { id: 'certificate.problem-chars' }),
      }),
    );
  }

  private submit(writeUrl: boolean): boolean {
    this.problem = this.problemText(this.text);
    if (this.problem) {
      this.input?.focus();
      return false;
    }
    const bib = this.text.trim();
    if (writeUrl && !this.noUrl) writeParams({ bib });
    void this.lookup(bib);
    return true;
  }

  private onSubmit(e: Event) {
    e.preventDefault();
    this.submit(true);
  }

  private onInput(e: Event) {
    this.text = (e.target as HTMLInputElement).value;
    if (this.problem) this.problem = this.problemText(this.text);
  }

  /** `asked`: the participant asked for this certificate (typed it, or the page set `bib`), not a followed search. */
  private async lookup(bib: string, asked = true): Promise<void> {
    const client = this.event.value?.client;
    if (!client) return;
    // An event without published certificates (its details say so): a followed search or link asks nothing.
    if (!asked && this.event.value?.details?.certificates === false) {
      this.silent = true;
      return;
    }
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.view = { kind: 'loading', bib };
    this.actionError = null;
    this.note = null;
    this.manualLink = null;
    try {
      const cert = await this.fetchCertificate(bib, abort.signal);
      if (abort.signal.aborted) return;
      const sameImage = this.certificate?.png_url === cert.png_url;
      this.view = { kind: 'found', cert };
      if (!sameImage) this.image = 'loading';
      emit(this, 'pf-certificate', { action: 'shown', bib: cert.bib, name: cert.name });
    } catch (e) {
      if (abort.signal.aborted || (e as Error).name === 'AbortError') return;
      const status = e instanceof ApiRequestError ? e.status : 0;
      // An event without (published) certificates: a followed BIB search says nothing, and stops asking.
      if (status === 403 && !asked) {
        this.silent = true;
        this.view = { kind: 'idle' };
      } else if (status === 403) this.view = { kind: 'unavailable', bib };
      else if (status === 404) this.view = { kind: 'not-found', bib };
      else {
        const message = this.t(() => errorMessage(status, (e as Error).message));
        this.view = { kind: 'error', bib, message, status };
        emit(this, 'pf-error', { source: 'pf-certificate', message, status });
      }
    }
  }

  private async fetchCertificate(bib: string, signal?: AbortSignal): Promise<PublicCertificate> {
    return this.event.value!.client.certificate(bib, signal);
  }

  /** The shown certificate, with links asked again when they are about to expire. */
  private async fresh(): Promise<PublicCertificate | null> {
    const cert = this.certificate;
    if (!cert) return null;
    const expires = Date.parse(cert.expires_at);
    if (Number.isFinite(expires) && expires - Date.now() > FRESH_FOR_MS) return cert;
    const again = await this.fetchCertificate(cert.bib);
    this.view = { kind: 'found', cert: again };
    return again;
  }

  private retry() {
    const v = this.view;
    if (v.kind === 'found') {
      // the image failed: fresh links, a new try
      this.image = 'loading';
      void this.lookup(v.cert.bib);
    } else if (v.kind !== 'idle') void this.lookup(v.bib);
  }

  private async download(format: CertificateFormat) {
    if (this.busy) return;
    this.busy = format;
    this.actionError = null;
    this.note = null;
    try {
      const cert = await this.fresh();
      if (!cert) return;
      const url = format === 'png' ? cert.png_url : cert.pdf_url;
      const filename = format === 'png' ? cert.png_filename : cert.pdf_filename;
      let blob: Blob | null = null;
      try {
        blob = await fetchSignedFile(url);
      } catch (e) {
        if (e instanceof ApiRequestError) throw e;
      }
      if (blob) saveBlob(blob, filename);
      else {
        // A host page's CSP or a proxy refused the fetch: let the browser download the signed link itself.
        const a = document.createElement('a');
        a.href = url;
        a.download = filename;
        a.rel = 'noopener';
        a.click();
      }
      this.note = this.t(() =>
        format === 'png'
          ? msg('Your certificate image is downloading.', { id: 'certificate.saved-png' })
          : msg('Your certificate PDF is downloading.', { id: 'certificate.saved-pdf' }),
      );
      emit(this, 'pf-certificate', { action: 'download', bib: cert.bib, name: cert.name, format });
    } catch (e) {
      const status = e instanceof ApiRequestError ? e.status : 0;
      this.actionError = this.t(() => errorMessage(status, (e as Error).message));
      emit(this, 'pf-error', { source: 'pf-certificate', message: this.actionError, status });
    } finally {
      this.busy = null;
    }
  }

  /** The link to share: this page showing this BIB. */
  private shareUrl(bib: string): string {
    return this.noUrl ? location.href : urlWith({ bib, photo: null, photo_at: null });
  }

  private async share() {
    const cert = this.certificate;
    if (!cert || this.busy) return;
    // Counted for the organiser's analytics (nothing personal; a failure is ignored).
    this.event.value?.client.analytics('share').catch(() => undefined);
    const url = this.shareUrl(cert.bib);
    this.actionError = null;
    this.note = null;
    this.manualLink = null;
    const title = this.t(() => msg(str`My finisher certificate — ${cert.event_name}`, { id: 'certificate.share-title' }));
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title, url });
        emit(this, 'pf-certificate', { action: 'share', bib: cert.bib, name: cert.name });
        return;
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        /* not allowed here: copy the link instead */
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      this.note = this.t(() => msg('Link copied: paste it to share your certificate.', { id: 'certificate.copied' }));
      emit(this, 'pf-certificate', { action: 'share', bib: cert.bib, name: cert.name });
    } catch {
      this.manualLink = url;
    }
  }

  private renderForm(): TemplateResult {
    return bibField({
      ids: { input: 'cert-bib', problem: 'cert-problem', hint: 'cert-hint' },
      value: this.text,
      problem: this.problem,
      formLabel: msg('Find your certificate', { id: 'certificate.form' }),
      label: msg('Your BIB number', { id: 'certificate.label' }),
      hint: msg('The number printed on your race bib, e.g. 427.', { id: 'certificate.hint' }),
      submit: msg('Show my certificate', { id: 'certificate.submit' }),
      onSubmit: (e) => this.onSubmit(e),
      onInput: (e) => this.onInput(e),
    });
  }

  private statusText(): string {
    const v = this.view;
    if (v.kind === 'loading') return msg(str`Looking for the certificate of BIB ${v.bib}…`, { id: 'certificate.loading' });
    if (this.note) return this.note;
    if (v.kind === 'found') {
      if (this.image === 'loading') return msg('Preparing your certificate…', { id: 'certificate.preparing' });
      if (this.image === 'loaded') return msg(str`Certificate of ${v.cert.name || v.cert.bib}`, { id: 'certificate.found' });
    }
    return '';
  }

  private renderFound(cert: PublicCertificate): TemplateResult {
    const alt = msg(str`Finisher certificate of ${cert.name || cert.bib}, BIB ${cert.bib}, ${cert.event_name}`, {
      id: 'certificate.alt',
    });
    const facts: [string, string][] = [[msg('BIB', { id: 'certificate.bib' }), cert.bib]];
    if (cert.category) facts.push([msg('Category', { id: 'certificate.category' }), cert.category]);
    if (cert.finish_time) facts.push([msg('Time', { id: 'certificate.time' }), cert.finish_time]);
    if (cert.rank) facts.push([msg('Place', { id: 'certificate.rank' }), formatNumber(cert.rank, this.formatTag)]);
    return html`<figure part="certificate">
        <div class="frame">
          <img
            part="preview"
            class=${this.image === 'loading' ? 'loading' : ''}
            src=${cert.png_url}
            width=${cert.width}
            height=${cert.height}
            alt=${alt}
            decoding="async"
            @load=${() => (this.image = 'loaded')}
            @error=${() => (this.image = 'error')}
          />
          ${
            this.image === 'loading'
              ? html`<div class="placeholder muted" aria-hidden="true">
                  ${msg('Preparing your certificate…', { id: 'certificate.preparing' })}
                </div>`
              : nothing
          }
          ${
            this.image === 'error'
              ? html`<div class="placeholder" part="error" role="alert">
                  <div>
                    <p class="error">${msg('The certificate image could not be loaded.', { id: 'certificate.image-error' })}</p>
                    <button class="btn" part="retry" @click=${this.retry}>${msg('Try again', { id: 'common.retry' })}</button>
                  </div>
                </div>`
              : nothing
          }
        </div>
        <figcaption part="summary">
          ${cert.name ? html`<span class="name">${cert.name}</span>` : nothing}
          <dl>
            ${facts.map(
              ([k, v]) =>
                html`<div>
                  <dt>${k}</dt>
                  <dd>${v}</dd>
                </div>`,
            )}
          </dl>
        </figcaption>
      </figure>
      <div class="actions" part="actions">
        <button class="btn primary" part="download-png" ?disabled=${this.busy !== null} @click=${() => this.download('png')}>
          ${icons.download}${msg('Download image (PNG)', { id: 'certificate.download-png' })}
        </button>
        <button class="btn primary" part="download-pdf" ?disabled=${this.busy !== null} @click=${() => this.download('pdf')}>
          ${icons.download}${msg('Download PDF', { id: 'certificate.download-pdf' })}
        </button>
        <button class="btn" part="share" ?disabled=${this.busy !== null} @click=${this.share}>
          ${icons.share}${msg('Share', { id: 'certificate.share' })}
        </button>
      </div>
      ${this.actionError ? html`<p class="error" part="error" role="alert">${this.actionError}</p>` : nothing}
      ${
        this.manualLink
          ? html`<div class="copy">
              <label for="cert-link">${msg('Copy this link to share your certificate:', { id: 'certificate.copy-label' })}</label>
              <input
                class="text-input"
                id="cert-link"
                part="copy-link"
                type="url"
                readonly
                .value=${this.manualLink}
                @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
              />
            </div>`
          : nothing
      }`;
  }

  private renderView(): TemplateResult | typeof nothing {
    const v = this.view;
    switch (v.kind) {
      case 'idle':
      case 'loading':
        return nothing;
      case 'found':
        return this.renderFound(v.cert);
      case 'unavailable':
        return html`<div class="notice" part="unavailable">
          <p>
            ${msg('Certificates for this event are not available yet. Come back once the results are published.', {
              id: 'certificate.unpublished',
            })}
          </p>
        </div>`;
      case 'not-found':
        return html`<div class="notice" part="not-found" role="alert">
          <p>${msg(str`No certificate for BIB ${v.bib}.`, { id: 'certificate.none' })}</p>
          <p class="muted">
            ${msg('Check the number on your bib. Results can take a while after the race, so try again later too.', {
              id: 'certificate.none-help',
            })}
          </p>
        </div>`;
      case 'error':
        return html`<div class="notice" part="error" role="alert">
          <p class="error">${v.message}</p>
          <button class="btn" part="retry" @click=${this.retry}>${msg('Try again', { id: 'common.retry' })}</button>
        </div>`;
    }
  }

  override render() {
    const value = this.event.value;
    if (this.silent) return nothing;
    if (!value || value.error) {
      return html`<div class="root" part="base">${featureNotice(value, value ? 'error' : 'connecting', '')}</div>`;
    }
    return html`<div class="root" part="base">
      ${this.renderForm()}
      <p class="status muted" part="status" role="status">${this.statusText()}</p>
      ${this.renderView()}
    </div>`;
  }
}

defineElement('pf-certificate', PfCertificate);

declare global {
  interface HTMLElementTagNameMap {
    'pf-certificate': PfCertificate;
  }
}
