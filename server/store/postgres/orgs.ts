import type { OrgRow, OrgStore } from '../types.ts';
import type { PgDb } from './db.ts';

export function pgOrgs(db: PgDb): OrgStore {
  return {
    async create(name) {
      return (await db.get<OrgRow>('INSERT INTO orgs (name) VALUES (?) RETURNING *', [name]))!;
    },
    async get(id) {
      return (await db.get<OrgRow>('SELECT * FROM orgs WHERE id = ?', [id])) ?? null;
    },
    async list() {
      return db.all<OrgRow>('SELECT * FROM orgs ORDER BY id');
    },
  };
}
