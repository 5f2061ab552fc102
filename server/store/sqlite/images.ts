import type { ImageRow, ImageStore, NewBibTag, RenditionRow, TimelineBucket } from '../types.ts';
import type { Db } from './db.ts';

type Raw = Omit<ImageRow, 'renditions'>;
const COLS = 'id, event_id, content_hash, original_name, captured_at, width, height, mime, bytes, original_key, created_at';
const GALLERY_ORDER = 'ORDER BY untimed, captured_at, id';

export function sqliteImages(db: Db): ImageStore {
  const insertImage = db.prepare(
    `INSERT INTO images (id, event_id, content_hash, original_name, captured_at, width, height, mime, bytes, original_key)
     VALUES (@id, @event_id, @content_hash, @original_name, @captured_at, @width, @height, @mime, @bytes, @original_key)
     ON CONFLICT (event_id, content_hash) DO NOTHING`,
  );
  const insertRendition = db.prepare(
    `INSERT INTO renditions (image_id, kind, width, height, format, blob_key, bytes)
     VALUES (@image_id, @kind, @width, @height, @format, @blob_key, @bytes)`,
  );
  const insertBib = db.prepare(
    `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box)
     VALUES (@image_id, @event_id, @bib, @bib_norm, @source, @status, @confidence, @box)
     ON CONFLICT (image_id, bib_norm, source) DO NOTHING`,
  );
  const byId = db.prepare(`SELECT ${COLS} FROM images WHERE event_id = ? AND id = ?`);
  const byIdOnly = db.prepare(`SELECT ${COLS} FROM images WHERE id = ?`);
  const byHash = db.prepare(`SELECT ${COLS} FROM images WHERE event_id = ? AND content_hash = ?`);
  const count = db.prepare('SELECT count(*) n FROM images WHERE event_id = ?');
  const page = db.prepare(`SELECT ${COLS} FROM images WHERE event_id = ? ${GALLERY_ORDER} LIMIT ? OFFSET ?`);
  const timeCount = db.prepare('SELECT count(*) n FROM images WHERE event_id = ? AND captured_at >= ? AND captured_at < ?');
  const timePage = db.prepare(
    `SELECT ${COLS} FROM images WHERE event_id = ? AND captured_at >= ? AND captured_at < ? ORDER BY captured_at, id LIMIT ? OFFSET ?`,
  );
  const buckets = db.prepare(
    `SELECT strftime('%Y-%m-%d', captured_at / 1000, 'unixepoch') AS date,
            CAST(strftime('%H', captured_at / 1000, 'unixepoch') AS INTEGER) AS hour, count(*) AS count
     FROM images WHERE event_id = ? AND captured_at IS NOT NULL GROUP BY date, hour ORDER BY date, hour`,
  );
  const deleteImage = db.prepare('DELETE FROM images WHERE event_id = ? AND id = ?');

  const renditionsFor = (ids: string[]): Map<string, RenditionRow[]> => {
    const map = new Map<string, RenditionRow[]>();
    if (ids.length === 0) return map;
    const rows = db
      .prepare(
        `SELECT image_id, kind, width, height, format, blob_key, bytes FROM renditions
         WHERE image_id IN (${ids.map(() => '?').join(',')}) ORDER BY width`,
      )
      .all(...ids) as (RenditionRow & { image_id: string })[];
    for (const { image_id, ...r } of rows) {
      const list = map.get(image_id) ?? [];
      list.push(r);
      map.set(image_id, list);
    }
    return map;
  };
  const withRenditions = (rows: Raw[]): ImageRow[] => {
    const map = renditionsFor(rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, renditions: map.get(r.id) ?? [] }));
  };

  const insertTx = db.transaction((image: ImageRow | Omit<ImageRow, 'created_at'>, bibs: NewBibTag[]) => {
    const { renditions, ...row } = image;
    if (insertImage.run(row).changes === 0) return false;
    for (const r of renditions) insertRendition.run({ image_id: row.id, ...r });
    for (const b of bibs) {
      insertBib.run({ image_id: row.id, event_id: row.event_id, ...b, box: b.box ? JSON.stringify(b.box) : null });
    }
    return true;
  });

  const bibQuery = (keys: string[]) => {
    const ph = keys.map(() => '?').join(',');
    return `FROM images WHERE event_id = ? AND id IN (
      SELECT image_id FROM bib_tags WHERE event_id = ? AND status = 'accepted' AND bib_norm IN (${ph}))`;
  };

  const deleteTx = db.transaction((eventId: number, id: string): string[] | null => {
    const row = byId.get(eventId, id) as Raw | undefined;
    if (!row) return null;
    const keys = [row.original_key, ...(renditionsFor([id]).get(id) ?? []).map((r) => r.blob_key)];
    deleteImage.run(eventId, id);
    return keys;
  });

  return {
    async insert(image, bibs = []) {
      return insertTx(image, bibs);
    },
    async get(eventId, id) {
      const r = byId.get(eventId, id) as Raw | undefined;
      return r ? withRenditions([r])[0]! : null;
    },
    async getById(id) {
      const r = byIdOnly.get(id) as Raw | undefined;
      return r ? withRenditions([r])[0]! : null;
    },
    async getMany(eventId, ids) {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(`SELECT ${COLS} FROM images WHERE event_id = ? AND id IN (${ids.map(() => '?').join(',')}) ${GALLERY_ORDER}`)
        .all(eventId, ...ids) as Raw[];
      return withRenditions(rows);
    },
    async findByHash(eventId, hash) {
      const r = byHash.get(eventId, hash) as Raw | undefined;
      return r ? withRenditions([r])[0]! : null;
    },
    async list(eventId, { offset, limit }) {
      const total = (count.get(eventId) as { n: number }).n;
      const items = total > offset ? withRenditions(page.all(eventId, limit, offset) as Raw[]) : [];
      return { items, total };
    },
    async count(eventId) {
      return (count.get(eventId) as { n: number }).n;
    },
    async existingIds(eventId, ids) {
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = db
          .prepare(`SELECT id FROM images WHERE event_id = ? AND id IN (${chunk.map(() => '?').join(',')})`)
          .all(eventId, ...chunk) as { id: string }[];
        for (const r of rows) found.add(r.id);
      }
      return ids.filter((id) => found.has(id));
    },
    async idsByBib(eventId, keys) {
      if (keys.length === 0) return [];
      const rows = db.prepare(`SELECT id ${bibQuery(keys)} ${GALLERY_ORDER}`).all(eventId, eventId, ...keys) as { id: string }[];
      return rows.map((r) => r.id);
    },
    async listByBib(eventId, keys, { offset, limit }) {
      const q = bibQuery(keys);
      const total = (db.prepare(`SELECT count(*) n ${q}`).get(eventId, eventId, ...keys) as { n: number }).n;
      const rows =
        total > offset
          ? (db
              .prepare(`SELECT ${COLS} ${q} ${GALLERY_ORDER} LIMIT ? OFFSET ?`)
              .all(eventId, eventId, ...keys, limit, offset) as Raw[])
          : [];
      return { items: withRenditions(rows), total };
    },
    async listByTime(eventId, fromMs, toMs, { offset, limit }) {
      const total = (timeCount.get(eventId, fromMs, toMs) as { n: number }).n;
      const rows = total > offset ? (timePage.all(eventId, fromMs, toMs, limit, offset) as Raw[]) : [];
      return { items: withRenditions(rows), total };
    },
    async timelineBuckets(eventId) {
      return buckets.all(eventId) as TimelineBucket[];
    },
    async delete(eventId, id) {
      return deleteTx(eventId, id);
    },
  };
}
