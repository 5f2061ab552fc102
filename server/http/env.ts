import type { Principal } from '../auth/roles.ts';
import type { ActiveSession } from '../auth/service.ts';
import type { AppDeps } from '../deps.ts';
import type { AccessView } from '../services/access-cache.ts';
import type { ApiKeyRow, EventRow, RequestVersions } from '../store/types.ts';
import type { ReadyAnswer } from './ready-answers.ts';

/** Hono context variables set by middleware. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    apiKey: ApiKeyRow;
    /** Admin routes: who makes the request (a secret key, or a console user and their role). */
    principal: Principal;
    /** `/api/v1/auth/…` routes that need one: the signed-in session. */
    session: ActiveSession;
    orgId: number;
    event: EventRow;
    /** The key, event and plan rows at this request's access data version (services/access-cache.ts). */
    access: AccessView;
    /** The public API request's versions, read once in one statement (http/ready-answers.ts). */
    versions: RequestVersions;
    /** A route's 200 to keep for the next identical request (http/ready-answers.ts). */
    ready: ReadyAnswer;
    /** The answer already carries every header the app's middlewares add (http/headers.ts finalAnswer). */
    headersDone: boolean;
    /** The message of an error answer, for the request log line. */
    error: string;
  };
}
