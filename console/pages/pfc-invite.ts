import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { InvitationInfo } from '../../core/api/auth.ts';
import type { Session } from '../api.ts';
import { msg, str } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';

/**
 * An invitation link (`#/invite/<token>`): which organisation and role it is for, and a form (name, password)
 * that accepts it and signs in. An expired or used link says so in place.
 *
 * @element pfc-invite
 * @fires signed-in - detail: the session
 */
@customElement('pfc-invite')
export class PfcInvite extends ConsoleElement {
  @property() token = '';
  @state() private info: InvitationInfo | null = null;
  @state() private loadError: unknown = null;
  @state() private error: unknown = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.loadError = null;
    try {
      this.info = await this.api.request<InvitationInfo>(
        'GET',
        `/api/v1/auth/invitations/${encodeURIComponent(this.token)}`,
        undefined,
        {
          anonymous: true,
        },
      );
    } catch (e) {
      this.loadError = e;
    }
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    this.busy = true;
    this.error = null;
    try {
      const session: Session = await this.api.acceptInvitation(
        this.token,
        String(d.get('name') ?? '').trim(),
        String(d.get('password') ?? ''),
      );
      this.dispatchEvent(new CustomEvent('signed-in', { detail: session, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const i = this.info;
    return html`<h1 tabindex="-1">${msg('Invitation', { id: 'console.invitation' })}</h1>
      ${this.loadError ? errorBox(this.loadError, () => void this.load()) : nothing}
      ${!i && !this.loadError ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${
        i
          ? html`<p>${msg(str`You are invited to ${i.org_name} as ${i.role} (${i.email}).`, { id: 'console.invite-text' })}</p>
              ${this.error ? errorBox(this.error) : nothing}
              <form @submit=${this.submit}>
                <div class="field">
                  <label for="name">${msg('Your name', { id: 'console.your-name' })}</label>
                  <input id="name" name="name" type="text" autocomplete="name" required />
                </div>
                <div class="field">
                  <label for="password">${msg('Choose a password', { id: 'console.choose-password' })}</label>
                  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" />
                </div>
                <button class="btn primary" type="submit" ?disabled=${this.busy}>
                  ${msg('Accept and sign in', { id: 'console.accept-invite' })}
                </button>
              </form>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-invite': PfcInvite;
  }
}
