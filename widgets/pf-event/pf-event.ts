import { ContextProvider } from '@lit/context';
import { html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { EventDetails, FeatureFlag } from '../../core/api/models.ts';
import { ApiClient, ApiRequestError, pageSource } from '../api/client.ts';
import type { PfSearchDetail } from '../events.ts';
import { msg } from '../i18n/localize.ts';
import { eventContext, type EventContextValue, type Participant } from '../shared/context.ts';
import { defineElement, emit } from '../shared/define.ts';
import { errorMessage } from '../shared/feature.ts';
import { PfElement } from '../shared/pf-element.ts';
import { eventStyles } from './pf-event.styles.ts';

/** Events whose visit was counted in this page load (by API origin, organisation and event). */
const visited = new Set<string>();

/** The page password's token of an event, kept for the browser tab's session (sessionStorage), until it expires. */
const tokenKey = (client: ApiClient) => `photo-finish:event-token:${client.eventKey}`;
function storedToken(client: ApiClient): string | null {
  try {
    const raw = sessionStorage.getItem(tokenKey(client));
    if (!raw) return null;
    const { token, expires_at } = JSON.parse(raw) as { token?: string; expires_at?: string };
    if (token && (!expires_at || Date.parse(expires_at) > Date.now())) return token;
    sessionStorage.removeItem(tokenKey(client));
  } catch {
    /* storage refused (sandboxed frame, privacy mode): the password is asked again on the next page load */
  }
  return null;
}
function storeToken(client: ApiClient, value: { token: string; expires_at: string } | null) {
  try {
    if (value) sessionStorage.setItem(tokenKey(client), JSON.stringify(value));
    else sessionStorage.removeItem(tokenKey(client));
  } catch {
    /* see storedToken */
  }
}

/**
 * Connects the widgets to one event: makes the API client, reads the event's details (name, time zone,
 * feature flags, settings) once, and provides both to the widgets inside it (@lit/context). A widget placed
 * elsewhere on the page joins with `event-ref="<id of this element>"`. Widgets whose feature is switched off for
 * the event show a short notice instead of their controls.
 *
 * When the organiser set a page password, it shows a password form instead of the widgets; the password is
 * traded for a short-lived token (kept for the browser tab's session), which every request then carries. When
 * the token expires, the form comes back. It counts one visit per page load (no cookies, nothing personal), and
 * passes the page URL's `source` parameter (a QR poster's) with every request.
 *
 * @summary Provides the API client and event details to the widgets inside it; asks for the page password.
 * @element pf-event
 * @attr api - API origin, e.g. https://photos.example.org ('' = the page's own origin)
 * @attr org - organisation id
 * @attr event - event id
 * @attr key - publishable API key
 * @attr api-key - the same as `key`, for frameworks that reserve `key` (React: `<PfEvent apiKey="pk_…">`)
 * @attr order-token - download token of a paid order (sent with original downloads); set by the checkout flow
 * @slot - the widgets of this event
 * @fires pf-event-change - the provided value changed: { client, details, error } (event-ref consumers listen)
 * @fires pf-error - the event details could not be loaded: { source, message, status }
 * @csspart password - the page password form
 * @csspart password-input - its field
 * @csspart password-button - its submit button
 * @csspart password-problem - "wrong password" and other failures
 */
export class PfEvent extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, eventStyles];

  @property() api = '';
  @property({ type: Number }) org = 0;
  @property({ type: Number }) event = 0;
  @property() key = '';
  @property({ attribute: 'api-key' }) apiKey = '';
  @property({ attribute: 'order-token' }) orderToken = '';

  /** The password form is shown (the event needs its page password). */
  @state() private locked = false;
  @state() private passwordProblem: string | null = null;
  @state() private checking = false;

  private readonly provider = new ContextProvider(this, { context: eventContext });
  private abort: AbortController | null = null;
  /** Details read while locked: provided once the password is accepted. */
  private pending: EventDetails | null = null;
  private participant: Participant = { bib: null, selfie: null };

  private readonly onSearch = (e: Event) => {
    const d = (e as CustomEvent<PfSearchDetail>).detail;
    const origin = e.composedPath()[0] as HTMLElement & { eventRef?: string };
    const mine = e.composedPath().includes(this) || (!!this.id && origin?.eventRef === this.id);
    if (!mine || !d.query) return;
    if (d.method === 'bib') this.participant = { ...this.participant, bib: d.query };
    else if (d.method === 'selfie') this.participant = { ...this.participant, selfie: d.query };
    else return;
    const v = this.provider.value;
    if (v) this.set({ ...v, participant: this.participant });
  };

  /** The current value, for consumers that joined with event-ref. */
  get contextValue(): EventContextValue | undefined {
    return this.provider.value;
  }

  /** The event's details once loaded (null while loading, after an error, or until the page password is given). */
  get details(): EventDetails | null {
    return this.provider.value?.details ?? null;
  }

  /** Whether a feature is on for this event: null while the details are not known. */
  feature(flag: FeatureFlag): boolean | null {
    const d = this.details;
    return d ? d[flag] : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') || changed.has('org') || changed.has('event') || changed.has('key') || changed.has('apiKey'))
      this.load();
    else if (changed.has('orderToken') && this.provider.value) {
      this.provider.value.client.orderToken = this.orderToken || null;
    }
  }

  private set(value: EventContextValue) {
    this.provider.setValue(value);
    emit(this, 'pf-event-change', value);
  }

  /** Reads the event details again (retry buttons call this). */
  reload(): void {
    this.load();
  }

  private load() {
    this.abort?.abort();
    this.locked = false;
    this.pending = null;
    const key = this.key || this.apiKey;
    if (!this.org || !this.event || !key) return;
    const client: ApiClient = new ApiClient({
      api: this.api,
      org: this.org,
      event: this.event,
      key,
      orderToken: this.orderToken || null,
      source: pageSource(),
      onUnauthorized: () => this.lock(client),
    });
    client.eventToken = storedToken(client);
    const abort = (this.abort = new AbortController());
    const reload = () => this.load();
    this.set({ client, details: null, error: null, reload, participant: this.participant });
    client.details(abort.signal).then(
      (details) => {
        if (abort.signal.aborted) return;
        if (details.password_required && !client.eventToken) {
          this.pending = details;
          this.locked = true;
          return;
        }
        this.open(client, details);
      },
      (e: Error & { status?: number }) => {
        if (abort.signal.aborted || this.locked) return;
        this.set({ client, details: null, error: e.message, status: e.status ?? 0, reload, participant: this.participant });
        emit(this, 'pf-error', { source: 'pf-event', message: e.message, status: e.status ?? 0 });
      },
    );
  }

  /** Provides the details to the widgets and counts the visit (once per page load and event). */
  private open(client: ApiClient, details: EventDetails) {
    this.set({ client, details, error: null, reload: () => this.load(), participant: this.participant });
    if (!visited.has(client.eventKey)) {
      visited.add(client.eventKey);
      client.analytics('visit').catch(() => undefined);
    }
  }

  /** The server answered 401: the token is missing or expired. Ask for the password again. */
  private lock(client: ApiClient) {
    if (client !== this.provider.value?.client) return;
    storeToken(client, null);
    client.eventToken = null;
    this.pending = null;
    if (!this.locked) {
      this.locked = true;
      this.passwordProblem = null;
    }
  }

  private async onPassword(e: Event) {
    e.preventDefault();
    const client = this.provider.value?.client;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#pf-password');
    const password = input?.value ?? '';
    if (!client || this.checking) return;
    if (!password) {
      this.passwordProblem = this.t(() => msg('Enter the password of this event.', { id: 'event.password-empty' }));
      input?.focus();
      return;
    }
    this.checking = true;
    this.passwordProblem = null;
    try {
      const access = await client.access(password);
      storeToken(client, access);
      client.eventToken = access.token;
      this.locked = false;
      // Details read before the password (the first load) are current; after an expiry, start afresh.
      if (this.pending) this.open(client, this.pending);
      else this.load();
      this.pending = null;
    } catch (err) {
      const status = err instanceof ApiRequestError ? err.status : 0;
      this.passwordProblem = this.t(() =>
        status === 401
          ? msg('That password is not right. Check it and try again.', { id: 'event.password-wrong' })
          : errorMessage(status, (err as Error).message),
      );
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#pf-password')?.focus();
    } finally {
      this.checking = false;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pf-search', this.onSearch);
    // Reloads the details when the element comes back (a framework moved it).
    if (this.hasUpdated && !this.provider.value?.details && !this.locked) this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pf-search', this.onSearch);
    this.abort?.abort();
  }

  private renderPassword() {
    const name = this.pending?.event_name;
    return html`<form
      class="root password"
      part="password"
      aria-labelledby="pf-password-title"
      @submit=${this.onPassword}
      novalidate
    >
      <p id="pf-password-title" class="title">
        ${
          name
            ? msg('The photos of this event are protected by a password.', { id: 'event.password-title' })
            : msg('This event is protected by a password.', { id: 'event.password-title-short' })
        }
      </p>
      ${name ? html`<p class="name">${name}</p>` : nothing}
      <label for="pf-password">${msg('Event password', { id: 'event.password-label' })}</label>
      <div class="row">
        <input
          id="pf-password"
          class="text-input"
          part="password-input"
          type="password"
          autocomplete="current-password"
          aria-invalid=${this.passwordProblem ? 'true' : 'false'}
          aria-describedby=${this.passwordProblem ? 'pf-password-problem' : 'pf-password-hint'}
        />
        <button class="btn primary" part="password-button" type="submit" ?disabled=${this.checking}>
          ${msg('See the photos', { id: 'event.password-submit' })}
        </button>
      </div>
      ${
        this.passwordProblem
          ? html`<p id="pf-password-problem" class="error" part="password-problem" role="alert">${this.passwordProblem}</p>`
          : html`<p id="pf-password-hint" class="muted hint">
              ${msg('The organiser gives it on the race website, in an email or on a poster.', { id: 'event.password-hint' })}
            </p>`
      }
    </form>`;
  }

  override render() {
    return html`${this.locked ? this.renderPassword() : nothing}<slot ?hidden=${this.locked}></slot>`;
  }
}

defineElement('pf-event', PfEvent);

declare global {
  interface HTMLElementTagNameMap {
    'pf-event': PfEvent;
  }
}
