import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';

export interface SiteOptions {
  /** Build output: photo-finish.js (drop-in), esm/, ort/. Served at /kit/. */
  distDir: string;
  /** The organiser console's build (`npm run build:console`). Served at /console/ (routes/pages/console.ts). */
  consoleDir: string;
  /** ONNX models for the browser worker. Served at /kit/models/. */
  modelsDir: string;
  /**
   * Demo pages (HTML with {{PLACEHOLDERS}} filled from data/demo.json, written by the seed), served at / — or null:
   * `photo-finish serve` serves no demo page.
   */
  demo: { dir: string; file: string } | null;
}

/**
 * The policy of the demo pages: the kit from this server (its selfie worker runs WebAssembly), nothing inline but
 * styles, never framed by another site.
 */
export const DEMO_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/** Strict policy of the CSP demo page: the kit must work without inline styles, eval or blob: workers. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

const PAGES: Record<string, { file: string; csp?: string }> = {
  '/': { file: 'index.html' },
  '/index.html': { file: 'index.html' },
  '/cms.html': { file: 'cms.html' },
  '/csp.html': { file: 'csp.html', csp: STRICT_CSP },
  '/shop.html': { file: 'shop.html' },
};

const YEAR = 'public, max-age=31536000, immutable';

/**
 * How long a browser or CDN may keep a kit file: a year for what cannot change under its URL (chunks named by their
 * content hash; models and the WebAssembly runtime asked for with `?v=` = their sha256 or version, as the selfie
 * worker does), five minutes for the rest (the loader, element entries, themes, the worker), which a kit upgrade
 * changes in place.
 */
export function kitCacheControl(path: string, versioned: boolean): string {
  if (/^\/kit\/esm\/chunks\/[^/]+-[\w-]{8}\.js$/.test(path)) return YEAR;
  if (versioned && /^\/kit\/(models|ort)\//.test(path)) return YEAR;
  return 'public, max-age=300';
}

export function staticRoutes(site: SiteOptions) {
  const app = new Hono<AppEnv>();
  const rel = (dir: string) => relative(process.cwd(), dir) || '.';

  // Registered before the files: serveStatic answers without calling next(), so a header set after it never lands.
  app.use('/kit/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', kitCacheControl(c.req.path, c.req.query('v') !== undefined));
  });
  app.use(
    '/kit/models/*',
    // The browser's models have a brotli copy next to them (written by fetch-models): sent when accepted.
    serveStatic({ root: rel(site.modelsDir), precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/kit\/models/, '') }),
  );
  app.use(
    '/kit/*',
    serveStatic({ root: rel(site.distDir), precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/kit/, '') }),
  );

  const demo = site.demo;
  if (!demo) return app;
  app.get('/:page{(index|cms|csp|shop)\\.html}?', (c) => {
    const page = PAGES[c.req.path];
    if (!page) throw notFound('No such page');
    const file = join(demo.dir, page.file);
    if (!existsSync(file)) throw notFound('Demo page missing');
    const info = existsSync(demo.file) ? (JSON.parse(readFileSync(demo.file, 'utf8')) as Record<string, unknown>) : {};
    const base = new URL(c.req.url).origin;
    const html = readFileSync(file, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      if (name === 'BASE_URL') return base;
      const v = info[name.toLowerCase()];
      return v === undefined ? '' : String(v);
    });
    c.header('Content-Security-Policy', page.csp ?? DEMO_CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(html);
  });
  app.use('/demo/*', serveStatic({ root: rel(demo.dir), rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }));
  return app;
}
