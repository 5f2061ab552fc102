import { Hono } from 'hono';
import { z } from 'zod';
import { pageQuery, paginationInfo, type ImagePage, type TimelineDay, type TimelineDays } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { query } from '../../http/validate.ts';
import { toImageItem } from '../../services/image-items.ts';

const epochSeconds = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a Unix time in seconds` })
    .int(`${name} must be a whole number of seconds`)
    .min(0, `${name} must not be negative`)
    .max(32503680000, `${name} is too far in the future`);

const WindowQuery = pageQuery('timeline')
  .extend({ from: epochSeconds('from'), to: epochSeconds('to') })
  .refine((q) => q.from < q.to, { path: ['to'], message: 'must be greater than from (the window is [from, to))' });

export const timeline = new Hono<AppEnv>()
  .use('/timeline/*', requireFeature('timeline_search'))
  .get('/timeline/days', async (c) => {
    const buckets = await c.get('deps').store.images.timelineBuckets(c.get('event').id);
    const days: TimelineDay[] = [];
    for (const b of buckets) {
      let day = days.at(-1);
      if (!day || day.date !== b.date) days.push((day = { date: b.date, total: 0, hours: [] }));
      day.hours.push({ hour: b.hour, count: b.count });
      day.total += b.count;
    }
    const data: TimelineDays = { days };
    return ok(c, days.length ? 'Timeline buckets' : 'No timeline data', data);
  })
  .get('/timeline/images', async (c) => {
    const { from, to, page, page_size } = query(c, WindowQuery);
    const { items, total } = await c
      .get('deps')
      .store.images.listByTime(c.get('event').id, from * 1000, to * 1000, { offset: (page - 1) * page_size, limit: page_size });
    const base = baseUrl(c);
    const data: ImagePage = {
      images: items.map((i) => toImageItem(base, i)),
      pagination: paginationInfo(total, page, page_size),
    };
    return ok(c, total ? 'Records for timeline window' : 'No images found in this window', data);
  });
