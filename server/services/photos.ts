import type { AdminPhoto } from '../../core/api/admin.ts';
import { bibSearchKeys, normaliseBib } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { notFound } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { BibTagRow, EventRow, ImageRow, Store } from '../store/types.ts';
import { deleteBlobLogged } from './events.ts';

export function toAdminPhoto(img: ImageRow, tags: BibTagRow[]): AdminPhoto {
  return {
    image_id: img.id,
    original_name: img.original_name,
    captured_at: img.captured_at === null ? null : new Date(img.captured_at).toISOString(),
    width: img.width,
    height: img.height,
    bytes: img.bytes,
    mime: img.mime,
    bibs: tags.map((t) => ({ tag_id: t.id, bib: t.bib, source: t.source, status: t.status, confidence: t.confidence })),
  };
}

export async function eventPhoto(store: Store, event: EventRow, imageId: string): Promise<ImageRow> {
  const img = await store.images.get(event.id, imageId);
  if (!img) throw notFound(`Photo ${imageId} not found in event ${event.id}`);
  return img;
}

export async function photoWithTags(store: Store, event: EventRow, imageId: string): Promise<AdminPhoto> {
  const img = await eventPhoto(store, event, imageId);
  return toAdminPhoto(img, await store.bibs.listForImage(img.id));
}

/** Tags a photo by hand (source `manual`, accepted at once). Adding the same bib again changes nothing. */
export async function addManualBib(store: Store, event: EventRow, imageId: string, bib: string): Promise<AdminPhoto> {
  const img = await eventPhoto(store, event, imageId);
  await store.bibs.add(img.id, {
    bib: bib.trim(),
    bib_norm: normaliseBib(bib),
    source: 'manual',
    status: 'accepted',
    confidence: null,
    box: null,
  });
  return toAdminPhoto(img, await store.bibs.listForImage(img.id));
}

/**
 * Removes a bib from a photo by hand: the manual tag is deleted; a tag read by OCR or given by a sidecar
 * is kept but marked `rejected`, so it stops matching and a re-run does not bring it back.
 */
export async function removeBib(store: Store, event: EventRow, imageId: string, bib: string): Promise<AdminPhoto> {
  const img = await eventPhoto(store, event, imageId);
  // The tags BIB search would match for this bib (leading zeros ignored both ways).
  const key = (b: string) => bibSearchKeys(b).at(-1);
  const tags = (await store.bibs.listForImage(img.id)).filter((t) => key(t.bib_norm) === key(bib) && t.status !== 'rejected');
  if (tags.length === 0) throw notFound(`Photo ${imageId} has no bib ${bib}`);
  for (const t of tags) {
    if (t.source === 'manual') await store.bibs.remove(img.id, t.id);
    else await store.bibs.setStatus(img.id, t.id, 'rejected');
  }
  return toAdminPhoto(img, await store.bibs.listForImage(img.id));
}

/** Deletes a photo's rows (one transaction), then its blobs; a failed blob delete is logged, not fatal. */
export async function deletePhoto(
  deps: { store: Store; blobs: BlobStore; log: Logger },
  event: EventRow,
  imageId: string,
): Promise<{ blobsLeft: number }> {
  const keys = await deps.store.images.delete(event.id, imageId);
  if (!keys) throw notFound(`Photo ${imageId} not found in event ${event.id}`);
  let blobsLeft = 0;
  for (const key of keys) if (!(await deleteBlobLogged(deps, key))) blobsLeft++;
  return { blobsLeft };
}
