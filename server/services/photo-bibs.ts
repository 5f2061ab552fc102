/**
 * The bibs of one photo as the organiser sees and edits them (every tag, candidates and rejected ones too,
 * and the OCR scan), the manual tagging queue, and the issued list by page. All of it needs only the store:
 * it works when bib OCR is not configured on the server (bibs then come from sidecars and manual tags).
 */
import type { BibPhoto, BibPhotoPage, IssuedList } from '../../core/api/bibtrack.ts';
import { bibSearchKeys, normaliseBib, pageWindow, paginationInfo, type PageQuery } from '../../core/index.ts';
import { notFound } from '../http/errors.ts';
import type { BibStatus, BibTagRow, EventRow, ImageRow, Store } from '../store/types.ts';
import type { BibTrack } from './bibtrack.ts';
import { renditionPath } from './image-items.ts';
import { eventPhoto } from './photos.ts';

type StoreDeps = { store: Store };

/** A bib tag as the API shows it. */
export function toBibTag(t: BibTagRow) {
  return {
    tag_id: t.id,
    bib: t.bib,
    bib_norm: t.bib_norm,
    source: t.source,
    status: t.status,
    confidence: t.confidence,
    box: t.box,
    reviewed_at: t.reviewed_at,
  };
}

/** A stored photo with all its bib tags and its OCR scan; `base` is the public origin for the links. */
export async function toBibPhoto(store: Store, base: string, img: ImageRow): Promise<BibPhoto> {
  const [tags, scan] = await Promise.all([store.bibs.listForImage(img.id), store.bibs.getScan(img.id)]);
  const thumbs = img.renditions.filter((r) => r.kind === 'thumb').sort((a, b) => a.width - b.width);
  const preview = img.renditions.find((r) => r.kind === 'preview');
  const url = (key: string | undefined) => (key ? base + renditionPath(key) : '');
  return {
    image_id: img.id,
    original_name: img.original_name,
    width: img.width,
    height: img.height,
    thumbnail_url: url((thumbs.find((r) => r.width >= 320) ?? thumbs[0])?.blob_key),
    preview_url: url(preview?.blob_key),
    scan: scan ? { state: scan.state, reads: scan.reads, error: scan.error, scanned_at: scan.scanned_at } : null,
    bibs: tags.map(toBibTag),
  };
}

/** A photo of the event with its bib tags; 404 when the event has no such photo. */
export async function photoBibs({ store }: StoreDeps, base: string, event: EventRow, imageId: string): Promise<BibPhoto> {
  return toBibPhoto(store, base, await eventPhoto(store, event, imageId));
}

/** Tags a photo by hand (source `manual`, accepted at once). Adding the same bib again changes nothing. */
export async function addPhotoBib(
  { store }: StoreDeps,
  base: string,
  event: EventRow,
  imageId: string,
  bib: string,
): Promise<BibPhoto> {
  const img = await eventPhoto(store, event, imageId);
  await store.bibs.add(img.id, {
    bib: bib.trim(),
    bib_norm: normaliseBib(bib),
    source: 'manual',
    status: 'accepted',
    confidence: null,
    box: null,
  });
  return toBibPhoto(store, base, img);
}

/**
 * Removes a bib from a photo by hand, matching it as BIB search does (leading zeros ignored both ways): the
 * manual tag is deleted; a tag read by OCR or given by a sidecar is kept but marked `rejected`, so it stops
 * matching and a re-run does not bring it back. 404 when the photo has no such bib.
 */
export async function removePhotoBib(
  { store }: StoreDeps,
  base: string,
  event: EventRow,
  imageId: string,
  bib: string,
): Promise<BibPhoto> {
  const img = await eventPhoto(store, event, imageId);
  const key = (b: string) => bibSearchKeys(b).at(-1);
  const tags = (await store.bibs.listForImage(img.id)).filter((t) => key(t.bib_norm) === key(bib) && t.status !== 'rejected');
  if (tags.length === 0) throw notFound(`Photo ${imageId} has no bib ${bib}`);
  for (const t of tags) {
    if (t.source === 'manual') await store.bibs.remove(img.id, t.id);
    else await store.bibs.setStatus(img.id, t.id, 'rejected');
  }
  return toBibPhoto(store, base, img);
}

/** A person accepts or rejects a tag (of any source); a re-run keeps that decision. */
export async function reviewPhotoBib(
  { store }: StoreDeps,
  base: string,
  event: EventRow,
  imageId: string,
  tagId: number,
  status: Extract<BibStatus, 'accepted' | 'rejected'>,
): Promise<BibPhoto> {
  const img = await eventPhoto(store, event, imageId);
  if (!(await store.bibs.get(img.id, tagId))) throw notFound(`Photo ${imageId} has no bib tag ${tagId}`);
  await store.bibs.setStatus(img.id, tagId, status);
  return toBibPhoto(store, base, img);
}

/** Photos with no accepted bib (the manual tagging queue), in gallery order. */
export async function untaggedPhotos({ store }: StoreDeps, base: string, event: EventRow, q: PageQuery): Promise<BibPhotoPage> {
  const { items: ids, total } = await store.bibs.untaggedIds(event.id, pageWindow(q));
  const rows = await store.images.getMany(event.id, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const photos = await Promise.all(ids.flatMap((id) => (byId.has(id) ? [toBibPhoto(store, base, byId.get(id)!)] : [])));
  return { photos, pagination: paginationInfo(total, q.page, q.page_size) };
}

/** A page of the event's uploaded issued list, and how many certificate-record bibs count as issued too. */
export async function issuedList(
  { store }: StoreDeps,
  bibtrack: Pick<BibTrack, 'certificateBibs'>,
  event: EventRow,
  q: PageQuery,
): Promise<IssuedList> {
  const [{ items, total }, certs] = await Promise.all([
    store.bibs.listIssued(event.id, pageWindow(q)),
    bibtrack.certificateBibs(event.id),
  ]);
  return {
    bibs: items.map((b) => b.bib),
    pagination: paginationInfo(total, q.page, q.page_size),
    certificate_bibs: certs.length,
  };
}
