import { createContext } from '@lit/context';
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

export const eventContext = createContext<EventContextValue | undefined>(Symbol.for('photo-finish/pf-event'));
