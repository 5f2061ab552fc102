import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { checkPublicAccess, eventRoutePart, SEARCH_ONLY } from '../services/event-access.ts';
import { getCookie } from 'hono/cookie';
import { mayUseEvent, refusal, type Principal } from '../auth/roles.ts';
import { csrfTokenFor, sameSecret } from '../auth/tokens.ts';
import { accessView } from '../services/access-cache.ts';
import { hashKey } from '../services/keys.ts';
import type { ApiKeyRow, EventSettings } from '../store/types.ts';
import type { AppEnv } from './env.ts';
import { ApiError, forbidden, notFound, unauthorized } from './errors.ts';
import type { Limiter } from './rate-limit.ts';
import { EventPath, OrgPath } from './params.ts';
import { parse } from './validate.ts';
import { versionsOf } from './versions.ts';

/**
 * A path id written plainly (a positive integer without sign, spaces or leading zeros, below 2^53): the number, as the
 * OrgPath/EventPath schemas would give it, without running them; anything else is null (then the schema parses it and
 * words the 422).
 */
function idParam(v: string | undefined): number | null {
  return v !== undefined && /^[1-9]\d{0,14}$/.test(v) ? Number(v) : null;
}

/** The browser origin of a request: Origin, else the Referer's origin (same-origin GETs carry no Origin). */
export function requestOrigin(c: Context): string | null {
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') return origin;
  const referer = c.req.header('referer');
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** The console's session cookie: HttpOnly, SameSite=Lax, Path=/, Secure behind HTTPS (routes/auth.ts sets it). */
export const SESSION_COOKIE = 'pf_session';
/** The header carrying the session's CSRF token on state-changing requests made with the cookie. */
export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Checks the X-API-Key of a request (see requireKey) and returns the key. */
const tooMany = (wait: number) => new ApiError(429, `Too many requests: retry in ${wait} s`, { 'Retry-After': String(wait) });

async function checkKey(c: Context<AppEnv>, raw: string | undefined, opts: { secretOnly?: boolean; limiter: Limiter }) {
  // With limits off (RATE_LIMIT_PER_MINUTE=0) no limiter key is computed at all (no client address look-up).
  const limited = opts.limiter.enabled !== false;
  const ip = limited ? clientIp(c) : '';
  // Missing and invalid keys are limited by client IP, checked before the key is looked up: guessing keys is
  // throttled like any other traffic (a valid key is limited per key and IP below).
  const badKeys = `bad-key|${ip}`;
  const refused = limited ? await opts.limiter.wait(badKeys) : 0;
  if (refused > 0) throw tooMany(refused);
  if (!raw) {
    if (limited) await opts.limiter.take(badKeys);
    throw unauthorized('Missing X-API-Key header: send your API key in the X-API-Key header');
  }
  // The key row as of the store's access data version: kept in memory until a key, event or plan is written. On the
  // public API the version comes with the request's other versions, in one statement (http/ready-answers.ts).
  const access = await accessView(
    c.get('deps').store,
    c.req.path.startsWith('/api/v1/ext/') ? (await versionsOf(c)).access : undefined,
  );
  c.set('access', access);
  const key = await access.key(hashKey(raw.trim()));
  if (limited && (!key || !key.active)) await opts.limiter.take(badKeys);
  if (!key) throw forbidden('Invalid API key');
  if (!key.active) throw forbidden('This API key is inactive');

  if (limited) await takeKeyLimit(opts.limiter, key, ip);

  if (opts.secretOnly && key.kind !== 'secret') throw forbidden('This route needs a secret key; publishable keys are read-only');
  const org_id = idParam(c.req.param('org_id')) ?? parse(OrgPath, { org_id: c.req.param('org_id') }).org_id;
  if (key.org_id !== org_id) throw forbidden('This API key does not belong to this organisation');
  checkOrigin(c, key);
  c.set('apiKey', key);
  c.set('orgId', org_id);
  return key;
}

/** Counts a request of a known, active key in its limit (per key and client IP): 429 when it is spent. */
async function takeKeyLimit(limiter: Limiter, key: ApiKeyRow, ip: string): Promise<void> {
  const wait = await limiter.take(`${key.id}|${ip}`);
  if (wait > 0) throw tooMany(wait);
}

/**
 * The rate limits a request of a known, active key passes through in checkKey, in the same order (the client's
 * bad-key wait, then the key's own limit), for an answer that skips the key look-up (http/ready-answers.ts). False
 * when the client is held back for bad keys: then the full check runs (and answers its 429).
 */
export async function passKeyLimits(c: Context<AppEnv>, limiter: Limiter, key: ApiKeyRow): Promise<boolean> {
  if (limiter.enabled === false) return true;
  const ip = clientIp(c);
  if ((await limiter.wait(`bad-key|${ip}`)) > 0) return false;
  await takeKeyLimit(limiter, key, ip);
  return true;
}

/**
 * Spec §1.2: header present (401), key known and active, org matches, event in org, host allowed (403).
 * Publishable keys are also limited to their events and origins, and to read-only use.
 */
export function requireKey(opts: { secretOnly?: boolean; limiter: Limiter }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await checkKey(c, c.req.header('x-api-key'), opts);
    await next();
  };
}

/**
 * The admin API's gate: a secret key (X-API-Key; it acts as an owner), or the console's session cookie of a
 * member of the path's organisation — then every state-changing method must carry the session's CSRF token in
 * X-CSRF-Token (403 without or wrong). A key wins when both are sent. Then the role's rules (auth/roles.ts):
 * a viewer only reads, a photographer only sees and uploads to their events.
 */
export function requireAdmin(opts: { limiter: Limiter }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.header('x-api-key');
    const token = getCookie(c, SESSION_COOKIE);
    let principal: Principal;
    if (raw !== undefined || !token) {
      if (!raw && !token)
        throw unauthorized('Missing X-API-Key header: send your API key in the X-API-Key header, or sign in to the console');
      principal = { kind: 'key', key: await checkKey(c, raw, { secretOnly: true, limiter: opts.limiter }), role: 'owner' };
    } else {
      const deps = c.get('deps');
      const active = await deps.auth.resolve(token);
      if (!active) throw unauthorized('Your session has ended: sign in again');
      const { org_id } = parse(OrgPath, { org_id: c.req.param('org_id') });
      const membership = await deps.auth.membership(org_id, active.user.id);
      if (!membership) throw forbidden('You are not a member of this organisation');
      if (!SAFE_METHODS.has(c.req.method.toUpperCase())) {
        const sent = c.req.header(CSRF_HEADER);
        if (!sent || !sameSecret(sent, csrfTokenFor(token)))
          throw forbidden(`Missing or wrong ${CSRF_HEADER} header: send the csrf_token of GET /api/v1/auth/session`);
      }
      const wait = opts.limiter.enabled !== false ? await opts.limiter.take(`user ${active.user.id}|${clientIp(c)}`) : 0;
      if (wait > 0) throw new ApiError(429, `Too many requests: retry in ${wait} s`, { 'Retry-After': String(wait) });
      principal = { kind: 'user', ...active, role: membership.role, eventIds: membership.event_ids };
      c.set('orgId', org_id);
    }
    // The path inside the organisation (`/events/3/uploads`); the deprecated `/event/3/…` alias is the same route.
    const inOrg = c.req.path.replace(/^\/api\/v1\/admin\/[^/]+/, '').replace(/^\/event\//, '/events/') || '/';
    const why = refusal(principal, c.req.method, inOrg);
    if (why) throw forbidden(why);
    c.set('principal', principal);
    await next();
  };
}

/** The message widgets show as it is when the page's origin is not allowed (CONTRACTS.md, issue 14). */
export const ORIGIN_NOT_ALLOWED = 'this site is not allowed to show these photos';

function checkOrigin(c: Context, key: ApiKeyRow) {
  if (key.kind !== 'publishable' || !key.origins || key.origins.length === 0) return;
  const origin = requestOrigin(c);
  if (!origin || !key.origins.includes(origin)) {
    throw forbidden(`${ORIGIN_NOT_ALLOWED} (origin ${origin ?? '(none)'} is not on this key's allow-list)`);
  }
}

/**
 * Loads the path's event: 404 when it does not exist, 403 when it is not the key's (or, for a console user, not
 * the organisation's, or a photographer's event not assigned to them). Runs after requireKey or requireAdmin.
 */
export const requireEvent: MiddlewareHandler<AppEnv> = async (c, next) => {
  const plain = idParam(c.req.param('org_id')) && idParam(c.req.param('event_id'));
  const { event_id } = plain
    ? { event_id: plain }
    : parse(EventPath, { org_id: c.req.param('org_id'), event_id: c.req.param('event_id') });
  const access = c.get('access') ?? (await accessView(c.get('deps').store));
  const event = await access.event(event_id);
  if (!event) throw notFound(`Event ${event_id} not found`);
  const principal = c.get('principal') as Principal | undefined;
  if (principal?.kind === 'user') {
    if (event.org_id !== c.get('orgId')) throw forbidden('This event does not belong to your organisation');
    if (!mayUseEvent(principal, event_id)) throw forbidden('This event is not assigned to you: ask an owner or admin');
    c.set('event', event);
    return next();
  }
  const key = c.get('apiKey');
  if (event.org_id !== key.org_id) throw forbidden('This event does not belong to your organisation');
  if (key.event_ids && !key.event_ids.includes(event_id)) throw forbidden('This API key is not valid for this event');
  if (key.kind === 'publishable' && !event.event_enabled) throw forbidden('This event is not open for external use');
  // Trial: every event of the organisation is private (as `visibility: private`), until it upgrades.
  if (key.kind === 'publishable' && c.get('deps').credits.eventsPrivateFor(await access.account(event.org_id)))
    throw notFound(`Event ${event_id} not found`);
  checkPublicAccess(c.get('deps').signer, key, event, eventRoutePart(c.req.path), c.req.header('x-event-token'));
  c.set('event', event);
  await next();
};

/** Gate for a switchable feature (spec §3.3): a flag that is off answers 403. */
export function requireFeature(...flags: (keyof EventSettings['flags'])[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const event = c.get('event');
    const off = flags.find((f) => !event.flags[f]);
    if (off) throw forbidden(`${off} is switched off for this event`);
    await next();
  };
}

/**
 * Listing every photo (`/images`, timeline windows) with a publishable key needs `show_all_images`: a search-only
 * event answers 403 while BIB, name and selfie search work.
 */
export const requireBrowsing: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('apiKey').kind === 'publishable' && !c.get('event').show_all_images) throw forbidden(SEARCH_ONLY);
  await next();
};
