import { Hono } from 'hono';
import { z } from 'zod';
import { bibProblem, bibSearchKeys, pageQuery, paginationInfo, type ImagePage } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { parse, query } from '../../http/validate.ts';
import { toImageItem } from '../../services/image-items.ts';

const Query = pageQuery('bibs');
const Bib = z.object({
  bib: z.string().superRefine((v, ctx) => {
    const problem = bibProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

export const bibs = new Hono<AppEnv>().get('/bibs/:bib', requireFeature('bib_search'), async (c) => {
  const { bib } = parse(Bib, { bib: c.req.param('bib') });
  const { page, page_size } = query(c, Query);
  const event = c.get('event');
  const { items, total } = await c
    .get('deps')
    .store.images.listByBib(event.id, bibSearchKeys(bib), { offset: (page - 1) * page_size, limit: page_size });
  const base = baseUrl(c);
  const data: ImagePage = { images: items.map((i) => toImageItem(base, i)), pagination: paginationInfo(total, page, page_size) };
  return ok(c, `Records for bib number ${bib}`, data);
});
