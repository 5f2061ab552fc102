import { EventList, pageQuery } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { eventList } from '../../services/gallery.ts';

export const listEvents = defineRoute({
  method: 'get',
  path: '/events',
  tag: 'Events',
  summary: 'List Events',
  description:
    'Events of the organisation; a publishable key sees only the events it names, and only public, published ones ' +
    '(unlisted, private and draft events are left out, and every event of an organisation on the Trial plan).',
  auth: 'key',
  request: { params: OrgPath, query: pageQuery('events') },
  data: EventList,
  errors: [422],
});

/** List Events (spec §3.2). */
export const events = createRouter().openapi(listEvents, async (c) => {
  const key = c.get('apiKey');
  const deps = c.get('deps');
  const publishable = key.kind === 'publishable';
  // Trial: the organisation's events are private, so a publishable key lists none.
  const hidden = publishable && (await deps.credits.eventsPrivate(c.get('orgId')));
  const data = await eventList(deps, baseUrl(c), c.get('orgId'), c.req.valid('query'), {
    eventIds: hidden ? [] : key.event_ids,
    listedOnly: publishable,
  });
  return ok(c, 'Records for events', data);
});
