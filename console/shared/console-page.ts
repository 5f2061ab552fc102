import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from './console-element.ts';

/**
 * A console page that reads what it shows when it is connected: `read()` says what. A failed read is kept in
 * `loadError` and shown in place with Try again, and "Loading…" stands until `loaded` (`loadStatus()`).
 */
export abstract class ConsolePage extends ConsoleElement {
  @state() protected loadError: unknown = null;

  /** Reads the page's data into its state (throws on failure). */
  protected abstract read(): Promise<void>;

  /** Whether the page has something to show (its first read is done). */
  protected abstract get loaded(): boolean;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Reads again, keeping a failure in `loadError`. */
  protected async load(): Promise<void> {
    this.loadError = null;
    try {
      await this.read();
    } catch (e) {
      this.loadError = e;
    }
  }

  /** An admin API path of the organisation. */
  protected orgPath(rest: string): string {
    return this.api.admin(this.org, rest);
  }

  /** The read's failure with Try again, or "Loading…" until the page has something to show. */
  protected loadStatus(): TemplateResult {
    return html`${this.loadError ? errorBox(this.loadError, () => void this.load()) : nothing}
    ${!this.loaded && !this.loadError ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}`;
  }
}
