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
  /** Demo pages (HTML with {{PLACEHOLDERS}} for the demo keys). Served at /. */
  demoDir: string;
  /** data/demo.json, written by the seed. */
  demoFile: string;
}

/** Strict policy of the CSP demo page: the kit must work without inline styles, eval or blob: workers. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'";

const PAGES: Record<string, { file: string; csp?: string }> = {
  '/': { file: 'index.html' },
  '/index.html': { file: 'index.html' },
  '/cms.html': { file: 'cms.html' },
  '/csp.html': { file: 'csp.html', csp: STRICT_CSP },
  '/shop.html': { file: 'shop.html' },
};

export function staticRoutes(site: SiteOptions) {
  const app = new Hono<AppEnv>();
  const rel = (dir: string) => relative(process.cwd(), dir) || '.';

  app.use(
    '/kit/models/*',
    serveStatic({ root: rel(site.modelsDir), rewriteRequestPath: (p) => p.replace(/^\/kit\/models/, '') }),
  );
  app.use(
    '/kit/*',
    serveStatic({ root: rel(site.distDir), precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/kit/, '') }),
    async (c, next) => {
      await next();
      if (c.res.ok && !c.req.path.endsWith('.html')) c.header('Cache-Control', 'public, max-age=300');
    },
  );

  app.get('/:page{(index|cms|csp|shop)\\.html}?', (c) => {
    const page = PAGES[c.req.path];
    if (!page) throw notFound('No such page');
    const file = join(site.demoDir, page.file);
    if (!existsSync(file)) throw notFound('Demo page missing');
    const demo = existsSync(site.demoFile) ? (JSON.parse(readFileSync(site.demoFile, 'utf8')) as Record<string, unknown>) : {};
    const base = new URL(c.req.url).origin;
    const html = readFileSync(file, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      if (name === 'BASE_URL') return base;
      const v = demo[name.toLowerCase()];
      return v === undefined ? '' : String(v);
    });
    if (page.csp) c.header('Content-Security-Policy', page.csp);
    c.header('Cache-Control', 'no-store');
    return c.html(html);
  });
  app.use('/demo/*', serveStatic({ root: rel(site.demoDir), rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }));
  return app;
}
