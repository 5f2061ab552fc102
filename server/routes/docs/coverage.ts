import type { Router } from '../../http/route.ts';

/**
 * Which routes an app serves and which its document lists, as `method path` with `{param}` placeholders:
 * the drift test and `npm run openapi` use it, so that a route added without a declaration is caught.
 */

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Route families that are the API (documented, the hosted event pages and the embed page included); the kit's static files and the demo pages are not. */
export const API_PATH = /^\/(api\/|files\/|healthz$|docs\/api$|pay\/|orders\/|e\/|embed\/)/;

/** The deprecated admin alias answers every event route again under `/event/`; it is documented once, in prose. */
export const DEPRECATED_ALIAS = /^\/api\/v1\/admin\/\{org_id\}\/event\//;

const openApiPath = (honoPath: string) =>
  honoPath
    .replace(/:(\w+)\{[^}]*\}/g, '{$1}')
    .replace(/:(\w+)/g, '{$1}')
    .replace(/\/$/, '');

export function servedRoutes(app: Router): Set<string> {
  const out = new Set<string>();
  for (const r of app.routes) {
    if (!METHODS.has(r.method)) continue;
    const path = openApiPath(r.path) || '/';
    if (API_PATH.test(path) && !DEPRECATED_ALIAS.test(path)) out.add(`${r.method.toLowerCase()} ${path}`);
  }
  return out;
}

export function documentedRoutes(doc: { paths?: Record<string, Record<string, unknown>> }): Set<string> {
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {}))
    for (const m of Object.keys(ops)) out.add(`${m} ${path.replace(/\/$/, '')}`);
  return out;
}

/** Served but not documented, and documented but not served. */
export function routeDrift(app: Router, doc: { paths?: Record<string, Record<string, unknown>> }) {
  const served = servedRoutes(app);
  const documented = documentedRoutes(doc);
  return {
    undocumented: [...served].filter((r) => !documented.has(r)).sort(),
    unserved: [...documented].filter((r) => !served.has(r)).sort(),
  };
}
