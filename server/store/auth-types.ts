/**
 * Storage contracts of the console: accounts, memberships, sessions, invitations (store.auth) and tus uploads
 * with their processing state (store.uploads). Secrets (session tokens, invitation tokens) are stored as sha256
 * hashes only; passwords as argon2id hashes.
 */
import type { Role } from '../../core/api/auth.ts';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
}

export interface MembershipRow {
  org_id: number;
  user_id: number;
  role: Role;
  /** Photographers: the events they may see and upload to; null for other roles. */
  event_ids: number[] | null;
  created_at: string;
}

export interface MemberRow extends MembershipRow {
  email: string;
  name: string;
}

export interface SessionRow {
  id: number;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface InvitationRow {
  id: number;
  org_id: number;
  email: string;
  role: Role;
  event_ids: number[] | null;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

export interface AuthStore {
  createUser(u: { email: string; name: string; password_hash: string }): Promise<UserRow>;
  getUser(id: number): Promise<UserRow | null>;
  findUserByEmail(email: string): Promise<UserRow | null>;
  setPassword(userId: number, hash: string): Promise<void>;
  setName(userId: number, name: string): Promise<void>;

  /** Adds the membership, or replaces its role and events. */
  putMembership(m: Omit<MembershipRow, 'created_at'>): Promise<MembershipRow>;
  getMembership(orgId: number, userId: number): Promise<MembershipRow | null>;
  /** The user's organisations with their names, by org id. */
  membershipsOf(userId: number): Promise<(MembershipRow & { org_name: string })[]>;
  listMembers(orgId: number): Promise<MemberRow[]>;
  removeMembership(orgId: number, userId: number): Promise<boolean>;
  countOwners(orgId: number): Promise<number>;

  createSession(s: { user_id: number; token_hash: string; expires_at: string }): Promise<SessionRow>;
  findSession(tokenHash: string): Promise<SessionRow | null>;
  touchSession(id: number, lastSeenAt: string): Promise<void>;
  deleteSession(id: number): Promise<void>;
  /** Ends every session of the user but `exceptId`; returns how many. */
  deleteSessionsOf(userId: number, exceptId?: number): Promise<number>;
  deleteExpiredSessions(nowIso: string): Promise<number>;

  createInvitation(i: Omit<InvitationRow, 'id' | 'created_at' | 'accepted_at'> & { token_hash: string }): Promise<InvitationRow>;
  findInvitation(tokenHash: string): Promise<InvitationRow | null>;
  listInvitations(orgId: number): Promise<InvitationRow[]>;
  deleteInvitation(orgId: number, id: number): Promise<boolean>;
  /** Marks it accepted once; false when it was already accepted. */
  markInvitationAccepted(id: number): Promise<boolean>;

  getClockOffset(eventId: number, userId: number): Promise<number>;
  setClockOffset(eventId: number, userId: number, seconds: number): Promise<void>;
}

export type UploadState = 'receiving' | 'waiting' | 'processing' | 'processed' | 'duplicate' | 'failed';

export interface UploadRow {
  id: string;
  org_id: number;
  event_id: number;
  /** The console user who uploaded it, or null (a secret key). */
  user_id: number | null;
  key_id: number | null;
  file_name: string;
  file_type: string | null;
  /** Bytes announced (null while a deferred length is not known). */
  size: number | null;
  state: UploadState;
  image_id: string | null;
  faces: number;
  bibs: number;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface UploadCounts {
  receiving: number;
  waiting: number;
  processing: number;
  processed: number;
  duplicate: number;
  failed: number;
  faces: number;
  bibs: number;
}

export interface UploadStore {
  create(
    u: Pick<UploadRow, 'id' | 'org_id' | 'event_id' | 'user_id' | 'key_id' | 'file_name' | 'file_type' | 'size'>,
  ): Promise<UploadRow>;
  get(id: string): Promise<UploadRow | null>;
  /**
   * Moves the upload from one of `from` to `to` in one statement; false when it was in another state (someone
   * else moved it first). This is what makes "ingested exactly once" hold.
   */
  transition(
    id: string,
    from: UploadState[],
    to: UploadState,
    patch?: Partial<Pick<UploadRow, 'image_id' | 'faces' | 'bibs' | 'error' | 'size'>>,
  ): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  counts(eventId: number): Promise<UploadCounts>;
  failures(eventId: number, limit: number): Promise<UploadRow[]>;
  /** Ids in the given states (for the queue on start and for retries), oldest first. */
  idsInState(states: UploadState[], eventId?: number): Promise<string[]>;
}
