import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret for a cookie or a link: 32 random bytes, base64url. Only its sha256 is stored. */
export const newToken = () => randomBytes(32).toString('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The session's CSRF token, derived from the session token (never stored): a page that can read the session's
 * data gets it; a cross-site form, which can make the browser send the cookie but cannot read anything, cannot.
 */
export const csrfTokenFor = (sessionToken: string) => createHmac('sha256', sessionToken).update('pf-csrf').digest('base64url');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
