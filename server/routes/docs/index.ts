import { baseUrl } from '../../http/base-url.ts';
import { createRouter, defineRawRoute, type Router } from '../../http/route.ts';
import { renderApiPage } from './page.ts';
import { openApiDocument } from './openapi.ts';

export const openApiRoute = defineRawRoute({
  method: 'get',
  path: '/api/v1/openapi.json',
  tag: 'Operations',
  summary: 'This document',
  description: 'The OpenAPI 3.1 document of every route this server answers (not in the envelope).',
  auth: 'none',
  raw: { description: 'The OpenAPI 3.1 document', type: 'application/json' },
  errors: [],
});

export const apiPageRoute = defineRawRoute({
  method: 'get',
  path: '/docs/api',
  tag: 'Operations',
  summary: 'API reference page',
  description: 'This document as a readable page, rendered on the server (no scripts).',
  auth: 'none',
  raw: { description: 'The HTML page', type: 'text/html' },
  errors: [],
});

/**
 * `/api/v1/openapi.json` and `/docs/api`, built once from `app`'s declarations on first request (every
 * router is mounted by then).
 */
export function docsRoutes(app: Router): Router {
  let doc: Record<string, unknown> | null = null;
  let page: string | null = null;
  const document = () => (doc ??= openApiDocument(app));
  return createRouter()
    .openapi(openApiRoute, (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return c.json({ ...document(), servers: [{ url: baseUrl(c) }] });
    })
    .openapi(apiPageRoute, (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      c.header(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      return c.html((page ??= renderApiPage(document())));
    });
}
