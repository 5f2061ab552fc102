import type { NewFace } from '../face-types.ts';
import type { ImageRow, ImageStore, NewBibScan, NewBibTag, RenditionRow } from '../types.ts';
import { bibKey } from '../sqlite/bibs.ts';
import { writeScan } from './bibs.ts';
import type { PgDb, Sql } from './db.ts';
import { writeFaces } from './faces.ts';

type Raw = Omit<ImageRow, 'renditions'>;
const COLS =
  'id, event_id, content_hash, original_name, captured_at, width, height, mime, bytes, original_key, created_at, state';
/** Photos the public reads and searches see: processed ones (not those waiting for credits, issue 13). */
const READY = "state = 'ready'";
const GALLERY_ORDER = 'ORDER BY untimed, captured_at, id';

export async function renditionsFor(q: Sql, ids: string[]): Promise<Map<string, RenditionRow[]>> {
  const map = new Map<string, RenditionRow[]>();
  if (ids.length === 0) return map;
  const rows = await q.all<RenditionRow & { image_id: string }>(
    `SELECT image_id, kind, width, height, format, blob_key, bytes, watermark_version FROM renditions WHERE image_id = ANY(?::text[])`,
    [ids],
  );
  for (const { image_id, ...r } of rows) {
    const list = map.get(image_id) ?? [];
    list.push(r);
    map.set(image_id, list);
  }
  for (const list of map.values()) list.sort((a, b) => a.width - b.width);
  return map;
}

export function pgImages(db: PgDb): ImageStore {
  const withRenditions = async (rows: Raw[]): Promise<ImageRow[]> => {
    const map = await renditionsFor(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, renditions: map.get(r.id) ?? [] }));
  };
  const one = async (r: Raw | undefined) => (r ? (await withRenditions([r]))[0]! : null);
  // Driven from the bib index; matched on bib_key (no leading zeros) so "0427" and "427" find each other's tags.
  const BIB_FROM = `FROM (
      SELECT DISTINCT image_id FROM bib_tags WHERE event_id = ? AND status = 'accepted' AND bib_key = ANY(?::text[])
    ) AS t JOIN images ON images.id = t.image_id WHERE images.event_id = ? AND images.${READY}`;

  // Twin of the SQLite adapter's keyset pagination (see there): counts and the data version from image_counts
  // (migration 014), anchors every ANCHOR photos kept per event and version, a page and its renditions in one query.
  const listVersion = async (eventId: number) => {
    const r = await db.get<{ images: number; version: number }>('SELECT images, version FROM image_counts WHERE event_id = ?', [
      eventId,
    ]);
    return r ? { total: r.images, version: r.version } : { total: 0, version: 0 };
  };
  const ANCHOR = 256;
  type Key = { untimed: boolean; captured_at: number | null; id: string };
  const anchors = new Map<number, { version: number; keys: Key[] }>();
  const anchorsFor = async (eventId: number, version: number): Promise<Key[]> => {
    const kept = anchors.get(eventId);
    if (kept && kept.version === version) return kept.keys;
    const keys = await db.all<Key>(
      `SELECT untimed, captured_at, id FROM (
         SELECT untimed, captured_at, id, row_number() OVER (${GALLERY_ORDER}) - 1 AS rn
         FROM images WHERE event_id = ? AND ${READY}) t WHERE rn % ${ANCHOR} = 0 ORDER BY rn`,
      [eventId],
    );
    anchors.delete(eventId);
    anchors.set(eventId, { version, keys });
    if (anchors.size > 64) anchors.delete(anchors.keys().next().value!);
    return keys;
  };
  const PAGE_COLS = `${COLS}, (SELECT coalesce(json_agg(json_build_array(kind, width, height, format, blob_key, bytes, watermark_version)), '[]')
      FROM renditions r WHERE r.image_id = images.id) AS r`;
  type PageRow = Raw & { r: [RenditionRow['kind'], number, number, RenditionRow['format'], string, number, number][] };
  const fromPageRows = (rows: PageRow[]): ImageRow[] =>
    rows.map(({ r, ...row }) => {
      const list = r.map(([kind, width, height, format, blob_key, bytes, watermark_version]): RenditionRow => ({
        kind,
        width,
        height,
        format,
        blob_key,
        bytes,
        watermark_version,
      }));
      list.sort((a, b) => a.width - b.width);
      return { ...row, renditions: list };
    });
  const TIMED = `FROM images WHERE event_id = ? AND ${READY} AND NOT untimed AND (captured_at, id) >= (?, ?)`;
  const UNTIMED = `FROM images WHERE event_id = ? AND ${READY} AND untimed AND captured_at IS NULL AND id >= ?`;
  const pageAt = async (eventId: number, version: number, offset: number, limit: number): Promise<ImageRow[]> => {
    const keys = await anchorsFor(eventId, version);
    const anchor = keys[Math.floor(offset / ANCHOR)];
    if (!anchor) return [];
    const skip = offset % ANCHOR;
    if (anchor.untimed) {
      return fromPageRows(
        await db.all<PageRow>(`SELECT ${PAGE_COLS} ${UNTIMED} ${GALLERY_ORDER} LIMIT ? OFFSET ?`, [
          eventId,
          anchor.id,
          limit,
          skip,
        ]),
      );
    }
    const at = [eventId, anchor.captured_at, anchor.id];
    const rows = await db.all<PageRow>(`SELECT ${PAGE_COLS} ${TIMED} ${GALLERY_ORDER} LIMIT ? OFFSET ?`, [...at, limit, skip]);
    if (rows.length < limit) {
      // The page runs past the last timed photo: the rest comes from the untimed ones, which sort last.
      const timed = (await db.value<number>(`SELECT count(*) ${TIMED}`, at))!;
      rows.push(
        ...(await db.all<PageRow>(`SELECT ${PAGE_COLS} ${UNTIMED} ${GALLERY_ORDER} LIMIT ? OFFSET ?`, [
          eventId,
          '',
          limit - rows.length,
          Math.max(0, skip - timed),
        ])),
      );
    }
    return fromPageRows(rows);
  };

  return {
    async insert(image, bibs: NewBibTag[] = [], faces: NewFace[] | null = null, scan: NewBibScan | null = null) {
      // One transaction: the image, its renditions, tags, faces and scan all land, or none does. A concurrent insert
      // of the same photo (same event and hash) waits for this one, then finds the conflict and inserts nothing.
      return db.tx(async (q) => {
        const { renditions, state = 'ready', ...row } = image;
        // A 'ready' photo over one 'waiting_credits' of the same hash completes it (see the SQLite twin).
        const added = await q.run(
          `INSERT INTO images (id, event_id, content_hash, original_name, captured_at, width, height, mime, bytes, original_key, state)
           VALUES (@id, @event_id, @content_hash, @original_name, @captured_at, @width, @height, @mime, @bytes, @original_key, @state)
           ON CONFLICT (event_id, content_hash) DO UPDATE SET
             state = 'ready', original_name = excluded.original_name, captured_at = excluded.captured_at,
             width = excluded.width, height = excluded.height, mime = excluded.mime, bytes = excluded.bytes
           WHERE images.state = 'waiting_credits' AND excluded.state = 'ready'`,
          { ...row, state },
        );
        if (added === 0) return false;
        if (state === 'ready') await q.run('DELETE FROM credit_waiting WHERE image_id = ?', [row.id]);
        for (const r of renditions) {
          await q.run(
            `INSERT INTO renditions (image_id, kind, width, height, format, blob_key, bytes, watermark_version)
             VALUES (@image_id, @kind, @width, @height, @format, @blob_key, @bytes, @watermark_version)`,
            { image_id: row.id, ...r },
          );
        }
        for (const b of bibs) {
          await q.run(
            `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box)
             VALUES (@image_id, @event_id, @bib, @bib_norm, @source, @status, @confidence, @box)
             ON CONFLICT (image_id, bib_norm, source) DO NOTHING`,
            { image_id: row.id, event_id: row.event_id, ...b, box: b.box ? JSON.stringify(b.box) : null },
          );
        }
        if (faces) await writeFaces(q, row.event_id, row.id, faces);
        if (scan) await writeScan(q, row.id, scan);
        return true;
      });
    },
    async get(eventId, id) {
      return one(await db.get<Raw>(`SELECT ${COLS} FROM images WHERE event_id = ? AND id = ? AND ${READY}`, [eventId, id]));
    },
    async getById(id) {
      return one(await db.get<Raw>(`SELECT ${COLS} FROM images WHERE id = ?`, [id]));
    },
    async unknownIds(ids) {
      if (ids.length === 0) return [];
      const known = new Set(await db.pluck<string>('SELECT id FROM images WHERE id = ANY(?::text[])', [ids]));
      return ids.filter((id) => !known.has(id));
    },
    async getMany(eventId, ids) {
      if (ids.length === 0) return [];
      const rows = await db.all<Raw>(
        `SELECT ${COLS} FROM images WHERE event_id = ? AND id = ANY(?::text[]) AND ${READY} ${GALLERY_ORDER}`,
        [eventId, ids],
      );
      return withRenditions(rows);
    },
    async findByHash(eventId, hash) {
      return one(await db.get<Raw>(`SELECT ${COLS} FROM images WHERE event_id = ? AND content_hash = ?`, [eventId, hash]));
    },
    async list(eventId, { offset, limit }) {
      const { total, version } = await listVersion(eventId);
      return { items: total > offset ? await pageAt(eventId, version, offset, limit) : [], total };
    },
    async listVersion(eventId) {
      return listVersion(eventId);
    },
    async count(eventId) {
      return (await listVersion(eventId)).total;
    },
    async existingIds(eventId, ids) {
      if (ids.length === 0) return [];
      const found = new Set(
        await db.pluck<string>(`SELECT id FROM images WHERE event_id = ? AND id = ANY(?::text[]) AND ${READY}`, [eventId, ids]),
      );
      return ids.filter((id) => found.has(id));
    },
    async idsByBib(eventId, bibKeys) {
      const keys = [...new Set(bibKeys.map(bibKey))];
      if (keys.length === 0) return [];
      return db.pluck<string>(`SELECT id ${BIB_FROM} ${GALLERY_ORDER}`, [eventId, keys, eventId]);
    },
    async listByBib(eventId, bibKeys, { offset, limit }) {
      const keys = [...new Set(bibKeys.map(bibKey))];
      if (keys.length === 0) return { items: [], total: 0 };
      const total = (await db.value<number>(`SELECT count(*) ${BIB_FROM}`, [eventId, keys, eventId]))!;
      const rows =
        total > offset
          ? await db.all<Raw>(`SELECT ${COLS} ${BIB_FROM} ${GALLERY_ORDER} LIMIT ? OFFSET ?`, [
              eventId,
              keys,
              eventId,
              limit,
              offset,
            ])
          : [];
      return { items: await withRenditions(rows), total };
    },
    async listByTime(eventId, fromMs, toMs, { offset, limit }) {
      const where = `WHERE event_id = ? AND captured_at >= ? AND captured_at < ? AND ${READY}`;
      const total = (await db.value<number>(`SELECT count(*) FROM images ${where}`, [eventId, fromMs, toMs]))!;
      const rows =
        total > offset
          ? await db.all<Raw>(`SELECT ${COLS} FROM images ${where} ORDER BY captured_at, id LIMIT ? OFFSET ?`, [
              eventId,
              fromMs,
              toMs,
              limit,
              offset,
            ])
          : [];
      return { items: await withRenditions(rows), total };
    },
    async timelineBuckets(eventId) {
      // SQLite: strftime over captured_at / 1000 (integer seconds, UTC).
      return db.all(
        `SELECT to_char(to_timestamp(captured_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
                extract(hour FROM to_timestamp(captured_at / 1000) AT TIME ZONE 'UTC')::int AS hour, count(*) AS count
         FROM images WHERE event_id = ? AND captured_at IS NOT NULL AND ${READY} GROUP BY 1, 2 ORDER BY 1, 2`,
        [eventId],
      );
    },
    async delete(eventId, id) {
      return db.tx(async (q) => {
        const row = await q.get<Raw>(`SELECT ${COLS} FROM images WHERE event_id = ? AND id = ? FOR UPDATE`, [eventId, id]);
        if (!row) return null;
        const keys = [row.original_key, ...((await renditionsFor(q, [id])).get(id) ?? []).map((r) => r.blob_key)];
        await q.run('DELETE FROM images WHERE event_id = ? AND id = ?', [eventId, id]);
        return keys;
      });
    },
  };
}
