import type { EventDeletion, EventSettings, EventStore } from '../types.ts';
import { eventParams, KEPT_ORDERS, newEventSettings, PAGE_COLS, SCOPED, toEventRow, type RawEvent } from '../sqlite/events.ts';
import { nowIso } from '../values.ts';
import type { PgDb, Sql } from './db.ts';

const SETTINGS_COLS = `name, slug, event_date, time_zone, status, event_enabled, free_downloads,
  face_threshold, watermark_text, watermark_image, flags, ${PAGE_COLS.join(', ')}`;

export function pgEvents(db: PgDb): EventStore {
  return {
    async delete(id) {
      return db.tx((q) => deleteEvent(q, id));
    },
    async create(orgId, s) {
      const settings = newEventSettings(s);
      const cols = SETTINGS_COLS.split(',').map((c) => c.trim());
      const r = await db.get<RawEvent>(
        `INSERT INTO events (org_id, ${cols.join(', ')}) VALUES (@org_id, ${cols.map((c) => `@${c}`).join(', ')}) RETURNING *`,
        { org_id: orgId, ...eventParams(settings) },
      );
      return toEventRow(r!);
    },
    async get(id) {
      const r = await db.get<RawEvent>('SELECT * FROM events WHERE id = ?', [id]);
      return r ? toEventRow(r) : null;
    },
    async update(id, patch) {
      // Read, merge and write under the row's lock: concurrent patches of different settings both land.
      return db.tx(async (q) => {
        const current = await q.get<RawEvent>('SELECT * FROM events WHERE id = ? FOR UPDATE', [id]);
        if (!current) return null;
        const cur = toEventRow(current);
        const next: EventSettings = { ...cur, ...patch, flags: { ...cur.flags, ...patch.flags } };
        if (!next.flags.video_search) next.flags.video_selfie_search = false;
        const cols = SETTINGS_COLS.split(',').map((c) => c.trim());
        const r = await q.get<RawEvent>(
          `UPDATE events SET ${cols.map((c) => `${c}=@${c}`).join(', ')}, updated_at=@updated_at WHERE id=@id RETURNING *`,
          { id, updated_at: nowIso(), ...eventParams(next) },
        );
        return toEventRow(r!);
      });
    },
    async findBySlug(orgId, slug) {
      const r = await db.get<RawEvent>('SELECT * FROM events WHERE org_id = ? AND slug = ? ORDER BY id DESC LIMIT 1', [
        orgId,
        slug,
      ]);
      return r ? toEventRow(r) : null;
    },
    async listForOrg(orgId, { offset, limit }, onlyIds, opts = {}) {
      const filter =
        (onlyIds ? `AND id = ANY(?::bigint[])` : '') +
        (opts.listedOnly ? ` AND visibility = 'public' AND status = 'active'` : '');
      const args: unknown[] = onlyIds ? [orgId, onlyIds] : [orgId];
      const total = (await db.value<number>(`SELECT count(*) FROM events WHERE org_id = ? ${filter}`, args))!;
      const rows = await db.all<RawEvent>(
        `SELECT * FROM events WHERE org_id = ? ${filter} ORDER BY event_date IS NULL, event_date DESC, id DESC LIMIT ? OFFSET ?`,
        [...args, limit, offset],
      );
      return { items: rows.map(toEventRow), total };
    },
  };
}

/** EventStore.delete's body (see the SQLite twin), run inside one transaction that first locks the event row. */
async function deleteEvent(q: Sql, id: number): Promise<EventDeletion | null> {
  const event = await q.get<{ id: number; watermark_image: string | null; cover_image: string | null }>(
    'SELECT id, watermark_image, cover_image FROM events WHERE id = ? FOR UPDATE',
    [id],
  );
  if (!event) return null;
  const paid = (await q.value<number>(`SELECT count(*) FROM orders WHERE event_id = ? AND ${KEPT_ORDERS}`, [id]))!;
  if (paid > 0) return { deleted: false, paid_orders: paid };

  const column = async (sql: string) => ((await q.pluck<string | null>(sql, [id])) ?? []).filter((k): k is string => !!k);
  const imageIds = await column('SELECT id FROM images WHERE event_id = ?');
  const videoIds = await column('SELECT id FROM videos WHERE event_id = ?');
  const blob_keys = [
    ...(await column('SELECT original_key FROM images WHERE event_id = ?')),
    ...(await column('SELECT r.blob_key FROM renditions r JOIN images i ON i.id = r.image_id WHERE i.event_id = ?')),
    ...(await column('SELECT blob_key FROM certificate_renders WHERE event_id = ?')),
    ...(await column('SELECT unnest(ARRAY[v.original_key, v.poster_key, v.preview_key]) FROM videos v WHERE v.event_id = ?')),
    ...(await column(
      'SELECT unnest(ARRAY[c.clip_key, c.poster_key]) FROM video_clips c JOIN videos v ON v.id = c.video_id WHERE v.event_id = ?',
    )),
    ...[event.watermark_image, event.cover_image].filter((k): k is string => !!k),
  ];
  const blob_prefixes = [
    ...['covers', 'watermarks', 'certificates', 'downloads'].map((folder) => `${folder}/${id}/`),
    ...imageIds.map((i) => `renditions/${i}/`),
    ...videoIds.map((v) => `videos/${v}/`),
  ];
  const upload_ids = await column('SELECT id FROM uploads WHERE event_id = ?');

  await q.run('DELETE FROM gateway_events WHERE order_id IN (SELECT id FROM orders WHERE event_id = ?)', [id]);
  await q.run('DELETE FROM orders WHERE event_id = ?', [id]);
  for (const table of SCOPED) {
    const rows = await q.all<{ rid: string; event_ids: string }>(
      `SELECT ctid::text AS rid, event_ids FROM ${table} WHERE event_ids IS NOT NULL FOR UPDATE`,
    );
    for (const r of rows) {
      const ids = JSON.parse(r.event_ids) as number[];
      if (ids.includes(id))
        await q.run(`UPDATE ${table} SET event_ids = ? WHERE ctid = ?::tid`, [
          JSON.stringify(ids.filter((e) => e !== id)),
          r.rid,
        ]);
    }
  }
  const tables = await q.pluck<string>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t
       ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.column_name = 'event_id' AND c.data_type IN ('bigint', 'integer')
       AND c.table_name NOT IN ('events', 'orders')
     ORDER BY c.table_name`,
  );
  for (const table of tables) await q.run(`DELETE FROM "${table}" WHERE event_id = ?`, [id]);
  await q.run('DELETE FROM events WHERE id = ?', [id]);
  return { deleted: true, blob_keys: [...new Set(blob_keys)], blob_prefixes, upload_ids };
}
