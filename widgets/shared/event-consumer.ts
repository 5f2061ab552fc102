import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextRequestEvent, eventContext, type EventContextValue } from './context.ts';

type Host = ReactiveControllerHost & HTMLElement & { eventRef?: string };

/**
 * Gives a widget the pf-event value: from an ancestor pf-event (context), or from the pf-event whose id
 * the widget's `event-ref` attribute names, wherever it sits on the page.
 */
export class EventConsumer implements ReactiveController {
  value: EventContextValue | undefined;
  readonly #host: Host;
  #ref: HTMLElement | null = null;
  /** Stops the pf-event context's updates (set once a provider answered the request). */
  #unsubscribe: (() => void) | undefined;
  readonly #onChange = (e: Event) => this.#update((e as CustomEvent<EventContextValue>).detail);

  readonly #onValue: ((v: EventContextValue) => void) | undefined;

  constructor(host: Host, onValue?: (v: EventContextValue) => void) {
    this.#host = host;
    this.#onValue = onValue;
    host.addController(this);
  }

  /** Asks the nearest pf-event above for its value, and for every change of it. */
  #request() {
    this.#host.dispatchEvent(
      new ContextRequestEvent(
        eventContext,
        this.#host,
        (v, unsubscribe) => {
          // A second answer (a re-request) replaces the first subscription.
          if (this.#unsubscribe !== unsubscribe) this.#unsubscribe?.();
          this.#unsubscribe = unsubscribe;
          if (!this.#host.eventRef && v) this.#update(v);
        },
        true,
      ),
    );
  }

  hostConnected(): void {
    const id = this.#host.eventRef;
    if (!id) {
      this.#request();
      // pf-event not defined yet (the drop-in loader imports each element's module as it arrives, in any order):
      // nobody answered the context request; ask again once pf-event is defined (its instances upgrade first).
      if (!this.value && typeof customElements !== 'undefined' && !customElements.get('pf-event')) {
        void customElements.whenDefined('pf-event').then(() => {
          if (!this.value && this.#host.isConnected && !this.#host.eventRef) this.#request();
        });
      }
      return;
    }
    // The provider may be defined later in the document: wait for it.
    const attach = () => {
      this.#ref = document.getElementById(id);
      if (!this.#ref) return false;
      this.#ref.addEventListener('pf-event-change', this.#onChange);
      const v = (this.#ref as HTMLElement & { contextValue?: EventContextValue }).contextValue;
      if (v) this.#update(v);
      return true;
    };
    if (!attach()) document.addEventListener('DOMContentLoaded', () => attach(), { once: true });
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#ref?.removeEventListener('pf-event-change', this.#onChange);
    this.#ref = null;
  }

  #update(v: EventContextValue) {
    if (v === this.value) return;
    this.value = v;
    this.#onValue?.(v);
    this.#host.requestUpdate();
  }
}
