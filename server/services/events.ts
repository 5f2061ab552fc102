import { createHash } from 'node:crypto';
import sharp from 'sharp';
import {
  VIDEO_SELFIE_RULE,
  type AdminEvent,
  type AdminEventList,
  type CreateEventRequest,
  type UpdateEventRequest,
} from '../../core/api/admin.ts';
import { pageWindow, paginationInfo, type PageQuery } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError, notFound, unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { EventRow, EventSettings, Store } from '../store/types.ts';

export function toAdminEvent(e: EventRow, imageCount: number): AdminEvent {
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
    image_count: imageCount,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

function toSettings(req: CreateEventRequest | UpdateEventRequest, current: EventRow | null): Partial<EventSettings> {
  const patch: Partial<EventSettings> = {};
  const { flags, ...rest } = req;
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (patch as Record<string, unknown>)[k] = v;
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

type StoreDeps = { store: Store };

/** The organisation's events with every setting, by page. */
export async function listAdminEvents({ store }: StoreDeps, orgId: number, q: PageQuery): Promise<AdminEventList> {
  const { items, total } = await store.events.listForOrg(orgId, pageWindow(q));
  return {
    events: await Promise.all(items.map(async (e) => toAdminEvent(e, await store.images.count(e.id)))),
    pagination: paginationInfo(total, q.page, q.page_size),
  };
}

/** One event with every setting and its photo count. */
export async function eventSettings({ store }: StoreDeps, event: EventRow): Promise<AdminEvent> {
  return toAdminEvent(event, await store.images.count(event.id));
}

export async function createEvent({ store }: StoreDeps, orgId: number, req: CreateEventRequest): Promise<AdminEvent> {
  const settings = toSettings(req, null);
  const event = await store.events.create(orgId, { ...settings, name: req.name, slug: req.slug ?? undefined });
  return toAdminEvent(event, 0);
}

/** A partial update: only the fields sent change; flags merge with the current ones. */
export async function updateEvent(deps: StoreDeps, event: EventRow, req: UpdateEventRequest): Promise<AdminEvent> {
  const updated = await deps.store.events.update(event.id, toSettings(req, event));
  if (!updated) throw notFound(`Event ${event.id} not found`);
  return eventSettings(deps, updated);
}

export const WATERMARK_MAX_BYTES = 5 * 1024 * 1024;
export const WATERMARK_MAX_SIDE = 4096;

/**
 * Sets the event's watermark image (PNG or JPEG, at most 5 MiB and 4096 px a side). It is burned into the
 * previews of photos ingested from now on; the previous image's blob is deleted (a failure is only logged).
 */
export async function setWatermarkImage(
  deps: { store: Store; blobs: BlobStore; log: Logger },
  event: EventRow,
  files: Blob[],
): Promise<AdminEvent> {
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
  const updated = await deps.store.events.update(event.id, { watermark_image: key });
  if (!updated) throw notFound(`Event ${event.id} not found`);
  if (event.watermark_image && event.watermark_image !== key) await deleteBlobLogged(deps, event.watermark_image);
  return eventSettings(deps, updated);
}

export async function clearWatermarkImage(
  deps: { store: Store; blobs: BlobStore; log: Logger },
  event: EventRow,
): Promise<AdminEvent> {
  const updated = await deps.store.events.update(event.id, { watermark_image: null });
  if (!updated) throw notFound(`Event ${event.id} not found`);
  if (event.watermark_image) await deleteBlobLogged(deps, event.watermark_image);
  return eventSettings(deps, updated);
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
