import { ContextProvider } from '@lit/context';
import { LitElement, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { EventDetails, FeatureFlag } from '../../core/api/models.ts';
import { ApiClient } from '../api/client.ts';
import { eventContext, type EventContextValue } from '../shared/context.ts';
import { defineElement, emit } from '../shared/define.ts';
import { eventStyles } from './pf-event.styles.ts';

/**
 * Connects the widgets to one event: makes the API client, reads the event's details (name, time zone,
 * feature flags) once, and provides both to the widgets inside it (@lit/context). A widget placed elsewhere
 * on the page joins with `event-ref="<id of this element>"`. Widgets whose feature is switched off for the
 * event show a short notice instead of their controls.
 *
 * @summary Provides the API client and event details to the widgets inside it.
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
 */
export class PfEvent extends LitElement {
  static override styles = eventStyles;

  @property() api = '';
  @property({ type: Number }) org = 0;
  @property({ type: Number }) event = 0;
  @property() key = '';
  @property({ attribute: 'api-key' }) apiKey = '';
  @property({ attribute: 'order-token' }) orderToken = '';

  private readonly provider = new ContextProvider(this, { context: eventContext });
  private abort: AbortController | null = null;

  /** The current value, for consumers that joined with event-ref. */
  get contextValue(): EventContextValue | undefined {
    return this.provider.value;
  }

  /** The event's details once loaded (null while loading or after an error). */
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
    const key = this.key || this.apiKey;
    if (!this.org || !this.event || !key) return;
    const client = new ApiClient({
      api: this.api,
      org: this.org,
      event: this.event,
      key,
      orderToken: this.orderToken || null,
    });
    const abort = (this.abort = new AbortController());
    const reload = () => this.load();
    this.set({ client, details: null, error: null, reload });
    client.details(abort.signal).then(
      (details) => !abort.signal.aborted && this.set({ client, details, error: null, reload }),
      (e: Error & { status?: number }) => {
        if (abort.signal.aborted) return;
        this.set({ client, details: null, error: e.message, status: e.status ?? 0, reload });
        emit(this, 'pf-error', { source: 'pf-event', message: e.message, status: e.status ?? 0 });
      },
    );
  }

  /** Reloads the details when the element comes back (a framework moved it), keeping the same client. */
  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.provider.value?.details) this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  override render() {
    return html`<slot></slot>`;
  }
}

defineElement('pf-event', PfEvent);

declare global {
  interface HTMLElementTagNameMap {
    'pf-event': PfEvent;
  }
}
