import type { Context } from 'hono';
import type { RequestVersions } from '../store/types.ts';
import type { AppEnv } from './env.ts';

/** `/api/v1/ext/{org}/event/{event}/…`: the event a public API request is about. */
const EVENT_IN_PATH = /^\/api\/v1\/ext\/[^/]+\/event\/([1-9]\d{0,14})(?:\/|$)/;

/** This request's versions (KeyStore.requestVersions), read once, in one statement, before anything kept is used. */
export async function versionsOf(c: Context<AppEnv>): Promise<RequestVersions> {
  const read = c.get('versions');
  if (read) return read;
  const m = EVENT_IN_PATH.exec(c.req.path);
  const versions = await c.get('deps').store.keys.requestVersions(m ? Number(m[1]) : null);
  c.set('versions', versions);
  return versions;
}
