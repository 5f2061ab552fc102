import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { eventContext, type EventContextValue } from './context.ts';

type Host = ReactiveControllerHost & HTMLElement & { eventRef?: string };

/**
 * Gives a widget the pf-event value: from an ancestor pf-event (context), or from the pf-event whose id
 * the widget's `event-ref` attribute names, wherever it sits on the page.
 */
export class EventConsumer implements ReactiveController {
  value: EventContextValue | undefined;
  private readonly host: Host;
  private ref: HTMLElement | null = null;
  private readonly context: ContextConsumer<typeof eventContext, Host>;
  private readonly onChange = (e: Event) => this.update((e as CustomEvent<EventContextValue>).detail);

  constructor(
    host: Host,
    private readonly onValue?: (v: EventContextValue) => void,
  ) {
    this.host = host;
    host.addController(this);
    this.context = new ContextConsumer(host, {
      context: eventContext,
      subscribe: true,
      callback: (v) => {
        if (!host.eventRef && v) this.update(v);
      },
    });
  }

  hostConnected(): void {
    const id = this.host.eventRef;
    if (!id) {
      // pf-event not defined yet (the drop-in loader imports each element's module as it arrives, in any order):
      // nobody answered the context request; ask again once pf-event is defined (its instances upgrade first).
      if (!this.value && typeof customElements !== 'undefined' && !customElements.get('pf-event')) {
        void customElements.whenDefined('pf-event').then(() => {
          if (!this.value && this.host.isConnected && !this.host.eventRef) this.context.hostConnected();
        });
      }
      return;
    }
    // The provider may be defined later in the document: wait for it.
    const attach = () => {
      this.ref = document.getElementById(id);
      if (!this.ref) return false;
      this.ref.addEventListener('pf-event-change', this.onChange);
      const v = (this.ref as HTMLElement & { contextValue?: EventContextValue }).contextValue;
      if (v) this.update(v);
      return true;
    };
    if (!attach()) document.addEventListener('DOMContentLoaded', () => attach(), { once: true });
  }

  hostDisconnected(): void {
    this.ref?.removeEventListener('pf-event-change', this.onChange);
    this.ref = null;
  }

  private update(v: EventContextValue) {
    if (v === this.value) return;
    this.value = v;
    this.onValue?.(v);
    this.host.requestUpdate();
  }
}
