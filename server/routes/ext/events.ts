import { Hono } from 'hono';
import { pageQuery, paginationInfo, type EventList } from '../../../core/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { query } from '../../http/validate.ts';

const Query = pageQuery('events');

/** List Events (spec §3.2). A publishable key sees only the events it names. */
export const events = new Hono<AppEnv>().get('/events', async (c) => {
  const { page, page_size } = query(c, Query);
  const key = c.get('apiKey');
  const { items, total } = await c
    .get('deps')
    .store.events.listForOrg(c.get('orgId'), { offset: (page - 1) * page_size, limit: page_size }, key.event_ids);
  const data: EventList = {
    events: items.map((e) => ({
      event_id: e.id,
      event_name: e.name,
      event_slug: e.slug,
      event_date: e.event_date,
      status: e.status,
      cover_image: null,
    })),
    pagination: paginationInfo(total, page, page_size),
  };
  return ok(c, 'Records for events', data);
});
