import { FEATURE_FLAGS, type Cta, type EventVisibility, type FeatureFlag } from '../../../core/index.ts';
import type { EventDeletion, EventRow, EventSettings, EventStore } from '../types.ts';
import { bool, nowIso, type Db } from './db.ts';

export interface RawEvent {
  id: number;
  org_id: number;
  name: string;
  slug: string | null;
  event_date: string | null;
  time_zone: string;
  status: 'active' | 'draft';
  event_enabled: number;
  free_downloads: number;
  face_threshold: number;
  watermark_text: string | null;
  watermark_image: string | null;
  flags: string;
  visibility: EventVisibility;
  page_password: string | null;
  location: string | null;
  event_type: string | null;
  cover_image: string | null;
  show_all_images: number;
  bulk_download: number;
  show_photo_count: number;
  web_download: number;
  cta: string | null;
  watermark_version: number;
  created_at: string;
  updated_at: string;
}

/** The event page settings' columns (migration 8), written as they are named. */
export const PAGE_COLS = [
  'visibility',
  'page_password',
  'location',
  'event_type',
  'cover_image',
  'show_all_images',
  'bulk_download',
  'show_photo_count',
  'web_download',
  'cta',
  'watermark_version',
] as const;

export const DEFAULT_FLAGS: Record<FeatureFlag, boolean> = {
  bib_search: true,
  selfie_search: true,
  name_search: false,
  timeline_search: true,
  video_search: false,
  video_selfie_search: false,
};

export const toEventRow = (r: RawEvent): EventRow => {
  const stored = JSON.parse(r.flags) as Partial<Record<FeatureFlag, boolean>>;
  const flags = Object.fromEntries(FEATURE_FLAGS.map((f) => [f, stored[f] ?? DEFAULT_FLAGS[f]])) as Record<FeatureFlag, boolean>;
  return {
    ...r,
    event_enabled: bool(r.event_enabled),
    free_downloads: bool(r.free_downloads),
    flags,
    show_all_images: bool(r.show_all_images),
    bulk_download: bool(r.bulk_download),
    show_photo_count: bool(r.show_photo_count),
    web_download: bool(r.web_download),
    cta: r.cta ? (JSON.parse(r.cta) as Cta) : null,
  };
};

export const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || null;

/** A new event's settings: the given ones over the defaults. */
export function newEventSettings(s: Partial<EventSettings> & { name: string }): EventSettings {
  return {
    name: s.name,
    slug: s.slug ?? slugify(s.name),
    event_date: s.event_date ?? null,
    time_zone: s.time_zone ?? 'UTC',
    status: s.status ?? 'active',
    event_enabled: s.event_enabled ?? true,
    free_downloads: s.free_downloads ?? true,
    face_threshold: s.face_threshold ?? 0.45,
    watermark_text: s.watermark_text ?? null,
    watermark_image: s.watermark_image ?? null,
    flags: { ...DEFAULT_FLAGS, ...s.flags },
    visibility: s.visibility ?? 'public',
    page_password: s.page_password ?? null,
    location: s.location ?? null,
    event_type: s.event_type ?? null,
    cover_image: s.cover_image ?? null,
    show_all_images: s.show_all_images ?? true,
    bulk_download: s.bulk_download ?? true,
    show_photo_count: s.show_photo_count ?? true,
    web_download: s.web_download ?? false,
    cta: s.cta ?? null,
    watermark_version: s.watermark_version ?? (s.watermark_text || s.watermark_image ? 1 : 0),
  };
}

/** An event's settings as column values (booleans 0/1, JSON text). */
export const eventParams = (s: EventSettings) => ({
  name: s.name,
  slug: s.slug,
  event_date: s.event_date,
  time_zone: s.time_zone,
  status: s.status,
  event_enabled: s.event_enabled ? 1 : 0,
  free_downloads: s.free_downloads ? 1 : 0,
  face_threshold: s.face_threshold,
  watermark_text: s.watermark_text,
  watermark_image: s.watermark_image,
  flags: JSON.stringify(s.flags),
  visibility: s.visibility,
  page_password: s.page_password,
  location: s.location,
  event_type: s.event_type,
  cover_image: s.cover_image,
  show_all_images: s.show_all_images ? 1 : 0,
  bulk_download: s.bulk_download ? 1 : 0,
  show_photo_count: s.show_photo_count ? 1 : 0,
  web_download: s.web_download ? 1 : 0,
  cta: s.cta ? JSON.stringify(s.cta) : null,
  watermark_version: s.watermark_version,
});

export function sqliteEvents(db: Db): EventStore {
  const insert = db.prepare(
    `INSERT INTO events (org_id, name, slug, event_date, time_zone, status, event_enabled, free_downloads,
       face_threshold, watermark_text, watermark_image, flags, ${PAGE_COLS.join(', ')})
     VALUES (@org_id, @name, @slug, @event_date, @time_zone, @status, @event_enabled, @free_downloads,
       @face_threshold, @watermark_text, @watermark_image, @flags, ${PAGE_COLS.map((c) => `@${c}`).join(', ')}) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM events WHERE id = ?');
  const bySlug = db.prepare('SELECT * FROM events WHERE org_id = ? AND slug = ? ORDER BY id DESC LIMIT 1');
  const update = db.prepare(
    `UPDATE events SET name=@name, slug=@slug, event_date=@event_date, time_zone=@time_zone, status=@status,
       event_enabled=@event_enabled, free_downloads=@free_downloads, face_threshold=@face_threshold,
       watermark_text=@watermark_text, watermark_image=@watermark_image, flags=@flags,
       ${PAGE_COLS.map((c) => `${c}=@${c}`).join(', ')}, updated_at=@updated_at
     WHERE id=@id RETURNING *`,
  );
  const deleteTx = db.transaction((id: number): EventDeletion | null => deleteEvent(db, id));
  return {
    async delete(id) {
      return deleteTx(id);
    },
    async create(orgId, s) {
      const settings = newEventSettings(s);
      return toEventRow(insert.get({ org_id: orgId, ...eventParams(settings) }) as RawEvent);
    },
    async get(id) {
      const r = byId.get(id) as RawEvent | undefined;
      return r ? toEventRow(r) : null;
    },
    async update(id, patch) {
      const current = byId.get(id) as RawEvent | undefined;
      if (!current) return null;
      const cur = toEventRow(current);
      const next: EventSettings = { ...cur, ...patch, flags: { ...cur.flags, ...patch.flags } };
      if (!next.flags.video_search) next.flags.video_selfie_search = false;
      return toEventRow(update.get({ id, updated_at: nowIso(), ...eventParams(next) }) as RawEvent);
    },
    async findBySlug(orgId, slug) {
      const r = bySlug.get(orgId, slug) as RawEvent | undefined;
      return r ? toEventRow(r) : null;
    },
    async listForOrg(orgId, { offset, limit }, onlyIds, opts = {}) {
      const filter =
        (onlyIds ? `AND id IN (${onlyIds.map(() => '?').join(',') || 'NULL'})` : '') +
        (opts.listedOnly ? ` AND visibility = 'public' AND status = 'active'` : '');
      const args = [orgId, ...(onlyIds ?? [])];
      const total = (db.prepare(`SELECT count(*) n FROM events WHERE org_id = ? ${filter}`).get(...args) as { n: number }).n;
      const rows = db
        .prepare(
          `SELECT * FROM events WHERE org_id = ? ${filter} ORDER BY event_date IS NULL, event_date DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(...args, limit, offset) as RawEvent[];
      return { items: rows.map(toEventRow), total };
    },
  };
}

/** Orders that keep a buyer's receipt: the event cannot be deleted while it has any. */
export const KEPT_ORDERS = `status IN ('paid','refunded')`;

/** Tables with their own event scopes: a JSON list of event ids, null = every event. */
export const SCOPED = ['api_keys', 'memberships', 'invitations'] as const;

/**
 * EventStore.delete's body, run inside one transaction. Besides the tables it names, every table with an
 * `event_id` column is swept (child tables of a later migration included), then the event row itself, whose
 * ON DELETE CASCADE foreign keys take whatever hangs off the swept rows (faces, renditions, clips…).
 */
function deleteEvent(db: Db, id: number): EventDeletion | null {
  const event = db.prepare('SELECT id, watermark_image, cover_image FROM events WHERE id = ?').get(id) as
    { id: number; watermark_image: string | null; cover_image: string | null } | undefined;
  if (!event) return null;
  const paid = (db.prepare(`SELECT count(*) n FROM orders WHERE event_id = ? AND ${KEPT_ORDERS}`).get(id) as { n: number }).n;
  if (paid > 0) return { deleted: false, paid_orders: paid };

  const column = (sql: string) => (db.prepare(sql).pluck().all(id) as (string | null)[]).filter((k): k is string => !!k);
  const imageIds = column('SELECT id FROM images WHERE event_id = ?');
  const videoIds = column('SELECT id FROM videos WHERE event_id = ?');
  const blob_keys = [
    ...column('SELECT original_key FROM images WHERE event_id = ?'),
    ...column('SELECT r.blob_key FROM renditions r JOIN images i ON i.id = r.image_id WHERE i.event_id = ?'),
    ...column('SELECT blob_key FROM certificate_renders WHERE event_id = ?'),
    ...column(
      `SELECT j.value FROM videos v, json_each(json_array(v.original_key, v.poster_key, v.preview_key)) j
       WHERE v.event_id = ?`,
    ),
    ...column(
      `SELECT j.value FROM video_clips c JOIN videos v ON v.id = c.video_id, json_each(json_array(c.clip_key, c.poster_key)) j
       WHERE v.event_id = ?`,
    ),
    ...[event.watermark_image, event.cover_image].filter((k): k is string => !!k),
  ];
  const blob_prefixes = [
    ...['covers', 'watermarks', 'certificates', 'downloads'].map((folder) => `${folder}/${id}/`),
    ...imageIds.map((i) => `renditions/${i}/`),
    ...videoIds.map((v) => `videos/${v}/`),
  ];
  const upload_ids = column('SELECT id FROM uploads WHERE event_id = ?');

  // Unpaid orders (pending, failed, abandoned): their images and events go with them (ON DELETE CASCADE).
  db.prepare('DELETE FROM gateway_events WHERE order_id IN (SELECT id FROM orders WHERE event_id = ?)').run(id);
  db.prepare('DELETE FROM orders WHERE event_id = ?').run(id);
  for (const table of SCOPED) {
    const rows = db.prepare(`SELECT rowid AS rid, event_ids FROM ${table} WHERE event_ids IS NOT NULL`).all() as {
      rid: number;
      event_ids: string;
    }[];
    const update = db.prepare(`UPDATE ${table} SET event_ids = ? WHERE rowid = ?`);
    for (const r of rows) {
      const ids = JSON.parse(r.event_ids) as number[];
      if (ids.includes(id)) update.run(JSON.stringify(ids.filter((e) => e !== id)), r.rid);
    }
  }
  const tables = db
    .prepare(
      `SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT IN ('events', 'orders')
         AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'event_id')`,
    )
    .pluck()
    .all() as string[];
  for (const table of tables) db.prepare(`DELETE FROM "${table}" WHERE event_id = ?`).run(id);
  db.prepare('DELETE FROM events WHERE id = ?').run(id);
  return { deleted: true, blob_keys: [...new Set(blob_keys)], blob_prefixes, upload_ids };
}
