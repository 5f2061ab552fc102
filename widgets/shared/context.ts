import { createContext } from '@lit/context';
import type { EventDetails } from '../../core/api/models.ts';
import type { ApiClient } from '../api/client.ts';

/** What pf-event provides to the widgets inside it (or joined by event-ref). */
export interface EventContextValue {
  client: ApiClient;
  /** Event details once loaded; null while loading or when loading failed. */
  details: EventDetails | null;
  /** Why the details could not be loaded, or null. */
  error: string | null;
  /** HTTP status of that failure (0 = network). */
  status?: number;
  /** Reads the event details again (for retry buttons). */
  reload?: () => void;
}

export const eventContext = createContext<EventContextValue | undefined>(Symbol.for('photo-finish/pf-event'));
