import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './env.ts';

/** The tus 1.0 headers a browser client sends and reads (CORS). */
const TUS_REQUEST_HEADERS = [
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Defer-Length',
  'Upload-Metadata',
  'Upload-Offset',
  'Upload-Concat',
  'X-HTTP-Method-Override',
];
const TUS_RESPONSE_HEADERS = [
  'Location',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Metadata',
  'Upload-Expires',
];

/** CORS for embedding, on `/api/*`, `/kit/*` and `/files/*` (app.ts). */
export const EMBED_CORS = {
  allowHeaders: [
    'X-API-Key',
    'Content-Type',
    'Idempotency-Key',
    'Range',
    'X-Order-Token',
    'X-Event-Token',
    'X-PF-Source',
    'X-CSRF-Token',
    ...TUS_REQUEST_HEADERS,
  ],
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  exposeHeaders: ['Retry-After', 'X-Request-Id', 'Content-Range', 'Content-Disposition', ...TUS_RESPONSE_HEADERS],
  maxAge: 600,
};
const EXPOSED = EMBED_CORS.exposeHeaders.join(',');

/** The request's id: the client's X-Request-Id when it is a short plain token (as hono's requestId), else a new UUID. */
export function requestIdOf(sent: string | undefined): string {
  return sent && sent.length <= 255 && !/[^\w\-=]/.test(sent) ? sent : crypto.randomUUID();
}

/**
 * Every header the app's middlewares add to an API answer (app.ts: nosniff and the request id; CORS and CORP on
 * `/api/*`), as one plain record, for an answer built whole (http/ready-answers.ts): `finalAnswer` marks it so the
 * middlewares leave it as it is, and @hono/node-server writes a plain record without walking a Headers object.
 */
export function finalHeaders(c: Context<AppEnv>): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Request-Id': c.get('requestId'),
    'Access-Control-Allow-Origin': c.req.header('origin') || '*',
    'Access-Control-Expose-Headers': EXPOSED,
    Vary: 'Origin',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
}

/** An API answer carrying `finalHeaders` and its own: the middlewares add nothing more to it. */
export function finalAnswer(c: Context<AppEnv>, body: string | null, status: number, headers: Record<string, string>): Response {
  c.set('headersDone', true);
  return new Response(body, { status, headers: { ...finalHeaders(c), ...headers } });
}

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
    if (c.get('headersDone')) return;
    setFinalHeader(c, 'Access-Control-Allow-Origin', c.req.header('origin') || '*');
    if (expose) setFinalHeader(c, 'Access-Control-Expose-Headers', expose);
    setFinalHeader(c, 'Vary', 'Origin', { append: true });
  };
}
