import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { AdminEventList } from '../../core/api/admin.ts';
import type { CreatedInvitation, InvitationItem, InvitationList, MemberItem, MemberList, Role } from '../../core/api/auth.ts';
import { msg } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { formatInstant } from '../shared/format.ts';

export type Member = MemberItem;
export type Invitation = InvitationItem;

const ROLES: Role[] = ['owner', 'admin', 'photographer', 'viewer'];

/**
 * Members of the organisation (role changes, removal) and invitations: invite by email and role (a photographer
 * for some events), copy the link to send it (no mail server), revoke a pending one.
 *
 * @element pfc-members
 */
@customElement('pfc-members')
export class PfcMembers extends ConsoleElement {
  @state() private members: Member[] | null = null;
  @state() private invitations: Invitation[] | null = null;
  @state() private events: AdminEventList['events'] = [];
  @state() private error: unknown = null;
  @state() private inviteError: unknown = null;
  @state() private created: CreatedInvitation | null = null;
  @state() private inviteRole: Role = 'photographer';
  @state() private copied = false;
  @state() private rowError: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Invitations not accepted yet. */
  private get pending(): Invitation[] {
    return (this.invitations ?? []).filter((i) => !i.accepted_at);
  }

  private roleLabel(r: Role): string {
    switch (r) {
      case 'owner':
        return msg('Owner', { id: 'console.role.owner' });
      case 'admin':
        return msg('Admin', { id: 'console.role.admin' });
      case 'photographer':
        return msg('Photographer', { id: 'console.role.photographer' });
      default:
        return msg('Viewer', { id: 'console.role.viewer' });
    }
  }

  private async load() {
    this.error = null;
    try {
      const [m, i, e] = await Promise.all([
        this.api.get<MemberList>(this.api.admin(this.org, '/members')),
        this.api.get<InvitationList>(this.api.admin(this.org, '/invitations')),
        this.api.get<AdminEventList>(this.api.admin(this.org, '/events?page_size=100')),
      ]);
      this.members = m.members;
      this.invitations = i.invitations;
      this.events = e.events;
    } catch (err) {
      this.error = err;
    }
  }

  private async invite(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const role = String(d.get('role')) as Role;
    const eventIds = d.getAll('event_ids').map(Number);
    this.inviteError = null;
    this.created = null;
    this.copied = false;
    try {
      this.created = await this.api.post<CreatedInvitation>(this.api.admin(this.org, '/invitations'), {
        email: String(d.get('email') ?? '').trim(),
        role,
        ...(role === 'photographer' && eventIds.length ? { event_ids: eventIds } : {}),
      });
      form.reset();
      this.inviteRole = 'photographer';
      void this.load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#invite-link')?.select();
    } catch (err) {
      this.inviteError = err;
    }
  }

  private async copy() {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#invite-link');
    if (!input) return;
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      document.execCommand?.('copy');
    }
    this.copied = true;
  }

  private async revoke(inv: Invitation) {
    this.rowError = null;
    try {
      await this.api.delete(this.api.admin(this.org, `/invitations/${inv.invitation_id}`));
      await this.load();
    } catch (err) {
      this.rowError = err;
    }
  }

  private async setRole(m: Member, role: Role) {
    this.rowError = null;
    try {
      await this.api.patch(this.api.admin(this.org, `/members/${m.user_id}`), { role });
      await this.load();
    } catch (err) {
      this.rowError = err;
      await this.load();
    }
  }

  private async removeMember(m: Member) {
    if (!confirm(msg('Remove this member from the organisation?', { id: 'console.remove-member-confirm' }) + `\n${m.email}`))
      return;
    this.rowError = null;
    try {
      await this.api.delete(this.api.admin(this.org, `/members/${m.user_id}`));
      await this.load();
    } catch (err) {
      this.rowError = err;
    }
  }

  override render() {
    return html`<h1 tabindex="-1">${msg('Members', { id: 'console.members' })}</h1>
      ${this.error ? errorBox(this.error, () => void this.load()) : nothing} ${this.rowError ? errorBox(this.rowError) : nothing}
      ${
        this.members
          ? html`<div class="table-wrap">
              <table>
                <caption class="visually-hidden">
                  ${msg('Members', { id: 'console.members' })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${msg('Email', { id: 'console.email' })}</th>
                    <th scope="col">${msg('Name', { id: 'console.name' })}</th>
                    <th scope="col">${msg('Role', { id: 'console.role' })}</th>
                    <th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'console.actions' })}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.members.map(
                    (m) =>
                      html`<tr>
                        <td>${m.email}</td>
                        <td>${m.name ?? ''}</td>
                        <td>
                          <select
                            aria-label=${`${msg('Role', { id: 'console.role' })}: ${m.email}`}
                            @change=${(e: Event) => this.setRole(m, (e.target as HTMLSelectElement).value as Role)}
                          >
                            ${ROLES.map((r) => html`<option value=${r} ?selected=${r === m.role}>${this.roleLabel(r)}</option>`)}
                          </select>
                        </td>
                        <td>
                          <button
                            class="btn small danger"
                            type="button"
                            aria-label=${`${msg('Remove', { id: 'console.remove' })} ${m.email}`}
                            @click=${() => this.removeMember(m)}
                          >
                            ${msg('Remove', { id: 'console.remove' })}
                          </button>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : !this.error
            ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>`
            : nothing
      }
      <h2 id="invite-title">${msg('Invite someone', { id: 'console.invite-title' })}</h2>
      <p>
        ${msg('No email is sent: copy the link and send it yourself. It works once and expires.', { id: 'console.invite-help' })}
      </p>
      ${this.inviteError ? errorBox(this.inviteError) : nothing}
      <form @submit=${this.invite} aria-labelledby="invite-title">
        <div class="field">
          <label for="invite-email">${msg('Email', { id: 'console.email' })}</label>
          <input id="invite-email" name="email" type="email" required />
        </div>
        <div class="field">
          <label for="invite-role">${msg('Role', { id: 'console.role' })}</label>
          <select
            id="invite-role"
            name="role"
            @change=${(e: Event) => (this.inviteRole = (e.target as HTMLSelectElement).value as Role)}
          >
            ${ROLES.filter((r) => r !== 'owner' || this.access === 'owner').map(
              (r) => html`<option value=${r} ?selected=${r === this.inviteRole}>${this.roleLabel(r)}</option>`,
            )}
          </select>
        </div>
        ${
          this.inviteRole === 'photographer' && this.events.length
            ? html`<fieldset>
                <legend>${msg('Events this photographer uploads to', { id: 'console.invite-events' })}</legend>
                ${this.events.map((ev) => html`<label class="check"><input type="checkbox" name="event_ids" value=${ev.event_id} /> ${ev.name}</label>`)}
              </fieldset>`
            : nothing
        }
        <button class="btn primary" type="submit">${msg('Create the invitation link', { id: 'console.invite-create' })}</button>
      </form>
      ${
        this.created
          ? html`<div class="card" role="status">
              <div class="field">
                <label for="invite-link">${msg('Invitation link', { id: 'console.invite-link' })}</label>
                <input id="invite-link" type="url" readonly .value=${this.created.url} />
              </div>
              <div class="row">
                <button class="btn" type="button" @click=${this.copy}>
                  ${msg('Copy the link', { id: 'console.copy-link' })}
                </button>
                <span aria-live="polite">${this.copied ? msg('Copied.', { id: 'console.copied' }) : ''}</span>
              </div>
            </div>`
          : nothing
      }
      <h2>${msg('Pending invitations', { id: 'console.pending-invitations' })}</h2>
      ${this.invitations && this.pending.length === 0 ? html`<p>${msg('None.', { id: 'console.none' })}</p>` : nothing}
      ${
        this.invitations?.length
          ? html`<ul>
              ${this.pending.map(
                (i) =>
                  html`<li class="row">
                    <span
                      >${i.email} — ${this.roleLabel(i.role)} — ${msg('expires', { id: 'console.expires' })}
                      ${formatInstant(i.expires_at, this.formatTag)}</span
                    >
                    <button
                      class="btn small"
                      type="button"
                      aria-label=${`${msg('Revoke', { id: 'console.revoke' })} ${i.email}`}
                      @click=${() => this.revoke(i)}
                    >
                      ${msg('Revoke', { id: 'console.revoke' })}
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-members': PfcMembers;
  }
}
