import type { OrgRow, OrgStore } from '../types.ts';
import type { Db } from './db.ts';

export function sqliteOrgs(db: Db): OrgStore {
  const insert = db.prepare('INSERT INTO orgs (name) VALUES (?) RETURNING *');
  const byId = db.prepare('SELECT * FROM orgs WHERE id = ?');
  const all = db.prepare('SELECT * FROM orgs ORDER BY id');
  return {
    async create(name) {
      return insert.get(name) as OrgRow;
    },
    async get(id) {
      return (byId.get(id) as OrgRow | undefined) ?? null;
    },
    async list() {
      return all.all() as OrgRow[];
    },
  };
}
