import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/** Origins of the request URLs' prefixes (`scheme://host`), as URL gives them; few distinct, bounded anyway. */
const origins = new Map<string, string>();

/** The public origin to put in links: PUBLIC_URL when set, else the origin the request came to. */
export function baseUrl(c: Context<AppEnv>): string {
  const fixed = c.get('deps').publicUrl;
  if (fixed) return fixed;
  // The request URL as the node server builds it (scheme://host/path…): its origin comes from what precedes the path.
  const url = c.req.url;
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  if (slash < 0) return new URL(url).origin;
  const prefix = url.slice(0, slash);
  let origin = origins.get(prefix);
  if (origin === undefined) {
    origin = new URL(prefix).origin;
    if (origins.size >= 256) origins.clear();
    origins.set(prefix, origin);
  }
  return origin;
}
