import { AdminEvent, AdminEventList, CreateEventRequest, UpdateEventRequest } from '../../../core/api/admin.ts';
import { pageQuery } from '../../../core/index.ts';
import { ok } from '../../http/envelope.ts';
import { multipart } from '../../http/body.ts';
import { EventPath, OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import {
  clearWatermarkImage,
  createEvent,
  eventSettings,
  listAdminEvents,
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
    const data = await listAdminEvents(c.get('deps'), c.get('orgId'), c.req.valid('query'));
    return ok(c, data.pagination.total ? 'Events of the organisation' : 'No events yet', data);
  })
  .openapi(createEventRoute, async (c) => {
    const event = await createEvent(c.get('deps'), c.get('orgId'), c.req.valid('json'));
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
    'Switching video_search off also switches video_selfie_search off. A switched-off flag takes effect at once.',
  auth: 'secret',
  request: {
    params: EventPath,
    body: { required: true, content: { 'application/json': { schema: UpdateEventRequest } } },
  },
  data: AdminEvent,
  errors: [400, 404, 415, 422],
});

export const setWatermarkRoute = defineRoute({
  method: 'put',
  path: '/watermark',
  tag: TAG,
  summary: 'Set the watermark image',
  description:
    `A PNG or JPEG (at most ${MiB(WATERMARK_MAX_BYTES)}, ${WATERMARK_MAX_SIDE} px a side), fully decoded once, ` +
    'burned into the previews of photos ingested from now on (existing previews are not re-rendered). ' +
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
  description: 'Photos ingested from now on carry no watermark image; its file is deleted.',
  auth: 'secret',
  request: { params: EventPath },
  data: AdminEvent,
  errors: [404, 422],
});

/** One event's settings and watermark image (mounted under `/events/{event_id}`, the event already loaded). */
export const adminEvent = createRouter()
  .openapi(eventSettingsRoute, async (c) => ok(c, 'Event settings', await eventSettings(c.get('deps'), c.get('event'))))
  .openapi(updateEventRoute, async (c) => {
    return ok(c, 'Event updated', await updateEvent(c.get('deps'), c.get('event'), c.req.valid('json')));
  })
  .openapi(setWatermarkRoute, async (c) => {
    const { files } = await multipart(c, 'the watermark image (PNG or JPEG) in the field `file`');
    const event = await setWatermarkImage(
      c.get('deps'),
      c.get('event'),
      files.map((f) => f.file),
    );
    return ok(c, 'Watermark image set: photos ingested from now on carry it', event);
  })
  .openapi(clearWatermarkRoute, async (c) => {
    return ok(c, 'Watermark image removed', await clearWatermarkImage(c.get('deps'), c.get('event')));
  });
