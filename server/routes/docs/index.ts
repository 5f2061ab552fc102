import { Hono } from 'hono';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { openApiDocument } from './openapi.ts';
import { renderApiPage } from './page.ts';

let doc: Record<string, unknown> | null = null;
let page: string | null = null;
/** The document is the same for every request (built from static schemas): build it once. */
const document = () => (doc ??= openApiDocument());

/** `/api/v1/openapi.json` (OpenAPI 3.1, generated from the zod schemas) and `/docs/api` (the same, readable). */
export const docsRoutes = new Hono<AppEnv>()
  .get('/api/v1/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ ...document(), servers: [{ url: baseUrl(c) }] });
  })
  .get('/docs/api', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
    return c.html((page ??= renderApiPage(document())));
  });
