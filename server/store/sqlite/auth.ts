import type { AuthStore, InvitationRow, MemberRow, MembershipRow, SessionRow, UserRow } from '../auth-types.ts';
import { json, nowIso, type Db } from './db.ts';

type RawMembership = Omit<MembershipRow, 'event_ids'> & { event_ids: string | null };
type RawInvitation = Omit<InvitationRow, 'event_ids'> & { event_ids: string | null };

const membership = <T extends RawMembership>(r: T) => ({ ...r, event_ids: json<number[]>(r.event_ids) });
const invitation = (r: RawInvitation): InvitationRow => ({ ...r, event_ids: json<number[]>(r.event_ids) });
const ids = (v: number[] | null) => (v ? JSON.stringify(v) : null);

export function sqliteAuth(db: Db): AuthStore {
  const q = {
    insertUser: db.prepare('INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?) RETURNING *'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?'),
    setName: db.prepare('UPDATE users SET name = ? WHERE id = ?'),
    putMembership: db.prepare(
      `INSERT INTO memberships (org_id, user_id, role, event_ids) VALUES (@org_id, @user_id, @role, @event_ids)
       ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role, event_ids = excluded.event_ids RETURNING *`,
    ),
    getMembership: db.prepare('SELECT * FROM memberships WHERE org_id = ? AND user_id = ?'),
    membershipsOf: db.prepare(
      `SELECT m.*, o.name AS org_name FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY m.org_id`,
    ),
    members: db.prepare(
      `SELECT m.*, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ?
       ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'photographer' THEN 2 ELSE 3 END, u.email`,
    ),
    removeMembership: db.prepare('DELETE FROM memberships WHERE org_id = ? AND user_id = ?'),
    countOwners: db.prepare("SELECT count(*) AS n FROM memberships WHERE org_id = ? AND role = 'owner'"),
    insertSession: db.prepare(
      'INSERT INTO sessions (user_id, token_hash, expires_at) VALUES (?, ?, ?) RETURNING id, user_id, created_at, last_seen_at, expires_at',
    ),
    sessionByHash: db.prepare('SELECT id, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?'),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    deleteSessionsOf: db.prepare('DELETE FROM sessions WHERE user_id = ? AND id != ?'),
    deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    insertInvitation: db.prepare(
      `INSERT INTO invitations (org_id, email, role, event_ids, token_hash, invited_by, expires_at)
       VALUES (@org_id, @email, @role, @event_ids, @token_hash, @invited_by, @expires_at)
       RETURNING id, org_id, email, role, event_ids, invited_by, created_at, expires_at, accepted_at`,
    ),
    invitationByHash: db.prepare(
      'SELECT id, org_id, email, role, event_ids, invited_by, created_at, expires_at, accepted_at FROM invitations WHERE token_hash = ?',
    ),
    invitations: db.prepare(
      'SELECT id, org_id, email, role, event_ids, invited_by, created_at, expires_at, accepted_at FROM invitations WHERE org_id = ? ORDER BY id DESC',
    ),
    deleteInvitation: db.prepare('DELETE FROM invitations WHERE org_id = ? AND id = ?'),
    acceptInvitation: db.prepare('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL'),
    getClock: db.prepare('SELECT offset_seconds FROM photographer_clocks WHERE event_id = ? AND user_id = ?'),
    putClock: db.prepare(
      `INSERT INTO photographer_clocks (event_id, user_id, offset_seconds) VALUES (?, ?, ?)
       ON CONFLICT (event_id, user_id) DO UPDATE SET offset_seconds = excluded.offset_seconds`,
    ),
  };
  return {
    async createUser(u) {
      return q.insertUser.get(u.email, u.name, u.password_hash) as UserRow;
    },
    async getUser(id) {
      return (q.userById.get(id) as UserRow | undefined) ?? null;
    },
    async findUserByEmail(email) {
      return (q.userByEmail.get(email) as UserRow | undefined) ?? null;
    },
    async setPassword(userId, hash) {
      q.setPassword.run(hash, nowIso(), userId);
    },
    async setName(userId, name) {
      q.setName.run(name, userId);
    },
    async putMembership(m) {
      return membership(q.putMembership.get({ ...m, event_ids: ids(m.event_ids) }) as RawMembership);
    },
    async getMembership(orgId, userId) {
      const r = q.getMembership.get(orgId, userId) as RawMembership | undefined;
      return r ? membership(r) : null;
    },
    async membershipsOf(userId) {
      return (q.membershipsOf.all(userId) as (RawMembership & { org_name: string })[]).map(membership);
    },
    async listMembers(orgId) {
      return (q.members.all(orgId) as (RawMembership & { email: string; name: string })[]).map(membership) as MemberRow[];
    },
    async removeMembership(orgId, userId) {
      return q.removeMembership.run(orgId, userId).changes > 0;
    },
    async countOwners(orgId) {
      return (q.countOwners.get(orgId) as { n: number }).n;
    },
    async createSession(s) {
      return q.insertSession.get(s.user_id, s.token_hash, s.expires_at) as SessionRow;
    },
    async findSession(tokenHash) {
      return (q.sessionByHash.get(tokenHash) as SessionRow | undefined) ?? null;
    },
    async touchSession(id, at) {
      q.touchSession.run(at, id);
    },
    async deleteSession(id) {
      q.deleteSession.run(id);
    },
    async deleteSessionsOf(userId, exceptId) {
      return q.deleteSessionsOf.run(userId, exceptId ?? -1).changes;
    },
    async deleteExpiredSessions(now) {
      return q.deleteExpired.run(now).changes;
    },
    async createInvitation(i) {
      return invitation(q.insertInvitation.get({ ...i, event_ids: ids(i.event_ids) }) as RawInvitation);
    },
    async findInvitation(tokenHash) {
      const r = q.invitationByHash.get(tokenHash) as RawInvitation | undefined;
      return r ? invitation(r) : null;
    },
    async listInvitations(orgId) {
      return (q.invitations.all(orgId) as RawInvitation[]).map(invitation);
    },
    async deleteInvitation(orgId, id) {
      return q.deleteInvitation.run(orgId, id).changes > 0;
    },
    async markInvitationAccepted(id) {
      return q.acceptInvitation.run(nowIso(), id).changes > 0;
    },
    async getClockOffset(eventId, userId) {
      return (q.getClock.get(eventId, userId) as { offset_seconds: number } | undefined)?.offset_seconds ?? 0;
    },
    async setClockOffset(eventId, userId, seconds) {
      q.putClock.run(eventId, userId, seconds);
    },
  };
}
