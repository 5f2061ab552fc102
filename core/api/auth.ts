import { z } from 'zod';

/**
 * Console accounts (`/api/v1/auth/…`) and the organisation's people (`/api/v1/admin/{org_id}/members`,
 * `/invitations`, `/events/{event_id}/photographers/…`), and the processing view of an event's uploads
 * (`/api/v1/admin/{org_id}/events/{event_id}/processing`). Shared by the server and the console pages.
 */

export const ROLES = ['owner', 'admin', 'photographer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES).meta({
  description:
    'owner/admin: everything (only an owner manages owners); photographer: reads and uploads to the events assigned ' +
    'to them, nothing else; viewer: reads only',
});

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const NAME_MAX = 200;

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address such as ana@example.org'))
  .transform((s) => s.toLowerCase())
  .meta({ description: 'an email address (compared without case)' });

export const Password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

export const PersonName = z.string().trim().max(NAME_MAX, `must be at most ${NAME_MAX} characters`);

const EventIds = z
  .array(z.number().int().positive())
  .max(1000)
  .meta({ description: 'photographers: the events they may upload to (other roles: ignored, null)' });

export const LoginRequest = z.strictObject({
  email: Email,
  // Any length is checked against the stored hash: a short password is just a wrong one.
  password: z.string().min(1, 'is required').max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionUser = z.object({ user_id: z.number().int(), email: z.string(), name: z.string() });
export const SessionOrg = z.object({ org_id: z.number().int(), name: z.string(), role: Role });
export type SessionOrg = z.infer<typeof SessionOrg>;

/** Who is signed in, their organisations (the switcher), and the CSRF token every state-changing request sends. */
export const SessionInfo = z.object({
  user: SessionUser,
  orgs: z.array(SessionOrg),
  csrf_token: z.string().meta({ description: 'send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE' }),
  /** A server operator (issue 13): may use /api/v1/operator (plans, grants, refunds of every organisation). */
  operator: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SignedOut = z.object({ signed_out: z.literal(true), sessions: z.number().int() });
export type SignedOut = z.infer<typeof SignedOut>;

export const PasswordChangeRequest = z.strictObject({
  current_password: z.string().min(1, 'is required').max(PASSWORD_MAX),
  new_password: Password,
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequest>;

export const PasswordChanged = z.object({
  changed: z.literal(true),
  /** Other sessions of the user signed out by the change. */
  other_sessions_ended: z.number().int(),
});

export const CreateInvitationRequest = z.strictObject({
  email: Email,
  role: Role,
  event_ids: EventIds.optional(),
});
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequest>;

export const CreatedInvitation = z.object({
  invitation_id: z.number().int(),
  url: z.string().meta({ description: 'the link to give the person (shown once): <public>/console/#/invite/<token>' }),
  expires_at: z.string(),
});
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

export const InvitationItem = z.object({
  invitation_id: z.number().int(),
  email: z.string(),
  role: Role,
  event_ids: z.array(z.number().int()).nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  accepted_at: z.string().nullable(),
});
export type InvitationItem = z.infer<typeof InvitationItem>;

export const InvitationList = z.object({ invitations: z.array(InvitationItem) });
export type InvitationList = z.infer<typeof InvitationList>;

export const DeletedInvitation = z.object({ invitation_id: z.number().int(), deleted: z.literal(true) });

/** What the invitation link's page shows before the person accepts. */
export const InvitationInfo = z.object({ org_name: z.string(), email: z.string(), role: Role });
export type InvitationInfo = z.infer<typeof InvitationInfo>;

export const AcceptInvitationRequest = z.strictObject({
  name: PersonName,
  password: Password.meta({
    description: 'a new password; when the email already has an account, that account’s password',
  }),
});
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

export const MemberItem = z.object({
  user_id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: Role,
  event_ids: z.array(z.number().int()).nullable(),
  created_at: z.string(),
});
export type MemberItem = z.infer<typeof MemberItem>;

export const MemberList = z.object({ members: z.array(MemberItem) });
export type MemberList = z.infer<typeof MemberList>;

export const UpdateMemberRequest = z
  .strictObject({ role: Role.optional(), event_ids: EventIds.nullable().optional() })
  .refine((v) => v.role !== undefined || v.event_ids !== undefined, { error: 'send role, event_ids or both' });
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

export const RemovedMember = z.object({ user_id: z.number().int(), removed: z.literal(true) });

/** ±10 years: a camera whose clock was never set is still fixable. */
export const CLOCK_OFFSET_MAX_SECONDS = 10 * 366 * 86_400;

export const ClockOffsetRequest = z.strictObject({
  clock_offset_seconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(-CLOCK_OFFSET_MAX_SECONDS, 'must be within ±10 years')
    .max(CLOCK_OFFSET_MAX_SECONDS, 'must be within ±10 years')
    .meta({ description: 'seconds added to the camera time of this photographer’s uploads (camera 2 min slow: 120)' }),
});
export type ClockOffsetRequest = z.infer<typeof ClockOffsetRequest>;

export const PhotographerClock = z.object({
  event_id: z.number().int(),
  user_id: z.number().int(),
  clock_offset_seconds: z.number().int(),
});
export type PhotographerClock = z.infer<typeof PhotographerClock>;

export const ProcessingFailure = z.object({
  upload_id: z.string(),
  file_name: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type ProcessingFailure = z.infer<typeof ProcessingFailure>;

/** The event's uploads: received (complete), processed (stored or skipped as duplicates), failed, waiting. */
export const ProcessingStats = z.object({
  received: z.number().int(),
  processed: z.number().int(),
  failed: z.number().int(),
  waiting: z.number().int(),
  faces: z.number().int(),
  bibs: z.number().int(),
  failures: z.array(ProcessingFailure),
});
export type ProcessingStats = z.infer<typeof ProcessingStats>;

export const RetryReport = z.object({ retried: z.number().int() });
export type RetryReport = z.infer<typeof RetryReport>;

/** One tus upload as the server sees it (GET on the upload's URL; HEAD is the tus offset). */
export const UploadStatus = z.object({
  upload_id: z.string(),
  file_name: z.string(),
  size: z.number().int().nullable(),
  offset: z.number().int(),
  state: z.enum(['receiving', 'waiting', 'processing', 'processed', 'duplicate', 'failed']),
  image_id: z.string().nullable(),
  error: z.string().nullable(),
});
export type UploadStatus = z.infer<typeof UploadStatus>;
