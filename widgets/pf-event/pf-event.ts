import { html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import type { EventDetails, FeatureFlag } from '../../core/api/models.ts';
import { ApiClient, pageSource } from '../api/client.ts';
import type { PfSearchDetail } from '../events.ts';
import { EventContextProvider, type EventContextValue, type Participant } from '../shared/context.ts';
import { defineElement, emit } from '../shared/define.ts';
import { PfElement } from '../shared/pf-element.ts';
import { eventStyles } from './pf-event.styles.ts';
import type { renderPassword } from './password.ts';

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

  // Reactive properties declared without decorators (no decorator runtime in a gallery page's scripts); the states
  // say `attribute: false` for the manifest's analyser, which would list them as attributes.
  static override properties = {
    api: {},
    org: { type: Number },
    event: { type: Number },
    key: {},
    apiKey: { attribute: 'api-key' },
    orderToken: { attribute: 'order-token' },
    locked: { state: true, attribute: false },
    passwordProblem: { state: true, attribute: false },
    checking: { state: true, attribute: false },
  };

  api = '';
  org = 0;
  event = 0;
  key = '';
  apiKey = '';
  orderToken = '';

  /** The password form is shown (the event needs its page password). */
  private locked = false;
  private passwordProblem: string | null = null;
  private checking = false;
  #passwordForm: { renderPassword: typeof renderPassword } | null = null;

  readonly #provider = new EventContextProvider(this);
  #abort: AbortController | null = null;
  /** Details read while locked: provided once the password is accepted. */
  #pending: EventDetails | null = null;
  #participant: Participant = { bib: null, selfie: null };

  readonly #onSearch = (e: Event) => {
    const d = (e as CustomEvent<PfSearchDetail>).detail;
    const origin = e.composedPath()[0] as HTMLElement & { eventRef?: string };
    const mine = e.composedPath().includes(this) || (!!this.id && origin?.eventRef === this.id);
    if (!mine || !d.query) return;
    if (d.method === 'bib') this.#participant = { ...this.#participant, bib: d.query };
    else if (d.method === 'selfie') this.#participant = { ...this.#participant, selfie: d.query };
    else return;
    const v = this.#provider.value;
    if (v) this.#set({ ...v, participant: this.#participant });
  };

  /** The current value, for consumers that joined with event-ref. */
  get contextValue(): EventContextValue | undefined {
    return this.#provider.value;
  }

  /** The event's details once loaded (null while loading, after an error, or until the page password is given). */
  get details(): EventDetails | null {
    return this.#provider.value?.details ?? null;
  }

  /** Whether a feature is on for this event: null while the details are not known. */
  feature(flag: FeatureFlag): boolean | null {
    const d = this.details;
    return d ? d[flag] : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The password form's module, the first time it is needed (an event without a password never fetches it).
    if (this.locked && !this.#passwordForm) {
      void import('./password.ts').then((m) => {
        if (this.#passwordForm) return;
        this.addStyles(...m.passwordStyles);
        this.#passwordForm = m;
        this.requestUpdate();
      });
    }
    if (changed.has('api') || changed.has('org') || changed.has('event') || changed.has('key') || changed.has('apiKey'))
      this.#load();
    else if (changed.has('orderToken') && this.#provider.value) {
      this.#provider.value.client.orderToken = this.orderToken || null;
    }
  }

  #set(value: EventContextValue) {
    this.#provider.setValue(value);
    emit(this, 'pf-event-change', value);
  }

  /** Reads the event details again (retry buttons call this). */
  reload(): void {
    this.#load();
  }

  #load() {
    this.#abort?.abort();
    this.locked = false;
    this.#pending = null;
    const key = this.key || this.apiKey;
    if (!this.org || !this.event || !key) return;
    const client: ApiClient = new ApiClient({
      api: this.api,
      org: this.org,
      event: this.event,
      key,
      orderToken: this.orderToken || null,
      source: pageSource(),
      onUnauthorized: () => this.#lock(client),
    });
    client.eventToken = storedToken(client);
    const abort = (this.#abort = new AbortController());
    const reload = () => this.#load();
    this.#set({ client, details: null, error: null, reload, participant: this.#participant });
    client.details(abort.signal).then(
      (details) => {
        if (abort.signal.aborted) return;
        if (details.password_required && !client.eventToken) {
          this.#pending = details;
          this.locked = true;
          return;
        }
        this.#open(client, details);
      },
      (e: Error & { status?: number }) => {
        if (abort.signal.aborted || this.locked) return;
        this.#set({ client, details: null, error: e.message, status: e.status ?? 0, reload, participant: this.#participant });
        emit(this, 'pf-error', { source: 'pf-event', message: e.message, status: e.status ?? 0 });
      },
    );
  }

  /** Provides the details to the widgets and counts the visit (once per page load and event). */
  #open(client: ApiClient, details: EventDetails) {
    this.#set({ client, details, error: null, reload: () => this.#load(), participant: this.#participant });
    if (!visited.has(client.eventKey)) {
      visited.add(client.eventKey);
      // When the page is idle: the visit waits behind the first thumbnails, never beside them on the link.
      const visit = () => void client.analytics('visit').catch(() => undefined);
      if ('requestIdleCallback' in globalThis) requestIdleCallback(visit, { timeout: 3000 });
      else setTimeout(visit, 0);
    }
  }

  /** The server answered 401: the token is missing or expired. Ask for the password again. */
  #lock(client: ApiClient) {
    if (client !== this.#provider.value?.client) return;
    storeToken(client, null);
    client.eventToken = null;
    this.#pending = null;
    if (!this.locked) {
      this.locked = true;
      this.passwordProblem = null;
    }
  }

  /** The password was right: keeps the token for the tab and shows the widgets. */
  #accepted(client: ApiClient, access: { token: string; expires_at: string }) {
    storeToken(client, access);
    client.eventToken = access.token;
    this.locked = false;
    // Details read before the password (the first load) are current; after an expiry, start afresh.
    if (this.#pending) this.#open(client, this.#pending);
    else this.#load();
    this.#pending = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pf-search', this.#onSearch);
    // Reloads the details when the element comes back (a framework moved it).
    if (this.hasUpdated && !this.#provider.value?.details && !this.locked) this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pf-search', this.#onSearch);
    this.#abort?.abort();
  }

  #renderPassword() {
    const form = this.#passwordForm;
    if (!form) return nothing;
    const client = this.#provider.value?.client;
    return form.renderPassword({
      name: this.#pending?.event_name,
      problem: this.passwordProblem,
      checking: this.checking,
      root: this.renderRoot,
      client,
      t: (fn) => this.t(fn),
      set: ({ problem, checking }) => {
        if (problem !== undefined) this.passwordProblem = problem;
        if (checking !== undefined) this.checking = checking;
      },
      accepted: (access) => this.#accepted(client!, access),
      rendered: () => this.updateComplete,
    });
  }

  override render() {
    return html`${this.locked ? this.#renderPassword() : nothing}<slot ?hidden=${this.locked}></slot>`;
  }
}

defineElement('pf-event', PfEvent);

declare global {
  interface HTMLElementTagNameMap {
    'pf-event': PfEvent;
  }
}
