import type { ApiKeyRow, KeyStore } from '../types.ts';
import type { RequestVersions } from '../types.ts';
import { bool, json, localWrites, type Db } from './db.ts';

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

export function sqliteKeys(db: Db): KeyStore {
  const insert = db.prepare(
    `INSERT INTO api_keys (org_id, kind, prefix, hash, label, event_ids, origins)
     VALUES (@org_id, @kind, @prefix, @hash, @label, @event_ids, @origins) RETURNING *`,
  );
  const byHash = db.prepare('SELECT * FROM api_keys WHERE hash = ?');
  const forOrg = db.prepare('SELECT * FROM api_keys WHERE org_id = ? ORDER BY id');
  const setActive = db.prepare('UPDATE api_keys SET active = ? WHERE org_id = ? AND id = ?');
  const setOrigins = db.prepare('UPDATE api_keys SET origins = ? WHERE org_id = ? AND id = ?');
  const del = db.prepare('DELETE FROM api_keys WHERE org_id = ? AND id = ?');
  const version = db.prepare('SELECT version FROM access_version WHERE id = 1').pluck();
  // One statement (one read transaction): the access version, and the event's gallery version, count and whether its
  // certificates are published (as certify.ts isPublished: published state and a template).
  const versions = db
    .prepare(
      `SELECT (SELECT version FROM access_version WHERE id = 1), c.version, c.images,
         EXISTS (SELECT 1 FROM certificate_state s JOIN certificate_templates t ON t.event_id = s.event_id
                 WHERE s.event_id = @event AND s.published = 1)
       FROM (SELECT 1) LEFT JOIN image_counts c ON c.event_id = @event`,
    )
    .raw();
  // The versions read in this turn of the event loop, by event, while this process wrote nothing: the requests a turn
  // handles (a poll phase's ready sockets) share one read. They arrived before the turn began, so the state read
  // during it is a state they may all be answered from; a write by this process (any connection) starts a new read,
  // and so does the next turn (another process's commit is seen by the next turn's requests).
  let turn: { writes: number; byEvent: Map<number, RequestVersions> } | null = null;
  return {
    async create(k) {
      const raw = insert.get({
        org_id: k.org_id,
        kind: k.kind,
        prefix: k.prefix,
        hash: k.hash,
        label: k.label,
        event_ids: k.event_ids ? JSON.stringify(k.event_ids) : null,
        origins: k.origins ? JSON.stringify(k.origins) : null,
      }) as Raw;
      return toRow(raw);
    },
    async findByHash(hash) {
      const r = byHash.get(hash) as Raw | undefined;
      return r ? toRow(r) : null;
    },
    async listForOrg(orgId) {
      return (forOrg.all(orgId) as Raw[]).map(toRow);
    },
    async setActive(orgId, id, active) {
      return setActive.run(active ? 1 : 0, orgId, id).changes > 0;
    },
    async setOrigins(orgId, id, origins) {
      return setOrigins.run(origins ? JSON.stringify(origins) : null, orgId, id).changes > 0;
    },
    async delete(orgId, id) {
      return del.run(orgId, id).changes > 0;
    },
    async requestVersions(eventId) {
      const event = eventId ?? 0;
      if (turn && turn.writes === localWrites()) {
        const kept = turn.byEvent.get(event);
        if (kept) return kept;
      } else {
        const mine = (turn = { writes: localWrites(), byEvent: new Map() });
        setImmediate(() => {
          if (turn === mine) turn = null;
        });
      }
      const [access, gallery, total, certificates] = versions.get({ event }) as [
        number | null,
        number | null,
        number | null,
        number,
      ];
      const read = { access: access ?? 0, gallery: gallery ?? 0, total: total ?? 0, certificates: certificates === 1 };
      turn.byEvent.set(event, read);
      return read;
    },
    async accessVersion() {
      return (version.get() as number | undefined) ?? 0;
    },
  };
}
