import { createHash, randomBytes } from 'node:crypto';
import type { CreatedKey, CreateKeyRequest, DeletedKey, KeyItem, KeyList } from '../../core/api/admin.ts';
import { ApiError, conflict, notFound, unprocessable } from '../http/errors.ts';
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

type StoreDeps = { store: Store };

/** The organisation's keys, never the keys themselves. */
export async function listKeys({ store }: StoreDeps, orgId: number): Promise<KeyList> {
  const rows = await store.keys.listForOrg(orgId);
  return { keys: rows.map(toKeyItem), max_keys: MAX_KEYS_PER_ORG };
}

/** A new key from the admin API: the full key is in the answer, once. */
export async function createKey(
  { store, credits }: StoreDeps & { credits?: { requireProduct(orgId: number, product: 'api_keys'): Promise<void> } },
  orgId: number,
  req: CreateKeyRequest,
): Promise<CreatedKey> {
  // Secret keys are the Developer Zone (Enterprise on metered plans, issue 13); publishable keys embed the widgets on every plan.
  if (req.kind === 'secret') await credits?.requireProduct(orgId, 'api_keys');
  const { key, row } = await createApiKey(store, orgId, {
    kind: req.kind,
    label: req.label ?? null,
    eventIds: req.event_ids ?? null,
    origins: req.origins ?? null,
  });
  return { ...toKeyItem(row), key };
}

/**
 * Activates or deactivates a key; the key making the request (`callerKeyId`; null for a console session) cannot
 * deactivate itself (409).
 */
export async function setKeyActive(
  { store }: StoreDeps,
  orgId: number,
  keyId: number,
  active: boolean,
  callerKeyId: number | null,
): Promise<KeyItem> {
  if (!active && keyId === callerKeyId)
    throw conflict('This is the key making the request: deactivate it with another secret key');
  if (!(await store.keys.setActive(orgId, keyId, active))) throw notFound(`Key ${keyId} not found in organisation ${orgId}`);
  const row = (await store.keys.listForOrg(orgId)).find((k) => k.id === keyId);
  if (!row) throw notFound(`Key ${keyId} not found in organisation ${orgId}`);
  return toKeyItem(row);
}

/** Deletes a key; the key making the request cannot delete itself (409). */
export async function deleteKey(
  { store }: StoreDeps,
  orgId: number,
  keyId: number,
  callerKeyId: number | null,
): Promise<DeletedKey> {
  if (keyId === callerKeyId) throw conflict('This is the key making the request: delete it with another secret key');
  if (!(await store.keys.delete(orgId, keyId))) throw notFound(`Key ${keyId} not found in organisation ${orgId}`);
  return { key_id: keyId, deleted: true };
}
