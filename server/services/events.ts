import { createHash } from 'node:crypto';
import {
  VIDEO_SELFIE_RULE,
  type AdminEvent,
  type AdminEventList,
  type CreateEventRequest,
  type UpdateEventRequest,
} from '../../core/api/admin.ts';
import { pageWindow, paginationInfo, type PageQuery } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError, badRequest, conflict, notFound, unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { EventRow, EventSettings, Store } from '../store/types.ts';
import type { VideoSettings } from '../../core/api/video.ts';
import { patchVideoSettings, videoSettingsOf } from '../video/settings.ts';
import { hashPagePassword } from './event-access.ts';
import type { RenditionRefresher } from './rendition-refresh.ts';
import { processSwitchedOnSearches, type BackfillDeps } from './search-backfill.ts';

/** Public URL of an event's cover image (`null` when none): `/files/covers/{event_id}/{hash}.jpg`. */
export const coverUrl = (base: string, e: Pick<EventRow, 'cover_image'>) =>
  e.cover_image ? `${base}/files/${e.cover_image}` : null;

/** The hosted event page: `/e/{org_id}/{slug}` (the event id when it has no slug). */
export const eventPageUrl = (base: string, e: Pick<EventRow, 'org_id' | 'id' | 'slug'>) =>
  `${base}/e/${e.org_id}/${e.slug ?? e.id}`;

export function toAdminEvent(
  e: EventRow,
  imageCount: number,
  base: string,
  renditionsPending: number,
  video: VideoSettings,
): AdminEvent {
  return {
    event_id: e.id,
    org_id: e.org_id,
    name: e.name,
    slug: e.slug,
    event_date: e.event_date,
    time_zone: e.time_zone,
    status: e.status,
    event_enabled: e.event_enabled,
    free_downloads: e.free_downloads,
    face_threshold: e.face_threshold,
    watermark_text: e.watermark_text,
    watermark_image: e.watermark_image !== null,
    flags: { ...e.flags, video_selfie_search: e.flags.video_search && e.flags.video_selfie_search },
    visibility: e.visibility,
    page_password_set: e.page_password !== null,
    location: e.location,
    event_type: e.event_type,
    cover_image: coverUrl(base, e),
    show_all_images: e.show_all_images,
    bulk_download: e.bulk_download,
    show_photo_count: e.show_photo_count,
    web_download: e.web_download,
    cta: e.cta,
    page_url: eventPageUrl(base, e),
    renditions_pending: renditionsPending,
    video,
    image_count: imageCount,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

async function toSettings(
  req: CreateEventRequest | UpdateEventRequest,
  current: EventRow | null,
): Promise<Partial<EventSettings>> {
  const patch: Partial<EventSettings> = {};
  const { flags, page_password, video: _video, ...rest } = req;
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (patch as Record<string, unknown>)[k] = v;
  // Stored as an argon2 hash only; null removes it.
  if (page_password !== undefined) patch.page_password = page_password === null ? null : await hashPagePassword(page_password);
  // A new watermark text gives new renditions (re-rendered in the background, see RenditionRefresher).
  if (current && patch.watermark_text !== undefined && patch.watermark_text !== current.watermark_text)
    patch.watermark_version = current.watermark_version + 1;
  if (flags) {
    const merged = { ...(current?.flags ?? {}), ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
    if (!merged.video_search) {
      // Asking for selfie video without video is refused; switching video off switches selfie video off too.
      if (flags.video_selfie_search) throw unprocessable(`flags.video_selfie_search: ${VIDEO_SELFIE_RULE}`);
      merged.video_selfie_search = false;
    }
    patch.flags = merged as EventSettings['flags'];
  }
  return patch;
}

/** Loads an event of the organisation: 404 when unknown, 403-free (admin routes check the org first). */
export async function orgEvent(store: Store, orgId: number, eventId: number): Promise<EventRow> {
  const event = await store.events.get(eventId);
  if (!event || event.org_id !== orgId) throw notFound(`Event ${eventId} not found in organisation ${orgId}`);
  return event;
}

type StoreDeps = { store: Store; renditions: RenditionRefresher };
type FileDeps = StoreDeps & { blobs: BlobStore; log: Logger };

/** The organisation's events with every setting, by page. */
/** The organisation's events; `onlyIds`: just these (a photographer's events), null = all. */
export async function listAdminEvents(
  deps: StoreDeps,
  orgId: number,
  q: PageQuery,
  base: string,
  onlyIds: number[] | null = null,
): Promise<AdminEventList> {
  const { items, total } = await deps.store.events.listForOrg(orgId, pageWindow(q), onlyIds);
  return {
    events: await Promise.all(items.map((e) => eventSettings(deps, e, base))),
    pagination: paginationInfo(total, q.page, q.page_size),
  };
}

/** One event with every setting, its photo count and how many photos wait for new renditions. */
export async function eventSettings({ store, renditions }: StoreDeps, event: EventRow, base: string): Promise<AdminEvent> {
  return toAdminEvent(
    event,
    await store.images.count(event.id),
    base,
    await renditions.pending(event),
    await videoSettingsOf(store, event.id),
  );
}

export async function createEvent(
  { store }: StoreDeps,
  orgId: number,
  req: CreateEventRequest,
  base: string,
): Promise<AdminEvent> {
  const settings = await toSettings(req, null);
  const event = await store.events.create(orgId, { ...settings, name: req.name, slug: req.slug ?? undefined });
  const video = req.video ? await patchVideoSettings(store, event.id, req.video) : await videoSettingsOf(store, event.id);
  return toAdminEvent(event, 0, base, 0, video);
}

/** A partial update: only the fields sent change; flags merge with the current ones. */
export async function updateEvent(
  deps: StoreDeps & BackfillDeps,
  event: EventRow,
  req: UpdateEventRequest,
  base: string,
): Promise<AdminEvent> {
  const patch = await toSettings(req, event);
  const updated = Object.keys(patch).length ? await deps.store.events.update(event.id, patch) : event;
  if (!updated) throw notFound(`Event ${event.id} not found`);
  if (req.video) await patchVideoSettings(deps.store, event.id, req.video);
  if (updated.watermark_version !== event.watermark_version) deps.renditions.schedule(event.id);
  await processSwitchedOnSearches(deps, event, updated);
  return eventSettings(deps, updated, base);
}

/** "Refresh Image Cache": re-render the renditions not drawn with the current watermark (in the background). */
export async function refreshRenditions(deps: StoreDeps, event: EventRow, base: string): Promise<AdminEvent> {
  deps.renditions.schedule(event.id);
  return eventSettings(deps, event, base);
}

export const WATERMARK_MAX_BYTES = 5 * 1024 * 1024;
export const WATERMARK_MAX_SIDE = 4096;

/**
 * Sets the event's watermark image (PNG or JPEG, at most 5 MiB and 4096 px a side). It is burned into the
 * previews of photos ingested from now on; the previous image's blob is deleted (a failure is only logged).
 */
export async function setWatermarkImage(deps: FileDeps, event: EventRow, files: Blob[], base: string): Promise<AdminEvent> {
  const { default: sharp } = await import('sharp'); // on first use, not at start (issue 20, restart)
  if (files.length !== 1) throw unprocessable('file: attach exactly one PNG or JPEG image in the field `file`');
  const data = Buffer.from(await files[0]!.arrayBuffer());
  if (data.length === 0) throw unprocessable('file: the watermark file is empty');
  if (data.length > WATERMARK_MAX_BYTES)
    throw unprocessable(`file: the watermark must be at most ${WATERMARK_MAX_BYTES / 1024 / 1024} MiB`);
  let format: string | undefined;
  try {
    const meta = await sharp(data, { failOn: 'error' }).metadata();
    format = meta.format;
    if ((meta.width ?? 0) > WATERMARK_MAX_SIDE || (meta.height ?? 0) > WATERMARK_MAX_SIDE)
      throw unprocessable(`file: the watermark must be at most ${WATERMARK_MAX_SIDE}×${WATERMARK_MAX_SIDE} pixels`);
    // Decode it fully once: a truncated file is refused now, not at the next ingest.
    await sharp(data, { failOn: 'error' }).png().toBuffer();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw unprocessable('file: the watermark is not a readable PNG or JPEG image');
  }
  if (format !== 'png' && format !== 'jpeg')
    throw unprocessable(`file: the watermark must be a PNG or JPEG image, not ${format ?? 'this format'}`);
  const key = `watermarks/${event.id}/${createHash('sha256').update(data).digest('hex').slice(0, 16)}.${format === 'png' ? 'png' : 'jpg'}`;
  await deps.blobs.put(key, data);
  if (key === event.watermark_image) return eventSettings(deps, event, base);
  // The old image stays until the photos are re-rendered with the new one (the refresher reads the event's
  // current image; the old blob is only read by renditions already drawn).
  const updated = await deps.store.events.update(event.id, {
    watermark_image: key,
    watermark_version: event.watermark_version + 1,
  });
  if (!updated) throw notFound(`Event ${event.id} not found`);
  deps.renditions.schedule(event.id);
  if (event.watermark_image) await deleteBlobLogged(deps, event.watermark_image);
  return eventSettings(deps, updated, base);
}

export async function clearWatermarkImage(deps: FileDeps, event: EventRow, base: string): Promise<AdminEvent> {
  if (!event.watermark_image) return eventSettings(deps, event, base);
  const updated = await deps.store.events.update(event.id, {
    watermark_image: null,
    watermark_version: event.watermark_version + 1,
  });
  if (!updated) throw notFound(`Event ${event.id} not found`);
  deps.renditions.schedule(event.id);
  await deleteBlobLogged(deps, event.watermark_image);
  return eventSettings(deps, updated, base);
}

export const COVER_MAX_BYTES = 15 * 1024 * 1024;
export const COVER_WIDTH = 1600;

/**
 * Sets the event's cover image (PNG, JPEG or WebP, at most 15 MiB): stored as a JPEG at most 1600 px wide
 * (auto-rotated, metadata stripped) under a content-named key, served publicly at `/files/covers/…`.
 */
export async function setCoverImage(deps: FileDeps, event: EventRow, files: Blob[], base: string): Promise<AdminEvent> {
  const { default: sharp } = await import('sharp'); // on first use, not at start (issue 20, restart)
  if (files.length !== 1) throw unprocessable('file: attach exactly one PNG, JPEG or WebP image in the field `file`');
  const data = Buffer.from(await files[0]!.arrayBuffer());
  if (data.length === 0) throw unprocessable('file: the cover file is empty');
  if (data.length > COVER_MAX_BYTES) throw unprocessable(`file: the cover must be at most ${COVER_MAX_BYTES / 1024 / 1024} MiB`);
  let jpeg: Buffer;
  try {
    const meta = await sharp(data, { failOn: 'error', limitInputPixels: 120_000_000 }).metadata();
    if (!['png', 'jpeg', 'webp'].includes(meta.format ?? ''))
      throw unprocessable(`file: the cover must be a PNG, JPEG or WebP image, not ${meta.format ?? 'this format'}`);
    jpeg = await sharp(data, { failOn: 'error', limitInputPixels: 120_000_000 })
      .rotate()
      .resize({ width: COVER_WIDTH, height: COVER_WIDTH, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, progressive: true })
      .toBuffer();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw unprocessable('file: the cover is not a readable PNG, JPEG or WebP image');
  }
  const key = `covers/${event.id}/${createHash('sha256').update(jpeg).digest('hex').slice(0, 16)}.jpg`;
  await deps.blobs.put(key, jpeg);
  const updated = await deps.store.events.update(event.id, { cover_image: key });
  if (!updated) throw notFound(`Event ${event.id} not found`);
  if (event.cover_image && event.cover_image !== key) await deleteBlobLogged(deps, event.cover_image);
  return eventSettings(deps, updated, base);
}

export async function clearCoverImage(deps: FileDeps, event: EventRow, base: string): Promise<AdminEvent> {
  const updated = await deps.store.events.update(event.id, { cover_image: null });
  if (!updated) throw notFound(`Event ${event.id} not found`);
  if (event.cover_image) await deleteBlobLogged(deps, event.cover_image);
  return eventSettings(deps, updated, base);
}

/** Deletes a blob; a failure is logged and counted, never fatal (the rows are already gone). */
export async function deleteBlobLogged(deps: { blobs: BlobStore; log: Logger }, key: string): Promise<boolean> {
  try {
    await deps.blobs.delete(key);
    return true;
  } catch (e) {
    deps.log.warn('blob delete failed', { key, error: String(e) });
    return false;
  }
}

/**
 * Deletes an event for good: `confirm` must repeat its id (a stray call cannot wipe an event); refused (409) while
 * it has paid or refunded orders, whose receipts must keep working. Every row of the event goes in one store
 * transaction (a failure leaves them all); its blobs and upload files are removed after the commit, a failed file
 * removal logged, never undoing the deletion.
 */
export async function deleteEvent(
  deps: { store: Store; blobs: BlobStore; log: Logger; uploads: { discard(ids: string[]): Promise<void> } },
  event: EventRow,
  confirm: string | undefined,
): Promise<{ event_id: number }> {
  if (confirm === undefined || confirm === '')
    throw badRequest(`Deleting an event cannot be undone: confirm it by sending ?confirm=${event.id} (the event id)`);
  if (confirm.trim() !== String(event.id))
    throw badRequest(`confirm must be this event's id (${event.id}), not "${confirm.slice(0, 40)}": nothing was deleted`);
  const done = await deps.store.events.delete(event.id);
  if (!done) throw notFound(`Event ${event.id} not found`);
  if (!done.deleted)
    throw conflict(
      `Event ${event.id} has ${done.paid_orders} paid order(s) whose receipts must keep working: it cannot be deleted. ` +
        'Archive it instead (status draft, event_enabled false).',
    );
  let failed = 0;
  for (const key of done.blob_keys) if (!(await deleteBlobLogged(deps, key))) failed++;
  for (const prefix of done.blob_prefixes) {
    try {
      await deps.blobs.deletePrefix(prefix);
    } catch (e) {
      failed++;
      deps.log.warn('blob folder delete failed', { prefix, error: String(e) });
    }
  }
  await deps.uploads.discard(done.upload_ids);
  deps.log.info('event deleted', { event_id: event.id, org_id: event.org_id, blobs: done.blob_keys.length, failed });
  return { event_id: event.id };
}
