import type { ApiKeyRow, KeyStore } from '../types.ts';
import { bool, json } from '../values.ts';
import type { PgDb } from './db.ts';

type Raw = Omit<ApiKeyRow, 'active' | 'event_ids' | 'origins'> & {
  active: number;
  event_ids: string | null;
  origins: string | null;
};

const toRow = (r: Raw): ApiKeyRow => ({
  id: r.id,
  org_id: r.org_id,
  kind: r.kind,
  prefix: r.prefix,
  label: r.label,
  active: bool(r.active),
  event_ids: json<number[]>(r.event_ids),
  origins: json<string[]>(r.origins),
  created_at: r.created_at,
});

export function pgKeys(db: PgDb): KeyStore {
  return {
    async create(k) {
      const raw = await db.get<Raw>(
        `INSERT INTO api_keys (org_id, kind, prefix, hash, label, event_ids, origins)
         VALUES (@org_id, @kind, @prefix, @hash, @label, @event_ids, @origins) RETURNING *`,
        {
          org_id: k.org_id,
          kind: k.kind,
          prefix: k.prefix,
          hash: k.hash,
          label: k.label,
          event_ids: k.event_ids ? JSON.stringify(k.event_ids) : null,
          origins: k.origins ? JSON.stringify(k.origins) : null,
        },
      );
      return toRow(raw!);
    },
    async findByHash(hash) {
      const r = await db.get<Raw>('SELECT * FROM api_keys WHERE hash = ?', [hash]);
      return r ? toRow(r) : null;
    },
    async listForOrg(orgId) {
      return (await db.all<Raw>('SELECT * FROM api_keys WHERE org_id = ? ORDER BY id', [orgId])).map(toRow);
    },
    async setActive(orgId, id, active) {
      return (await db.run('UPDATE api_keys SET active = ? WHERE org_id = ? AND id = ?', [active ? 1 : 0, orgId, id])) > 0;
    },
    async setOrigins(orgId, id, origins) {
      const v = origins ? JSON.stringify(origins) : null;
      return (await db.run('UPDATE api_keys SET origins = ? WHERE org_id = ? AND id = ?', [v, orgId, id])) > 0;
    },
    async delete(orgId, id) {
      return (await db.run('DELETE FROM api_keys WHERE org_id = ? AND id = ?', [orgId, id])) > 0;
    },
    async requestVersions(eventId) {
      // One round trip: the twin of the SQLite statement.
      const r = await db.get<{
        access: string | number | null;
        gallery: string | number | null;
        total: string | number | null;
        certificates: boolean;
      }>(
        `SELECT (SELECT version FROM access_version WHERE id = 1) AS access, c.version AS gallery, c.images AS total,
           EXISTS (SELECT 1 FROM certificate_state s JOIN certificate_templates t ON t.event_id = s.event_id
                   WHERE s.event_id = @event AND s.published = 1) AS certificates
         FROM (SELECT 1) AS one LEFT JOIN image_counts c ON c.event_id = @event`,
        { event: eventId ?? 0 },
      );
      return {
        access: Number(r?.access ?? 0),
        gallery: Number(r?.gallery ?? 0),
        total: Number(r?.total ?? 0),
        certificates: r?.certificates === true || (r?.certificates as unknown) === 1,
      };
    },
    async accessVersion() {
      const r = await db.get<{ version: string | number }>('SELECT version FROM access_version WHERE id = 1');
      return r ? Number(r.version) : 0;
    },
  };
}
