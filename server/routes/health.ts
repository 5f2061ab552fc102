import { z } from 'zod';
import { ok } from '../http/envelope.ts';
import { createRouter, defineRoute } from '../http/route.ts';
import { checkHealth } from '../services/health.ts';

export const healthRoute = defineRoute({
  method: 'get',
  path: '/healthz',
  tag: 'Operations',
  summary: 'Health check',
  description: 'Answers 200 when the database answers, else 503.',
  auth: 'none',
  data: z.object({ status: z.literal('ok') }),
  errors: [503],
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => ok(c, 'ok', await checkHealth(c.get('deps'))));
