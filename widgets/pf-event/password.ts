import { css, html, nothing, type TemplateResult } from 'lit';
import type { AccessToken } from '../../core/api/models.ts';
import { ApiRequestError, type ApiClient } from '../api/client.ts';
import { msg } from '../i18n/localize.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { errorMessage } from '../shared/feature.ts';

/** The form's styles, which pf-event adopts with this module (its field and button are controls). */
export const passwordStyles = [
  controlStyles,
  css`
    .password {
      display: grid;
      gap: 0.5em;
      max-width: 32em;
      padding: 1em;
      border: 1px solid var(--pf-color-border, #8a8a8a);
      border-radius: var(--pf-radius, 6px);
      background: var(--pf-color-surface, #f4f4f4);
    }
    .password .title {
      margin: 0;
      font-weight: 600;
    }
    .password .name,
    .password .hint,
    .password .error {
      margin: 0;
    }
    .password label {
      font-weight: 600;
    }
    .password .row {
      display: flex;
      gap: 0.5em;
      flex-wrap: wrap;
    }
    .password input {
      flex: 1 1 12em;
    }
  `,
];

/**
 * pf-event's page password form, a chunk of its own: only a password-protected event fetches it (pf-event imports
 * it when the details say `password_required`, or a request answers 401).
 */
export interface PasswordForm {
  /** The event's name, when the details came before the password. */
  name: string | null | undefined;
  /** "Wrong password" and other failures, or null. */
  problem: string | null;
  /** The password is being checked. */
  checking: boolean;
  /** pf-event's shadow root (the field is found there). */
  root: ParentNode;
  client: ApiClient | undefined;
  /** Runs `fn` in pf-event's language. */
  t<T>(fn: () => T): T;
  set(state: { problem?: string | null; checking?: boolean }): void;
  /** The password was right: keep the token, show the widgets. */
  accepted(access: AccessToken): void;
  /** Resolves once pf-event has rendered. */
  rendered(): Promise<unknown>;
}

async function submit(e: Event, f: PasswordForm) {
  e.preventDefault();
  const input = f.root.querySelector<HTMLInputElement>('#pf-password');
  const password = input?.value ?? '';
  if (!f.client || f.checking) return;
  if (!password) {
    f.set({ problem: f.t(() => msg('Enter the password of this event.', { id: 'event.password-empty' })) });
    input?.focus();
    return;
  }
  f.set({ checking: true, problem: null });
  try {
    f.accepted(await f.client.access(password));
  } catch (err) {
    const status = err instanceof ApiRequestError ? err.status : 0;
    f.set({
      problem: f.t(() =>
        status === 401
          ? msg('That password is not right. Check it and try again.', { id: 'event.password-wrong' })
          : errorMessage(status, (err as Error).message),
      ),
    });
    await f.rendered();
    f.root.querySelector<HTMLInputElement>('#pf-password')?.focus();
  } finally {
    f.set({ checking: false });
  }
}

/** The form (during pf-event's render: msg() speaks its language). */
export function renderPassword(f: PasswordForm): TemplateResult {
  return html`<form
    class="root password"
    part="password"
    aria-labelledby="pf-password-title"
    @submit=${(e: Event) => submit(e, f)}
    novalidate
  >
    <p id="pf-password-title" class="title">
      ${
        f.name
          ? msg('The photos of this event are protected by a password.', { id: 'event.password-title' })
          : msg('This event is protected by a password.', { id: 'event.password-title-short' })
      }
    </p>
    ${f.name ? html`<p class="name">${f.name}</p>` : nothing}
    <label for="pf-password">${msg('Event password', { id: 'event.password-label' })}</label>
    <div class="row">
      <input
        id="pf-password"
        class="text-input"
        part="password-input"
        type="password"
        autocomplete="current-password"
        aria-invalid=${f.problem ? 'true' : 'false'}
        aria-describedby=${f.problem ? 'pf-password-problem' : 'pf-password-hint'}
      />
      <button class="btn primary" part="password-button" type="submit" ?disabled=${f.checking}>
        ${msg('See the photos', { id: 'event.password-submit' })}
      </button>
    </div>
    ${
      f.problem
        ? html`<p id="pf-password-problem" class="error" part="password-problem" role="alert">${f.problem}</p>`
        : html`<p id="pf-password-hint" class="muted hint">
            ${msg('The organiser gives it on the race website, in an email or on a poster.', { id: 'event.password-hint' })}
          </p>`
    }
  </form>`;
}
