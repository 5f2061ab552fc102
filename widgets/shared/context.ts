import { createContext } from '@lit/context';
import type { EventDetails } from '../../core/index.ts';
import type { ApiClient } from '../api/client.ts';

/** What pf-event provides to the widgets inside it (or joined by event-ref). */
export interface EventContextValue {
  client: ApiClient;
  /** Event details once loaded; null while loading or when loading failed. */
  details: EventDetails | null;
  error: string | null;
}

export const eventContext = createContext<EventContextValue | undefined>(Symbol('pf-event'));
