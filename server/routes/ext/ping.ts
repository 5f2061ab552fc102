import { Hono } from 'hono';
import type { Ping } from '../../../core/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';

export const ping = new Hono<AppEnv>().get('/ping', (c) => {
  const event = c.get('event');
  const data: Ping = { status: 'ok', org_id: event.org_id, event_id: event.id };
  return ok(c, 'pong', data);
});
