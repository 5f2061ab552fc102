import type { z } from 'zod';
import {
  ClockOffsetRequest,
  CreatedInvitation,
  CreateInvitationRequest,
  DeletedInvitation,
  InvitationList,
  MemberItem,
  MemberList,
  PhotographerClock,
  RemovedMember,
  UpdateMemberRequest,
} from '../../../core/api/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath, OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { wholeNumber } from '../../../core/api/pagination.ts';

const TAG = 'Admin: members';
const json = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });
const positiveId = (description: string) =>
  wholeNumber('must be a positive integer', (n) => n.positive('must be a positive integer')).meta({ description });

const MemberPath = OrgPath.extend({ user_id: positiveId('a member, as found at data.members[].user_id') });
const InvitationPath = OrgPath.extend({ invitation_id: positiveId('as found at data.invitations[].invitation_id') });
const PhotographerPath = EventPath.extend({ user_id: positiveId('a member of the organisation') });

export const listMembersRoute = defineRoute({
  method: 'get',
  path: '/members',
  tag: TAG,
  summary: 'List members',
  description: 'Every console user of the organisation with their role (photographers: their events).',
  auth: 'secret',
  request: { params: OrgPath },
  data: MemberList,
  errors: [422],
});

export const updateMemberRoute = defineRoute({
  method: 'patch',
  path: '/members/{user_id}',
  tag: TAG,
  summary: 'Change a member’s role or events',
  description:
    'Owners and admins; only an owner makes or changes an owner (403), and the last owner stays one (409). ' +
    'event_ids are the events a photographer may see and upload to.',
  auth: 'secret',
  request: { params: MemberPath, body: json(UpdateMemberRequest) },
  data: MemberItem,
  errors: [400, 404, 409, 415, 422],
});

export const removeMemberRoute = defineRoute({
  method: 'delete',
  path: '/members/{user_id}',
  tag: TAG,
  summary: 'Remove a member',
  description:
    'The account stays (it may belong to other organisations). Only an owner removes an owner; never the last one (409).',
  auth: 'secret',
  request: { params: MemberPath },
  data: RemovedMember,
  errors: [404, 409, 422],
});

export const createInvitationRoute = defineRoute({
  method: 'post',
  path: '/invitations',
  tag: TAG,
  summary: 'Invite someone',
  description:
    'Answers the link to give them (shown once; no mail is sent): <public>/console/#/invite/<token>, valid 7 days, once. ' +
    'Only an owner invites an owner.',
  auth: 'secret',
  request: { params: OrgPath, body: json(CreateInvitationRequest) },
  data: CreatedInvitation,
  status: 201,
  errors: [400, 409, 415, 422],
});

export const listInvitationsRoute = defineRoute({
  method: 'get',
  path: '/invitations',
  tag: TAG,
  summary: 'List invitations',
  description: 'Pending, used and expired invitations, newest first; never their links.',
  auth: 'secret',
  request: { params: OrgPath },
  data: InvitationList,
  errors: [422],
});

export const deleteInvitationRoute = defineRoute({
  method: 'delete',
  path: '/invitations/{invitation_id}',
  tag: TAG,
  summary: 'Withdraw an invitation',
  description: 'Its link stops working at once.',
  auth: 'secret',
  request: { params: InvitationPath },
  data: DeletedInvitation,
  errors: [404, 422],
});

export const setClockRoute = defineRoute({
  method: 'put',
  path: '/photographers/{user_id}',
  tag: TAG,
  summary: 'Set a photographer’s camera clock offset',
  description:
    'Seconds added to the EXIF capture time of the photos this member uploads to this event (a camera 2 minutes ' +
    'slow: 120), applied when each upload is processed.',
  auth: 'secret',
  request: { params: PhotographerPath, body: json(ClockOffsetRequest) },
  data: PhotographerClock,
  errors: [400, 404, 415, 422],
});

/** The organisation's people: members and roles, invitations by link. */
export const adminMembers = createRouter()
  .openapi(listMembersRoute, async (c) => {
    const data = await c.get('deps').auth.members(c.get('orgId'));
    return ok(c, `${data.members.length} member${data.members.length === 1 ? '' : 's'}`, data);
  })
  .openapi(updateMemberRoute, async (c) => {
    const { user_id } = c.req.valid('param');
    const data = await c.get('deps').auth.updateMember(c.get('orgId'), c.get('principal'), user_id, c.req.valid('json'));
    return ok(c, 'Member updated', data);
  })
  .openapi(removeMemberRoute, async (c) => {
    const { user_id } = c.req.valid('param');
    return ok(c, 'Member removed', await c.get('deps').auth.removeMember(c.get('orgId'), c.get('principal'), user_id));
  })
  .openapi(createInvitationRoute, async (c) => {
    const data = await c.get('deps').auth.invite(c.get('orgId'), c.get('principal'), c.req.valid('json'), baseUrl(c));
    return ok(c, 'Invitation created: copy the link now, it is not shown again', data, 201);
  })
  .openapi(listInvitationsRoute, async (c) => {
    return ok(c, 'Invitations', await c.get('deps').auth.listInvitations(c.get('orgId')));
  })
  .openapi(deleteInvitationRoute, async (c) => {
    const { invitation_id } = c.req.valid('param');
    return ok(c, 'Invitation withdrawn', await c.get('deps').auth.deleteInvitation(c.get('orgId'), invitation_id));
  });

/** Per event: a photographer's camera clock (mounted under `/events/{event_id}`, the event already loaded). */
export const adminPhotographers = createRouter().openapi(setClockRoute, async (c) => {
  const { user_id } = c.req.valid('param');
  const { clock_offset_seconds } = c.req.valid('json');
  const data = await c.get('deps').auth.setClockOffset(c.get('orgId'), c.get('event').id, user_id, clock_offset_seconds);
  return ok(c, 'Camera clock offset set', data);
});
