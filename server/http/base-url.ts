import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/** The public origin to put in links: PUBLIC_URL when set, else the origin the request came to. */
export function baseUrl(c: Context<AppEnv>): string {
  return c.get('deps').publicUrl ?? new URL(c.req.url).origin;
}
