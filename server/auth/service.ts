import type {
  AcceptInvitationRequest,
  CreatedInvitation,
  CreateInvitationRequest,
  InvitationInfo,
  InvitationList,
  MemberItem,
  MemberList,
  Role,
  SessionInfo,
  UpdateMemberRequest,
} from '../../core/api/auth.ts';
import { ApiError, conflict, forbidden, notFound, unauthorized, unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { InvitationRow, MemberRow, SessionRow, UserRow } from '../store/auth-types.ts';
import type { Store } from '../store/types.ts';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.ts';
import type { Principal } from './roles.ts';
import { LoginThrottle, type ThrottleLimits } from './throttle.ts';
import { csrfTokenFor, hashToken, newToken } from './tokens.ts';

/** A session lasts 30 days from sign-in, and ends after 7 days without use. */
export const SESSION_MAX_AGE_S = 30 * 86_400;
export const SESSION_IDLE_MS = 7 * 86_400_000;
/** How often a used session's last-seen time is written (not on every request). */
const TOUCH_EVERY_MS = 10 * 60_000;
/** An invitation link works for 7 days, once. */
export const INVITATION_TTL_MS = 7 * 86_400_000;

export interface AuthServiceOptions {
  store: Store;
  log: Logger;
  throttle?: ThrottleLimits;
  now?: () => number;
}

export interface SignedIn {
  /** The cookie's value (shown to nobody else, stored hashed). */
  token: string;
  info: SessionInfo;
}

export interface ActiveSession {
  session: SessionRow;
  user: UserRow;
  token: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const eventIdsFor = (role: Role, ids: number[] | null | undefined) =>
  role === 'photographer' ? [...new Set(ids ?? [])].sort((a, b) => a - b) : null;

function toMember(m: MemberRow): MemberItem {
  return { user_id: m.user_id, email: m.email, name: m.name, role: m.role, event_ids: m.event_ids, created_at: m.created_at };
}

/**
 * Console accounts: users and their memberships, sign-in with throttling, sessions (by cookie token, stored
 * hashed), sign-out (one or everywhere), password change, invitations by link, members and their roles.
 * Routes call it; the admin auth middleware asks it who a cookie belongs to.
 */
export class AuthService {
  private readonly store: Store;
  private readonly log: Logger;
  private readonly throttle: LoginThrottle;
  private readonly now: () => number;

  constructor(o: AuthServiceOptions) {
    this.store = o.store;
    this.log = o.log;
    this.now = o.now ?? Date.now;
    this.throttle = new LoginThrottle(o.store.throttles, o.throttle, this.now);
  }

  // ── users ─────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Creates a user with a membership (the CLI's `user create`, the demo seed). An email that already has an
   * account is 409: its password is not changed here.
   */
  async createUser(o: { orgId: number; email: string; password: string; name?: string; role: Role; eventIds?: number[] | null }) {
    const org = await this.store.orgs.get(o.orgId);
    if (!org) throw notFound(`Organisation ${o.orgId} not found`);
    if (await this.store.auth.findUserByEmail(o.email)) throw conflict(`A user with the email ${o.email} already exists`);
    await this.checkEvents(o.orgId, o.eventIds ?? null);
    const user = await this.store.auth.createUser({
      email: o.email,
      name: o.name ?? '',
      password_hash: await hashPassword(o.password),
    });
    const membership = await this.store.auth.putMembership({
      org_id: o.orgId,
      user_id: user.id,
      role: o.role,
      event_ids: eventIdsFor(o.role, o.eventIds),
    });
    return { user, membership };
  }

  private async checkEvents(orgId: number, ids: number[] | null) {
    for (const id of ids ?? []) {
      const event = await this.store.events.get(id);
      if (!event || event.org_id !== orgId)
        throw unprocessable(`event_ids: event ${id} is not an event of organisation ${orgId}`);
    }
  }

  // ── sessions ──────────────────────────────────────────────────────────────────────────────────────────────

  async sessionInfo(user: UserRow, token: string): Promise<SessionInfo> {
    const orgs = await this.store.auth.membershipsOf(user.id);
    return {
      user: { user_id: user.id, email: user.email, name: user.name },
      orgs: orgs.map((m) => ({ org_id: m.org_id, name: m.org_name, role: m.role })),
      csrf_token: csrfTokenFor(token),
      operator: await this.store.credits.isOperator(user.id),
    };
  }

  private async startSession(user: UserRow): Promise<SignedIn> {
    const token = newToken();
    await this.store.auth.createSession({
      user_id: user.id,
      token_hash: hashToken(token),
      expires_at: iso(this.now() + SESSION_MAX_AGE_S * 1000),
    });
    return { token, info: await this.sessionInfo(user, token) };
  }

  /**
   * Email + password → a new session. Throttled per account and per IP before the password is checked (429);
   * a wrong email and a wrong password get the same answer (401) after the same work.
   */
  async login(email: string, password: string, ip: string): Promise<SignedIn> {
    const wait = await this.throttle.check(email, ip);
    if (wait > 0) throw new ApiError(429, `Too many failed sign-ins: try again in ${wait} s`, { 'Retry-After': String(wait) });
    const user = await this.store.auth.findUserByEmail(email);
    const ok = user ? await verifyPassword(user.password_hash, password) : await verifyNothing(password);
    if (!user || !ok) {
      await this.throttle.fail(email, ip);
      this.log.warn('sign-in refused', { email, ip });
      throw unauthorized('Wrong email or password');
    }
    await this.throttle.succeed(email);
    await this.store.auth.deleteExpiredSessions(iso(this.now()));
    return this.startSession(user);
  }

  /** The session a cookie token names, or null (unknown, expired, idle too long). Refreshes its last-seen time. */
  async resolve(token: string): Promise<ActiveSession | null> {
    if (!token || token.length > 200) return null;
    const session = await this.store.auth.findSession(hashToken(token));
    if (!session) return null;
    const t = this.now();
    if (Date.parse(session.expires_at) <= t || Date.parse(session.last_seen_at) + SESSION_IDLE_MS <= t) {
      await this.store.auth.deleteSession(session.id);
      return null;
    }
    const user = await this.store.auth.getUser(session.user_id);
    if (!user) return null;
    if (t - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) await this.store.auth.touchSession(session.id, iso(t));
    return { session, user, token };
  }

  async logout(s: ActiveSession): Promise<number> {
    await this.store.auth.deleteSession(s.session.id);
    return 1;
  }

  /** Ends every session of the user, this one included. */
  async logoutEverywhere(s: ActiveSession): Promise<number> {
    const others = await this.store.auth.deleteSessionsOf(s.user.id, s.session.id);
    await this.store.auth.deleteSession(s.session.id);
    return others + 1;
  }

  /** Checks the current password, stores the new one, and ends the user's other sessions. */
  async changePassword(s: ActiveSession, current: string, next: string): Promise<number> {
    if (!(await verifyPassword(s.user.password_hash, current)))
      throw forbidden('current_password: this is not your current password');
    if (current === next) throw unprocessable('new_password: must differ from the current password');
    await this.store.auth.setPassword(s.user.id, await hashPassword(next));
    return this.store.auth.deleteSessionsOf(s.user.id, s.session.id);
  }

  // ── invitations ───────────────────────────────────────────────────────────────────────────────────────────

  private assertMayGrant(p: Principal, role: Role, what: string) {
    if (role === 'owner' && p.role !== 'owner') throw forbidden(`Only an owner can ${what} an owner`);
  }

  async invite(orgId: number, p: Principal, req: CreateInvitationRequest, base: string): Promise<CreatedInvitation> {
    this.assertMayGrant(p, req.role, 'invite');
    if (req.event_ids?.length && req.role !== 'photographer')
      throw unprocessable('event_ids: only photographers are limited to events');
    await this.checkEvents(orgId, req.event_ids ?? null);
    const user = await this.store.auth.findUserByEmail(req.email);
    if (user && (await this.store.auth.getMembership(orgId, user.id)))
      throw conflict(`${req.email} is already a member of this organisation`);
    const token = newToken();
    const row = await this.store.auth.createInvitation({
      org_id: orgId,
      email: req.email,
      role: req.role,
      event_ids: eventIdsFor(req.role, req.event_ids),
      token_hash: hashToken(token),
      invited_by: p.kind === 'user' ? p.user.id : null,
      expires_at: iso(this.now() + INVITATION_TTL_MS),
    });
    return { invitation_id: row.id, url: `${base}/console/#/invite/${token}`, expires_at: row.expires_at };
  }

  async listInvitations(orgId: number): Promise<InvitationList> {
    const rows = await this.store.auth.listInvitations(orgId);
    return {
      invitations: rows.map((r) => ({
        invitation_id: r.id,
        email: r.email,
        role: r.role,
        event_ids: r.event_ids,
        created_at: r.created_at,
        expires_at: r.expires_at,
        accepted_at: r.accepted_at,
      })),
    };
  }

  async deleteInvitation(orgId: number, id: number) {
    if (!(await this.store.auth.deleteInvitation(orgId, id))) throw notFound(`Invitation ${id} not found`);
    return { invitation_id: id, deleted: true as const };
  }

  private async openInvitation(token: string): Promise<InvitationRow> {
    const row = token.length <= 200 ? await this.store.auth.findInvitation(hashToken(token)) : null;
    if (!row) throw notFound('This invitation link is not valid: ask for a new one');
    if (row.accepted_at) throw new ApiError(410, 'This invitation has already been used: sign in instead');
    if (Date.parse(row.expires_at) <= this.now()) throw new ApiError(410, 'This invitation has expired: ask for a new one');
    return row;
  }

  async invitationInfo(token: string): Promise<InvitationInfo> {
    const row = await this.openInvitation(token);
    const org = await this.store.orgs.get(row.org_id);
    return { org_name: org?.name ?? '', email: row.email, role: row.role };
  }

  /**
   * Accepts an invitation: a new account with this password, or — when the email already has one — that
   * account after checking its password. Adds the membership, uses up the link, and signs in.
   */
  async acceptInvitation(token: string, req: AcceptInvitationRequest, ip: string): Promise<SignedIn> {
    const row = await this.openInvitation(token);
    let user = await this.store.auth.findUserByEmail(row.email);
    if (user) {
      const wait = await this.throttle.check(row.email, ip);
      if (wait > 0) throw new ApiError(429, `Too many failed sign-ins: try again in ${wait} s`, { 'Retry-After': String(wait) });
      if (!(await verifyPassword(user.password_hash, req.password))) {
        await this.throttle.fail(row.email, ip);
        throw unauthorized(`${row.email} already has an account: enter its password`);
      }
    }
    const hash = user ? null : await hashPassword(req.password);
    const existing = user;
    // Used up in one statement (accepted_at IS NULL): two clicks on the link cannot both succeed.
    if (!(await this.store.auth.markInvitationAccepted(row.id)))
      throw new ApiError(410, 'This invitation has already been used: sign in instead');
    user = existing ?? (await this.store.auth.createUser({ email: row.email, name: req.name, password_hash: hash! }));
    if (!existing && req.name) await this.store.auth.setName(user.id, req.name);
    const current = await this.store.auth.getMembership(row.org_id, user.id);
    if (!current || current.role !== 'owner')
      await this.store.auth.putMembership({ org_id: row.org_id, user_id: user.id, role: row.role, event_ids: row.event_ids });
    this.log.info('invitation accepted', { org_id: row.org_id, user_id: user.id, role: row.role });
    return this.startSession(user);
  }

  // ── members ───────────────────────────────────────────────────────────────────────────────────────────────

  async members(orgId: number): Promise<MemberList> {
    return { members: (await this.store.auth.listMembers(orgId)).map(toMember) };
  }

  private async member(orgId: number, userId: number): Promise<MemberRow> {
    const m = (await this.store.auth.listMembers(orgId)).find((x) => x.user_id === userId);
    if (!m) throw notFound(`User ${userId} is not a member of this organisation`);
    return m;
  }

  async updateMember(orgId: number, p: Principal, userId: number, req: UpdateMemberRequest): Promise<MemberItem> {
    const m = await this.member(orgId, userId);
    const role = req.role ?? m.role;
    if (m.role === 'owner' || role === 'owner') this.assertMayGrant(p, 'owner', m.role === 'owner' ? 'change' : 'make');
    if (m.role === 'owner' && role !== 'owner' && (await this.store.auth.countOwners(orgId)) <= 1)
      throw conflict('This is the last owner of the organisation: make someone else owner first');
    if (req.event_ids?.length && role !== 'photographer')
      throw unprocessable('event_ids: only photographers are limited to events');
    await this.checkEvents(orgId, req.event_ids ?? null);
    const eventIds = eventIdsFor(role, req.event_ids === undefined ? m.event_ids : req.event_ids);
    await this.store.auth.putMembership({ org_id: orgId, user_id: userId, role, event_ids: eventIds });
    return toMember({ ...m, role, event_ids: eventIds });
  }

  async removeMember(orgId: number, p: Principal, userId: number) {
    const m = await this.member(orgId, userId);
    if (m.role === 'owner') {
      this.assertMayGrant(p, 'owner', 'remove');
      if ((await this.store.auth.countOwners(orgId)) <= 1)
        throw conflict('This is the last owner of the organisation: make someone else owner first');
    }
    await this.store.auth.removeMembership(orgId, userId);
    return { user_id: userId, removed: true as const };
  }

  /** The membership of a user in an organisation, or null. */
  membership(orgId: number, userId: number) {
    return this.store.auth.getMembership(orgId, userId);
  }

  // ── photographers' camera clocks ──────────────────────────────────────────────────────────────────────────

  async setClockOffset(orgId: number, eventId: number, userId: number, seconds: number) {
    await this.member(orgId, userId);
    await this.store.auth.setClockOffset(eventId, userId, seconds);
    return { event_id: eventId, user_id: userId, clock_offset_seconds: seconds };
  }
}
