import { Ping } from '../../../core/index.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';

export const pingRoute = defineRoute({
  method: 'get',
  path: '/ping',
  tag: 'Events',
  summary: 'Ping',
  description: 'Checks the key, the organisation and the event.',
  auth: 'key',
  request: { params: EventPath },
  data: Ping,
  errors: [404],
});

export const ping = createRouter().openapi(pingRoute, (c) => {
  const event = c.get('event');
  return ok(c, 'pong', { status: 'ok' as const, org_id: event.org_id, event_id: event.id });
});
