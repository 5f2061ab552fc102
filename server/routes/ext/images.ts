import { Hono } from 'hono';
import { pageQuery, paginationInfo, type ImagePage } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { query } from '../../http/validate.ts';
import { toImageItem } from '../../services/image-items.ts';

const Query = pageQuery('images');

export const images = new Hono<AppEnv>().get('/images', async (c) => {
  const { page, page_size } = query(c, Query);
  const event = c.get('event');
  const { items, total } = await c.get('deps').store.images.list(event.id, { offset: (page - 1) * page_size, limit: page_size });
  const base = baseUrl(c);
  const data: ImagePage = { images: items.map((i) => toImageItem(base, i)), pagination: paginationInfo(total, page, page_size) };
  return ok(c, total === 0 ? 'No images found' : 'Records for all images', data);
});
