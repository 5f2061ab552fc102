import { foldName } from '../../../core/names.ts';
import type { AnalyticsRow, EventPageStore, StaleImage } from '../event-page-types.ts';
import { LockSpace, type PgDb } from './db.ts';

const likeTerm = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function pgEventPage(db: PgDb): EventPageStore {
  const countRunners = async (eventId: number) =>
    (await db.value<number>('SELECT count(*) FROM event_runners WHERE event_id = ?', [eventId]))!;
  return {
    async nextRunnersImport(eventId) {
      const max = await db.value<number | null>('SELECT max(import_id) FROM event_runners WHERE event_id = ?', [eventId]);
      return (max ?? 0) + 1;
    },
    async putRunners(eventId, importId, rows) {
      if (rows.length === 0) return;
      await db.tx(async (q) => {
        await q.lock(LockSpace.runners, eventId);
        // One row per bib (the last wins, as row-by-row upserts would).
        const unique = [...new Map(rows.map((r) => [r.bib_norm, r])).values()];
        for (let i = 0; i < unique.length; i += 1000) {
          const chunk = unique.slice(i, i + 1000);
          await q.run(
            `INSERT INTO event_runners (event_id, bib_norm, bib, name, name_key, import_id)
             SELECT ?::bigint, bib_norm, bib, name, name_key, ?::bigint FROM unnest(?::text[], ?::text[], ?::text[], ?::text[])
               AS r(bib_norm, bib, name, name_key)
             ON CONFLICT (event_id, bib_norm) DO UPDATE SET bib = excluded.bib, name = excluded.name,
               name_key = excluded.name_key, import_id = excluded.import_id`,
            [
              eventId,
              importId,
              chunk.map((r) => r.bib_norm),
              chunk.map((r) => r.bib),
              chunk.map((r) => r.name),
              chunk.map((r) => r.name_key),
            ],
          );
        }
      });
    },
    async finishRunners(eventId, importId, replace) {
      if (replace) await db.run('DELETE FROM event_runners WHERE event_id = ? AND import_id <> ?', [eventId, importId]);
      return countRunners(eventId);
    },
    async countRunners(eventId) {
      return countRunners(eventId);
    },
    async searchNames(eventId, terms, limit) {
      if (terms.length === 0) return [];
      // Certificate records keep the name as typed; SQLite folds it with a JS function in SQL. PostgreSQL cannot call
      // `foldName`, so the event's (bib, name) pairs are folded here (one indexed read of two short columns).
      const all = await db.all<{ bib: string; name: string }>('SELECT bib, name FROM certificate_records WHERE event_id = ?', [
        eventId,
      ]);
      const results = all
        .filter((r) => {
          const folded = foldName(r.name);
          return terms.every((t) => folded.includes(t));
        })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, limit * 2);
      const where = terms.map(() => `name_key LIKE ? ESCAPE '\\'`).join(' AND ');
      const registered = await db.all<{ bib: string; bib_norm: string; name: string }>(
        `SELECT bib, bib_norm, name FROM event_runners WHERE event_id = ? AND ${where} ORDER BY name_key LIMIT ?`,
        [eventId, ...terms.map(likeTerm), limit * 2],
      );
      const byBib = new Map<string, { bib: string; name: string }>();
      for (const r of results) if (r.name.trim()) byBib.set(r.bib, { bib: r.bib, name: r.name });
      for (const r of registered) if (!byBib.has(r.bib_norm)) byBib.set(r.bib_norm, { bib: r.bib, name: r.name });
      return [...byBib.values()]
        .sort((a, b) => foldName(a.name).localeCompare(foldName(b.name)) || a.bib.localeCompare(b.bib, 'en', { numeric: true }))
        .slice(0, limit);
    },

    async count(eventId, day, source, metric, n = 1) {
      await db.run(
        `INSERT INTO analytics_daily (event_id, day, source, metric, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event_id, day, source, metric) DO UPDATE SET count = analytics_daily.count + excluded.count`,
        [eventId, day, source, metric, n],
      );
    },
    async analytics(eventId, fromDay, toDay) {
      return db.all<AnalyticsRow>(
        'SELECT day, source, metric, count FROM analytics_daily WHERE event_id = ? AND day >= ? AND day <= ? ORDER BY day, source, metric',
        [eventId, fromDay, toDay],
      );
    },
    async orderDays(eventId, fromDay, toDay) {
      return db.all<{ day: string; created: number; paid: number }>(
        `SELECT day, sum(created)::bigint AS created, sum(paid)::bigint AS paid FROM (
           SELECT substr(created_at, 1, 10) AS day, 1 AS created, 0 AS paid FROM orders WHERE event_id = ?
           UNION ALL
           SELECT substr(paid_at, 1, 10) AS day, 0 AS created, 1 AS paid FROM orders WHERE event_id = ? AND paid_at IS NOT NULL
         ) d WHERE day >= ? AND day <= ? GROUP BY day ORDER BY day`,
        [eventId, eventId, fromDay, toDay],
      );
    },

    async countUndated(eventId) {
      return (await db.value<number>('SELECT count(*) FROM images WHERE event_id = ? AND captured_at IS NULL', [eventId]))!;
    },

    async staleImages(eventId, version, afterId, limit) {
      return db.all<StaleImage>(
        `SELECT id, original_key, width, height FROM images i WHERE event_id = ? AND id > ?
           AND EXISTS (SELECT 1 FROM renditions r WHERE r.image_id = i.id AND r.watermark_version < ?)
         ORDER BY id LIMIT ?`,
        [eventId, afterId, version, limit],
      );
    },
    async countStale(eventId, version) {
      return (await db.value<number>(
        `SELECT count(*) FROM images i WHERE event_id = ?
           AND EXISTS (SELECT 1 FROM renditions r WHERE r.image_id = i.id AND r.watermark_version < ?)`,
        [eventId, version],
      ))!;
    },
    async eventsWithStale() {
      return db.pluck<number>(
        `SELECT DISTINCT e.id FROM events e JOIN images i ON i.event_id = e.id
           JOIN renditions r ON r.image_id = i.id WHERE r.watermark_version < e.watermark_version ORDER BY e.id`,
      );
    },
    async replaceRenditions(imageId, renditions) {
      return db.tx(async (q) => {
        if (!(await q.get('SELECT 1 FROM images WHERE id = ? FOR UPDATE', [imageId]))) return false;
        const old = await q.pluck<string>('SELECT blob_key FROM renditions WHERE image_id = ?', [imageId]);
        await q.run('DELETE FROM renditions WHERE image_id = ?', [imageId]);
        for (const r of renditions) {
          await q.run(
            `INSERT INTO renditions (image_id, kind, width, height, format, blob_key, bytes, watermark_version)
             VALUES (@image_id, @kind, @width, @height, @format, @blob_key, @bytes, @watermark_version)`,
            { image_id: imageId, ...r },
          );
        }
        const kept = new Set(renditions.map((r) => r.blob_key));
        return old.filter((k) => !kept.has(k));
      });
    },
  };
}
