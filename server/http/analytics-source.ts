import type { Context } from 'hono';
import { cleanSource } from '../services/analytics.ts';
import type { AppEnv } from './env.ts';

/** The analytics source of an API call: `X-PF-Source` (sent by the widgets), else `direct`. */
export const requestSource = (c: Context<AppEnv>): string => cleanSource(c.req.header('x-pf-source'));
