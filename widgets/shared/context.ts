import type { EventDetails } from '../../core/api/models.ts';
import type { ApiClient } from '../api/client.ts';

/** What the participant searched last on this event: the Call to Action and "download all" carry it. */
export interface Participant {
  /** The BIB of the last BIB or name search. */
  bib: string | null;
  /** The request_id of the last selfie search. */
  selfie: string | null;
}

/** What pf-event provides to the widgets inside it (or joined by event-ref). */
export interface EventContextValue {
  client: ApiClient;
  /** Event details once loaded (and, on a password-protected event, once the password was given); else null. */
  details: EventDetails | null;
  /** Why the details could not be loaded, or null. */
  error: string | null;
  /** HTTP status of that failure (0 = network). */
  status?: number;
  /** Reads the event details again (for retry buttons). */
  reload?: () => void;
  /** The participant's last searches (for the Call to Action). */
  participant?: Participant;
}

/**
 * The key of pf-event's context. pf-event and the widgets speak the community context protocol (what @lit/context
 * implements: a bubbling, composed `context-request` event that the provider answers through its callback, and
 * again on every change when the request subscribes), in a few lines of their own instead of @lit/context's
 * runtime; a host app's @lit/context `ContextConsumer` with this key gets the value too.
 */
export const eventContext = Symbol.for('photo-finish/pf-event');

/** A context request's callback: the value, and (to a subscriber) the way to stop the updates. */
export type ContextCallback = (value: EventContextValue | undefined, unsubscribe?: () => void) => void;

/** The `context-request` event of the context protocol. */
export class ContextRequestEvent extends Event {
  constructor(
    readonly context: unknown,
    readonly contextTarget: Element,
    readonly callback: ContextCallback,
    readonly subscribe?: boolean,
  ) {
    super('context-request', { bubbles: true, composed: true });
  }
}

/** pf-event's side: answers the requests for `eventContext` under `host`, and tells its subscribers each new value. */
export class EventContextProvider {
  value: EventContextValue | undefined;
  /** Each subscriber's callback, with its own (stable) way to unsubscribe. */
  readonly #subscribers = new Map<ContextCallback, () => void>();

  constructor(host: HTMLElement) {
    host.addEventListener('context-request', (e) => {
      const req = e as ContextRequestEvent;
      if (req.context !== eventContext) return;
      e.stopPropagation();
      const cb = req.callback;
      if (!req.subscribe) return cb(this.value);
      let unsubscribe = this.#subscribers.get(cb);
      if (!unsubscribe) this.#subscribers.set(cb, (unsubscribe = () => this.#subscribers.delete(cb)));
      cb(this.value, unsubscribe);
    });
  }

  setValue(value: EventContextValue): void {
    this.value = value;
    for (const [cb, unsubscribe] of this.#subscribers) cb(value, unsubscribe);
  }
}
