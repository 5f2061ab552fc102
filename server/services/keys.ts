import { createHash, randomBytes } from 'node:crypto';
import type { KeyItem } from '../../core/api/admin.ts';
import { ApiError, unprocessable } from '../http/errors.ts';
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
  if (existing.length >= MAX_KEYS_PER_ORG)
    throw new ApiError(409, `An organisation has at most ${MAX_KEYS_PER_ORG} keys: delete one you no longer use first`);
  if (opts.kind === 'publishable' && opts.eventIds) {
    for (const id of opts.eventIds) {
      const event = await store.events.get(id);
      if (!event || event.org_id !== orgId)
        throw unprocessable(`event_ids: event ${id} is not an event of organisation ${orgId}`);
    }
  }
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

/** Shown in key lists: the first characters of the key followed by `***`; the key itself is never shown again. */
export const keyDisplay = (row: Pick<ApiKeyRow, 'prefix'>) => `${row.prefix}***`;

export function toKeyItem(row: ApiKeyRow): KeyItem {
  return {
    key_id: row.id,
    kind: row.kind,
    label: row.label,
    display: keyDisplay(row),
    active: row.active,
    event_ids: row.event_ids,
    origins: row.origins,
    created_at: row.created_at,
  };
}
