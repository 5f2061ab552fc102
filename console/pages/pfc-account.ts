import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Session } from '../api.ts';
import { msg } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';

/**
 * The signed-in user's account: who they are, their organisations and roles, a password change, and sign out
 * everywhere (every session of the user ends, this one included).
 *
 * @element pfc-account
 * @fires signed-out - after "Sign out everywhere"
 */
@customElement('pfc-account')
export class PfcAccount extends ConsoleElement {
  @property({ attribute: false }) session: Session | null = null;
  @state() private busy = false;
  @state() private error: unknown = null;
  @state() private done = '';
  @state() private mismatch = false;
  @state() private outError: unknown = null;

  private async changePassword(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const current = String(d.get('current') ?? '');
    const next = String(d.get('new') ?? '');
    this.mismatch = next !== String(d.get('confirm') ?? '');
    this.done = '';
    this.error = null;
    if (this.mismatch) return;
    this.busy = true;
    try {
      await this.api.post('/api/v1/auth/password', { current_password: current, new_password: next });
      form.reset();
      this.done = msg('Password changed.', { id: 'console.password-changed' });
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async everywhere() {
    this.outError = null;
    try {
      await this.api.logout(true);
      this.dispatchEvent(new CustomEvent('signed-out', { bubbles: true, composed: true }));
    } catch (err) {
      this.outError = err;
    }
  }

  override render() {
    const s = this.session;
    return html`<h1 tabindex="-1">${msg('Account', { id: 'console.account' })}</h1>
      ${
        s
          ? html`<p>${s.user.name ? html`${s.user.name} · ` : nothing}${s.user.email}</p>
              <h2>${msg('Organisations', { id: 'console.organisations' })}</h2>
              <ul>
                ${s.orgs.map((o) => html`<li>${o.name} — ${o.role}</li>`)}
              </ul>`
          : nothing
      }
      <h2 id="pw-title">${msg('Change the password', { id: 'console.change-password' })}</h2>
      ${this.error ? errorBox(this.error) : nothing}
      ${this.done ? html`<p class="notice" role="status">${this.done}</p>` : nothing}
      <form @submit=${this.changePassword} aria-labelledby="pw-title">
        <div class="field">
          <label for="current">${msg('Current password', { id: 'console.current-password' })}</label>
          <input id="current" name="current" type="password" autocomplete="current-password" required />
        </div>
        <div class="field">
          <label for="new">${msg('New password', { id: 'console.new-password' })}</label>
          <input id="new" name="new" type="password" autocomplete="new-password" required minlength="8" />
        </div>
        <div class="field">
          <label for="confirm">${msg('New password again', { id: 'console.confirm-password' })}</label>
          <input
            id="confirm"
            name="confirm"
            type="password"
            autocomplete="new-password"
            required
            aria-invalid=${this.mismatch ? 'true' : 'false'}
            aria-describedby="confirm-error"
          />
          <p class="field-error" id="confirm-error" role=${this.mismatch ? 'alert' : nothing}>
            ${this.mismatch ? msg('The two new passwords differ.', { id: 'console.password-mismatch' }) : nothing}
          </p>
        </div>
        <button class="btn primary" type="submit" ?disabled=${this.busy}>
          ${msg('Change the password', { id: 'console.change-password' })}
        </button>
      </form>
      <h2>${msg('Sessions', { id: 'console.sessions' })}</h2>
      <p>
        ${msg('Signed in on a shared or lost device? End every session of your account, this one included.', { id: 'console.everywhere-text' })}
      </p>
      ${this.outError ? errorBox(this.outError) : nothing}
      <button class="btn danger" type="button" @click=${this.everywhere}>
        ${msg('Sign out everywhere', { id: 'console.sign-out-everywhere' })}
      </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-account': PfcAccount;
  }
}
