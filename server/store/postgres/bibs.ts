import type { BibScanRow, BibStats, BibStore, BibTagRow, NewBibScan, OcrMergeReport } from '../types.ts';
import { bibKey } from '../sqlite/bibs.ts';
import { json, nowIso } from '../values.ts';
import { LockSpace, type PgDb, type Sql } from './db.ts';

type Raw = Omit<BibTagRow, 'box'> & { box: string | null };
const toRow = (r: Raw): BibTagRow => ({ ...r, box: json<[number, number, number, number]>(r.box) });
const COLS = 'id, image_id, bib, bib_norm, source, status, confidence, box, reviewed_at';
const GALLERY_ORDER = 'ORDER BY untimed, captured_at, id';

/** Writes a photo's bib scan row (inside the caller's transaction). */
export async function writeScan(q: Sql, imageId: string, scan: NewBibScan): Promise<void> {
  await q.run(
    `INSERT INTO bib_scans (image_id, event_id, state, reads, error, scanned_at)
     SELECT @image_id::text, event_id, @state::text, @reads::bigint, @error::text, @at::text FROM images WHERE id = @image_id
     ON CONFLICT (image_id) DO UPDATE SET state = excluded.state, reads = excluded.reads, error = excluded.error,
       scanned_at = excluded.scanned_at`,
    { image_id: imageId, state: scan.state, reads: scan.reads, error: scan.error, at: nowIso() },
  );
}

/** Numeric bibs in number order, then the others (as SQLite's GLOB ordering). */
const ISSUED_ORDER = `ORDER BY (bib_norm ~ '^[0-9]+$') DESC, length(bib_key), bib_key, bib_norm`;

export function pgBibs(db: PgDb): BibStore {
  const issuedCount = async (q: Sql, eventId: number) =>
    (await q.value<number>('SELECT count(*) FROM bib_issued WHERE event_id = ?', [eventId]))!;
  return {
    async listForImage(imageId) {
      return (await db.all<Raw>(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? ORDER BY id`, [imageId])).map(toRow);
    },
    async get(imageId, tagId) {
      const r = await db.get<Raw>(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? AND id = ?`, [imageId, tagId]);
      return r ? toRow(r) : null;
    },
    async add(imageId, tag) {
      // The same bib from the same source again: its status follows, unless a person rejected it.
      const r = await db.get<Raw>(
        `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box)
         SELECT @image_id::text, event_id, @bib::text, @bib_norm::text, @source::text, @status::text,
           @confidence::double precision, @box::text FROM images WHERE id = @image_id
         ON CONFLICT (image_id, bib_norm, source) DO UPDATE SET
           status = CASE WHEN bib_tags.status = 'rejected' AND bib_tags.reviewed_at IS NOT NULL AND excluded.source <> 'manual'
                         THEN bib_tags.status ELSE excluded.status END,
           reviewed_at = CASE WHEN excluded.source = 'manual' THEN NULL ELSE bib_tags.reviewed_at END
         RETURNING ${COLS}`,
        { image_id: imageId, ...tag, box: tag.box ? JSON.stringify(tag.box) : null },
      );
      if (!r) throw new Error(`image ${imageId} not found`);
      return toRow(r);
    },
    async setStatus(imageId, tagId, status) {
      return (
        (await db.run('UPDATE bib_tags SET status = ?, reviewed_at = ? WHERE image_id = ? AND id = ?', [
          status,
          nowIso(),
          imageId,
          tagId,
        ])) > 0
      );
    },
    async remove(imageId, tagId) {
      return (await db.run('DELETE FROM bib_tags WHERE image_id = ? AND id = ?', [imageId, tagId])) > 0;
    },
    async replaceOcr(imageId, tags, scan) {
      return db.tx(async (q) => {
        // The photo's row lock serialises concurrent re-reads of the same photo (read, merge, write).
        await q.get('SELECT 1 FROM images WHERE id = ? FOR UPDATE', [imageId]);
        const report: OcrMergeReport = { added: 0, updated: 0, removed: 0, kept: 0 };
        const existing = new Map(
          (await q.all<Raw>(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? AND source = 'ocr'`, [imageId])).map((r) => [
            r.bib_norm,
            r,
          ]),
        );
        const rejected = new Set(
          await q.pluck<string>(
            `SELECT bib_key FROM bib_tags WHERE image_id = ? AND status = 'rejected' AND reviewed_at IS NOT NULL`,
            [imageId],
          ),
        );
        const insertOcr = (p: Record<string, unknown>) =>
          q.run(
            `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box, reviewed_at)
             SELECT @image_id::text, event_id, @bib::text, @bib_norm::text, 'ocr', @status::text, @confidence::double precision,
               @box::text, @reviewed_at::text FROM images WHERE id = @image_id`,
            p,
          );
        const seen = new Set<string>();
        for (const t of tags) {
          if (seen.has(t.bib_norm)) continue;
          seen.add(t.bib_norm);
          const box = t.box ? JSON.stringify(t.box) : null;
          const ex = existing.get(t.bib_norm);
          if (ex) {
            const status = ex.reviewed_at ? ex.status : t.status;
            if (ex.reviewed_at) report.kept++;
            else report.updated++;
            await q.run('UPDATE bib_tags SET bib = @bib, status = @status, confidence = @confidence, box = @box WHERE id = @id', {
              id: ex.id,
              bib: t.bib,
              status,
              confidence: t.confidence,
              box,
            });
          } else if (rejected.has(bibKey(t.bib_norm))) {
            await insertOcr({ image_id: imageId, ...t, status: 'rejected', box, reviewed_at: nowIso() });
            report.kept++;
          } else {
            await insertOcr({ image_id: imageId, ...t, box, reviewed_at: null });
            report.added++;
          }
        }
        for (const [norm, ex] of existing) {
          if (seen.has(norm) || ex.reviewed_at) continue;
          await q.run('DELETE FROM bib_tags WHERE id = ?', [ex.id]);
          report.removed++;
        }
        await writeScan(q, imageId, scan);
        return report;
      });
    },
    async recordScan(imageId, scan) {
      await writeScan(db, imageId, scan);
    },
    async getScan(imageId) {
      return (
        (await db.get<BibScanRow>('SELECT image_id, state, reads, error, scanned_at FROM bib_scans WHERE image_id = ?', [
          imageId,
        ])) ?? null
      );
    },
    async stats(eventId) {
      return (await db.get<BibStats>(
        `SELECT
           (SELECT count(*) FROM images WHERE event_id = @e) AS images,
           (SELECT count(*) FROM bib_scans WHERE event_id = @e AND state = 'read') AS read,
           (SELECT count(*) FROM bib_scans WHERE event_id = @e AND state = 'failed') AS failed,
           (SELECT count(DISTINCT image_id) FROM bib_tags WHERE event_id = @e AND status = 'accepted') AS tagged,
           (SELECT count(*) FROM bib_tags WHERE event_id = @e AND source = 'ocr' AND status = 'accepted') AS ocr_accepted,
           (SELECT count(*) FROM bib_tags WHERE event_id = @e AND source = 'ocr' AND status = 'candidate') AS ocr_candidates,
           (SELECT count(*) FROM bib_tags WHERE event_id = @e AND status = 'rejected') AS rejected,
           (SELECT count(*) FROM bib_tags WHERE event_id = @e AND source = 'manual') AS manual`,
        { e: eventId },
      ))!;
    },
    async photosToRead(eventId, { afterId, limit, unreadOnly }) {
      return db.all<{ id: string; original_key: string }>(
        unreadOnly
          ? `SELECT id, original_key FROM images WHERE event_id = ? AND id > ? AND state = 'ready'
               AND NOT EXISTS (SELECT 1 FROM bib_scans s WHERE s.image_id = images.id AND s.state = 'read')
             ORDER BY id LIMIT ?`
          : "SELECT id, original_key FROM images WHERE event_id = ? AND id > ? AND state = 'ready' ORDER BY id LIMIT ?",
        [eventId, afterId ?? '', limit],
      );
    },
    async untaggedIds(eventId, { offset, limit }) {
      const UNTAGGED = `FROM images WHERE event_id = ?
          AND NOT EXISTS (SELECT 1 FROM bib_tags t WHERE t.image_id = images.id AND t.status = 'accepted')`;
      const total = (await db.value<number>(`SELECT count(*) ${UNTAGGED}`, [eventId]))!;
      const items =
        total > offset
          ? await db.pluck<string>(`SELECT id ${UNTAGGED} ${GALLERY_ORDER} LIMIT ? OFFSET ?`, [eventId, limit, offset])
          : [];
      return { items, total };
    },
    async unreviewedOcrTags(eventId, afterId, limit) {
      const rows = await db.all<Raw>(
        `SELECT ${COLS} FROM bib_tags WHERE event_id = ? AND source = 'ocr' AND reviewed_at IS NULL AND status <> 'rejected'
           AND id > ? ORDER BY id LIMIT ?`,
        [eventId, afterId, limit],
      );
      return rows.map(toRow);
    },
    async updateOcrStatuses(updates) {
      if (updates.length === 0) return;
      await db.tx(async (q) => {
        for (const u of updates) await q.run('UPDATE bib_tags SET status = @status, confidence = @confidence WHERE id = @id', u);
      });
    },
    async issuedBibs(eventId) {
      return db.pluck<string>(
        `SELECT bib_norm FROM (SELECT bib_norm, ltrim(bib_norm, '0') AS bib_key FROM bib_issued WHERE event_id = ?) t ${ISSUED_ORDER}`,
        [eventId],
      );
    },
    async listIssued(eventId, { offset, limit }) {
      const total = await issuedCount(db, eventId);
      const items =
        total > offset
          ? await db.all<{ bib: string; bib_norm: string }>(
              `SELECT bib, bib_norm FROM (SELECT bib, bib_norm, ltrim(bib_norm, '0') AS bib_key FROM bib_issued WHERE event_id = ?) t
               ${ISSUED_ORDER} LIMIT ? OFFSET ?`,
              [eventId, limit, offset],
            )
          : [];
      return { items, total };
    },
    async putIssued(eventId, bibs, mode) {
      return db.tx(async (q) => {
        await q.lock(LockSpace.issuedBibs, eventId);
        if (mode === 'replace') await q.run('DELETE FROM bib_issued WHERE event_id = ?', [eventId]);
        // One row per bib_norm (the last wins, as row-by-row upserts would): a statement may not upsert a row twice.
        const unique = [...new Map(bibs.map((b) => [b.bib_norm, b])).values()];
        for (let i = 0; i < unique.length; i += 1000) {
          const chunk = unique.slice(i, i + 1000);
          await q.run(
            `INSERT INTO bib_issued (event_id, bib_norm, bib)
             SELECT ?::bigint, n, b FROM unnest(?::text[], ?::text[]) AS u(n, b)
             ON CONFLICT (event_id, bib_norm) DO UPDATE SET bib = excluded.bib`,
            [eventId, chunk.map((b) => b.bib_norm), chunk.map((b) => b.bib)],
          );
        }
        return issuedCount(q, eventId);
      });
    },
  };
}
