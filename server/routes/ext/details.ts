import { Hono } from 'hono';
import type { EventDetails } from '../../../core/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import type { EventRow } from '../../store/types.ts';

export function toEventDetails(e: EventRow, imageCount: number): EventDetails {
  return {
    event_id: e.id,
    event_name: e.name,
    event_slug: e.slug,
    event_date: e.event_date,
    status: e.status,
    event_enabled: e.event_enabled,
    ...e.flags,
    video_selfie_search: e.flags.video_search && e.flags.video_selfie_search,
    time_zone: e.time_zone,
    free_downloads: e.free_downloads,
    image_count: imageCount,
  };
}

export const details = new Hono<AppEnv>().get('/details', async (c) => {
  const event = c.get('event');
  const count = await c.get('deps').store.images.count(event.id);
  return ok(c, 'Event details', toEventDetails(event, count));
});
