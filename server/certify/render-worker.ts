/**
 * Worker-thread side of `RenderPool`: renders certificates off the HTTP server's thread (layout and
 * PDF assembly are synchronous JavaScript; a cold font load takes a second). Messages in:
 * `{ id, template, record, context, format, scale, background }`; out: `{ type: 'ready' }` once, then
 * `{ id, ok: true, bytes }` or `{ id, ok: false, message }` per job.
 */
import { parentPort } from 'node:worker_threads';
import type { CertificateContext, CertificateRecord, CertificateTemplate } from '../../core/certify.ts';
import { type CertificateFormat, renderCertificate } from './render.ts';
import { getBuiltinTemplate } from './templates/index.ts';

export interface RenderJob {
  id: number;
  template: CertificateTemplate;
  record: CertificateRecord;
  context: CertificateContext;
  format: CertificateFormat;
  scale?: number;
  /** The template's uploaded background, when it has one. */
  background: { key: string; bytes: Uint8Array } | null;
}

export type RenderReply =
  { type: 'ready' } | { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; message: string };

const port = parentPort;
if (port) {
  port.on('message', async (job: RenderJob) => {
    try {
      const out = await renderCertificate(job.template, job.record, job.context, job.format, {
        scale: job.scale,
        loadBlob: async (key) => (job.background?.key === key ? job.background.bytes : null),
      });
      const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      port.postMessage({ id: job.id, ok: true, bytes } satisfies RenderReply);
    } catch (e) {
      port.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies RenderReply);
    }
  });
  port.postMessage({ type: 'ready' } satisfies RenderReply);
  // Warm up while the first request is on its way: fonts parsed, sharp and pdf-lib loaded (about a second).
  const template = getBuiltinTemplate('classic');
  if (template) {
    const record = { bib: '1', name: 'Warm Up', finish_time: '1:00:00', extra: {} };
    for (const format of ['png', 'pdf'] as const) {
      await renderCertificate(template, record, { event_name: 'Warm up' }, format, { scale: 0.25 }).catch(() => {});
    }
  }
}
