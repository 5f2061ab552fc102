import { ContextProvider } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiClient } from '../api/client.ts';
import { eventContext, type EventContextValue } from '../shared/context.ts';
import { defineElement, emit } from '../shared/define.ts';

/**
 * Provides the API client and the event's details to the widgets inside it.
 * Widgets placed elsewhere on the page join with `event-ref="<id of this element>"`.
 *
 * @element pf-event
 * @attr api - API origin ('' = same origin as the page)
 * @attr org - organisation id
 * @attr event - event id
 * @attr key - publishable API key
 * @fires pf-error - when the event details cannot be loaded
 * @fires pf-event-change - when the provided value changes (for event-ref consumers)
 */
export class PfEvent extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  @property() api = '';
  @property({ type: Number }) org = 0;
  @property({ type: Number }) event = 0;
  @property() key = '';

  private readonly provider = new ContextProvider(this, { context: eventContext });
  private abort: AbortController | null = null;

  /** The current value, for consumers that joined with event-ref. */
  get contextValue(): EventContextValue | undefined {
    return this.provider.value;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') || changed.has('org') || changed.has('event') || changed.has('key')) this.load();
  }

  private set(value: EventContextValue) {
    this.provider.setValue(value);
    emit(this, 'pf-event-change', value);
  }

  /** Reads the event details again (used by retry buttons). */
  reload(): void {
    this.load();
  }

  private load() {
    this.abort?.abort();
    if (!this.org || !this.event || !this.key) return;
    const client = new ApiClient({ api: this.api, org: this.org, event: this.event, key: this.key });
    const abort = (this.abort = new AbortController());
    this.set({ client, details: null, error: null });
    client.details(abort.signal).then(
      (details) => !abort.signal.aborted && this.set({ client, details, error: null }),
      (e: Error) => {
        if (abort.signal.aborted) return;
        this.set({ client, details: null, error: e.message });
        emit(this, 'pf-error', { source: 'pf-event', message: e.message });
      },
    );
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
