import type { AppDeps } from '../deps.ts';
import { unavailable } from '../http/errors.ts';

/** The server is healthy when its database answers a read; else 503 (and the cause is logged). */
export async function checkHealth(deps: Pick<AppDeps, 'store' | 'log'>): Promise<{ status: 'ok' }> {
  try {
    await deps.store.images.count(0);
  } catch (e) {
    deps.log.error('health check failed', { error: String(e) });
    throw unavailable('The database does not answer');
  }
  return { status: 'ok' };
}
