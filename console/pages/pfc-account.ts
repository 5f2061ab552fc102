import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ModelRegistry } from '../../core/api/ml-models.ts';
import type { Session } from '../api.ts';
import { msg } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';

/**
 * The signed-in user's account: who they are, their organisations and roles, a password change, and sign out
 * everywhere (every session of the user ends, this one included). Owners, admins and viewers also see the model
 * registry of the server (GET /api/v1/admin/{org}/models): each model's package, licence, training data and status.
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
  @state() private models: ModelRegistry | null = null;
  @state() private modelsError: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadModels();
  }

  private async loadModels() {
    if (!this.org || this.access === 'photographer' || !this.api) return;
    this.modelsError = null;
    try {
      this.models = await this.api.get<ModelRegistry>(`/api/v1/admin/${this.org}/models`);
    } catch (err) {
      this.modelsError = err;
    }
  }

  private renderModels() {
    if (this.modelsError) return errorBox(this.modelsError, () => void this.loadModels());
    const r = this.models;
    if (!r) return nothing;
    const status = (s: string) =>
      s === 'verified'
        ? msg('installed', { id: 'console.model-verified' })
        : s === 'missing'
          ? msg('missing', { id: 'console.model-missing' })
          : msg('corrupt', { id: 'console.model-corrupt' });
    return html`<p>
        ${msg('Face pipeline', { id: 'console.face-pipeline' })}: <strong>${r.face_pipeline}</strong>
        (${r.pipelines.find((p) => p.active)?.label ?? ''})
      </p>
      <div class="table-wrap" tabindex="0" role="region" aria-label=${msg('Models on this server', { id: 'console.models' })}>
        <table id="models">
          <caption class="visually-hidden">
            ${msg('Models on this server', { id: 'console.models' })}
          </caption>
          <thead>
            <tr>
              <th scope="col">${msg('File', { id: 'console.model-file' })}</th>
              <th scope="col">${msg('Role', { id: 'console.role' })}</th>
              <th scope="col">${msg('Package', { id: 'console.model-package' })}</th>
              <th scope="col">${msg('Licence', { id: 'console.model-licence' })}</th>
              <th scope="col">${msg('Training data', { id: 'console.model-training' })}</th>
              <th scope="col">sha256</th>
              <th scope="col">${msg('Status', { id: 'console.status' })}</th>
            </tr>
          </thead>
          <tbody>
            ${r.models.map(
              (m) =>
                html`<tr>
                  <td>${m.file}</td>
                  <td>${m.role}</td>
                  <td>${m.package}</td>
                  <td>${m.licence}</td>
                  <td>${m.training_data}</td>
                  <td><code title=${m.sha256}>${m.sha256.slice(0, 12)}…</code></td>
                  <td>${status(m.status)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

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
      </button>
      ${
        this.models || this.modelsError
          ? html`<h2>${msg('Models on this server', { id: 'console.models' })}</h2>
              ${this.renderModels()}`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-account': PfcAccount;
  }
}
