import { FEATURE_FLAGS, type FeatureFlag } from '../../../core/index.ts';
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
  created_at: string;
  updated_at: string;
}

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
       face_threshold, watermark_text, watermark_image, flags)
     VALUES (@org_id, @name, @slug, @event_date, @time_zone, @status, @event_enabled, @free_downloads,
       @face_threshold, @watermark_text, @watermark_image, @flags) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM events WHERE id = ?');
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
  });
  const update = db.prepare(
    `UPDATE events SET name=@name, slug=@slug, event_date=@event_date, time_zone=@time_zone, status=@status,
       event_enabled=@event_enabled, free_downloads=@free_downloads, face_threshold=@face_threshold,
       watermark_text=@watermark_text, watermark_image=@watermark_image, flags=@flags, updated_at=@updated_at
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
    async listForOrg(orgId, { offset, limit }, onlyIds) {
      const filter = onlyIds ? `AND id IN (${onlyIds.map(() => '?').join(',') || 'NULL'})` : '';
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
