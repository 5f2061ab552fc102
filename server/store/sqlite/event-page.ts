import { foldName } from '../../../core/names.ts';
import type { AnalyticsRow, EventPageStore, RunnerRow, StaleImage } from '../event-page-types.ts';
import type { RenditionRow } from '../types.ts';
import type { Db } from './db.ts';

const likeTerm = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function sqliteEventPage(db: Db): EventPageStore {
  // Folds a name in SQL the way `foldName` does in JS (certificate records store the name as typed).
  db.function('pf_fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldName(v) : null));

  const upsertRunner = db.prepare(
    `INSERT INTO event_runners (event_id, bib_norm, bib, name, name_key, import_id)
     VALUES (@event_id, @bib_norm, @bib, @name, @name_key, @import_id)
     ON CONFLICT (event_id, bib_norm) DO UPDATE SET bib = excluded.bib, name = excluded.name,
       name_key = excluded.name_key, import_id = excluded.import_id`,
  );
  const putRunnersTx = db.transaction((eventId: number, importId: number, rows: RunnerRow[]) => {
    for (const r of rows) upsertRunner.run({ event_id: eventId, import_id: importId, ...r });
  });
  const countRunners = db.prepare('SELECT count(*) FROM event_runners WHERE event_id = ?').pluck();
  const bump = db.prepare(
    `INSERT INTO analytics_daily (event_id, day, source, metric, count) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (event_id, day, source, metric) DO UPDATE SET count = count + excluded.count`,
  );
  const renditionRows = db.prepare('SELECT blob_key FROM renditions WHERE image_id = ?').pluck();
  const deleteRenditions = db.prepare('DELETE FROM renditions WHERE image_id = ?');
  const insertRendition = db.prepare(
    `INSERT INTO renditions (image_id, kind, width, height, format, blob_key, bytes, watermark_version)
     VALUES (@image_id, @kind, @width, @height, @format, @blob_key, @bytes, @watermark_version)`,
  );
  const imageExists = db.prepare('SELECT 1 FROM images WHERE id = ?').pluck();
  const replaceTx = db.transaction((imageId: string, renditions: RenditionRow[]): string[] | false => {
    if (!imageExists.get(imageId)) return false;
    const old = renditionRows.all(imageId) as string[];
    deleteRenditions.run(imageId);
    for (const r of renditions) insertRendition.run({ image_id: imageId, ...r });
    const kept = new Set(renditions.map((r) => r.blob_key));
    return old.filter((k) => !kept.has(k));
  });

  return {
    async nextRunnersImport(eventId) {
      const max = db.prepare('SELECT max(import_id) FROM event_runners WHERE event_id = ?').pluck().get(eventId) as number | null;
      return (max ?? 0) + 1;
    },
    async putRunners(eventId, importId, rows) {
      putRunnersTx(eventId, importId, rows);
    },
    async finishRunners(eventId, importId, replace) {
      if (replace) db.prepare('DELETE FROM event_runners WHERE event_id = ? AND import_id <> ?').run(eventId, importId);
      return countRunners.get(eventId) as number;
    },
    async countRunners(eventId) {
      return countRunners.get(eventId) as number;
    },
    async searchNames(eventId, terms, limit) {
      if (terms.length === 0) return [];
      const where = (col: string) => terms.map(() => `${col} LIKE ? ESCAPE '\\'`).join(' AND ');
      const likes = terms.map(likeTerm);
      const results = db
        .prepare(
          `SELECT bib, name FROM certificate_records WHERE event_id = ? AND ${where('pf_fold(name)')} ORDER BY name LIMIT ?`,
        )
        .all(eventId, ...likes, limit * 2) as { bib: string; name: string }[];
      const registered = db
        .prepare(
          `SELECT bib, bib_norm, name FROM event_runners WHERE event_id = ? AND ${where('name_key')} ORDER BY name_key LIMIT ?`,
        )
        .all(eventId, ...likes, limit * 2) as { bib: string; bib_norm: string; name: string }[];
      const byBib = new Map<string, { bib: string; name: string }>();
      for (const r of results) if (r.name.trim()) byBib.set(r.bib, { bib: r.bib, name: r.name });
      for (const r of registered) if (!byBib.has(r.bib_norm)) byBib.set(r.bib_norm, { bib: r.bib, name: r.name });
      return [...byBib.values()]
        .sort((a, b) => foldName(a.name).localeCompare(foldName(b.name)) || a.bib.localeCompare(b.bib, 'en', { numeric: true }))
        .slice(0, limit);
    },

    async count(eventId, day, source, metric, n = 1) {
      bump.run(eventId, day, source, metric, n);
    },
    async analytics(eventId, fromDay, toDay) {
      return db
        .prepare(
          'SELECT day, source, metric, count FROM analytics_daily WHERE event_id = ? AND day >= ? AND day <= ? ORDER BY day, source, metric',
        )
        .all(eventId, fromDay, toDay) as AnalyticsRow[];
    },
    async orderDays(eventId, fromDay, toDay) {
      const rows = db
        .prepare(
          `SELECT day, sum(created) created, sum(paid) paid FROM (
             SELECT substr(created_at, 1, 10) day, 1 created, 0 paid FROM orders WHERE event_id = ?
             UNION ALL
             SELECT substr(paid_at, 1, 10) day, 0 created, 1 paid FROM orders WHERE event_id = ? AND paid_at IS NOT NULL
           ) WHERE day >= ? AND day <= ? GROUP BY day ORDER BY day`,
        )
        .all(eventId, eventId, fromDay, toDay) as { day: string; created: number; paid: number }[];
      return rows;
    },

    async countUndated(eventId) {
      return db.prepare('SELECT count(*) FROM images WHERE event_id = ? AND captured_at IS NULL').pluck().get(eventId) as number;
    },

    async staleImages(eventId, version, afterId, limit) {
      return db
        .prepare(
          `SELECT id, original_key, width, height FROM images i WHERE event_id = ? AND id > ?
             AND EXISTS (SELECT 1 FROM renditions r WHERE r.image_id = i.id AND r.watermark_version < ?)
           ORDER BY id LIMIT ?`,
        )
        .all(eventId, afterId, version, limit) as StaleImage[];
    },
    async countStale(eventId, version) {
      return db
        .prepare(
          `SELECT count(*) FROM images i WHERE event_id = ?
             AND EXISTS (SELECT 1 FROM renditions r WHERE r.image_id = i.id AND r.watermark_version < ?)`,
        )
        .pluck()
        .get(eventId, version) as number;
    },
    async eventsWithStale() {
      return db
        .prepare(
          `SELECT DISTINCT e.id FROM events e JOIN images i ON i.event_id = e.id
             JOIN renditions r ON r.image_id = i.id WHERE r.watermark_version < e.watermark_version`,
        )
        .pluck()
        .all() as number[];
    },
    async replaceRenditions(imageId, renditions) {
      return replaceTx(imageId, renditions);
    },
  };
}
