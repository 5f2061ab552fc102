import type { AppDeps } from '../deps.ts';
import type { ApiKeyRow, EventRow } from '../store/types.ts';

/** Hono context variables set by middleware. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    apiKey: ApiKeyRow;
    orgId: number;
    event: EventRow;
    /** The message of an error answer, for the request log line. */
    error: string;
  };
}
