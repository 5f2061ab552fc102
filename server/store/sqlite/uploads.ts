import type { UploadCounts, UploadRow, UploadState, UploadStore } from '../auth-types.ts';
import { nowIso, type Db } from './db.ts';

const STATES: UploadState[] = ['receiving', 'waiting', 'processing', 'processed', 'duplicate', 'failed'];
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

export function sqliteUploads(db: Db): UploadStore {
  const insert = db.prepare(
    `INSERT INTO uploads (id, org_id, event_id, user_id, key_id, file_name, file_type, size)
     VALUES (@id, @org_id, @event_id, @user_id, @key_id, @file_name, @file_type, @size) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM uploads WHERE id = ?');
  const del = db.prepare('DELETE FROM uploads WHERE id = ?');
  const counts = db.prepare(
    'SELECT state, count(*) AS n, sum(faces) AS faces, sum(bibs) AS bibs FROM uploads WHERE event_id = ? GROUP BY state',
  );
  const failures = db.prepare(
    "SELECT * FROM uploads WHERE event_id = ? AND state = 'failed' ORDER BY updated_at DESC, id LIMIT ?",
  );
  return {
    async create(u) {
      return insert.get(u) as UploadRow;
    },
    async get(id) {
      return (byId.get(id) as UploadRow | undefined) ?? null;
    },
    async transition(id, from, to, patch = {}) {
      const sets = ['state = ?', 'updated_at = ?'];
      const values: unknown[] = [to, nowIso()];
      for (const [k, v] of Object.entries(patch)) {
        if (!['image_id', 'faces', 'bibs', 'error', 'size'].includes(k)) continue;
        sets.push(`${k} = ?`);
        values.push(v);
      }
      const sql = `UPDATE uploads SET ${sets.join(', ')} WHERE id = ? AND state IN (${placeholders(from.length)})`;
      return db.prepare(sql).run(...values, id, ...from).changes > 0;
    },
    async delete(id) {
      return del.run(id).changes > 0;
    },
    async counts(eventId) {
      const out: UploadCounts = {
        receiving: 0,
        waiting: 0,
        processing: 0,
        processed: 0,
        duplicate: 0,
        failed: 0,
        faces: 0,
        bibs: 0,
      };
      for (const r of counts.all(eventId) as { state: UploadState; n: number; faces: number | null; bibs: number | null }[]) {
        if (STATES.includes(r.state)) out[r.state] = r.n;
        out.faces += r.faces ?? 0;
        out.bibs += r.bibs ?? 0;
      }
      return out;
    },
    async failures(eventId, limit) {
      return failures.all(eventId, limit) as UploadRow[];
    },
    async idsInState(states, eventId) {
      const sql =
        `SELECT id FROM uploads WHERE state IN (${placeholders(states.length)})` +
        (eventId === undefined ? '' : ' AND event_id = ?') +
        ' ORDER BY created_at, id';
      const args: unknown[] = [...states, ...(eventId === undefined ? [] : [eventId])];
      return (db.prepare(sql).all(...args) as { id: string }[]).map((r) => r.id);
    },
  };
}
