import { Hono } from 'hono';
import { certificatesFor } from '../../certify/service.ts';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';

/**
 * Extension (not in the 9Pic reference): a participant's certificate by BIB — the record summary and
 * signed PNG and PDF links (about an hour). 422 invalid BIB, 403 not published, 404 unknown BIB.
 */
export const certificates = new Hono<AppEnv>().get('/certificates/:bib', async (c) => {
  const data = await certificatesFor(c.get('deps')).publicCertificate(c.get('event'), c.req.param('bib'), baseUrl(c));
  return ok(c, `Certificate of BIB ${data.bib}`, data);
});
