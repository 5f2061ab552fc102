import { Hono } from 'hono';
import { CreateEventRequest, UpdateEventRequest, type AdminEventList } from '../../../core/api/admin.ts';
import { pageQuery, paginationInfo } from '../../../core/index.ts';
import { requireEvent } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { unprocessable } from '../../http/errors.ts';
import { limitBody, multipart } from '../../http/multipart.ts';
import { jsonBody, query } from '../../http/validate.ts';
import {
  clearWatermarkImage,
  createEvent,
  setWatermarkImage,
  toAdminEvent,
  updateEvent,
  WATERMARK_MAX_BYTES,
} from '../../services/events.ts';

const Query = pageQuery('events');

/** Events of the organisation and their settings. */
export const adminEvents = new Hono<AppEnv>()
  .get('/events', async (c) => {
    const { page, page_size } = query(c, Query);
    const { store } = c.get('deps');
    const { items, total } = await store.events.listForOrg(c.get('orgId'), { offset: (page - 1) * page_size, limit: page_size });
    const data: AdminEventList = {
      events: await Promise.all(items.map(async (e) => toAdminEvent(e, await store.images.count(e.id)))),
      pagination: paginationInfo(total, page, page_size),
    };
    return ok(c, total ? 'Events of the organisation' : 'No events yet', data);
  })
  .post('/events', async (c) => {
    const req = await jsonBody(c, CreateEventRequest);
    const event = await createEvent(c.get('deps').store, c.get('orgId'), req);
    return ok(c, `Event ${event.id} created`, toAdminEvent(event, 0), 201);
  })
  .get('/events/:event_id', requireEvent, async (c) => {
    const event = c.get('event');
    return ok(c, 'Event settings', toAdminEvent(event, await c.get('deps').store.images.count(event.id)));
  })
  .patch('/events/:event_id', requireEvent, async (c) => {
    const req = await jsonBody(c, UpdateEventRequest);
    const { store } = c.get('deps');
    const event = await updateEvent(store, c.get('event'), req);
    return ok(c, 'Event updated', toAdminEvent(event, await store.images.count(event.id)));
  })
  .put('/events/:event_id/watermark', requireEvent, limitBody(WATERMARK_MAX_BYTES + 64 * 1024), async (c) => {
    const { files } = await multipart(c, 'the watermark image (PNG or JPEG) in the field `file`');
    if (files.length !== 1) throw unprocessable('file: attach exactly one PNG or JPEG image in the field `file`');
    const deps = c.get('deps');
    const event = await setWatermarkImage(deps, c.get('event'), Buffer.from(await files[0]!.file.arrayBuffer()));
    return ok(
      c,
      'Watermark image set: photos ingested from now on carry it',
      toAdminEvent(event, await deps.store.images.count(event.id)),
    );
  })
  .delete('/events/:event_id/watermark', requireEvent, async (c) => {
    const deps = c.get('deps');
    const event = await clearWatermarkImage(deps, c.get('event'));
    return ok(c, 'Watermark image removed', toAdminEvent(event, await deps.store.images.count(event.id)));
  });
