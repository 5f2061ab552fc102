import type { OrgAccountRow } from '../store/credits-types.ts';
import type { ApiKeyRow, EventRow, Store } from '../store/types.ts';

/**
 * What the API's key and event checks read on every request (the key by its hash, the event, the organisation's plan),
 * kept in memory per store and valid for one access data version (migration 017: triggers move it on every write to
 * api_keys, events or org_accounts, by any process or replica). A request reads the version (one primary-key row) and
 * then takes the rows kept at that version, reading the store only for what it has not seen since the last write.
 * So a revoked key, a switched-off event or a changed plan is seen by the next request on every server, as without
 * the cache. Unknown keys are never kept (guessing keys cannot fill the memory).
 */
export interface AccessView {
  key(hash: string): Promise<ApiKeyRow | null>;
  event(id: number): Promise<EventRow | null>;
  account(orgId: number): Promise<OrgAccountRow>;
}

/** Rows kept per kind; more (one server answering for many organisations) drops the oldest. */
const MAX_ENTRIES = 10_000;

interface Kept<T> {
  version: number;
  value: T;
}

class Shelf<K, T> {
  private readonly rows = new Map<K, Kept<T>>();
  async take(version: number, k: K, read: () => Promise<T>, keep: (v: T) => boolean = () => true): Promise<T> {
    const kept = this.rows.get(k);
    if (kept && kept.version === version) return kept.value;
    // Read after the version was: if a write lands between the two reads, the row is newer than its tag and the
    // next request (which sees the new version) reads it again. Never the other way round.
    const value = await read();
    if (keep(value)) {
      this.rows.delete(k);
      this.rows.set(k, { version, value });
      if (this.rows.size > MAX_ENTRIES) this.rows.delete(this.rows.keys().next().value!);
    } else this.rows.delete(k);
    return value;
  }
  clear() {
    this.rows.clear();
  }
}

class AccessCache {
  private readonly keys = new Shelf<string, ApiKeyRow | null>();
  private readonly events = new Shelf<number, EventRow | null>();
  private readonly accounts = new Shelf<number, OrgAccountRow>();
  private latest = -1;
  constructor(private readonly store: Store) {}

  async view(known?: number): Promise<AccessView> {
    const version = known ?? (await this.store.keys.accessVersion());
    if (version > this.latest) {
      // Everything kept is of an older version: drop it rather than let it wait for its eviction.
      this.latest = version;
      this.keys.clear();
      this.events.clear();
      this.accounts.clear();
    }
    const { store } = this;
    return {
      key: (hash) =>
        this.keys.take(
          version,
          hash,
          () => store.keys.findByHash(hash),
          (row) => row !== null,
        ),
      event: (id) =>
        this.events.take(
          version,
          id,
          () => store.events.get(id),
          (row) => row !== null,
        ),
      account: (orgId) => this.accounts.take(version, orgId, () => store.credits.account(orgId)),
    };
  }
}

const caches = new WeakMap<Store, AccessCache>();

/**
 * The access rows of this request, at the store's current access data version, or at `version` when the request
 * already read it (KeyStore.requestVersions, read in the same request before anything kept is used).
 */
export function accessView(store: Store, version?: number): Promise<AccessView> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new AccessCache(store)));
  return cache.view(version);
}
