import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import QRCode from 'qrcode';
import type { AdminEvent, CreatedKey, KeyList } from '../../core/api/admin.ts';
import { msg } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { safeStorage } from './upload-queue.ts';
import { embedSnippet, previewDocument } from './snippet.ts';

/**
 * Share an event: its publishable key (made here for this event if it has none; publishable keys are public, so
 * the console keeps the one it made in localStorage — a secret key is never shown), the embed snippet with a
 * live preview, and a QR code of the event link (SVG and PNG download).
 *
 * @element pfc-share
 */
@customElement('pfc-share')
export class PfcShare extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      iframe {
        width: 100%;
        height: 32rem;
        border: 1px solid var(--pf-color-border, #767676);
        border-radius: var(--pf-radius, 6px);
        background: #fff;
      }
      textarea {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.85rem;
        min-height: 9rem;
      }
      .qr img {
        width: 12rem;
        height: 12rem;
        image-rendering: pixelated;
        background: #fff;
      }
    `,
  ];

  @property({ attribute: false }) event!: AdminEvent;
  @state() private key: string | null = null;
  @state() private keyError: unknown = null;
  @state() private keys: KeyList | null = null;
  @state() private copied = false;
  @state() private link = '';
  @state() private qrSvg = '';
  @state() private qrPng = '';
  @state() private qrError: unknown = null;
  @state() private preview = false;

  private get storageKey() {
    return `pfc.pk.${this.org}.${this.event.event_id}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.key = safeStorage()?.getItem(this.storageKey) ?? null;
    this.link = this.event.page_url;
    void this.loadKeys();
    void this.makeQr();
  }

  private async loadKeys() {
    if (!this.canManage) return;
    try {
      this.keys = await this.api.get<KeyList>(this.api.admin(this.org, '/keys'));
      // A remembered key that was deleted or switched off is forgotten.
      if (
        this.key &&
        !this.keys.keys.some((k) => k.active && k.kind === 'publishable' && this.key!.startsWith(k.display.replace(/\*+$/, '')))
      ) {
        this.key = null;
        safeStorage()?.removeItem(this.storageKey);
      }
    } catch (e) {
      this.keyError = e;
    }
  }

  private async createKey() {
    this.keyError = null;
    try {
      const k = await this.api.post<CreatedKey>(this.api.admin(this.org, '/keys'), {
        kind: 'publishable',
        label: `${this.event.name} (console)`.slice(0, 100),
        event_ids: [this.event.event_id],
      });
      this.key = k.key;
      safeStorage()?.setItem(this.storageKey, k.key);
      void this.loadKeys();
    } catch (e) {
      this.keyError = e;
    }
  }

  private get snippet(): string {
    return this.key ? embedSnippet({ origin: location.origin, org: this.org, event: this.event, key: this.key }) : '';
  }

  private async copy() {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#snippet');
    if (!area) return;
    area.select();
    try {
      await navigator.clipboard.writeText(area.value);
    } catch {
      document.execCommand?.('copy');
    }
    this.copied = true;
  }

  private async makeQr() {
    this.qrError = null;
    const text = this.link.trim();
    if (!text) {
      this.qrSvg = this.qrPng = '';
      return;
    }
    try {
      const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      this.qrSvg = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      this.qrPng = await QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 1024 });
    } catch (e) {
      this.qrError = e;
    }
  }

  private fileName(ext: string) {
    return `${this.event.slug ?? `event-${this.event.event_id}`}-qr.${ext}`;
  }

  override render() {
    return html`<h1 tabindex="-1">${msg('Share', { id: 'console.tab.share' })}</h1>
      <h2>${msg('Publishable key', { id: 'console.publishable-key' })}</h2>
      <p class="muted">
        ${msg('A publishable key only reads this event’s photos; it is safe in a public page. Secret keys are never shown here.', { id: 'console.pk-help' })}
      </p>
      ${this.keyError ? errorBox(this.keyError) : nothing}
      ${
        this.key
          ? html`<p><code id="pk">${this.key}</code></p>`
          : this.canManage
            ? html`<button class="btn primary" type="button" @click=${this.createKey}>
                ${msg('Create a publishable key for this event', { id: 'console.create-pk' })}
              </button>`
            : html`<p>${msg('An owner or admin makes the key.', { id: 'console.pk-owner' })}</p>`
      }
      ${this.key ? this.renderSnippet() : nothing}
      <h2>${msg('QR code', { id: 'console.qr' })}</h2>
      <div class="field">
        <label for="link">${msg('Event link', { id: 'console.event-link' })}</label>
        <input
          id="link"
          type="url"
          .value=${this.link}
          @change=${(e: Event) => {
            this.link = (e.target as HTMLInputElement).value;
            void this.makeQr();
          }}
          aria-describedby="link-hint"
        />
        <span class="hint" id="link-hint"
          >${msg('The page where your participants find their photos (yours, with the snippet, or the hosted page).', { id: 'console.link-hint' })}</span
        >
      </div>
      ${this.qrError ? errorBox(this.qrError) : nothing}
      ${
        this.qrSvg
          ? html`<div class="qr">
              <img src=${this.qrSvg} alt=${msg('QR code of the event link', { id: 'console.qr-alt' })} />
              <div class="row">
                <a class="btn" href=${this.qrSvg} download=${this.fileName('svg')}
                  >${msg('Download SVG', { id: 'console.download-svg' })}</a
                >
                <a class="btn" href=${this.qrPng} download=${this.fileName('png')}
                  >${msg('Download PNG', { id: 'console.download-png' })}</a
                >
              </div>
            </div>`
          : nothing
      }`;
  }

  private renderSnippet() {
    const snippet = this.snippet;
    return html`<h2>${msg('Embed snippet', { id: 'console.snippet' })}</h2>
      <p>${msg('Paste this into any page of your site, where the photos should appear.', { id: 'console.snippet-help' })}</p>
      <div class="field">
        <label for="snippet">${msg('Snippet', { id: 'console.snippet-label' })}</label>
        <textarea id="snippet" readonly rows="8" .value=${snippet}></textarea>
      </div>
      <div class="row">
        <button class="btn" type="button" @click=${this.copy}>${msg('Copy the snippet', { id: 'console.copy-snippet' })}</button>
        <span aria-live="polite">${this.copied ? msg('Copied.', { id: 'console.copied' }) : ''}</span>
        <button
          class="btn"
          type="button"
          aria-expanded=${this.preview ? 'true' : 'false'}
          @click=${() => (this.preview = !this.preview)}
        >
          ${this.preview ? msg('Hide the preview', { id: 'console.hide-preview' }) : msg('Show a live preview', { id: 'console.show-preview' })}
        </button>
      </div>
      ${
        this.preview
          ? html`<iframe
              title=${msg('Preview of the snippet', { id: 'console.preview-title' })}
              .srcdoc=${previewDocument(snippet, this.locale)}
            ></iframe>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-share': PfcShare;
  }
}
