import { createHash } from 'node:crypto';
import {
  bibSearchKeys,
  pageWindow,
  paginationInfo,
  type EventDetails,
  type FaceSearchData,
  type EventList,
  type ImagePage,
  type PageQuery,
  type TimelineDay,
  type TimelineDays,
} from '../../core/index.ts';
import type { FaceSearchRow } from '../store/face-types.ts';
import type { EventRow, Store } from '../store/types.ts';

/** What these reads need of the app's deps. */
type Deps = { store: Store };
import { confidenceOf, type FaceService } from './faces.ts';
import { coverUrl } from './events.ts';
import { toImageItem } from './image-items.ts';

/** What a participant browses: an event's details, its photos by page, by BIB and by capture time. */

export function toEventDetails(e: EventRow, imageCount: number, base: string, certificates: boolean): EventDetails {
  return {
    event_id: e.id,
    event_name: e.name,
    event_slug: e.slug,
    event_date: e.event_date,
    status: e.status,
    event_enabled: e.event_enabled,
    ...e.flags,
    video_selfie_search: e.flags.video_search && e.flags.video_selfie_search,
    time_zone: e.time_zone,
    free_downloads: e.free_downloads,
    image_count: imageCount,
    location: e.location,
    cover_image: coverUrl(base, e),
    event_type: e.event_type,
    show_all_images: e.show_all_images,
    bulk_download: e.bulk_download,
    web_download: e.web_download,
    show_photo_count: e.show_photo_count,
    photo_count: e.show_photo_count ? imageCount : null,
    password_required: e.page_password !== null,
    cta: e.cta,
    certificates,
  };
}

/**
 * `known`: the photo count and certificates state the request already read with its versions, in one statement
 * (KeyStore.requestVersions): then nothing more is read.
 */
export async function eventDetails(
  { store }: Deps,
  event: EventRow,
  base: string,
  known?: { total: number; certificates: boolean },
): Promise<EventDetails> {
  if (known) return toEventDetails(event, known.total, base, known.certificates);
  const [count, certificates] = await Promise.all([store.images.count(event.id), store.certificates.isPublished(event.id)]);
  return toEventDetails(event, count, base, certificates);
}

/**
 * The organisation's events; `eventIds` limits the list to a publishable key's events, `listedOnly` to the
 * public, published ones (what a publishable key lists: unlisted, private and draft events are left out).
 */
export async function eventList(
  { store }: Deps,
  base: string,
  orgId: number,
  q: PageQuery,
  key: { eventIds: number[] | null; listedOnly: boolean },
): Promise<EventList> {
  const { items, total } = await store.events.listForOrg(orgId, pageWindow(q), key.eventIds, { listedOnly: key.listedOnly });
  return {
    events: items.map((e) => ({
      event_id: e.id,
      event_name: e.name,
      event_slug: e.slug,
      event_date: e.event_date,
      status: e.status,
      cover_image: coverUrl(base, e),
    })),
    pagination: paginationInfo(total, q.page, q.page_size),
  };
}

/** A page of the event's photos in capture order; `base` is the public origin for the links. */
export async function imagePage({ store }: Deps, base: string, event: EventRow, q: PageQuery): Promise<ImagePage> {
  const { items, total } = await store.images.list(event.id, pageWindow(q));
  return { images: items.map((i) => toImageItem(base, i)), pagination: paginationInfo(total, q.page, q.page_size) };
}

/** A serialised answer and its entity tag. */
export interface CachedPage {
  etag: string;
  body: string;
}

/** Serialised pages kept per store (tests open many) and kind, most recently used last. */
const PAGE_CACHE_ENTRIES = { images: 512, bibs: 1024 };
const pageCaches = new WeakMap<Store, { images: Map<string, CachedPage>; bibs: Map<string, CachedPage & { total: number }> }>();

function pageCache(store: Store) {
  let cache = pageCaches.get(store);
  if (!cache) pageCaches.set(store, (cache = { images: new Map(), bibs: new Map() }));
  return cache;
}

/** Takes `key` from a most-recently-used map, or builds it and keeps it (`max` entries). */
async function kept<T>(cache: Map<string, T>, max: number, key: string, build: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const entry = await build();
  // Only a version read before the page was built keys it (a write meanwhile gives the next request a new version).
  cache.set(key, entry);
  while (cache.size > max) cache.delete(cache.keys().next().value!);
  return entry;
}

/**
 * A page of the event's photos, serialised (by `serialise`, which wraps it in the envelope) and kept by
 * (event, page, size, base URL, gallery data version): while the event's photos do not change, a page costs one
 * primary-key read (the version) and no serialising. The ETag names the same tuple, so a client holding it gets
 * a 304. The version moves with every write that can change a page, by any process (store `listVersion`).
 */
export async function imagePageCached(
  deps: Deps,
  base: string,
  event: EventRow,
  q: PageQuery,
  serialise: (page: ImagePage) => string,
  /** The gallery data version the request already read (KeyStore.requestVersions); else it is read here. */
  known?: number,
): Promise<CachedPage> {
  const version = known ?? (await deps.store.images.listVersion(event.id)).version;
  // created_at too: SQLite may give a deleted event's id to a new one.
  const key = `${event.id}|${event.created_at}|${version}|${q.page}|${q.page_size}|${base}`;
  return kept(pageCache(deps.store).images, PAGE_CACHE_ENTRIES.images, key, async () => {
    const page = await imagePage(deps, base, event, q);
    const tag = createHash('sha1').update(key).digest('base64url').slice(0, 16);
    return { etag: `W/"${event.id}.${version}.${tag}"`, body: serialise(page) };
  });
}

/**
 * `bibPage`, serialised and kept by (event, bib as typed, page, size, base URL, gallery data version), which bib tag
 * writes move too (migration 017): a repeated search costs one primary-key read, and the ETag names the tuple (304
 * when unchanged). With selfie search on and a face service, the page also depends on face links, so it is built
 * every time, without an ETag. `total` is the search's hit count (analytics counts a hit).
 */
export async function bibPageCached(
  deps: Deps & { faces?: FaceService },
  base: string,
  event: EventRow,
  bib: string,
  q: PageQuery,
  serialise: (page: ImagePage) => string,
  /** The gallery data version the request already read (KeyStore.requestVersions); else it is read here. */
  known?: number,
): Promise<{ body: string; total: number; etag: string | null }> {
  if (deps.faces && event.flags.selfie_search) {
    const page = await bibPage(deps, base, event, bib, q);
    return { etag: null, body: serialise(page), total: page.pagination.total };
  }
  const version = known ?? (await deps.store.images.listVersion(event.id)).version;
  const key = `${event.id}|${event.created_at}|${version}|${q.page}|${q.page_size}|${base}|${bib}`;
  return kept(pageCache(deps.store).bibs, PAGE_CACHE_ENTRIES.bibs, key, async () => {
    const page = await bibPage(deps, base, event, bib, q);
    const tag = createHash('sha1').update(key).digest('base64url').slice(0, 16);
    return { etag: `W/"${event.id}.${version}.${tag}"`, body: serialise(page), total: page.pagination.total };
  });
}

/**
 * A page of the photos tagged with a BIB (leading zeros and case ignored, see core/bib.ts). With selfie search on
 * (and a face service), the photos where a face linked to that bib appears with the bib hidden follow the tagged
 * ones (best first), and every photo says why it matched (`bib`, `face`, `both`).
 */
export async function bibPage(
  { store, faces }: Deps & { faces?: FaceService },
  base: string,
  event: EventRow,
  bib: string,
  q: PageQuery,
): Promise<ImagePage> {
  const keys = bibSearchKeys(bib);
  const window = pageWindow(q);
  if (!faces || !event.flags.selfie_search) {
    const { items, total } = await store.images.listByBib(event.id, keys, window);
    return { images: items.map((i) => toImageItem(base, i)), pagination: paginationInfo(total, q.page, q.page_size) };
  }
  const tagged = await store.images.idsByBib(event.id, keys);
  const byFace = await faces.bibFaceMatches(event, bib, new Set(tagged));
  const total = tagged.length + byFace.length;
  // The tagged part of the page in one query (gallery order), then the face matches after them.
  const taggedRows = window.offset < tagged.length ? (await store.images.listByBib(event.id, keys, window)).items : [];
  const facePage = byFace.slice(
    Math.max(0, window.offset - tagged.length),
    Math.max(0, window.offset + window.limit - tagged.length),
  );
  const faceRows = new Map(
    (facePage.length
      ? await store.images.getMany(
          event.id,
          facePage.map((h) => h.image_id),
        )
      : []
    ).map((r) => [r.id, r]),
  );
  // A tagged photo where the bib's runner's face is linked: both.
  const alsoFace = taggedRows.length
    ? await faces.bibFacesIn(
        event,
        bib,
        taggedRows.map((r) => r.id),
      )
    : new Map<string, number>();
  const images = [
    ...taggedRows.map((row) =>
      toImageItem(base, row, undefined, { match: alsoFace.has(row.id) ? 'both' : 'bib', match_confidence: 1 }),
    ),
    ...facePage.flatMap((h) => {
      const row = faceRows.get(h.image_id);
      return row ? [toImageItem(base, row, undefined, h)] : [];
    }),
  ];
  return { images, pagination: paginationInfo(total, q.page, q.page_size) };
}

/** Day and hour buckets of the event's photos, in the event's time zone. */
export async function timelineDays({ store }: Deps, event: EventRow): Promise<TimelineDays> {
  const days: TimelineDay[] = [];
  for (const b of await store.images.timelineBuckets(event.id)) {
    let day = days.at(-1);
    if (!day || day.date !== b.date) days.push((day = { date: b.date, total: 0, hours: [] }));
    day.hours.push({ hour: b.hour, count: b.count });
    day.total += b.count;
  }
  return { days, undated: await store.eventPage.countUndated(event.id) };
}

/** A page of the photos captured in [fromMs, toMs). */
export async function timelinePage(
  { store }: Deps,
  base: string,
  event: EventRow,
  window: { fromMs: number; toMs: number },
  q: PageQuery,
): Promise<ImagePage> {
  const { items, total } = await store.images.listByTime(event.id, window.fromMs, window.toMs, pageWindow(q));
  return { images: items.map((i) => toImageItem(base, i)), pagination: paginationInfo(total, q.page, q.page_size) };
}

/** A page of a stored selfie search's matches, as photos with their confidence. */
export async function selfiePage(
  { store }: Deps,
  faces: FaceService,
  base: string,
  search: FaceSearchRow,
  q: PageQuery,
): Promise<FaceSearchData> {
  const { items: hits, total } = await faces.hits(search.request_id, pageWindow(q));
  const rows = new Map(
    (
      await store.images.getMany(
        search.event_id,
        hits.map((h) => h.image_id),
      )
    ).map((r) => [r.id, r]),
  );
  return {
    request_id: search.request_id,
    confidence_percentage: Math.round(search.threshold * 1000) / 10,
    images: hits.flatMap((h) => {
      const row = rows.get(h.image_id);
      return row ? [toImageItem(base, row, confidenceOf(h.score), h)] : [];
    }),
    pagination: paginationInfo(total, q.page, q.page_size),
  };
}
