import { Hono } from 'hono';
import { DownloadOriginalsRequest, pageQuery } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { jsonBody, query } from '../../http/validate.ts';
import { downloadOriginals } from '../../services/downloads.ts';

const Query = pageQuery('originals');

/** Download Originals (spec §3.12): signed links to the unwatermarked originals. */
export const originals = new Hono<AppEnv>().post('/original-photos', async (c) => {
  const { page, page_size } = query(c, Query);
  const request = await jsonBody(c, DownloadOriginalsRequest);
  const orderToken = c.req.header('x-order-token')?.trim() || request.order_token || null;
  const { message, data } = await downloadOriginals(c.get('deps'), {
    event: c.get('event'),
    request,
    page,
    pageSize: page_size,
    orderToken,
    base: baseUrl(c),
  });
  return ok(c, message, data);
});
