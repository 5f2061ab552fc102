import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminEvent } from '../../core/api/admin.ts';
import { msg, str } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import type { MemberItem, MemberList } from '../../core/api/auth.ts';

/**
 * A photographer's camera clock offset for an event (owners and admins): seconds added to the capture time of
 * the photos that photographer uploads (a camera 2 minutes slow: +120), applied as each upload is processed.
 *
 * @element pfc-camera-clock
 */
@customElement('pfc-camera-clock')
export class PfcCameraClock extends ConsoleElement {
  @property({ attribute: false }) event!: AdminEvent;
  @state() private photographers: MemberItem[] = [];
  @state() private error: unknown = null;
  @state() private done = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const { members } = await this.api.get<MemberList>(this.api.admin(this.org, '/members'));
      this.photographers = members.filter((m) => m.role === 'photographer');
    } catch (e) {
      this.error = e;
    }
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    const user = Number(d.get('user'));
    const seconds = Math.round(Number(d.get('offset')));
    this.error = null;
    this.done = '';
    try {
      await this.api.put(this.api.admin(this.org, `/events/${this.event.event_id}/photographers/${user}`), {
        clock_offset_seconds: seconds,
      });
      const who = this.photographers.find((p) => p.user_id === user)?.email ?? String(user);
      this.done = msg(str`Clock offset of ${who}: ${seconds > 0 ? '+' : ''}${seconds} s.`, { id: 'console.clock-set' });
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (!this.canManage) return nothing;
    return html`<h2 id="clock-title">${msg('Camera clocks', { id: 'console.clock-title' })}</h2>
      <p class="muted">
        ${msg('A photographer’s camera set to the wrong time? Seconds added to the capture time of the photos they upload from now on (2 minutes slow: 120).', { id: 'console.clock-help' })}
      </p>
      ${this.error ? errorBox(this.error) : nothing}
      ${this.done ? html`<p class="notice" role="status">${this.done}</p>` : nothing}
      ${
        this.photographers.length
          ? html`<form class="row" @submit=${this.save} aria-labelledby="clock-title">
              <div class="field">
                <label for="clock-user">${msg('Photographer', { id: 'console.role.photographer' })}</label>
                <select id="clock-user" name="user">
                  ${this.photographers.map((p) => html`<option value=${p.user_id}>${p.name || p.email}</option>`)}
                </select>
              </div>
              <div class="field">
                <label for="clock-offset">${msg('Offset (seconds)', { id: 'console.clock-offset' })}</label>
                <input id="clock-offset" name="offset" type="number" step="1" value="0" required />
              </div>
              <button class="btn" type="submit">${msg('Set the offset', { id: 'console.clock-save' })}</button>
            </form>`
          : html`<p>${msg('No photographer in the organisation yet: invite one from Members.', { id: 'console.clock-none' })}</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-camera-clock': PfcCameraClock;
  }
}
