import { WAITING_REASON } from '../../core/api/credits.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { EventRow, Store } from '../store/types.ts';
import { readCaptureTime } from './exif.ts';

/**
 * The credits gate of the ingest pipeline (issue 13, CONTRACTS.md). An organisation on a metered plan pays
 * `cost_per_photo` credits per processed photo, charged once per photo by a unique ledger key (organisation,
 * event_photo_indexing, image id) — so concurrent, killed and re-run ingests never charge twice. Without credits the
 * photo is still received: its original is stored and its row inserted with state 'waiting_credits' (no renditions,
 * faces or tags); `processStoredPhoto` (ingest/stored.ts) processes it once credits arrive.
 */

/** 'free': not metered (unlimited plan, or a cost of 0); 'metered': charge before storing; 'wait': not enough credits. */
export type CreditDecision = 'free' | 'metered' | 'wait';

/** Before the work: whether the photo may be processed (a photo already charged, by a killed run, may). */
export async function creditGate(store: Store, event: EventRow, imageId: string): Promise<CreditDecision> {
  const acc = await store.credits.account(event.org_id);
  if (acc.plan === 'unlimited' || acc.cost_per_photo === 0) return 'free';
  if (await store.credits.isCharged(event.org_id, imageId)) return 'metered';
  return (await store.credits.balance(event.org_id)) >= acc.cost_per_photo ? 'metered' : 'wait';
}

/**
 * Right before the photo's row is written: charges it (one transaction that checks the balance). False when the
 * credits ran out meanwhile (another ingest took them): the photo then waits like the others.
 */
export async function chargePhoto(store: Store, event: EventRow, imageId: string): Promise<boolean> {
  const acc = await store.credits.account(event.org_id);
  if (acc.plan === 'unlimited' || acc.cost_per_photo === 0) return true;
  const outcome = await store.credits.chargePhoto({
    org_id: event.org_id,
    event_id: event.id,
    event_name: event.name,
    image_id: imageId,
    cost: acc.cost_per_photo,
  });
  return outcome !== 'insufficient';
}

export interface WaitingPhoto {
  id: string;
  hash: string;
  name: string;
  data: Buffer;
  originalKey: string;
  mime: string;
  width: number;
  height: number;
  bibs: string[];
  clockOffsetMs: number;
}

/**
 * Stores a photo without processing it: the original blob, then its row in state 'waiting_credits' and what its
 * processing will need (sidecar BIBs, clock offset). Returns whether a new row was written (false: it was there).
 */
export async function storeWaiting(store: Store, blobs: BlobStore, event: EventRow, p: WaitingPhoto): Promise<boolean> {
  const cameraTime = await readCaptureTime(p.data, event.time_zone).catch(() => null);
  await blobs.put(p.originalKey, p.data);
  const inserted = await store.images.insert({
    id: p.id,
    event_id: event.id,
    content_hash: p.hash,
    original_name: p.name,
    captured_at: cameraTime === null ? null : cameraTime + p.clockOffsetMs,
    width: p.width,
    height: p.height,
    mime: p.mime,
    bytes: p.data.length,
    original_key: p.originalKey,
    renditions: [],
    state: 'waiting_credits',
  });
  await store.credits.putWaiting({
    image_id: p.id,
    event_id: event.id,
    org_id: event.org_id,
    bibs: p.bibs,
    clock_offset_ms: p.clockOffsetMs,
  });
  return inserted;
}

export { WAITING_REASON };
