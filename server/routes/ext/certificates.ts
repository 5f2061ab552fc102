import { PublicCertificate } from '../../../core/api/certificates.ts';
import { baseUrl } from '../../http/base-url.ts';
import { ok } from '../../http/envelope.ts';
import { BibPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';

export const publicCertificateRoute = defineRoute({
  method: 'get',
  path: '/certificates/{bib}',
  tag: 'Certificates',
  summary: 'Certificate by BIB',
  description:
    "Extension (not in the 9Pic reference): a participant's certificate — the record summary and signed PNG and PDF links " +
    '(about an hour). 403 when certificates are not published, 404 for an unknown BIB.',
  auth: 'key',
  request: { params: BibPath },
  data: PublicCertificate,
  errors: [404, 422],
});

export const certificates = createRouter().openapi(publicCertificateRoute, async (c) => {
  const { bib } = c.req.valid('param');
  const data = await c.get('deps').certificates.publicCertificate(c.get('event'), bib, baseUrl(c));
  return ok(c, `Certificate of BIB ${data.bib}`, data);
});
