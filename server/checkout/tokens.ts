import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Order secrets. The download token is random and stored only as a hash. So that a replayed order request
 * (same Idempotency-Key) can hand the same token back, the token is also sealed with AES-256-GCM under a
 * key derived from the Idempotency-Key — which the server stores only hashed, too. Whoever holds the
 * database alone can recover neither.
 */

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const newDownloadToken = () => `pfo_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => sha256(`pf-order-token:${token}`);

/** Event-scoped lookup hash of an Idempotency-Key. */
export const hashIdempotencyKey = (eventId: number, key: string) => sha256(`pf-idem:${eventId}:${key}`);

const sealKey = (eventId: number, idemKey: string, orderId: string) =>
  Buffer.from(hkdfSync('sha256', idemKey, `pf-seal:${eventId}`, orderId, 32));

export function sealToken(token: string, eventId: number, idemKey: string, orderId: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', sealKey(eventId, idemKey, orderId), iv);
  const ct = Buffer.concat([c.update(token, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url');
}

/** The token, or null when the key does not open the seal. */
export function unsealToken(sealed: string, eventId: number, idemKey: string, orderId: string): string | null {
  try {
    const b = Buffer.from(sealed, 'base64url');
    const d = createDecipheriv('aes-256-gcm', sealKey(eventId, idemKey, orderId), b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Stable fingerprint of a request body (keys sorted), to refuse an Idempotency-Key reused for something else. */
export function fingerprint(value: unknown): string {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(norm)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, norm(x)]),
          )
        : v;
  return sha256(JSON.stringify(norm(value)));
}
