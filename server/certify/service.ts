/**
 * Certify as a product: the event's template, its participant records, publishing, and the finished
 * certificates (rendered on first download, cached as blobs, re-rendered when the template or the
 * record changes). Routes call this; it talks to the `certificates` store and the blob store only.
 * The work is done by the parts it composes: `templates-service.ts`, `records-service.ts`, `publish.ts`,
 * `render-cache.ts` and `renderer.ts`.
 */
import type {
  BuiltinTemplateItem,
  CertificateRecordItem,
  CertificateRecordPage,
  CertificateStatus,
  EventTemplate,
  ImportOptionsRequest,
  ImportSummary,
  PublicCertificate,
  PutRecordRequest,
  PutTemplateRequest,
} from '../../core/api/certificates.ts';
import type { CertificateTemplate } from '../../core/certify.ts';
import type { CertificateFormatName } from '../store/certify-types.ts';
import type { EventRow } from '../store/types.ts';
import type { CertificateFormat } from './cache-key.ts';
import type { CertifyDeps } from './deps.ts';
import { CertificatePublishing } from './publish.ts';
import { bibKey } from './records.ts';
import type { ImportInput } from './records-import.ts';
import { CertificateRecords } from './records-service.ts';
import { type CertificateFile, RenderCache } from './render-cache.ts';
import { CertificateRenderer } from './renderer.ts';
import { CertificateTemplates } from './templates-service.ts';

export class CertificateService {
  private readonly renderer: CertificateRenderer;
  private readonly cache: RenderCache;
  private readonly templates: CertificateTemplates;
  private readonly records: CertificateRecords;
  private readonly publishing: CertificatePublishing;

  constructor(private readonly deps: CertifyDeps) {
    this.renderer = new CertificateRenderer(deps);
    this.cache = new RenderCache(deps, this.renderer);
    this.templates = new CertificateTemplates(deps, this.renderer, this.cache);
    this.records = new CertificateRecords(deps, this.cache);
    this.publishing = new CertificatePublishing(deps, this.renderer);
  }

  /**
   * Renders ahead of downloads, when on (CERTIFICATE_PRERENDER): queued jobs, so this returns once they are queued.
   * A queue that refuses only costs the head start (downloads render on demand), so it is logged, not thrown.
   */
  private async prerender(event: EventRow, bibs?: string[]): Promise<void> {
    if (!this.deps.prerender) return;
    try {
      await this.deps.prerender(event, bibs);
    } catch (e) {
      this.deps.log.warn('certificates: renders ahead of downloads not queued', { event_id: event.id, error: String(e) });
    }
  }

  /** Where renders run: threads started, and whether the pool fell back to the server's own thread. */
  get renderStats(): { threads: number; inProcess: boolean } {
    return this.renderer.stats;
  }

  // ------------------------------------------------------------------ templates

  builtins(): BuiltinTemplateItem[] {
    return this.templates.builtins();
  }

  template(event: EventRow): Promise<EventTemplate> {
    return this.templates.template(event);
  }

  resolveTemplate(event: EventRow, req: PutTemplateRequest): Promise<{ template: CertificateTemplate; source: string }> {
    return this.templates.resolveTemplate(event, req);
  }

  async putTemplate(event: EventRow, req: PutTemplateRequest): Promise<{ template: EventTemplate; changed: boolean }> {
    const r = await this.templates.putTemplate(event, req);
    if (r.changed) await this.prerender(event);
    return r;
  }

  async setBackground(event: EventRow, data: Buffer, fit: 'cover' | 'contain' | 'fill' = 'cover'): Promise<EventTemplate> {
    const r = await this.templates.setBackground(event, data, fit);
    await this.prerender(event);
    return r;
  }

  async clearBackground(event: EventRow): Promise<EventTemplate> {
    const r = await this.templates.clearBackground(event);
    await this.prerender(event);
    return r;
  }

  preview(
    event: EventRow,
    opts: { bib?: string; format: CertificateFormat; scale?: number; request?: PutTemplateRequest },
  ): Promise<Buffer> {
    return this.templates.preview(event, opts);
  }

  // ------------------------------------------------------------------ records

  bibKey(raw: string): string {
    return bibKey(raw);
  }

  async importRecords(
    event: EventRow,
    input: ImportInput,
    opts: Partial<ImportOptionsRequest> & { format?: 'csv' | 'json' | 'auto' } = {},
  ): Promise<ImportSummary> {
    const r = await this.records.importRecords(event, input, opts);
    await this.prerender(event);
    return r;
  }

  /** importRecords for the admin API: 422 naming the first problems when no row could be imported. */
  async uploadRecords(
    event: EventRow,
    input: ImportInput,
    opts: Partial<ImportOptionsRequest> & { format?: 'csv' | 'json' | 'auto' } = {},
  ): Promise<ImportSummary> {
    const r = await this.records.uploadRecords(event, input, opts);
    await this.prerender(event);
    return r;
  }

  listRecords(event: EventRow, page: number, pageSize: number, q?: string): Promise<CertificateRecordPage> {
    return this.records.listRecords(event, page, pageSize, q);
  }

  record(event: EventRow, rawBib: string): Promise<CertificateRecordItem> {
    return this.records.record(event, rawBib);
  }

  async putRecord(
    event: EventRow,
    rawBib: string,
    req: PutRecordRequest,
  ): Promise<{ record: CertificateRecordItem; created: boolean }> {
    const r = await this.records.putRecord(event, rawBib, req);
    await this.prerender(event, [bibKey(rawBib)]);
    return r;
  }

  deleteRecord(event: EventRow, rawBib: string): Promise<void> {
    return this.records.deleteRecord(event, rawBib);
  }

  // ------------------------------------------------------------------ setup, publishing, participants

  status(event: EventRow): Promise<CertificateStatus> {
    return this.publishing.status(event);
  }

  async setPublished(event: EventRow, published: boolean): Promise<CertificateStatus> {
    const r = await this.publishing.setPublished(event, published);
    if (published) await this.prerender(event);
    return r;
  }

  publicCertificate(event: EventRow, rawBib: string, base: string): Promise<PublicCertificate> {
    return this.publishing.publicCertificate(event, rawBib, base);
  }

  // ------------------------------------------------------------------ files and stale renders

  file(event: EventRow, bib: string, format: CertificateFormatName): Promise<CertificateFile> {
    return this.cache.file(event, bib, format);
  }

  scheduleSweep(eventId: number): void {
    this.cache.scheduleSweep(eventId);
  }

  settled(eventId: number): Promise<void> {
    return this.cache.settled(eventId);
  }

  sweepNow(eventId: number): Promise<number> {
    return this.cache.sweepNow(eventId);
  }

  /** Shutdown: waits for background sweeps and renders in progress, then ends the render threads. */
  async close(): Promise<void> {
    await this.cache.drain();
    await this.renderer.close();
  }
}
