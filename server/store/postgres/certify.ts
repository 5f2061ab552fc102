import { createHash } from 'node:crypto';
import type { CertificateRenderRow, CertificateStore } from '../certify-types.ts';
import { canonical, toRecord, toState, toTemplate } from '../sqlite/certify.ts';
import { nowIso } from '../values.ts';
import { LockSpace, type PgDb, type Sql } from './db.ts';

type Raw = Record<string, unknown>;

/** Numeric BIBs first, in number order, then the others (as SQLite: by their leading number, then alphabetically). */
const BIB_ORDER = `(bib ~ '^[0-9]+$') DESC, COALESCE(substring(bib FROM '^[0-9]+')::numeric, 0), bib`;

/** Certify tables in PostgreSQL. A batch of records is one transaction. */
export function pgCertify(db: PgDb): CertificateStore {
  const ensureState = (q: Sql, eventId: number) =>
    q.run('INSERT INTO certificate_state (event_id) VALUES (?) ON CONFLICT (event_id) DO NOTHING', [eventId]);
  const getState = (q: Sql, eventId: number) => q.get<Raw>('SELECT * FROM certificate_state WHERE event_id = ?', [eventId]);
  const getRecord = (eventId: number, bib: string) =>
    db.get<Raw>('SELECT * FROM certificate_records WHERE event_id = ? AND bib = ?', [eventId, bib]);
  const getRender = (q: Sql, eventId: number, bib: string, format: string) =>
    q.get<CertificateRenderRow>('SELECT * FROM certificate_renders WHERE event_id = ? AND bib = ? AND format = ?', [
      eventId,
      bib,
      format,
    ]);

  return {
    async getTemplate(eventId) {
      const r = await db.get<Raw>('SELECT * FROM certificate_templates WHERE event_id = ?', [eventId]);
      return r ? toTemplate(r) : null;
    },
    async putTemplate(eventId, template, source) {
      return db.tx(async (q) => {
        const changed =
          (await q.run(
            `INSERT INTO certificate_templates (event_id, template, source, version, updated_at) VALUES (?, ?, ?, 1, ?)
             ON CONFLICT (event_id) DO UPDATE SET template = excluded.template, source = excluded.source,
               version = certificate_templates.version + 1, updated_at = excluded.updated_at
             WHERE certificate_templates.template IS DISTINCT FROM excluded.template
                OR certificate_templates.source IS DISTINCT FROM excluded.source`,
            [eventId, JSON.stringify(template), source, nowIso()],
          )) > 0;
        const row = await q.get<Raw>('SELECT * FROM certificate_templates WHERE event_id = ?', [eventId]);
        return { row: toTemplate(row!), changed };
      });
    },
    async getState(eventId) {
      return toState(eventId, await getState(db, eventId));
    },
    async isPublished(eventId) {
      const r = await db.get<{ one: number }>(
        `SELECT 1 AS one FROM certificate_state s JOIN certificate_templates t ON t.event_id = s.event_id
         WHERE s.event_id = ? AND s.published = 1`,
        [eventId],
      );
      return r !== undefined;
    },
    async setPublished(eventId, published) {
      return db.tx(async (q) => {
        await ensureState(q, eventId);
        await q.run(
          `UPDATE certificate_state SET published = @published, updated_at = @now,
             published_at = CASE WHEN @published::bigint = 1 THEN @now ELSE published_at END WHERE event_id = @event_id`,
          { event_id: eventId, published: published ? 1 : 0, now: nowIso() },
        );
        return toState(eventId, await getState(q, eventId));
      });
    },
    async setLastImport(eventId, summary) {
      await db.tx(async (q) => {
        await ensureState(q, eventId);
        await q.run('UPDATE certificate_state SET last_import = ?, updated_at = ? WHERE event_id = ?', [
          JSON.stringify(summary),
          nowIso(),
          eventId,
        ]);
      });
    },
    async upsertRecords(eventId, records, importId) {
      if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
      return db.tx(async (q) => {
        // Read the digests, then write: one import of the event at a time.
        await q.lock(LockSpace.certificates, eventId);
        const now = nowIso();
        const counts = { inserted: 0, updated: 0, unchanged: 0 };
        const old = new Map(
          (
            await q.all<{ bib: string; digest: string }>(
              'SELECT bib, digest FROM certificate_records WHERE event_id = ? AND bib = ANY(?::text[])',
              [eventId, records.map((r) => r.bib)],
            )
          ).map((r) => [r.bib, r.digest]),
        );
        for (const record of records) {
          const data = canonical(record);
          const digest = createHash('sha256').update(data).digest('base64url').slice(0, 16);
          const row = { event_id: eventId, bib: record.bib, name: record.name, data, digest, import_id: importId ?? null, now };
          const was = old.get(record.bib);
          if (was === undefined) {
            await q.run(
              `INSERT INTO certificate_records (event_id, bib, name, data, digest, version, import_id, updated_at)
               VALUES (@event_id, @bib, @name, @data, @digest, 1, @import_id, @now)`,
              row,
            );
            old.set(record.bib, digest);
            counts.inserted++;
          } else if (was !== digest) {
            await q.run(
              `UPDATE certificate_records SET name = @name, data = @data, digest = @digest, version = version + 1,
                 import_id = coalesce(@import_id::bigint, import_id), updated_at = @now WHERE event_id = @event_id AND bib = @bib`,
              row,
            );
            old.set(record.bib, digest);
            counts.updated++;
          } else {
            if (importId != null)
              await q.run('UPDATE certificate_records SET import_id = ? WHERE event_id = ? AND bib = ?', [
                importId,
                eventId,
                record.bib,
              ]);
            counts.unchanged++;
          }
        }
        return counts;
      });
    },
    async nextImportId(eventId) {
      return db.tx(async (q) => {
        await ensureState(q, eventId);
        return (await q.value<number>(
          'UPDATE certificate_state SET import_seq = import_seq + 1 WHERE event_id = ? RETURNING import_seq',
          [eventId],
        ))!;
      });
    },
    async deleteRecordsNotSeen(eventId, importId) {
      return db.run('DELETE FROM certificate_records WHERE event_id = ? AND import_id IS DISTINCT FROM ?::bigint', [
        eventId,
        importId,
      ]);
    },
    async getRecord(eventId, bib) {
      const r = await getRecord(eventId, bib);
      return r ? toRecord(r) : null;
    },
    async findRecord(eventId, bib) {
      const exact = await getRecord(eventId, bib);
      if (exact) return toRecord(exact);
      const unpadded = bib.replace(/^0+(?=.)/, '');
      const rows = await db.all<Raw>("SELECT * FROM certificate_records WHERE event_id = ? AND ltrim(bib, '0') = ? LIMIT 2", [
        eventId,
        unpadded,
      ]);
      return rows.length === 1 ? toRecord(rows[0]!) : null;
    },
    async listRecords(eventId, page, q) {
      const term = q?.trim();
      if (!term) {
        const total = (await db.value<number>('SELECT count(*) FROM certificate_records WHERE event_id = ?', [eventId]))!;
        const rows = await db.all<Raw>(
          `SELECT * FROM certificate_records WHERE event_id = ? ORDER BY ${BIB_ORDER} LIMIT ? OFFSET ?`,
          [eventId, page.limit, page.offset],
        );
        return { items: rows.map(toRecord), total };
      }
      // SQLite's LIKE ignores ASCII case: ILIKE here.
      const esc = term.replace(/[\\%_]/g, (m) => `\\${m}`);
      const where = `event_id = @event_id AND (bib ILIKE @prefix ESCAPE '\\' OR name ILIKE @infix ESCAPE '\\')`;
      const params = { event_id: eventId, prefix: `${esc.toUpperCase()}%`, infix: `%${esc}%` };
      const total = (await db.value<number>(`SELECT count(*) FROM certificate_records WHERE ${where}`, params))!;
      const rows = await db.all<Raw>(
        `SELECT * FROM certificate_records WHERE ${where} ORDER BY ${BIB_ORDER} LIMIT @limit OFFSET @offset`,
        { ...params, limit: page.limit, offset: page.offset },
      );
      return { items: rows.map(toRecord), total };
    },
    async countRecords(eventId) {
      return (await db.value<number>('SELECT count(*) FROM certificate_records WHERE event_id = ?', [eventId]))!;
    },
    async deleteRecord(eventId, bib) {
      return (await db.run('DELETE FROM certificate_records WHERE event_id = ? AND bib = ?', [eventId, bib])) > 0;
    },
    async getRender(eventId, bib, format) {
      return (await getRender(db, eventId, bib, format)) ?? null;
    },
    async putRender(row) {
      return db.tx(async (q) => {
        await q.lock(LockSpace.certificateRender, `${row.event_id}:${row.bib}:${row.format}`);
        const previous = (await getRender(q, row.event_id, row.bib, row.format)) ?? null;
        await q.run(
          `INSERT INTO certificate_renders (event_id, bib, format, cache_key, blob_key, bytes, created_at)
           VALUES (@event_id, @bib, @format, @cache_key, @blob_key, @bytes, @now)
           ON CONFLICT (event_id, bib, format) DO UPDATE SET cache_key = excluded.cache_key, blob_key = excluded.blob_key,
             bytes = excluded.bytes, created_at = excluded.created_at`,
          { ...row, now: nowIso() },
        );
        return previous;
      });
    },
    async listRenders(eventId, after, limit) {
      return db.all<CertificateRenderRow>(
        `SELECT * FROM certificate_renders WHERE event_id = @event_id AND (bib, format) > (@bib::text, @format::text)
         ORDER BY bib, format LIMIT @limit`,
        { event_id: eventId, bib: after?.bib ?? '', format: after?.format ?? '', limit },
      );
    },
    async deleteRender(eventId, bib, format, cacheKey) {
      return (
        (await db.run('DELETE FROM certificate_renders WHERE event_id = ? AND bib = ? AND format = ? AND cache_key = ?', [
          eventId,
          bib,
          format,
          cacheKey,
        ])) > 0
      );
    },
  };
}
