import { FEATURE_FLAGS, type Cta, type EventVisibility, type FeatureFlag } from '../../../core/index.ts';
import type { EventRow, EventSettings, EventStore } from '../types.ts';
import { bool, nowIso, type Db } from './db.ts';

interface Raw {
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
const PAGE_COLS = [
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

const toRow = (r: Raw): EventRow => {
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

const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || null;

export function sqliteEvents(db: Db): EventStore {
  const insert = db.prepare(
    `INSERT INTO events (org_id, name, slug, event_date, time_zone, status, event_enabled, free_downloads,
       face_threshold, watermark_text, watermark_image, flags, ${PAGE_COLS.join(', ')})
     VALUES (@org_id, @name, @slug, @event_date, @time_zone, @status, @event_enabled, @free_downloads,
       @face_threshold, @watermark_text, @watermark_image, @flags, ${PAGE_COLS.map((c) => `@${c}`).join(', ')}) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM events WHERE id = ?');
  const bySlug = db.prepare('SELECT * FROM events WHERE org_id = ? AND slug = ? ORDER BY id DESC LIMIT 1');
  const toParams = (s: EventSettings) => ({
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
  const update = db.prepare(
    `UPDATE events SET name=@name, slug=@slug, event_date=@event_date, time_zone=@time_zone, status=@status,
       event_enabled=@event_enabled, free_downloads=@free_downloads, face_threshold=@face_threshold,
       watermark_text=@watermark_text, watermark_image=@watermark_image, flags=@flags,
       ${PAGE_COLS.map((c) => `${c}=@${c}`).join(', ')}, updated_at=@updated_at
     WHERE id=@id RETURNING *`,
  );
  return {
    async create(orgId, s) {
      const settings: EventSettings = {
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
      return toRow(insert.get({ org_id: orgId, ...toParams(settings) }) as Raw);
    },
    async get(id) {
      const r = byId.get(id) as Raw | undefined;
      return r ? toRow(r) : null;
    },
    async update(id, patch) {
      const current = byId.get(id) as Raw | undefined;
      if (!current) return null;
      const cur = toRow(current);
      const next: EventSettings = { ...cur, ...patch, flags: { ...cur.flags, ...patch.flags } };
      if (!next.flags.video_search) next.flags.video_selfie_search = false;
      return toRow(update.get({ id, updated_at: nowIso(), ...toParams(next) }) as Raw);
    },
    async findBySlug(orgId, slug) {
      const r = bySlug.get(orgId, slug) as Raw | undefined;
      return r ? toRow(r) : null;
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
        .all(...args, limit, offset) as Raw[];
      return { items: rows.map(toRow), total };
    },
  };
}
