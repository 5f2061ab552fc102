import { bibSearchKeys } from '../../../core/bib.ts';
import type { BibScanRow, BibStats, BibStore, BibTagRow, NewBibScan, NewBibTag, OcrMergeReport } from '../types.ts';
import { json, nowIso, type Db } from './db.ts';

type Raw = Omit<BibTagRow, 'box'> & { box: string | null };
const toRow = (r: Raw): BibTagRow => ({ ...r, box: json<[number, number, number, number]>(r.box) });
const COLS = 'id, image_id, bib, bib_norm, source, status, confidence, box, reviewed_at';
const GALLERY_ORDER = 'ORDER BY untimed, captured_at, id';

/** The form `bib_tags.bib_key` holds: normalised, without leading zeros (the last of `bibSearchKeys`). */
export const bibKey = (bibNorm: string) => bibSearchKeys(bibNorm).at(-1)!;

/** Writes a photo's bib scan row (inside the caller's transaction). */
export function scanWriter(db: Db) {
  const put = db.prepare(
    `INSERT INTO bib_scans (image_id, event_id, state, reads, error, scanned_at)
     SELECT @image_id, event_id, @state, @reads, @error, @at FROM images WHERE id = @image_id
     ON CONFLICT (image_id) DO UPDATE SET state = excluded.state, reads = excluded.reads, error = excluded.error,
       scanned_at = excluded.scanned_at`,
  );
  return (imageId: string, scan: NewBibScan) => {
    put.run({ image_id: imageId, state: scan.state, reads: scan.reads, error: scan.error, at: nowIso() });
  };
}

export function sqliteBibs(db: Db): BibStore {
  const list = db.prepare(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? ORDER BY id`);
  const one = db.prepare(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? AND id = ?`);
  // The same bib from the same source again: its status follows, unless a person rejected it (then only a
  // manual tag brings it back).
  const upsert = db.prepare(
    `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box)
     SELECT @image_id, event_id, @bib, @bib_norm, @source, @status, @confidence, @box FROM images WHERE id = @image_id
     ON CONFLICT (image_id, bib_norm, source) DO UPDATE SET
       status = CASE WHEN bib_tags.status = 'rejected' AND bib_tags.reviewed_at IS NOT NULL AND excluded.source <> 'manual'
                     THEN bib_tags.status ELSE excluded.status END,
       reviewed_at = CASE WHEN excluded.source = 'manual' THEN NULL ELSE bib_tags.reviewed_at END
     RETURNING ${COLS}`,
  );
  const setStatus = db.prepare('UPDATE bib_tags SET status = ?, reviewed_at = ? WHERE image_id = ? AND id = ?');
  const remove = db.prepare('DELETE FROM bib_tags WHERE image_id = ? AND id = ?');

  const ocrOf = db.prepare(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? AND source = 'ocr'`);
  const rejectedKeys = db
    .prepare(`SELECT bib_key FROM bib_tags WHERE image_id = ? AND status = 'rejected' AND reviewed_at IS NOT NULL`)
    .pluck();
  const insertOcr = db.prepare(
    `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box, reviewed_at)
     SELECT @image_id, event_id, @bib, @bib_norm, 'ocr', @status, @confidence, @box, @reviewed_at FROM images WHERE id = @image_id`,
  );
  const updateRead = db.prepare(
    'UPDATE bib_tags SET bib = @bib, status = @status, confidence = @confidence, box = @box WHERE id = @id',
  );
  const updateStatus = db.prepare('UPDATE bib_tags SET status = @status, confidence = @confidence WHERE id = @id');
  const deleteTag = db.prepare('DELETE FROM bib_tags WHERE id = ?');
  const writeScan = scanWriter(db);
  const getScan = db.prepare('SELECT image_id, state, reads, error, scanned_at FROM bib_scans WHERE image_id = ?');

  const replaceOcrTx = db.transaction((imageId: string, tags: NewBibTag[], scan: NewBibScan): OcrMergeReport => {
    const report: OcrMergeReport = { added: 0, updated: 0, removed: 0, kept: 0 };
    const existing = new Map((ocrOf.all(imageId) as Raw[]).map((r) => [r.bib_norm, r]));
    const rejected = new Set(rejectedKeys.all(imageId) as string[]);
    const seen = new Set<string>();
    for (const t of tags) {
      if (seen.has(t.bib_norm)) continue;
      seen.add(t.bib_norm);
      const box = t.box ? JSON.stringify(t.box) : null;
      const ex = existing.get(t.bib_norm);
      if (ex) {
        // A reviewed tag keeps its status; the read's box and confidence are refreshed.
        const status = ex.reviewed_at ? ex.status : t.status;
        if (ex.reviewed_at) report.kept++;
        else report.updated++;
        updateRead.run({ id: ex.id, bib: t.bib, status, confidence: t.confidence, box });
      } else if (rejected.has(bibKey(t.bib_norm))) {
        // A person said this photo does not show that bib (as another source's tag): so is the new read.
        insertOcr.run({ image_id: imageId, ...t, status: 'rejected', box, reviewed_at: nowIso() });
        report.kept++;
      } else {
        insertOcr.run({ image_id: imageId, ...t, box, reviewed_at: null });
        report.added++;
      }
    }
    for (const [norm, ex] of existing) {
      if (seen.has(norm) || ex.reviewed_at) continue;
      deleteTag.run(ex.id);
      report.removed++;
    }
    writeScan(imageId, scan);
    return report;
  });

  const stats = db.prepare(
    `SELECT
       (SELECT count(*) FROM images WHERE event_id = @e) AS images,
       (SELECT count(*) FROM bib_scans WHERE event_id = @e AND state = 'read') AS read,
       (SELECT count(*) FROM bib_scans WHERE event_id = @e AND state = 'failed') AS failed,
       (SELECT count(DISTINCT image_id) FROM bib_tags WHERE event_id = @e AND status = 'accepted') AS tagged,
       (SELECT count(*) FROM bib_tags WHERE event_id = @e AND source = 'ocr' AND status = 'accepted') AS ocr_accepted,
       (SELECT count(*) FROM bib_tags WHERE event_id = @e AND source = 'ocr' AND status = 'candidate') AS ocr_candidates,
       (SELECT count(*) FROM bib_tags WHERE event_id = @e AND status = 'rejected') AS rejected,
       (SELECT count(*) FROM bib_tags WHERE event_id = @e AND source = 'manual') AS manual`,
  );
  // Photos waiting for credits (issue 13) are read when they are processed, not before.
  const toRead = db.prepare(
    "SELECT id, original_key FROM images WHERE event_id = ? AND id > ? AND state = 'ready' ORDER BY id LIMIT ?",
  );
  const unreadToRead = db.prepare(
    `SELECT id, original_key FROM images WHERE event_id = ? AND id > ? AND state = 'ready'
       AND NOT EXISTS (SELECT 1 FROM bib_scans s WHERE s.image_id = images.id AND s.state = 'read')
     ORDER BY id LIMIT ?`,
  );
  const UNTAGGED = `FROM images WHERE event_id = ?
      AND NOT EXISTS (SELECT 1 FROM bib_tags t WHERE t.image_id = images.id AND t.status = 'accepted')`;
  const untaggedCount = db.prepare(`SELECT count(*) ${UNTAGGED}`).pluck();
  const untaggedPage = db.prepare(`SELECT id ${UNTAGGED} ${GALLERY_ORDER} LIMIT ? OFFSET ?`).pluck();
  const unreviewed = db.prepare(
    `SELECT ${COLS} FROM bib_tags WHERE event_id = ? AND source = 'ocr' AND reviewed_at IS NULL AND status <> 'rejected'
       AND id > ? ORDER BY id LIMIT ?`,
  );
  const updateStatuses = db.transaction((updates: { id: number; status: string; confidence: number | null }[]) => {
    for (const u of updates) updateStatus.run(u);
  });

  // Numeric bibs in number order, then the others.
  const ISSUED_ORDER = `ORDER BY (bib_norm GLOB '[0-9]*' AND bib_norm NOT GLOB '*[^0-9]*') DESC, length(bib_key), bib_key, bib_norm`;
  const issuedAll = db
    .prepare(
      `SELECT bib_norm FROM (SELECT bib_norm, ltrim(bib_norm, '0') AS bib_key FROM bib_issued WHERE event_id = ?) ${ISSUED_ORDER}`,
    )
    .pluck();
  const issuedCount = db.prepare('SELECT count(*) FROM bib_issued WHERE event_id = ?').pluck();
  const issuedPage = db.prepare(
    `SELECT bib, bib_norm FROM (SELECT bib, bib_norm, ltrim(bib_norm, '0') AS bib_key FROM bib_issued WHERE event_id = ?)
     ${ISSUED_ORDER} LIMIT ? OFFSET ?`,
  );
  const clearIssued = db.prepare('DELETE FROM bib_issued WHERE event_id = ?');
  const addIssued = db.prepare(
    'INSERT INTO bib_issued (event_id, bib_norm, bib) VALUES (?, ?, ?) ON CONFLICT (event_id, bib_norm) DO UPDATE SET bib = excluded.bib',
  );
  const putIssuedTx = db.transaction((eventId: number, bibs: { bib: string; bib_norm: string }[], mode: string) => {
    if (mode === 'replace') clearIssued.run(eventId);
    for (const b of bibs) addIssued.run(eventId, b.bib_norm, b.bib);
    return issuedCount.get(eventId) as number;
  });

  return {
    async listForImage(imageId) {
      return (list.all(imageId) as Raw[]).map(toRow);
    },
    async get(imageId, tagId) {
      const r = one.get(imageId, tagId) as Raw | undefined;
      return r ? toRow(r) : null;
    },
    async add(imageId, tag) {
      const r = upsert.get({ image_id: imageId, ...tag, box: tag.box ? JSON.stringify(tag.box) : null }) as Raw;
      return toRow(r);
    },
    async setStatus(imageId, tagId, status) {
      return setStatus.run(status, nowIso(), imageId, tagId).changes > 0;
    },
    async remove(imageId, tagId) {
      return remove.run(imageId, tagId).changes > 0;
    },
    async replaceOcr(imageId, tags, scan) {
      return replaceOcrTx(imageId, tags, scan);
    },
    async recordScan(imageId, scan) {
      writeScan(imageId, scan);
    },
    async getScan(imageId) {
      return (getScan.get(imageId) as BibScanRow | undefined) ?? null;
    },
    async stats(eventId) {
      return stats.get({ e: eventId }) as BibStats;
    },
    async photosToRead(eventId, { afterId, limit, unreadOnly }) {
      return (unreadOnly ? unreadToRead : toRead).all(eventId, afterId ?? '', limit) as { id: string; original_key: string }[];
    },
    async untaggedIds(eventId, { offset, limit }) {
      const total = untaggedCount.get(eventId) as number;
      const items = total > offset ? (untaggedPage.all(eventId, limit, offset) as string[]) : [];
      return { items, total };
    },
    async unreviewedOcrTags(eventId, afterId, limit) {
      return (unreviewed.all(eventId, afterId, limit) as Raw[]).map(toRow);
    },
    async updateOcrStatuses(updates) {
      updateStatuses(updates);
    },
    async issuedBibs(eventId) {
      return issuedAll.all(eventId) as string[];
    },
    async listIssued(eventId, { offset, limit }) {
      const total = issuedCount.get(eventId) as number;
      const items = total > offset ? (issuedPage.all(eventId, limit, offset) as { bib: string; bib_norm: string }[]) : [];
      return { items, total };
    },
    async putIssued(eventId, bibs, mode) {
      return putIssuedTx(eventId, bibs, mode);
    },
  };
}
