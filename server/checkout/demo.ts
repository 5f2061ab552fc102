import type { BlobStore } from '../blobs/types.ts';
import { createApiKey } from '../services/keys.ts';
import type { Store } from '../store/types.ts';

export interface ShopDemo {
  shop_event_id: number;
  shop_publishable_key: string;
}

/** Prices of the demo shop (EUR, tax included). */
export const DEMO_PLANS = [
  { name: 'One photo', kind: 'single', quantity: 1, price: 400 },
  { name: 'Bundle of 5 photos', kind: 'bundle', quantity: 5, price: 1500 },
  { name: 'All photos of my BIB', kind: 'all', quantity: null, price: 1900 },
] as const;

/**
 * A second demo event that sells its originals through the test gateway: the first `photos` photos of the
 * free demo event (same files and BIB tags), three published plans, checkout enabled, and a publishable
 * key for it. The free demo event is left as it is.
 */
export async function seedShopDemo(o: {
  store: Store;
  blobs: BlobStore;
  orgId: number;
  sourceEventId: number;
  name: string;
  photos: number;
  /** The bibs of each source photo (by image id) instead of its accepted tags (a first start reads them later). */
  bibsOf?: ReadonlyMap<string, string[]>;
}): Promise<ShopDemo> {
  const source = (await o.store.events.get(o.sourceEventId))!;
  const event = await o.store.events.create(o.orgId, {
    name: o.name,
    event_date: source.event_date,
    time_zone: source.time_zone,
    watermark_text: source.watermark_text,
    free_downloads: false,
  });
  const { items } = await o.store.images.list(source.id, { offset: 0, limit: o.photos });
  for (const img of items) {
    const data = await o.blobs.get(img.original_key);
    if (!data) continue;
    const bibs =
      o.bibsOf?.get(img.id) ?? (await o.store.bibs.listForImage(img.id)).filter((t) => t.status === 'accepted').map((t) => t.bib);
    const { ingestPhoto } = await import('../ingest/pipeline.ts'); // only while the shop is seeded
    const res = await ingestPhoto(o, event, { name: img.original_name, data, bibs });
    if (res.status === 'failed') throw new Error(`shop demo photo ${img.original_name} failed: ${res.error}`);
  }
  for (const p of DEMO_PLANS) {
    await o.store.checkout.createPlan(event.id, { ...p, currency: 'EUR', tax_inclusive: true, status: 'published' });
  }
  await o.store.checkout.putSettings(event.id, { enabled: true, gateway: 'test' });
  const key = await createApiKey(o.store, o.orgId, { kind: 'publishable', label: 'demo photo shop', eventIds: [event.id] });
  return { shop_event_id: event.id, shop_publishable_key: key.key };
}

/**
 * Adds the shop event to a demo's info when `shopPhotos` asks for one and it does not exist yet (also for a
 * data folder seeded before the shop existed).
 */
export async function withShopDemo<T extends { org_id: number; event_id: number; shop_event_id?: number }>(
  o: { store: Store; blobs: BlobStore; shopPhotos?: number; bibsOf?: ReadonlyMap<string, string[]> },
  info: T,
): Promise<T & Partial<ShopDemo>> {
  if (!o.shopPhotos) return info;
  if (info.shop_event_id && (await o.store.events.get(info.shop_event_id))) return info;
  const source = await o.store.events.get(info.event_id);
  const shop = await seedShopDemo({
    store: o.store,
    blobs: o.blobs,
    orgId: info.org_id,
    sourceEventId: info.event_id,
    name: `${source?.name ?? 'Demo event'} — photo shop`,
    photos: o.shopPhotos,
    ...(o.bibsOf ? { bibsOf: o.bibsOf } : {}),
  });
  return { ...info, ...shop };
}
