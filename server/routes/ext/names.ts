import { z } from 'zod';
import { NAMES_MAX, NamesData } from '../../../core/index.ts';
import { requireFeature } from '../../http/auth.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { NAME_QUERY_MIN, searchNames } from '../../services/runners.ts';
import { requestSource } from '../../http/analytics-source.ts';

export const namesRoute = defineRoute({
  method: 'get',
  path: '/names',
  tag: 'Search',
  summary: 'Name Search',
  description:
    `Runners (bib, name) whose name matches q, from the results and the registration list: accents, case and punctuation ` +
    `ignored, every word must occur (partial words match), at most ${NAMES_MAX}, by name. Several runners sharing a name ` +
    `all come back (offer a choice); their photos are then found by BIB. 403 when name_search is off; 422 when q has ` +
    `fewer than ${NAME_QUERY_MIN} letters.`,
  auth: 'key',
  middleware: [requireFeature('name_search')],
  request: {
    params: EventPath,
    query: z.object({
      q: z.string().max(100, 'must be at most 100 characters').meta({ description: 'the name or part of it' }),
    }),
  },
  data: NamesData,
  errors: [404, 422],
});

export const names = createRouter().openapi(namesRoute, async (c) => {
  const data = await searchNames(c.get('deps'), c.get('event'), c.req.valid('query').q);
  await c.get('deps').analytics.search(c.get('event').id, requestSource(c), 'name', data.runners.length > 0);
  const n = data.runners.length;
  return ok(c, n ? `${n} runner${n === 1 ? '' : 's'} found` : 'No runner found with this name', data);
});
