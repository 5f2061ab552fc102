import { createHash } from 'node:crypto';
import type { ImportSummary } from '../../../core/api/certificates.ts';
import type { CertificateRecord, CertificateTemplate } from '../../../core/certify.ts';
import type {
  CertificateRecordRow,
  CertificateRenderRow,
  CertificateStateRow,
  CertificateStore,
  CertificateTemplateRow,
} from '../certify-types.ts';
import { bool, nowIso, type Db } from './db.ts';

type Raw = Record<string, unknown>;

/** Canonical JSON (sorted keys) so the same record always has the same digest. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export const toRecord = (r: Raw): CertificateRecordRow => ({
  event_id: r.event_id as number,
  bib: r.bib as string,
  record: JSON.parse(r.data as string) as CertificateRecord,
  version: r.version as number,
  digest: r.digest as string,
  updated_at: r.updated_at as string,
});

export const toTemplate = (r: Raw): CertificateTemplateRow => ({
  event_id: r.event_id as number,
  template: JSON.parse(r.template as string) as CertificateTemplate,
  source: r.source as string,
  version: r.version as number,
  updated_at: r.updated_at as string,
});

export const toState = (eventId: number, r: Raw | undefined): CertificateStateRow => ({
  event_id: eventId,
  published: bool(r?.published),
  published_at: (r?.published_at as string | null | undefined) ?? null,
  last_import: typeof r?.last_import === 'string' ? (JSON.parse(r.last_import) as ImportSummary) : null,
});

/** Numeric BIBs first, in number order, then the others alphabetically. */
const BIB_ORDER = `(bib GLOB '[0-9]*' AND bib NOT GLOB '*[^0-9]*') DESC, CAST(bib AS INTEGER), bib`;

/** Certify tables in SQLite. A batch of records is one transaction. */
export function sqliteCertify(db: Db): CertificateStore {
  const getTemplate = db.prepare('SELECT * FROM certificate_templates WHERE event_id = ?');
  const insertTemplate = db.prepare(
    `INSERT INTO certificate_templates (event_id, template, source, version, updated_at) VALUES (?, ?, ?, 1, ?)
     ON CONFLICT (event_id) DO UPDATE SET template = excluded.template, source = excluded.source,
       version = certificate_templates.version + 1, updated_at = excluded.updated_at
     WHERE certificate_templates.template IS NOT excluded.template OR certificate_templates.source IS NOT excluded.source`,
  );
  const getState = db.prepare('SELECT * FROM certificate_state WHERE event_id = ?');
  const isPublished = db.prepare(
    `SELECT 1 FROM certificate_state s JOIN certificate_templates t ON t.event_id = s.event_id
     WHERE s.event_id = ? AND s.published = 1`,
  );
  const ensureState = db.prepare('INSERT INTO certificate_state (event_id) VALUES (?) ON CONFLICT (event_id) DO NOTHING');
  const setPublished = db.prepare(
    `UPDATE certificate_state SET published = @published, updated_at = @now,
       published_at = CASE WHEN @published = 1 THEN @now ELSE published_at END WHERE event_id = @event_id`,
  );
  const setLastImport = db.prepare('UPDATE certificate_state SET last_import = ?, updated_at = ? WHERE event_id = ?');
  const nextImport = db.prepare(
    'UPDATE certificate_state SET import_seq = import_seq + 1 WHERE event_id = ? RETURNING import_seq',
  );
  const insertRecord = db.prepare(
    `INSERT INTO certificate_records (event_id, bib, name, data, digest, version, import_id, updated_at)
     VALUES (@event_id, @bib, @name, @data, @digest, 1, @import_id, @now)`,
  );
  const updateRecord = db.prepare(
    `UPDATE certificate_records SET name = @name, data = @data, digest = @digest, version = version + 1,
       import_id = coalesce(@import_id, import_id), updated_at = @now WHERE event_id = @event_id AND bib = @bib`,
  );
  const markSeen = db.prepare('UPDATE certificate_records SET import_id = ? WHERE event_id = ? AND bib = ?');
  const digestOf = db.prepare('SELECT digest FROM certificate_records WHERE event_id = ? AND bib = ?').pluck();
  const deleteNotSeen = db.prepare('DELETE FROM certificate_records WHERE event_id = ? AND import_id IS NOT ?');
  const getRecord = db.prepare('SELECT * FROM certificate_records WHERE event_id = ? AND bib = ?');
  const byUnpadded = db.prepare("SELECT * FROM certificate_records WHERE event_id = ? AND ltrim(bib, '0') = ? LIMIT 2");
  const countRecords = db.prepare('SELECT count(*) AS n FROM certificate_records WHERE event_id = ?');
  const listRecords = db.prepare(`SELECT * FROM certificate_records WHERE event_id = ? ORDER BY ${BIB_ORDER} LIMIT ? OFFSET ?`);
  const countFiltered = db.prepare(
    `SELECT count(*) AS n FROM certificate_records WHERE event_id = @event_id AND (bib LIKE @prefix ESCAPE '\\' OR name LIKE @infix ESCAPE '\\')`,
  );
  const listFiltered = db.prepare(
    `SELECT * FROM certificate_records WHERE event_id = @event_id AND (bib LIKE @prefix ESCAPE '\\' OR name LIKE @infix ESCAPE '\\')
     ORDER BY ${BIB_ORDER} LIMIT @limit OFFSET @offset`,
  );
  const deleteRecord = db.prepare('DELETE FROM certificate_records WHERE event_id = ? AND bib = ?');
  const getRender = db.prepare('SELECT * FROM certificate_renders WHERE event_id = ? AND bib = ? AND format = ?');
  const putRender = db.prepare(
    `INSERT INTO certificate_renders (event_id, bib, format, cache_key, blob_key, bytes, created_at)
     VALUES (@event_id, @bib, @format, @cache_key, @blob_key, @bytes, @now)
     ON CONFLICT (event_id, bib, format) DO UPDATE SET cache_key = excluded.cache_key, blob_key = excluded.blob_key,
       bytes = excluded.bytes, created_at = excluded.created_at`,
  );
  const listRenders = db.prepare(
    `SELECT * FROM certificate_renders WHERE event_id = @event_id AND (bib, format) > (@bib, @format)
     ORDER BY bib, format LIMIT @limit`,
  );
  const deleteRender = db.prepare(
    'DELETE FROM certificate_renders WHERE event_id = ? AND bib = ? AND format = ? AND cache_key = ?',
  );

  const upsertMany = db.transaction((eventId: number, records: CertificateRecord[], importId: number | null) => {
    const now = nowIso();
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const record of records) {
      const data = canonical(record);
      const digest = createHash('sha256').update(data).digest('base64url').slice(0, 16);
      const row = { event_id: eventId, bib: record.bib, name: record.name, data, digest, import_id: importId, now };
      const old = digestOf.get(eventId, record.bib) as string | undefined;
      if (old === undefined) {
        insertRecord.run(row);
        counts.inserted++;
      } else if (old !== digest) {
        updateRecord.run(row);
        counts.updated++;
      } else {
        if (importId !== null) markSeen.run(importId, eventId, record.bib);
        counts.unchanged++;
      }
    }
    return counts;
  });

  return {
    async getTemplate(eventId) {
      const r = getTemplate.get(eventId) as Raw | undefined;
      return r ? toTemplate(r) : null;
    },
    async putTemplate(eventId, template, source) {
      const changed = insertTemplate.run(eventId, JSON.stringify(template), source, nowIso()).changes > 0;
      return { row: toTemplate(getTemplate.get(eventId) as Raw), changed };
    },
    async getState(eventId) {
      return toState(eventId, getState.get(eventId) as Raw | undefined);
    },
    async isPublished(eventId) {
      return isPublished.get(eventId) !== undefined;
    },
    async setPublished(eventId, published) {
      db.transaction(() => {
        ensureState.run(eventId);
        setPublished.run({ event_id: eventId, published: published ? 1 : 0, now: nowIso() });
      })();
      return toState(eventId, getState.get(eventId) as Raw);
    },
    async setLastImport(eventId, summary) {
      db.transaction(() => {
        ensureState.run(eventId);
        setLastImport.run(JSON.stringify(summary), nowIso(), eventId);
      })();
    },
    async upsertRecords(eventId, records, importId) {
      if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
      return upsertMany(eventId, records, importId ?? null);
    },
    async nextImportId(eventId) {
      return db.transaction(() => {
        ensureState.run(eventId);
        return (nextImport.get(eventId) as { import_seq: number }).import_seq;
      })();
    },
    async deleteRecordsNotSeen(eventId, importId) {
      return deleteNotSeen.run(eventId, importId).changes;
    },
    async getRecord(eventId, bib) {
      const r = getRecord.get(eventId, bib) as Raw | undefined;
      return r ? toRecord(r) : null;
    },
    async findRecord(eventId, bib) {
      const exact = getRecord.get(eventId, bib) as Raw | undefined;
      if (exact) return toRecord(exact);
      const unpadded = bib.replace(/^0+(?=.)/, '');
      const rows = byUnpadded.all(eventId, unpadded) as Raw[];
      return rows.length === 1 ? toRecord(rows[0]!) : null;
    },
    async listRecords(eventId, page, q) {
      const term = q?.trim();
      if (!term) {
        const total = (countRecords.get(eventId) as { n: number }).n;
        const rows = listRecords.all(eventId, page.limit, page.offset) as Raw[];
        return { items: rows.map(toRecord), total };
      }
      const esc = term.replace(/[\\%_]/g, (m) => `\\${m}`);
      const params = { event_id: eventId, prefix: `${esc.toUpperCase()}%`, infix: `%${esc}%` };
      const total = (countFiltered.get(params) as { n: number }).n;
      const rows = listFiltered.all({ ...params, limit: page.limit, offset: page.offset }) as Raw[];
      return { items: rows.map(toRecord), total };
    },
    async countRecords(eventId) {
      return (countRecords.get(eventId) as { n: number }).n;
    },
    async deleteRecord(eventId, bib) {
      return deleteRecord.run(eventId, bib).changes > 0;
    },
    async getRender(eventId, bib, format) {
      return (getRender.get(eventId, bib, format) as CertificateRenderRow | undefined) ?? null;
    },
    async putRender(row) {
      return db.transaction(() => {
        const previous = (getRender.get(row.event_id, row.bib, row.format) as CertificateRenderRow | undefined) ?? null;
        putRender.run({ ...row, now: nowIso() });
        return previous;
      })();
    },
    async listRenders(eventId, after, limit) {
      return listRenders.all({
        event_id: eventId,
        bib: after?.bib ?? '',
        format: after?.format ?? '',
        limit,
      }) as CertificateRenderRow[];
    },
    async deleteRender(eventId, bib, format, cacheKey) {
      return deleteRender.run(eventId, bib, format, cacheKey).changes > 0;
    },
  };
}
