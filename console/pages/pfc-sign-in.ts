import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { msg } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';

/**
 * The sign-in form: "Email", "Password", "Sign in". Fires `signed-in` with the session. A wrong password, the
 * login throttle (429, with the wait) or an unreachable server show in place, above the form.
 *
 * @element pfc-sign-in
 * @fires signed-in - detail: the session (user, organisations, CSRF token)
 */
@customElement('pfc-sign-in')
export class PfcSignIn extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      form {
        max-width: 24rem;
        margin: 2rem auto;
      }
    `,
  ];

  @state() private busy = false;
  @state() private error: unknown = null;

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.error = null;
    try {
      const session = await this.api.login(String(data.get('email') ?? '').trim(), String(data.get('password') ?? ''));
      this.dispatchEvent(new CustomEvent('signed-in', { detail: session, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#password')?.select();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form @submit=${this.submit} aria-labelledby="title">
      <h1 id="title" tabindex="-1">${msg('Sign in to the console', { id: 'console.sign-in-title' })}</h1>
      ${this.error ? errorBox(this.error) : ''}
      <div class="field">
        <label for="email">${msg('Email', { id: 'console.email' })}</label>
        <input id="email" name="email" type="email" autocomplete="username" required ?aria-invalid=${!!this.error} />
      </div>
      <div class="field">
        <label for="password">${msg('Password', { id: 'console.password' })}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </div>
      <button class="btn primary" type="submit" ?disabled=${this.busy}>${msg('Sign in', { id: 'console.sign-in' })}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-sign-in': PfcSignIn;
  }
}
