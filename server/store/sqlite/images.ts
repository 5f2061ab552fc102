import type { ImageRow, ImageStore, NewBibScan, NewBibTag, NewImage, RenditionRow, TimelineBucket } from '../types.ts';
import type Database from 'better-sqlite3';
import { bibKey, scanWriter } from './bibs.ts';
import type { Db } from './db.ts';
import { faceWriter } from './faces.ts';
import type { NewFace } from '../face-types.ts';

type Faces = NewFace[] | null;
type Scan = NewBibScan | null;
type NewRow = ImageRow | NewImage;

type Raw = Omit<ImageRow, 'renditions'>;
const COLS =
  'id, event_id, content_hash, original_name, captured_at, width, height, mime, bytes, original_key, created_at, state';
/** Photos the public reads and searches see: processed ones (not those waiting for credits, issue 13). */
const READY = "state = 'ready'";
const GALLERY_ORDER = 'ORDER BY untimed, captured_at, id';

export function sqliteImages(db: Db): ImageStore {
  const insertImage = db.prepare(
    `INSERT INTO images (id, event_id, content_hash, original_name, captured_at, width, height, mime, bytes, original_key, state)
     VALUES (@id, @event_id, @content_hash, @original_name, @captured_at, @width, @height, @mime, @bytes, @original_key, @state)
     ON CONFLICT (event_id, content_hash) DO UPDATE SET
       state = 'ready', original_name = excluded.original_name, captured_at = excluded.captured_at,
       width = excluded.width, height = excluded.height, mime = excluded.mime, bytes = excluded.bytes
     WHERE images.state = 'waiting_credits' AND excluded.state = 'ready'`,
  );
  const insertRendition = db.prepare(
    `INSERT INTO renditions (image_id, kind, width, height, format, blob_key, bytes, watermark_version)
     VALUES (@image_id, @kind, @width, @height, @format, @blob_key, @bytes, @watermark_version)`,
  );
  const insertBib = db.prepare(
    `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box)
     VALUES (@image_id, @event_id, @bib, @bib_norm, @source, @status, @confidence, @box)
     ON CONFLICT (image_id, bib_norm, source) DO NOTHING`,
  );
  const byId = db.prepare(`SELECT ${COLS} FROM images WHERE event_id = ? AND id = ?`);
  const readyById = db.prepare(`SELECT ${COLS} FROM images WHERE event_id = ? AND id = ? AND ${READY}`);
  const dropWaiting = db.prepare('DELETE FROM credit_waiting WHERE image_id = ?');
  const byIdOnly = db.prepare(`SELECT ${COLS} FROM images WHERE id = ?`);
  const byHash = db.prepare(`SELECT ${COLS} FROM images WHERE event_id = ? AND content_hash = ?`);
  const timeCount = db.prepare(
    `SELECT count(*) n FROM images WHERE event_id = ? AND captured_at >= ? AND captured_at < ? AND ${READY}`,
  );
  const timePage = db.prepare(
    `SELECT ${COLS} FROM images WHERE event_id = ? AND captured_at >= ? AND captured_at < ? AND ${READY} ORDER BY captured_at, id LIMIT ? OFFSET ?`,
  );
  const buckets = db.prepare(
    `SELECT strftime('%Y-%m-%d', captured_at / 1000, 'unixepoch') AS date,
            CAST(strftime('%H', captured_at / 1000, 'unixepoch') AS INTEGER) AS hour, count(*) AS count
     FROM images WHERE event_id = ? AND captured_at IS NOT NULL AND ${READY} GROUP BY date, hour ORDER BY date, hour`,
  );
  const deleteImage = db.prepare('DELETE FROM images WHERE event_id = ? AND id = ?');

  // Counts and the gallery data version are kept by triggers (migration 014): one primary-key read, never a
  // count(*) over the event, and right whichever process wrote.
  const countRow = db.prepare('SELECT images, version FROM image_counts WHERE event_id = ?').raw();
  const listVersion = (eventId: number) => {
    const r = countRow.get(eventId) as [number, number] | undefined;
    return r ? { total: r[0], version: r[1] } : { total: 0, version: 0 };
  };

  // Keyset pagination that keeps random page jumps: the sort key of every ANCHOR-th photo of the event (built
  // in one pass over the gallery index, again only when the event's data version moved); a page starts from
  // the anchor before it and skips fewer than ANCHOR index entries, so the last page costs what the first does.
  const ANCHOR = 256;
  type Key = [untimed: number, capturedAt: number | null, id: string];
  const anchorRows = db
    .prepare(
      `SELECT untimed, captured_at, id FROM (
         SELECT untimed, captured_at, id, row_number() OVER (ORDER BY untimed, captured_at, id) - 1 AS rn
         FROM images WHERE event_id = ? AND ${READY}) WHERE rn % ${ANCHOR} = 0 ORDER BY rn`,
    )
    .raw();
  const anchors = new Map<number, { version: number; keys: Key[] }>();
  const anchorsFor = (eventId: number, version: number): Key[] => {
    const kept = anchors.get(eventId);
    if (kept && kept.version === version) return kept.keys;
    const keys = anchorRows.all(eventId) as Key[];
    anchors.delete(eventId);
    anchors.set(eventId, { version, keys });
    if (anchors.size > 64) anchors.delete(anchors.keys().next().value!);
    return keys;
  };
  // A page in one statement: the rows and their renditions (as JSON), from the anchor on.
  const RENDITIONS = `(SELECT json_group_array(json_array(kind, width, height, format, blob_key, bytes, watermark_version))
      FROM renditions r WHERE r.image_id = images.id) AS r`;
  const timedFrom = db.prepare(
    `SELECT ${COLS}, ${RENDITIONS} FROM images WHERE event_id = ? AND ${READY} AND untimed = 0 AND (captured_at, id) >= (?, ?)
     ORDER BY untimed, captured_at, id LIMIT ? OFFSET ?`,
  );
  const timedLeft = db
    .prepare(`SELECT count(*) FROM images WHERE event_id = ? AND ${READY} AND untimed = 0 AND (captured_at, id) >= (?, ?)`)
    .pluck();
  const untimedFrom = db.prepare(
    `SELECT ${COLS}, ${RENDITIONS} FROM images WHERE event_id = ? AND ${READY} AND untimed = 1 AND captured_at IS NULL AND id >= ?
     ORDER BY untimed, captured_at, id LIMIT ? OFFSET ?`,
  );
  type PageRow = Raw & { r: string };
  type RenditionCells = [RenditionRow['kind'], number, number, RenditionRow['format'], string, number, number];
  const fromPageRows = (rows: PageRow[]): ImageRow[] =>
    rows.map(({ r, ...row }) => {
      const list = (JSON.parse(r) as RenditionCells[]).map(
        ([kind, width, height, format, blob_key, bytes, watermark_version]): RenditionRow => ({
          kind,
          width,
          height,
          format,
          blob_key,
          bytes,
          watermark_version,
        }),
      );
      list.sort((a, b) => a.width - b.width);
      return { ...row, renditions: list };
    });
  const pageAt = (eventId: number, version: number, offset: number, limit: number): ImageRow[] => {
    const keys = anchorsFor(eventId, version);
    const anchor = keys[Math.floor(offset / ANCHOR)];
    if (!anchor) return [];
    const skip = offset % ANCHOR;
    const [untimed, capturedAt, id] = anchor;
    if (untimed) return fromPageRows(untimedFrom.all(eventId, id, limit, skip) as PageRow[]);
    const rows = timedFrom.all(eventId, capturedAt, id, limit, skip) as PageRow[];
    if (rows.length < limit) {
      // The page runs past the last timed photo (fewer than ANCHOR of them after the anchor): the rest comes
      // from the untimed ones, which sort last.
      const timed = timedLeft.get(eventId, capturedAt, id) as number;
      rows.push(...(untimedFrom.all(eventId, '', limit - rows.length, Math.max(0, skip - timed)) as PageRow[]));
    }
    return fromPageRows(rows);
  };

  /** Statements with `n` placeholders in an IN list, prepared once per size. */
  const inStatements = new Map<string, Database.Statement>();
  const withIn = (sql: (ph: string) => string, n: number, raw = false) => {
    const text = sql(Array(n).fill('?').join(','));
    let stmt = inStatements.get(text);
    if (!stmt) inStatements.set(text, (stmt = raw ? db.prepare(text).raw() : db.prepare(text)));
    return stmt;
  };
  const renditionsFor = (ids: string[]): Map<string, RenditionRow[]> => {
    const map = new Map<string, RenditionRow[]>();
    if (ids.length === 0) return map;
    // Raw rows (arrays) and a sort in JS: the renditions of a page cost half as much as objects sorted by SQLite.
    const rows = withIn(
      (ph) =>
        `SELECT image_id, kind, width, height, format, blob_key, bytes, watermark_version FROM renditions WHERE image_id IN (${ph})`,
      ids.length,
      true,
    ).all(...ids) as [string, RenditionRow['kind'], number, number, RenditionRow['format'], string, number, number][];
    for (const [image_id, kind, width, height, format, blob_key, bytes, watermark_version] of rows) {
      const list = map.get(image_id) ?? [];
      list.push({ kind, width, height, format, blob_key, bytes, watermark_version });
      map.set(image_id, list);
    }
    for (const list of map.values()) list.sort((a, b) => a.width - b.width);
    return map;
  };
  const withRenditions = (rows: Raw[]): ImageRow[] => {
    const map = renditionsFor(rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, renditions: map.get(r.id) ?? [] }));
  };

  const writeFaces = faceWriter(db);
  const writeScan = scanWriter(db);
  const insertTx = db.transaction((image: NewRow, bibs: NewBibTag[], faces: Faces, scan: Scan) => {
    const { renditions, state = 'ready', ...row } = image;
    if (insertImage.run({ ...row, state }).changes === 0) return false;
    if (state === 'ready') dropWaiting.run(row.id);
    for (const r of renditions) insertRendition.run({ image_id: row.id, ...r });
    for (const b of bibs) {
      insertBib.run({ image_id: row.id, event_id: row.event_id, ...b, box: b.box ? JSON.stringify(b.box) : null });
    }
    if (faces) writeFaces(row.event_id, row.id, faces);
    if (scan) writeScan(row.id, scan);
    return true;
  });

  // Driven from the bib index (a few dozen tags), never a scan of the event's photos; CROSS JOIN keeps that
  // order. Matched on bib_key (no leading zeros) so "0427" and "427" find each other's tags.
  // Parameters: event id, the keys, event id. Statements are cached per shape.
  const bibStatements = new Map<string, Database.Statement>();
  const bibStatement = (select: string, keys: string[], tail = '') => {
    const sql = `SELECT ${select} FROM (
        SELECT DISTINCT image_id FROM bib_tags WHERE event_id = ? AND status = 'accepted' AND bib_key IN (${keys.map(() => '?').join(',')})
      ) AS t CROSS JOIN images ON images.id = t.image_id WHERE images.event_id = ? AND images.${READY} ${tail}`;
    let stmt = bibStatements.get(sql);
    if (!stmt) bibStatements.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };

  const deleteTx = db.transaction((eventId: number, id: string): string[] | null => {
    const row = byId.get(eventId, id) as Raw | undefined;
    if (!row) return null;
    const keys = [row.original_key, ...(renditionsFor([id]).get(id) ?? []).map((r) => r.blob_key)];
    deleteImage.run(eventId, id);
    return keys;
  });

  return {
    async insert(image, bibs = [], faces = null, bibScan = null) {
      return insertTx(image, bibs, faces, bibScan);
    },
    async get(eventId, id) {
      const r = readyById.get(eventId, id) as Raw | undefined;
      return r ? withRenditions([r])[0]! : null;
    },
    async getById(id) {
      const r = byIdOnly.get(id) as Raw | undefined;
      return r ? withRenditions([r])[0]! : null;
    },
    async unknownIds(ids) {
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = db.prepare(`SELECT id FROM images WHERE id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as {
          id: string;
        }[];
        for (const r of rows) known.add(r.id);
      }
      return ids.filter((id) => !known.has(id));
    },
    async getMany(eventId, ids) {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(
          `SELECT ${COLS} FROM images WHERE event_id = ? AND id IN (${ids.map(() => '?').join(',')}) AND ${READY} ${GALLERY_ORDER}`,
        )
        .all(eventId, ...ids) as Raw[];
      return withRenditions(rows);
    },
    async findByHash(eventId, hash) {
      const r = byHash.get(eventId, hash) as Raw | undefined;
      return r ? withRenditions([r])[0]! : null;
    },
    async list(eventId, { offset, limit }) {
      const { total, version } = listVersion(eventId);
      const items = total > offset ? pageAt(eventId, version, offset, limit) : [];
      return { items, total };
    },
    async count(eventId) {
      return listVersion(eventId).total;
    },
    async listVersion(eventId) {
      return listVersion(eventId);
    },
    async existingIds(eventId, ids) {
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = db
          .prepare(`SELECT id FROM images WHERE event_id = ? AND id IN (${chunk.map(() => '?').join(',')}) AND ${READY}`)
          .all(eventId, ...chunk) as { id: string }[];
        for (const r of rows) found.add(r.id);
      }
      return ids.filter((id) => found.has(id));
    },
    async idsByBib(eventId, bibKeys) {
      const keys = [...new Set(bibKeys.map(bibKey))];
      if (keys.length === 0) return [];
      const rows = bibStatement('id', keys, GALLERY_ORDER).all(eventId, ...keys, eventId) as { id: string }[];
      return rows.map((r) => r.id);
    },
    async listByBib(eventId, bibKeys, { offset, limit }) {
      const keys = [...new Set(bibKeys.map(bibKey))];
      if (keys.length === 0) return { items: [], total: 0 };
      const total = (bibStatement('count(*) n', keys).get(eventId, ...keys, eventId) as { n: number }).n;
      const rows =
        total > offset
          ? (bibStatement(COLS, keys, `${GALLERY_ORDER} LIMIT ? OFFSET ?`).all(eventId, ...keys, eventId, limit, offset) as Raw[])
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
