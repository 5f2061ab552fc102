import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { createHash } from 'node:crypto';
import type { AccessToken } from '../../core/index.ts';
import { ApiError, notFound, unauthorized } from '../http/errors.ts';
import type { ThrottleStore } from '../store/throttle-types.ts';
import type { ApiKeyRow, EventRow } from '../store/types.ts';
import type { Signer } from './signing.ts';

/**
 * Who may read an event with a publishable key (secret keys are never limited here):
 *  - `visibility: private` → 404, as for an event that does not exist;
 *  - `status: draft` → 404 "not published yet", except `/details` (an embed can say so);
 *  - a page password → 401 without a valid `X-Event-Token` (from POST …/access), except `/details` and `/access`.
 * Tokens are signed (no server state): they name the event and a digest of the password's hash, so changing
 * or removing the password ends them, and they expire after ACCESS_TOKEN_TTL_SECONDS.
 */

export const ACCESS_TOKEN_TTL_SECONDS = 4 * 3600;
export const PASSWORD_NEEDED = 'this event needs its page password: send the token from POST …/access in X-Event-Token';
export const NOT_PUBLISHED = 'This event is not published yet';
export const SEARCH_ONLY = 'this event shows photos only through a search (BIB, name or selfie)';
export const WRONG_PASSWORD = 'Wrong page password';

/** Paths of an event a publishable key may read whatever the event's access settings (relative to the event). */
export type EventRoutePart = 'details' | 'access' | 'analytics' | 'other';

export function eventRoutePart(path: string): EventRoutePart {
  const m = /\/event\/\d+\/(details|access|analytics)\/?$/.exec(path);
  return (m?.[1] as EventRoutePart | undefined) ?? 'other';
}

const tokenPath = (event: Pick<EventRow, 'id' | 'page_password'>) =>
  `event-access/${event.id}/${createHash('sha256')
    .update(event.page_password ?? '')
    .digest('base64url')
    .slice(0, 16)}`;

export function issueAccessToken(signer: Signer, event: EventRow, now = Date.now()): AccessToken {
  const q = new URLSearchParams(signer.sign(tokenPath(event), ACCESS_TOKEN_TTL_SECONDS));
  const exp = Number(q.get('exp'));
  return {
    token: `${exp}.${q.get('kid')}.${q.get('sig')}`,
    expires_at: new Date(Math.min(exp * 1000, now + ACCESS_TOKEN_TTL_SECONDS * 1000)).toISOString(),
  };
}

export function validAccessToken(signer: Signer, event: EventRow, token: string | undefined): boolean {
  if (!token) return false;
  const [exp, kid, sig] = token.trim().split('.');
  if (!exp || !kid || !sig) return false;
  return signer.verify(tokenPath(event), { exp, kid, sig }) === 'ok';
}

/** Throws the refusal a publishable key gets for this event and route, or returns when it may read. */
export function checkPublicAccess(signer: Signer, key: ApiKeyRow, event: EventRow, part: EventRoutePart, token?: string) {
  if (key.kind !== 'publishable') return;
  if (event.visibility === 'private') throw notFound(`Event ${event.id} not found`);
  if (part === 'details') return;
  if (event.status === 'draft') throw notFound(NOT_PUBLISHED);
  // The password itself, and a visit to the password prompt, need no token.
  if (part === 'access' || part === 'analytics') return;
  if (event.page_password && !validAccessToken(signer, event, token)) throw unauthorized(PASSWORD_NEEDED);
}

export const hashPagePassword = (password: string) => argonHash(password);

/** Wrong guesses per client and event: 10 a minute, then 429. */
export const WRONG_PASSWORDS_PER_MINUTE = 10;

/**
 * POST …/access: the page password for a token (401 when wrong, 409-free: an event without password answers a token
 * too). Wrong guesses are counted in the Store's throttles (a token bucket per event and client): every replica
 * counts the same ones.
 */
export async function grantAccess(
  deps: { signer: Signer; store: { throttles: ThrottleStore } },
  event: EventRow,
  password: string,
  client: string,
  now = Date.now(),
): Promise<AccessToken> {
  const { signer } = deps;
  if (event.page_password) {
    const ok = await argonVerify(event.page_password, password).catch(() => false);
    if (!ok) {
      const wait = await deps.store.throttles.take(`page-password|${event.id}|${client}`, WRONG_PASSWORDS_PER_MINUTE, now);
      if (wait > 0) throw new ApiError(429, `Too many wrong passwords: retry in ${wait} s`, { 'Retry-After': String(wait) });
      throw unauthorized(WRONG_PASSWORD);
    }
  }
  return issueAccessToken(signer, event);
}
