import { visibleEvents } from '../../auth/roles.ts';
import {
  AdminEvent,
  AdminEventList,
  CreateEventRequest,
  DeletedEvent,
  DeleteEventQuery,
  UpdateEventRequest,
} from '../../../core/api/admin.ts';
import { pageQuery } from '../../../core/index.ts';
import { ok } from '../../http/envelope.ts';
import { multipart } from '../../http/body.ts';
import { EventPath, OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import { baseUrl } from '../../http/base-url.ts';
import {
  clearCoverImage,
  clearWatermarkImage,
  COVER_MAX_BYTES,
  COVER_WIDTH,
  createEvent,
  deleteEvent,
  eventSettings,
  listAdminEvents,
  refreshRenditions,
  setCoverImage,
  setWatermarkImage,
  updateEvent,
  WATERMARK_MAX_BYTES,
  WATERMARK_MAX_SIDE,
} from '../../services/events.ts';

const TAG = 'Admin: events';
const MiB = (bytes: number) => `${bytes / 1024 / 1024} MiB`;

// ── organisation level: /api/v1/admin/{org_id}/events ─────────────────────────────────────────────────────

export const listEventsRoute = defineRoute({
  method: 'get',
  path: '/events',
  tag: TAG,
  summary: 'List events with their settings',
  description: 'Every event of the organisation, with its settings and photo count.',
  auth: 'secret',
  request: { params: OrgPath, query: pageQuery('events') },
  data: AdminEventList,
  errors: [422],
});

export const createEventRoute = defineRoute({
  method: 'post',
  path: '/events',
  tag: TAG,
  summary: 'Create an event',
  description:
    'Only name is required. time_zone must be an IANA name; flags.video_selfie_search needs flags.video_search. ' +
    'An unknown field is 422 naming it.',
  auth: 'secret',
  request: {
    params: OrgPath,
    body: { required: true, content: { 'application/json': { schema: CreateEventRequest } } },
  },
  data: AdminEvent,
  status: 201,
  errors: [400, 415, 422],
});

/** Events of the organisation: the list and a new event. */
export const adminEvents = createRouter()
  .openapi(listEventsRoute, async (c) => {
    const data = await listAdminEvents(
      c.get('deps'),
      c.get('orgId'),
      c.req.valid('query'),
      baseUrl(c),
      visibleEvents(c.get('principal')),
    );
    return ok(c, data.pagination.total ? 'Events of the organisation' : 'No events yet', data);
  })
  .openapi(createEventRoute, async (c) => {
    const event = await createEvent(c.get('deps'), c.get('orgId'), c.req.valid('json'), baseUrl(c));
    return ok(c, `Event ${event.event_id} created`, event, 201);
  });

// ── event level: /api/v1/admin/{org_id}/events/{event_id} ─────────────────────────────────────────────────

export const eventSettingsRoute = defineRoute({
  method: 'get',
  path: '/',
  tag: TAG,
  summary: 'Event settings',
  description: 'The event with every setting and its photo count.',
  auth: 'secret',
  request: { params: EventPath },
  data: AdminEvent,
  errors: [404, 422],
});

export const updateEventRoute = defineRoute({
  method: 'patch',
  path: '/',
  tag: TAG,
  summary: 'Update event settings',
  description:
    'Only the fields sent change (at least one); flags merge with the current ones. ' +
    'Switching video_search off also switches video_selfie_search off. A switched-off flag takes effect at once. ' +
    'page_password is write-only (stored as an argon2 hash; page_password_set tells whether one is set; null removes it). ' +
    'A new watermark_text re-renders the thumbnails and previews in the background (renditions_pending counts the photos left); ' +
    'the old ones are served until the new ones are ready.',
  auth: 'secret',
  request: {
    params: EventPath,
    body: { required: true, content: { 'application/json': { schema: UpdateEventRequest } } },
  },
  data: AdminEvent,
  errors: [400, 404, 415, 422],
});

export const deleteEventRoute = defineRoute({
  method: 'delete',
  path: '/',
  tag: TAG,
  summary: 'Delete an event',
  description:
    'Deletes the event for good: its photos, faces, bibs, certificates, checkout plans and unpaid orders, videos, ' +
    'uploads, runners, analytics and settings, and their files; keys and members scoped to it lose it. ' +
    '`confirm` must repeat the event id (400 otherwise). Refused (409) while the event has paid or refunded orders, ' +
    'whose receipts must keep working: archive it instead (status draft). Owners and admins only.',
  auth: 'secret',
  request: { params: EventPath, query: DeleteEventQuery },
  data: DeletedEvent,
  errors: [400, 404, 409, 422],
});

export const setWatermarkRoute = defineRoute({
  method: 'put',
  path: '/watermark',
  tag: TAG,
  summary: 'Set the watermark image',
  description:
    `A PNG or JPEG (at most ${MiB(WATERMARK_MAX_BYTES)}, ${WATERMARK_MAX_SIDE} px a side), fully decoded once, ` +
    'burned into the thumbnails and previews of every photo: existing ones are re-rendered in the background ' +
    '(renditions_pending counts the photos left; the old ones are served until then). ' +
    'Replacing or removing it deletes the old file.',
  auth: 'secret',
  bodyLimit: WATERMARK_MAX_BYTES + 64 * 1024,
  request: {
    params: EventPath,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({ file: { description: 'the PNG or JPEG image', required: true } }),
        },
      },
    },
  },
  data: AdminEvent,
  errors: [400, 404, 413, 415, 422],
});

export const clearWatermarkRoute = defineRoute({
  method: 'delete',
  path: '/watermark',
  tag: TAG,
  summary: 'Remove the watermark image',
  description: 'The thumbnails and previews are re-rendered without it in the background; its file is deleted.',
  auth: 'secret',
  request: { params: EventPath },
  data: AdminEvent,
  errors: [404, 422],
});

export const setCoverRoute = defineRoute({
  method: 'put',
  path: '/cover',
  tag: TAG,
  summary: 'Set the cover image',
  description:
    `A PNG, JPEG or WebP (at most ${MiB(COVER_MAX_BYTES)}), stored as a JPEG at most ${COVER_WIDTH} px wide, ` +
    'served publicly (details.cover_image, the hosted page and its og:image). Replacing or removing it deletes the old file.',
  auth: 'secret',
  bodyLimit: COVER_MAX_BYTES + 64 * 1024,
  request: {
    params: EventPath,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({ file: { description: 'the PNG, JPEG or WebP image', required: true } }),
        },
      },
    },
  },
  data: AdminEvent,
  errors: [400, 404, 413, 415, 422],
});

export const clearCoverRoute = defineRoute({
  method: 'delete',
  path: '/cover',
  tag: TAG,
  summary: 'Remove the cover image',
  description: 'The event has no cover image any more; its file is deleted.',
  auth: 'secret',
  request: { params: EventPath },
  data: AdminEvent,
  errors: [404, 422],
});

export const refreshRenditionsRoute = defineRoute({
  method: 'post',
  path: '/renditions/refresh',
  tag: TAG,
  summary: 'Refresh the image cache',
  description:
    'Re-renders, in the background, the thumbnails and previews not drawn with the current watermark (a change of ' +
    'watermark starts this by itself). Answers at once (202) with renditions_pending; the old files are served until then.',
  auth: 'secret',
  request: { params: EventPath },
  data: AdminEvent,
  status: 202,
  errors: [404, 422],
});

/** One event's settings, watermark and cover images (mounted under `/events/{event_id}`, the event already loaded). */
export const adminEvent = createRouter()
  .openapi(eventSettingsRoute, async (c) =>
    ok(c, 'Event settings', await eventSettings(c.get('deps'), c.get('event'), baseUrl(c))),
  )
  .openapi(updateEventRoute, async (c) => {
    return ok(c, 'Event updated', await updateEvent(c.get('deps'), c.get('event'), c.req.valid('json'), baseUrl(c)));
  })
  .openapi(deleteEventRoute, async (c) => {
    const data = await deleteEvent(c.get('deps'), c.get('event'), c.req.valid('query').confirm);
    return ok(c, 'Event deleted', data);
  })
  .openapi(setWatermarkRoute, async (c) => {
    const { files } = await multipart(c, 'the watermark image (PNG or JPEG) in the field `file`');
    const files_ = files.map((f) => f.file);
    const event = await setWatermarkImage(c.get('deps'), c.get('event'), files_, baseUrl(c));
    return ok(c, 'Watermark image set: every photo carries it once renditions_pending is 0', event);
  })
  .openapi(clearWatermarkRoute, async (c) => {
    return ok(c, 'Watermark image removed', await clearWatermarkImage(c.get('deps'), c.get('event'), baseUrl(c)));
  })
  .openapi(setCoverRoute, async (c) => {
    const { files } = await multipart(c, 'the cover image (PNG, JPEG or WebP) in the field `file`');
    const files_ = files.map((f) => f.file);
    return ok(c, 'Cover image set', await setCoverImage(c.get('deps'), c.get('event'), files_, baseUrl(c)));
  })
  .openapi(clearCoverRoute, async (c) => {
    return ok(c, 'Cover image removed', await clearCoverImage(c.get('deps'), c.get('event'), baseUrl(c)));
  })
  .openapi(refreshRenditionsRoute, async (c) => {
    const data = await refreshRenditions(c.get('deps'), c.get('event'), baseUrl(c));
    return ok(c, data.renditions_pending ? 'Re-rendering in the background' : 'Every rendition is current', data, 202);
  });
