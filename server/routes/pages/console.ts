import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AppEnv } from '../../http/env.ts';

/**
 * The organiser console: the single page built by `npm run build:console` (`dist-console/`), at `/console/`.
 * It is a static app that calls the admin API with its session cookie; this file only serves it, under a strict
 * policy: scripts, styles and connections from this origin only, no framing of the console itself, no sniffing.
 * Images may be `blob:` (local previews of files being uploaded) and `data:` (the QR code). Frames: the share page
 * previews the embed snippet in a same-origin `srcdoc` frame.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "worker-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every console response. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Console not built</title></head><body><main><h1>The console is not built</h1><p>Run <code>npm run build</code> (or <code>npm run build:console</code>), then reload this page.</p></main></body></html>`;

/** `/console` → `/console/` (the page's relative asset URLs need the slash); `/console/` the page; `/console/assets/*` its files. */
export function consolePages(dir: string) {
  const app = new Hono<AppEnv>();
  const root = relative(process.cwd(), dir) || '.';
  const secure = (c: Context<AppEnv>) => {
    for (const [k, v] of Object.entries(CONSOLE_HEADERS)) c.header(k, v);
  };

  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/', (c) => {
    secure(c);
    c.header('Cache-Control', 'no-store');
    const file = join(dir, 'index.html');
    if (!existsSync(file)) return c.html(NOT_BUILT, 503);
    return c.html(readFileSync(file, 'utf8'));
  });
  app.use(
    '/console/assets/*',
    async (c, next) => {
      await next();
      secure(c);
      // Names carry a content hash: a new build is a new URL.
      if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    },
    serveStatic({ root, precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/console/, '') }),
  );
  return app;
}
