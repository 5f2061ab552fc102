import { html, type CSSResultGroup, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { PfElement } from '../../widgets/shared/pf-element.ts';
import { ConsoleError, type ConsoleApi, type Role } from '../api.ts';
import { msg } from '../i18n/index.ts';
import { consoleStyles } from './styles.ts';

/** The message to show for a failure, in the page, next to what failed. */
export function errorMessage(e: unknown): string {
  if (e instanceof ConsoleError) {
    if (e.status === 0)
      return msg('The server cannot be reached. Check the connection and try again.', { id: 'console.offline' });
    if (e.status === 429 && e.retryAfter)
      return `${e.message} (${msg('try again in', { id: 'console.try-again-in' })} ${e.retryAfter} s)`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** An error in place: announced by screen readers, never a blank page. */
export function errorBox(e: unknown, retry?: () => void): TemplateResult {
  return html`<div class="error" role="alert">
    <p>${errorMessage(e)}</p>
    ${retry ? html`<button class="btn small" type="button" @click=${retry}>${msg('Try again', { id: 'console.retry' })}</button>` : ''}
  </div>`;
}

/**
 * Base of every console element: the kit's PfElement (language per element, re-render on a language change) with
 * the console's styles and the session's inputs, set by the app shell.
 */
export class ConsoleElement extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, consoleStyles];

  @property({ attribute: false }) api!: ConsoleApi;
  /** The organisation the console is working in. */
  @property({ type: Number }) org = 0;
  /** The user's role in it. */
  @property() access: Role = 'viewer';

  /** Owners and admins change settings; photographers upload; viewers read. */
  get canManage(): boolean {
    return this.access === 'owner' || this.access === 'admin';
  }
  get canWrite(): boolean {
    return this.access !== 'viewer';
  }

  /** The page's heading, focused after navigation so screen readers announce the new page. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }
}
