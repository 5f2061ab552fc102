import type { Context, MiddlewareHandler } from 'hono';
import type { ApiKeyRow, RequestVersions, Store } from '../store/types.ts';
import { requestSource } from './analytics-source.ts';
import { passKeyLimits, requestOrigin } from './auth.ts';
import type { AppEnv } from './env.ts';
import { etagMatches } from './etag.ts';
import { finalAnswer } from './headers.ts';
import type { Limiter } from './rate-limit.ts';
import { versionsOf } from './versions.ts';

export { versionsOf };

/**
 * Ready answers: the public API's hot GETs (`images`, `bibs`, `details`) answered from memory, with one statement per
 * request.
 *
 * Every public API request first reads its versions in one statement (`versionsOf`: the access data version of
 * migration 017, and the path's event's gallery data version, photo count and certificates state), and everything the
 * server keeps in memory is keyed on them: the key, event and plan rows (services/access-cache.ts), the serialised
 * pages (services/gallery.ts). A route that built a 200 from those alone hands it here (`keepReady`), and it is kept
 * under everything its checks and its answer depend on: the raw key, the request's origin (Origin or Referer) and its
 * URL (host, path and query), at the versions read before it was built. The next request with the same inputs at the
 * same versions is answered as it was, without running the key, event and feature checks, the validators and the
 * handler again: they are functions of those inputs, whose rows cannot have changed while the versions have not
 * moved, by any process or replica sharing the database (triggers move them in the writing statement's transaction).
 *
 * A ready answer still passes the rate limits (when on) as the key check would (`passKeyLimits`: the same counts,
 * the same 429), and a kept bib search still counts its search in the analytics, as the route does. Not kept, so
 * always checked in full: requests with an X-Event-Token (a password token expires), other methods, errors, and
 * answers that depend on anything else (a bib search with face links: services/gallery.ts gives no entity tag).
 */

export interface ReadyAnswer {
  body: string;
  /** The entity tag (then If-None-Match gets a 304), or null for an answer without one (details). */
  etag: string | null;
  /** A bib search's first page: the search and whether it found photos, counted again on each answer. */
  search?: { eventId: number; hit: boolean };
}

interface Kept extends ReadyAnswer {
  versions: RequestVersions;
  apiKey: ApiKeyRow;
  orgId: number;
}

/** Answers kept per store (tests open many), most recently used last; beyond this the oldest goes. */
const MAX_ANSWERS = 2048;
const shelves = new WeakMap<Store, Map<string, Kept>>();

function shelfOf(store: Store) {
  let shelf = shelves.get(store);
  if (!shelf) shelves.set(store, (shelf = new Map()));
  return shelf;
}

const sameVersions = (a: RequestVersions, b: RequestVersions) =>
  a.access === b.access && a.gallery === b.gallery && a.total === b.total && a.certificates === b.certificates;

/** A route's 200, built from what this request's versions name: kept for the next identical request. */
export function keepReady(c: Context<AppEnv>, answer: ReadyAnswer): void {
  c.set('ready', answer);
}

/**
 * Answers with a ready answer, as the routes do: JSON, its entity tag (304 when If-None-Match names it), built whole
 * with the headers the middlewares would add (http/headers.ts finalAnswer).
 */
export function answerReady(c: Context<AppEnv>, answer: ReadyAnswer): Response {
  if (answer.etag) {
    if (etagMatches(c.req.header('if-none-match'), answer.etag)) return finalAnswer(c, null, 304, { ETag: answer.etag });
    return finalAnswer(c, answer.body, 200, { 'Content-Type': 'application/json', ETag: answer.etag });
  }
  return finalAnswer(c, answer.body, 200, { 'Content-Type': 'application/json' });
}

/** The middleware of the public API (before the key check): answers what is kept, keeps what routes hand in. */
export function readyAnswers(limiter: Limiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.header('x-api-key');
    if (c.req.method !== 'GET' || !raw || c.req.header('x-event-token') !== undefined) return next();
    const deps = c.get('deps');
    const shelf = shelfOf(deps.store);
    const id = `${raw}\n${requestOrigin(c) ?? ''}\n${c.req.url}`;
    const versions = await versionsOf(c);
    const kept = shelf.get(id);
    // With rate limits on, the answer counts in the key's limit as the full check would (429 when spent).
    if (kept && sameVersions(kept.versions, versions) && (await passKeyLimits(c, limiter, kept.apiKey))) {
      shelf.delete(id);
      shelf.set(id, kept);
      c.set('apiKey', kept.apiKey);
      c.set('orgId', kept.orgId);
      if (kept.search) await deps.analytics.search(kept.search.eventId, requestSource(c), 'bib', kept.search.hit);
      return answerReady(c, kept);
    }
    await next();
    const ready = c.get('ready');
    if (!ready || c.res.status !== 200) return;
    shelf.delete(id);
    shelf.set(id, { ...ready, versions, apiKey: c.get('apiKey'), orgId: c.get('orgId') });
    if (shelf.size > MAX_ANSWERS) shelf.delete(shelf.keys().next().value!);
  };
}
