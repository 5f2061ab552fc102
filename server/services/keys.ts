import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRow, KeyKind, Store } from '../store/types.ts';

export const MAX_KEYS_PER_ORG = 10;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface NewKeyOptions {
  kind: KeyKind;
  label?: string | null;
  /** Publishable keys only: the events they may read (null = all events of the org). */
  eventIds?: number[] | null;
  /** Publishable keys only: allowed browser origins (null = any). */
  origins?: string[] | null;
}

/** Creates a key; the full key is returned once and only its hash is stored. */
export async function createApiKey(store: Store, orgId: number, opts: NewKeyOptions): Promise<{ key: string; row: ApiKeyRow }> {
  const existing = await store.keys.listForOrg(orgId);
  if (existing.length >= MAX_KEYS_PER_ORG) throw new Error(`an organisation has at most ${MAX_KEYS_PER_ORG} keys`);
  const key = `${opts.kind === 'secret' ? 'sk' : 'pk'}_${randomBytes(24).toString('base64url')}`;
  const origins = opts.kind === 'publishable' ? ((opts.origins ?? null)?.map(normaliseOrigin) ?? null) : null;
  const row = await store.keys.create({
    org_id: orgId,
    kind: opts.kind,
    prefix: key.slice(0, 8),
    hash: hashKey(key),
    label: opts.label ?? null,
    event_ids: opts.kind === 'publishable' ? (opts.eventIds ?? null) : null,
    origins,
  });
  return { key, row };
}

/** `https://A.example:443/` → `https://a.example`. Throws on something that is not an origin. */
export function normaliseOrigin(o: string): string {
  const u = new URL(o);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not a web origin: ${o}`);
  return u.origin;
}
