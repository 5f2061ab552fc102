import type { CertificateFormatName, CertificateRecordRow, CertificateTemplateRow } from '../store/certify-types.ts';
import type { EventRow } from '../store/types.ts';
import { notFound } from '../http/errors.ts';
import { certificateCacheKey } from './cache-key.ts';
import type { CertifyDeps } from './deps.ts';
import { certificateFilename, renderBlobKey } from './paths.ts';
import { publishedTemplate } from './publish.ts';
import { recordVersion } from './records.ts';
import { type CertificateRenderer, eventContext } from './renderer.ts';

export interface CertificateFile {
  blobKey: string;
  etag: string;
  filename: string;
  contentType: string;
}

/**
 * Finished certificates as blobs: rendered on first download under a key of the template and record versions,
 * and deleted lazily once the key is no longer current.
 */
export class RenderCache {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly sweeping = new Map<number, Promise<number>>();
  private readonly sweepAgain = new Set<number>();

  constructor(
    private readonly deps: CertifyDeps,
    private readonly renderer: CertificateRenderer,
  ) {}

  private get db() {
    return this.deps.store.certificates;
  }

  /** The current key of a record's certificate in a format. */
  private cacheKey(
    template: CertificateTemplateRow,
    record: CertificateRecordRow,
    event: EventRow,
    format: CertificateFormatName,
  ) {
    return certificateCacheKey(template.version, recordVersion(record), format, { context: eventContext(event) });
  }

  /**
   * The certificate file of a BIB (for the signed download route): the cached render when its key is
   * current, else rendered now (one render per key at a time), stored, and the replaced blob deleted.
   */
  async file(event: EventRow, bib: string, format: CertificateFormatName): Promise<CertificateFile> {
    const template = await publishedTemplate(this.db, event);
    const record = await this.db.getRecord(event.id, bib);
    if (!record) throw notFound(`No certificate for BIB ${bib} in this event any more`);
    const key = this.cacheKey(template, record, event, format);
    const blobKey = renderBlobKey(event.id, bib, key);
    const cached = await this.db.getRender(event.id, bib, format);
    if (!(cached?.cache_key === key && (await this.deps.blobs.stat(cached.blob_key)))) {
      await this.renderOnce(blobKey, async () => {
        const bytes = await this.renderer.render(template.template, record.record, eventContext(event), format);
        await this.deps.blobs.put(blobKey, bytes);
        const previous = await this.db.putRender({
          event_id: event.id,
          bib,
          format,
          cache_key: key,
          blob_key: blobKey,
          bytes: bytes.length,
        });
        if (previous && previous.blob_key !== blobKey) await this.deleteBlob(previous.blob_key);
        return blobKey;
      });
    }
    return {
      blobKey,
      etag: `"${key}"`,
      filename: certificateFilename(event, bib, format),
      contentType: format === 'png' ? 'image/png' : 'application/pdf',
    };
  }

  private renderOnce(blobKey: string, fn: () => Promise<string>): Promise<string> {
    let p = this.inflight.get(blobKey);
    if (!p) {
      p = fn().finally(() => this.inflight.delete(blobKey));
      this.inflight.set(blobKey, p);
    }
    return p;
  }

  private async deleteBlob(key: string) {
    try {
      await this.deps.blobs.delete(key);
    } catch (e) {
      this.deps.log.warn('certificate render delete failed', { key, error: String(e) });
    }
  }

  /** Starts a sweep of the event's stale renders in the background (one at a time per event). */
  scheduleSweep(eventId: number): void {
    if (this.sweeping.has(eventId)) {
      this.sweepAgain.add(eventId);
      return;
    }
    const run = (async () => {
      let removed = 0;
      do {
        this.sweepAgain.delete(eventId);
        await new Promise((r) => setImmediate(r));
        removed += await this.sweepNow(eventId);
      } while (this.sweepAgain.has(eventId));
      return removed;
    })()
      .catch((e: unknown) => {
        this.deps.log.warn('certificate sweep failed', { event_id: eventId, error: String(e) });
        return 0;
      })
      .finally(() => this.sweeping.delete(eventId));
    this.sweeping.set(eventId, run);
  }

  /** Waits for a running sweep of the event (tests, shutdown). */
  async settled(eventId: number): Promise<void> {
    while (this.sweeping.has(eventId)) await this.sweeping.get(eventId);
  }

  /**
   * Deletes the event's renders whose key is no longer the current one (template or record changed,
   * record gone, event renamed). Returns how many were deleted.
   */
  async sweepNow(eventId: number): Promise<number> {
    const event = await this.deps.store.events.get(eventId);
    if (!event) return 0;
    const template = await this.db.getTemplate(eventId);
    let removed = 0;
    let after: { bib: string; format: string } | null = null;
    for (;;) {
      const rows = await this.db.listRenders(eventId, after, 500);
      if (rows.length === 0) break;
      for (const r of rows) {
        const record = await this.db.getRecord(eventId, r.bib);
        const current = template && record ? this.cacheKey(template, record, event, r.format) : null;
        if (current === r.cache_key) continue;
        if (this.inflight.has(r.blob_key)) continue;
        if (await this.db.deleteRender(eventId, r.bib, r.format, r.cache_key)) {
          await this.deleteBlob(r.blob_key);
          removed++;
        }
      }
      const last = rows[rows.length - 1]!;
      after = { bib: last.bib, format: last.format };
    }
    if (removed) this.deps.log.info('certificate renders swept', { event_id: eventId, removed });
    return removed;
  }

  /** Waits for background sweeps and renders in progress (shutdown). */
  async drain(): Promise<void> {
    while (this.sweeping.size || this.inflight.size) {
      await Promise.allSettled([...this.sweeping.values(), ...this.inflight.values()]);
    }
  }
}
