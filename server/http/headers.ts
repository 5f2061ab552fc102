import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './env.ts';

/**
 * Sets a header on the answer a handler already gave (middleware, after `next()`), in place.
 *
 * `c.header()` after the answer exists rebuilds it from its body stream: @hono/node-server then writes the
 * answer through a ReadableStream instead of writing its string at once, a large part of a small JSON answer's
 * cost. The answer's own `headers` are mutable (answers built by the app), so they take the header as they are;
 * an answer with immutable headers (one fetched from elsewhere) falls back to `c.header()`.
 */
export function setFinalHeader(c: Context, name: string, value: string, opts?: { append?: boolean }): void {
  try {
    const headers = c.res.headers;
    if (opts?.append) headers.append(name, value);
    else headers.set(name, value);
  } catch {
    c.header(name, value, opts);
  }
}

/**
 * CORS for embedding (any origin; the key's own origin rules are checked by requireKey) with hono's `cors` answers,
 * without its cost on every answer: hono's middleware touches `c.res` before the handler runs, which makes every
 * answer be rebuilt from a stream. A preflight (OPTIONS) is hono's own answer; every other answer gets the same
 * headers hono gives it (Access-Control-Allow-Origin, -Expose-Headers, `Vary: Origin`) after the handler ran.
 */
export function embedCors(opts: {
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
}): MiddlewareHandler<AppEnv> {
  const preflight = cors({ origin: (origin) => origin || '*', ...opts });
  const expose = opts.exposeHeaders.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    setFinalHeader(c, 'Access-Control-Allow-Origin', c.req.header('origin') || '*');
    if (expose) setFinalHeader(c, 'Access-Control-Expose-Headers', expose);
    setFinalHeader(c, 'Vary', 'Origin', { append: true });
  };
}
