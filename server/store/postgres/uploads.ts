import type { UploadCounts, UploadRow, UploadState, UploadStore } from '../auth-types.ts';
import { nowIso } from '../values.ts';
import type { PgDb } from './db.ts';

const STATES: UploadState[] = ['receiving', 'waiting', 'processing', 'processed', 'duplicate', 'failed'];

export function pgUploads(db: PgDb): UploadStore {
  return {
    async create(u) {
      return (await db.get<UploadRow>(
        `INSERT INTO uploads (id, org_id, event_id, user_id, key_id, file_name, file_type, size)
         VALUES (@id, @org_id, @event_id, @user_id, @key_id, @file_name, @file_type, @size) RETURNING *`,
        u,
      ))!;
    },
    async get(id) {
      return (await db.get<UploadRow>('SELECT * FROM uploads WHERE id = ?', [id])) ?? null;
    },
    async transition(id, from, to, patch = {}) {
      // One UPDATE guarded by the states it may leave: of two concurrent transitions from the same state, one applies.
      const sets = ['state = ?', 'updated_at = ?'];
      const values: unknown[] = [to, nowIso()];
      for (const [k, v] of Object.entries(patch)) {
        if (!['image_id', 'faces', 'bibs', 'error', 'size'].includes(k)) continue;
        sets.push(`${k} = ?`);
        values.push(v);
      }
      const sql = `UPDATE uploads SET ${sets.join(', ')} WHERE id = ? AND state = ANY(?::text[])`;
      return (await db.run(sql, [...values, id, from])) > 0;
    },
    async delete(id) {
      return (await db.run('DELETE FROM uploads WHERE id = ?', [id])) > 0;
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
      const rows = await db.all<{ state: UploadState; n: number; faces: number | null; bibs: number | null }>(
        'SELECT state, count(*) AS n, sum(faces) AS faces, sum(bibs) AS bibs FROM uploads WHERE event_id = ? GROUP BY state',
        [eventId],
      );
      for (const r of rows) {
        if (STATES.includes(r.state)) out[r.state] = r.n;
        out.faces += r.faces ?? 0;
        out.bibs += r.bibs ?? 0;
      }
      return out;
    },
    async failures(eventId, limit) {
      return db.all<UploadRow>(
        "SELECT * FROM uploads WHERE event_id = ? AND state = 'failed' ORDER BY updated_at DESC, id LIMIT ?",
        [eventId, limit],
      );
    },
    async idsInState(states, eventId) {
      const sql =
        'SELECT id FROM uploads WHERE state = ANY(?::text[])' +
        (eventId === undefined ? '' : ' AND event_id = ?') +
        ' ORDER BY created_at, id';
      return db.pluck<string>(sql, eventId === undefined ? [states] : [states, eventId]);
    },
  };
}
