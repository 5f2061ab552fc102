import type { AuthStore, InvitationRow, MemberRow, MembershipRow, SessionRow, UserRow } from '../auth-types.ts';
import { json, nowIso } from '../values.ts';
import type { PgDb } from './db.ts';

type RawMembership = Omit<MembershipRow, 'event_ids'> & { event_ids: string | null };
type RawInvitation = Omit<InvitationRow, 'event_ids'> & { event_ids: string | null };

const membership = <T extends RawMembership>(r: T) => ({ ...r, event_ids: json<number[]>(r.event_ids) });
const invitation = (r: RawInvitation): InvitationRow => ({ ...r, event_ids: json<number[]>(r.event_ids) });
const ids = (v: number[] | null) => (v ? JSON.stringify(v) : null);
const INVITATION_COLS = 'id, org_id, email, role, event_ids, invited_by, created_at, expires_at, accepted_at';
const SESSION_COLS = 'id, user_id, created_at, last_seen_at, expires_at';

export function pgAuth(db: PgDb): AuthStore {
  return {
    async createUser(u) {
      return (await db.get<UserRow>('INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?) RETURNING *', [
        u.email,
        u.name,
        u.password_hash,
      ]))!;
    },
    async getUser(id) {
      return (await db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id])) ?? null;
    },
    async findUserByEmail(email) {
      // SQLite compares emails with COLLATE NOCASE.
      return (await db.get<UserRow>('SELECT * FROM users WHERE lower(email) = lower(?)', [email])) ?? null;
    },
    async setPassword(userId, hash) {
      await db.run('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?', [hash, nowIso(), userId]);
    },
    async setName(userId, name) {
      await db.run('UPDATE users SET name = ? WHERE id = ?', [name, userId]);
    },
    async putMembership(m) {
      const r = await db.get<RawMembership>(
        `INSERT INTO memberships (org_id, user_id, role, event_ids) VALUES (@org_id, @user_id, @role, @event_ids)
         ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role, event_ids = excluded.event_ids RETURNING *`,
        { ...m, event_ids: ids(m.event_ids) },
      );
      return membership(r!);
    },
    async getMembership(orgId, userId) {
      const r = await db.get<RawMembership>('SELECT * FROM memberships WHERE org_id = ? AND user_id = ?', [orgId, userId]);
      return r ? membership(r) : null;
    },
    async membershipsOf(userId) {
      const rows = await db.all<RawMembership & { org_name: string }>(
        'SELECT m.*, o.name AS org_name FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY m.org_id',
        [userId],
      );
      return rows.map(membership);
    },
    async listMembers(orgId) {
      const rows = await db.all<RawMembership & { email: string; name: string }>(
        `SELECT m.*, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ?
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'photographer' THEN 2 ELSE 3 END, u.email`,
        [orgId],
      );
      return rows.map(membership) as MemberRow[];
    },
    async removeMembership(orgId, userId) {
      return (await db.run('DELETE FROM memberships WHERE org_id = ? AND user_id = ?', [orgId, userId])) > 0;
    },
    async countOwners(orgId) {
      return (await db.value<number>("SELECT count(*) FROM memberships WHERE org_id = ? AND role = 'owner'", [orgId]))!;
    },
    async createSession(s) {
      return (await db.get<SessionRow>(
        `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES (?, ?, ?) RETURNING ${SESSION_COLS}`,
        [s.user_id, s.token_hash, s.expires_at],
      ))!;
    },
    async findSession(tokenHash) {
      return (await db.get<SessionRow>(`SELECT ${SESSION_COLS} FROM sessions WHERE token_hash = ?`, [tokenHash])) ?? null;
    },
    async touchSession(id, at) {
      await db.run('UPDATE sessions SET last_seen_at = ? WHERE id = ?', [at, id]);
    },
    async deleteSession(id) {
      await db.run('DELETE FROM sessions WHERE id = ?', [id]);
    },
    async deleteSessionsOf(userId, exceptId) {
      return db.run('DELETE FROM sessions WHERE user_id = ? AND id != ?', [userId, exceptId ?? -1]);
    },
    async deleteExpiredSessions(now) {
      return db.run('DELETE FROM sessions WHERE expires_at <= ?', [now]);
    },
    async createInvitation(i) {
      const r = await db.get<RawInvitation>(
        `INSERT INTO invitations (org_id, email, role, event_ids, token_hash, invited_by, expires_at)
         VALUES (@org_id, @email, @role, @event_ids, @token_hash, @invited_by, @expires_at) RETURNING ${INVITATION_COLS}`,
        { ...i, event_ids: ids(i.event_ids) },
      );
      return invitation(r!);
    },
    async findInvitation(tokenHash) {
      const r = await db.get<RawInvitation>(`SELECT ${INVITATION_COLS} FROM invitations WHERE token_hash = ?`, [tokenHash]);
      return r ? invitation(r) : null;
    },
    async listInvitations(orgId) {
      return (
        await db.all<RawInvitation>(`SELECT ${INVITATION_COLS} FROM invitations WHERE org_id = ? ORDER BY id DESC`, [orgId])
      ).map(invitation);
    },
    async deleteInvitation(orgId, id) {
      return (await db.run('DELETE FROM invitations WHERE org_id = ? AND id = ?', [orgId, id])) > 0;
    },
    async markInvitationAccepted(id) {
      return (await db.run('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL', [nowIso(), id])) > 0;
    },
    async getClockOffset(eventId, userId) {
      return (
        (await db.value<number>('SELECT offset_seconds FROM photographer_clocks WHERE event_id = ? AND user_id = ?', [
          eventId,
          userId,
        ])) ?? 0
      );
    },
    async setClockOffset(eventId, userId, seconds) {
      await db.run(
        `INSERT INTO photographer_clocks (event_id, user_id, offset_seconds) VALUES (?, ?, ?)
         ON CONFLICT (event_id, user_id) DO UPDATE SET offset_seconds = excluded.offset_seconds`,
        [eventId, userId, seconds],
      );
    },
  };
}
