import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbidden } from '../http/errors.ts';

/** Signed URLs: HMAC-SHA256 over path and expiry. The first key signs; every key verifies (rotation). */
export interface Signer {
  /** Returns the query string (`exp=…&kid=…&sig=…`) that authorises `path` until `ttlSeconds` from now. */
  sign(path: string, ttlSeconds?: number): string;
  verify(path: string, query: { exp?: string; sig?: string; kid?: string }): 'ok' | 'expired' | 'invalid';
  /** A stable secret for `purpose`, derived from the first key (base64url, 43 characters). */
  derive(purpose: string): string;
}

export const DEFAULT_URL_TTL_SECONDS = 3600;

export function createSigner(keys: string[], now: () => number = Date.now): Signer {
  if (keys.length === 0) throw new Error('at least one signing key is needed');
  const kid = (key: string) => createHmac('sha256', key).update('kid').digest('base64url').slice(0, 8);
  const ids = keys.map(kid);
  const mac = (key: string, path: string, exp: string) => createHmac('sha256', key).update(`${path}\n${exp}`).digest();
  return {
    sign(path, ttlSeconds = DEFAULT_URL_TTL_SECONDS) {
      const exp = String(Math.floor(now() / 1000) + ttlSeconds);
      return `exp=${exp}&kid=${ids[0]}&sig=${mac(keys[0]!, path, exp).toString('base64url')}`;
    },
    derive(purpose) {
      return createHmac('sha256', keys[0]!).update(`derive\n${purpose}`).digest('base64url');
    },
    verify(path, { exp, sig, kid: k }) {
      if (!exp || !sig || !/^\d+$/.test(exp)) return 'invalid';
      const i = k ? ids.indexOf(k) : -1;
      const candidates = i >= 0 ? [keys[i]!] : keys;
      const given = Buffer.from(sig, 'base64url');
      const valid = candidates.some((key) => {
        const want = mac(key, path, exp);
        return want.length === given.length && timingSafeEqual(want, given);
      });
      if (!valid) return 'invalid';
      return Number(exp) * 1000 < now() ? 'expired' : 'ok';
    },
  };
}

/** Checks a signed URL's query for `path`: 403 with `messages.expired` or `messages.invalid`, else returns. */
export function assertSigned(
  signer: Signer,
  path: string,
  query: { exp?: string; sig?: string; kid?: string },
  messages: { expired: string; invalid: string },
): void {
  const verdict = signer.verify(path, query);
  if (verdict === 'expired') throw forbidden(messages.expired);
  if (verdict !== 'ok') throw forbidden(messages.invalid);
}
