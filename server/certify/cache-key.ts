/**
 * The name of a rendered certificate in the blob store. Kept apart from render.ts so the service can name
 * and find cached renders without loading the renderer (pdf-lib, fontkit, sharp).
 */
import { createHash } from 'node:crypto';
import type { CertificateContext } from '../../core/certify.ts';

/** Bump when the output of the same inputs changes, so cached certificates are re-rendered. */
export const CERTIFICATE_RENDERER_VERSION = 1;

export type CertificateFormat = 'png' | 'pdf';

const safe = (v: string | number) =>
  String(v)
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .slice(0, 64);

/**
 * Cache key for one rendered certificate: changes when the template or record version changes,
 * when the renderer changes (`CERTIFICATE_RENDERER_VERSION`), and with the format and any event
 * context / render options passed. Safe as a file name or blob key segment.
 */
export function certificateCacheKey(
  templateVersion: string | number,
  recordVersion: string | number,
  format: CertificateFormat = 'png',
  extra?: { context?: CertificateContext; scale?: number; pdfDpi?: number },
): string {
  let suffix = '';
  if (extra) {
    const ctx = extra.context
      ? Object.entries(extra.context)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1))
      : [];
    const h = createHash('sha256')
      .update(JSON.stringify([ctx, extra.scale ?? 1, extra.pdfDpi ?? 150]))
      .digest('hex')
      .slice(0, 12);
    suffix = `-${h}`;
  }
  return `cert-r${CERTIFICATE_RENDERER_VERSION}-t${safe(templateVersion)}-v${safe(recordVersion)}${suffix}.${format}`;
}
