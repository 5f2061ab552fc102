/**
 * Certify as a product: the event's template, its participant records, publishing, and the finished
 * certificates (rendered on first download, cached as blobs, re-rendered when the template or the
 * record changes). Routes call this; it talks to the `certificates` store and the blob store only.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
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
  SetupStep,
} from '../../core/api/certificates.ts';
import {
  type CertificateContext,
  type CertificateRecord,
  type CertificateTemplate,
  type RecordField,
  buildRecord,
} from '../../core/certify.ts';
import { bibProblem, normaliseBib, paginationInfo } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError, forbidden, notFound, unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import { DEFAULT_URL_TTL_SECONDS, type Signer } from '../services/signing.ts';
import type { CertificateFormatName, CertificateRecordRow, CertificateTemplateRow } from '../store/certify-types.ts';
import type { EventRow, Store } from '../store/types.ts';
import { type ImportInput, importRecords } from './records-import.ts';
import { RenderPool } from './render-pool.ts';
import { type CertificateFormat, certificateCacheKey } from './cache-key.ts';
import { BUILTIN_BACKGROUND_NAMES, getBuiltinTemplate, listBuiltinTemplates } from './templates/index.ts';

export interface CertifyDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  log: Logger;
}

export const BACKGROUND_MAX_BYTES = 15 * 1024 * 1024;
const BACKGROUND_MAX_SIDE = 8000;
/** Largest records upload (CSV or JSON), bytes. A few hundred thousand rows are ~30 MB. */
export const RECORDS_MAX_BYTES = 100 * 1024 * 1024;
/** Renders at once (CPU bound: one per core) and waiting before new ones are refused with 503. */
const RENDER_CONCURRENCY = 2;
const RENDER_QUEUE_MAX = 64;

/** The record a preview shows when no BIB is given. */
export const SAMPLE_RECORD: CertificateRecord = {
  bib: '1234',
  name: 'Alex Sample',
  first_name: 'Alex',
  last_name: 'Sample',
  category: 'M40',
  gender: 'M',
  finish_time: '1:45:12',
  rank: 42,
  extra: {},
};

/** Path signed for a certificate download. */
export const certificatePath = (eventId: number, bib: string, format: CertificateFormatName) =>
  `/files/c/${eventId}/${bib}.${format}`;

/** Render blob keys live under one prefix per event. */
const renderBlobKey = (eventId: number, bib: string, cacheKey: string) => `certificates/${eventId}/renders/${bib}/${cacheKey}`;
const backgroundPrefix = (eventId: number) => `certificates/${eventId}/backgrounds/`;

const asciiSlug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/** `riverside-half-marathon-2026-certificate-427.pdf` */
export function certificateFilename(event: Pick<EventRow, 'name' | 'slug'>, bib: string, format: CertificateFormatName): string {
  const base = event.slug || asciiSlug(event.name);
  return `${base ? `${base}-` : ''}certificate-${bib}.${format}`;
}

/** Event values for `{event}`, `{event_date}` placeholders: the name and the date as "22 November 2026". */
export function eventContext(event: Pick<EventRow, 'name' | 'event_date'>): CertificateContext {
  const ctx: CertificateContext = { event_name: event.name };
  const m = event.event_date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(event.event_date) : null;
  if (m) {
    ctx.event_date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])),
    );
  }
  return ctx;
}

const recordVersion = (r: CertificateRecordRow) => `${r.version}.${r.digest}`;

function toItem(r: CertificateRecordRow): CertificateRecordItem {
  return { ...r.record, version: r.version, updated_at: r.updated_at };
}

/** A small counting semaphore with a bounded wait list. */
class RenderQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly maxWaiting: number,
  ) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxWaiting)
        throw new ApiError(503, 'Too many certificates are being made right now: retry in a few seconds', { 'Retry-After': '5' });
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export interface CertificateFile {
  blobKey: string;
  etag: string;
  filename: string;
  contentType: string;
}

export class CertificateService {
  private readonly renders = new RenderQueue(RENDER_CONCURRENCY, RENDER_QUEUE_MAX);
  private readonly pool = new RenderPool(RENDER_CONCURRENCY);
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly importing = new Set<number>();
  private readonly sweeping = new Map<number, Promise<number>>();
  private readonly sweepAgain = new Set<number>();

  constructor(private readonly deps: CertifyDeps) {}

  /** Where renders run: threads started, and whether the pool fell back to the server's own thread. */
  get renderStats(): { threads: number; inProcess: boolean } {
    return { threads: this.pool.threads, inProcess: this.pool.unavailable !== null };
  }

  private get db() {
    return this.deps.store.certificates;
  }

  // -------------------------------------------------------------------------------------------
  // Templates
  // -------------------------------------------------------------------------------------------

  builtins(): BuiltinTemplateItem[] {
    return listBuiltinTemplates().map(({ id, name, description, accent, template }) => ({
      id,
      name,
      description,
      accent,
      template,
    }));
  }

  private toEventTemplate(row: CertificateTemplateRow): EventTemplate {
    return {
      version: row.version,
      source: row.source,
      background_image: row.template.background.kind === 'blob',
      template: row.template,
      updated_at: row.updated_at,
    };
  }

  async template(event: EventRow): Promise<EventTemplate> {
    const row = await this.db.getTemplate(event.id);
    if (!row) throw notFound('This event has no certificate template yet: PUT one to …/certificates/template');
    return this.toEventTemplate(row);
  }

  /** A template from a request (built-in + accent, or a whole JSON), checked against what this event may use. */
  async resolveTemplate(event: EventRow, req: PutTemplateRequest): Promise<{ template: CertificateTemplate; source: string }> {
    if (req.builtin !== undefined) {
      const template = getBuiltinTemplate(req.builtin, { accent: req.accent });
      if (!template) {
        const ids = this.builtins().map((b) => b.id.replace(/^builtin:/, ''));
        throw unprocessable(`builtin: unknown built-in template "${req.builtin}"; use one of ${ids.join(', ')}`);
      }
      return { template, source: `builtin:${req.builtin.replace(/^builtin:/, '')}` };
    }
    const template = req.template!;
    const bg = template.background;
    if (bg.kind === 'builtin' && !BUILTIN_BACKGROUND_NAMES.includes(bg.name)) {
      throw unprocessable(
        `template.background.name: unknown built-in background "${bg.name}"; use one of ${BUILTIN_BACKGROUND_NAMES.join(', ')}`,
      );
    }
    if (bg.kind === 'blob') {
      if (!bg.key.startsWith(backgroundPrefix(event.id)) || !(await this.deps.blobs.stat(bg.key))) {
        throw unprocessable(
          'template.background.key: not a background of this event; upload the image with PUT …/certificates/template/background',
        );
      }
    }
    return { template, source: 'custom' };
  }

  async putTemplate(event: EventRow, req: PutTemplateRequest): Promise<{ template: EventTemplate; changed: boolean }> {
    const { template, source } = await this.resolveTemplate(event, req);
    const { row, changed } = await this.db.putTemplate(event.id, template, source);
    if (changed) this.scheduleSweep(event.id);
    return { template: this.toEventTemplate(row), changed };
  }

  /** Sets an uploaded PNG or JPEG as the template's background (scaled to the page with `fit`). */
  async setBackground(event: EventRow, data: Buffer, fit: 'cover' | 'contain' | 'fill' = 'cover'): Promise<EventTemplate> {
    const current = await this.db.getTemplate(event.id);
    if (!current)
      throw new ApiError(
        409,
        'This event has no certificate template yet: PUT …/certificates/template first, then its background',
      );
    if (data.length === 0) throw unprocessable('file: the background file is empty');
    if (data.length > BACKGROUND_MAX_BYTES)
      throw unprocessable(`file: the background must be at most ${BACKGROUND_MAX_BYTES / 1024 / 1024} MiB`);
    let format: string | undefined;
    try {
      const meta = await sharp(data, { failOn: 'error' }).metadata();
      format = meta.format;
      if ((meta.width ?? 0) > BACKGROUND_MAX_SIDE || (meta.height ?? 0) > BACKGROUND_MAX_SIDE)
        throw unprocessable(`file: the background must be at most ${BACKGROUND_MAX_SIDE}×${BACKGROUND_MAX_SIDE} pixels`);
      if (format === 'png' || format === 'jpeg') await sharp(data, { failOn: 'error' }).resize(16, 16).raw().toBuffer();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw unprocessable('file: the background is not a readable PNG or JPEG image');
    }
    if (format !== 'png' && format !== 'jpeg')
      throw unprocessable(`file: the background must be a PNG or JPEG image, not ${format ?? 'this format'}`);
    const key = `${backgroundPrefix(event.id)}${createHash('sha256').update(data).digest('hex').slice(0, 20)}.${format === 'png' ? 'png' : 'jpg'}`;
    await this.deps.blobs.put(key, data);
    const template: CertificateTemplate = { ...current.template, background: { kind: 'blob', key, fit } };
    const { row, changed } = await this.db.putTemplate(event.id, template, current.source);
    if (changed) {
      this.scheduleSweep(event.id);
      await this.dropOldBackground(current.template, key);
    }
    return this.toEventTemplate(row);
  }

  /** Goes back to the built-in background of the template's design (`plain` for a custom one). */
  async clearBackground(event: EventRow): Promise<EventTemplate> {
    const current = await this.db.getTemplate(event.id);
    if (!current) throw notFound('This event has no certificate template yet');
    if (current.template.background.kind !== 'blob') return this.toEventTemplate(current);
    const base = current.source.startsWith('builtin:') ? current.source.slice(8) : 'plain';
    const builtin = getBuiltinTemplate(base);
    const background: CertificateTemplate['background'] =
      builtin?.background.kind === 'builtin' ? builtin.background : { kind: 'builtin', name: 'plain' };
    const { row } = await this.db.putTemplate(event.id, { ...current.template, background }, current.source);
    this.scheduleSweep(event.id);
    await this.dropOldBackground(current.template, null);
    return this.toEventTemplate(row);
  }

  private async dropOldBackground(old: CertificateTemplate, keep: string | null) {
    if (old.background.kind !== 'blob' || old.background.key === keep) return;
    try {
      await this.deps.blobs.delete(old.background.key);
    } catch (e) {
      this.deps.log.warn('certificate background delete failed', { key: old.background.key, error: String(e) });
    }
  }

  /**
   * A certificate of the saved template (or of `request`, an unsaved one) for the sample record or a
   * record of the event; nothing is cached.
   */
  async preview(
    event: EventRow,
    opts: { bib?: string; format: CertificateFormat; scale?: number; request?: PutTemplateRequest },
  ): Promise<Buffer> {
    const template = opts.request
      ? (await this.resolveTemplate(event, opts.request)).template
      : (await this.db.getTemplate(event.id))?.template;
    if (!template) throw notFound('This event has no certificate template yet: PUT one to …/certificates/template');
    let record = SAMPLE_RECORD;
    if (opts.bib !== undefined) {
      const row = await this.db.findRecord(event.id, this.bibKey(opts.bib));
      if (!row) throw notFound(`No certificate record for BIB ${opts.bib} in this event`);
      record = row.record;
    }
    return this.render(template, record, eventContext(event), opts.format, opts.scale);
  }

  /**
   * Renders on the pool's threads (in-process when they cannot start), at most RENDER_CONCURRENCY at once
   * and RENDER_QUEUE_MAX waiting (then 503).
   */
  private render(
    template: CertificateTemplate,
    record: CertificateRecord,
    context: CertificateContext,
    format: CertificateFormat,
    scale?: number,
  ): Promise<Buffer> {
    return this.renders.run(async () => {
      const bg = template.background;
      if (!this.pool.unavailable) {
        const bytes = bg.kind === 'blob' ? await this.deps.blobs.get(bg.key) : null;
        const background = bg.kind === 'blob' && bytes ? { key: bg.key, bytes: new Uint8Array(bytes) } : null;
        try {
          return await this.pool.render({ template, record, context, format, scale, background });
        } catch (e) {
          if (!this.pool.unavailable) throw e;
          this.deps.log.warn('certificate render threads unavailable: rendering in-process', { error: String(e) });
        }
      }
      // In-process fallback: the renderer (pdf-lib, fontkit) loads only here, never at start.
      const { renderCertificate } = await import('./render.ts');
      return renderCertificate(template, record, context, format, { scale, loadBlob: (k) => this.deps.blobs.get(k) });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Records
  // -------------------------------------------------------------------------------------------

  /** A typed BIB, normalised; 422 when it cannot be a BIB. */
  bibKey(raw: string): string {
    const problem = bibProblem(raw);
    if (problem) throw unprocessable(`bib: ${problem}`);
    return normaliseBib(raw);
  }

  /**
   * Imports a results file (CSV or a JSON array), batch by batch (1,000 records, one transaction each):
   * bad rows are reported and skipped, good ones upserted by BIB. `replace` also removes the records the
   * file does not have, once it has been read to its end. The report is kept as the event's last import.
   */
  async importRecords(
    event: EventRow,
    input: ImportInput,
    opts: Partial<ImportOptionsRequest> & { format?: 'csv' | 'json' | 'auto' } = {},
  ): Promise<ImportSummary> {
    if (this.importing.has(event.id))
      throw new ApiError(409, 'Records are already being imported for this event: wait for that upload to finish');
    this.importing.add(event.id);
    const t0 = performance.now();
    try {
      const mode = opts.mode ?? 'upsert';
      const importId = mode === 'replace' ? await this.db.nextImportId(event.id) : undefined;
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      const report = await importRecords(
        input,
        async (batch) => {
          const c = await this.db.upsertRecords(event.id, batch.records, importId);
          counts.inserted += c.inserted;
          counts.updated += c.updated;
          counts.unchanged += c.unchanged;
        },
        {
          format: opts.format ?? 'auto',
          mapping: opts.mapping,
          delimiter: opts.delimiter === 'tab' ? '\t' : opts.delimiter,
        },
      );
      const issues = [...report.errors];
      let removed = 0;
      if (importId !== undefined) {
        const unreadable = issues.some(
          (i) =>
            i.severity === 'error' &&
            ['invalid_file', 'malformed_row', 'empty_file', 'no_bib_column', 'unknown_column'].includes(i.code),
        );
        if (unreadable || report.stats.imported === 0) {
          issues.push({
            row: 0,
            column: null,
            code: 'invalid_file',
            problem: 'replace: no record was removed, because the file could not be read to its end or had no good row',
            severity: 'warning',
          });
        } else removed = await this.db.deleteRecordsNotSeen(event.id, importId);
      }
      const s = report.stats;
      const summary: ImportSummary = {
        at: new Date().toISOString(),
        format: s.format,
        encoding: s.encoding,
        delimiter: s.delimiter ?? null,
        mode,
        rows: s.rows,
        imported: s.imported,
        ...counts,
        removed,
        skipped: s.skipped,
        errors: s.errors,
        warnings: s.warnings + (issues.length - report.errors.length),
        issues_not_listed: s.issuesNotListed,
        columns: s.columns,
        extra_columns: s.extraColumns,
        issues,
        seconds: Math.round(performance.now() - t0) / 1000,
      };
      await this.db.setLastImport(event.id, summary);
      if (counts.updated + removed > 0) this.scheduleSweep(event.id);
      this.deps.log.info('certificate records import', {
        event_id: event.id,
        rows: s.rows,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        removed,
        skipped: s.skipped,
        seconds: summary.seconds,
      });
      return summary;
    } finally {
      this.importing.delete(event.id);
    }
  }

  async listRecords(event: EventRow, page: number, pageSize: number, q?: string): Promise<CertificateRecordPage> {
    const { items, total } = await this.db.listRecords(event.id, { offset: (page - 1) * pageSize, limit: pageSize }, q);
    const state = await this.db.getState(event.id);
    return { records: items.map(toItem), pagination: paginationInfo(total, page, pageSize), last_import: state.last_import };
  }

  async record(event: EventRow, rawBib: string): Promise<CertificateRecordItem> {
    const row = await this.db.getRecord(event.id, this.bibKey(rawBib));
    if (!row) throw notFound(`No certificate record for BIB ${rawBib} in this event`);
    return toItem(row);
  }

  /** Adds or replaces one record by hand; validated like an import row. */
  async putRecord(
    event: EventRow,
    rawBib: string,
    req: PutRecordRequest,
  ): Promise<{ record: CertificateRecordItem; created: boolean }> {
    const bib = this.bibKey(rawBib);
    const values: Partial<Record<RecordField, string>> = {
      bib,
      name: req.name,
      first_name: req.first_name,
      last_name: req.last_name,
      category: req.category,
      gender: req.gender,
      finish_time: req.finish_time,
      rank: req.rank === undefined ? undefined : String(req.rank),
    };
    const built = buildRecord(values, req.extra ?? {});
    if (!built.ok) throw unprocessable(built.errors.map((e) => `${e.column}: ${e.problem}`).join('; '));
    const invalidRank = built.warnings.find((w) => w.code === 'invalid_rank');
    if (invalidRank) throw unprocessable(`rank: ${invalidRank.problem}`);
    const counts = await this.db.upsertRecords(event.id, [built.record]);
    if (counts.updated) this.scheduleSweep(event.id);
    const row = await this.db.getRecord(event.id, bib);
    return { record: toItem(row!), created: counts.inserted === 1 };
  }

  async deleteRecord(event: EventRow, rawBib: string): Promise<void> {
    if (!(await this.db.deleteRecord(event.id, this.bibKey(rawBib))))
      throw notFound(`No certificate record for BIB ${rawBib} in this event`);
    this.scheduleSweep(event.id);
  }

  // -------------------------------------------------------------------------------------------
  // Setup and publishing
  // -------------------------------------------------------------------------------------------

  async status(event: EventRow): Promise<CertificateStatus> {
    const [template, state, records] = await Promise.all([
      this.db.getTemplate(event.id),
      this.db.getState(event.id),
      this.db.countRecords(event.id),
    ]);
    const last = state.last_import;
    const missing: SetupStep[] = [];
    // Records typed by hand count as a data source too (the "self-managed" source).
    if (!last && records === 0) missing.push('data_source');
    if (!template) missing.push('template');
    if (records === 0) missing.push('records');
    return {
      event_id: event.id,
      published: state.published,
      published_at: state.published_at,
      setup_complete: missing.length === 0,
      missing,
      template: template
        ? { version: template.version, name: template.template.name, source: template.source, updated_at: template.updated_at }
        : null,
      records,
      data_source: last
        ? { kind: 'upload', last_import_at: last.at, format: last.format, rows: last.rows, errors: last.errors }
        : null,
    };
  }

  async setPublished(event: EventRow, published: boolean): Promise<CertificateStatus> {
    if (published) {
      const status = await this.status(event);
      if (!status.setup_complete) {
        const what: Record<SetupStep, string> = {
          data_source: 'upload the results file (POST …/certificates/records)',
          template: 'choose a template (PUT …/certificates/template)',
          records: 'import at least one participant record',
        };
        throw new ApiError(409, `Certificates cannot be published yet: ${status.missing.map((m) => what[m]).join('; ')}`);
      }
    }
    await this.db.setPublished(event.id, published);
    return this.status(event);
  }

  // -------------------------------------------------------------------------------------------
  // Participants: look-up and files
  // -------------------------------------------------------------------------------------------

  private async published(event: EventRow): Promise<CertificateTemplateRow> {
    const state = await this.db.getState(event.id);
    const template = state.published ? await this.db.getTemplate(event.id) : null;
    if (!template) throw forbidden('Certificates are not published for this event yet');
    return template;
  }

  /** What a participant sees for their BIB: the record summary and signed PNG/PDF links (about an hour). */
  async publicCertificate(event: EventRow, rawBib: string, base: string): Promise<PublicCertificate> {
    const bib = this.bibKey(rawBib);
    const template = await this.published(event);
    const row = await this.db.findRecord(event.id, bib);
    if (!row) throw notFound(`No certificate for BIB ${rawBib.trim()} in this event: check the number on your bib`);
    this.pool.warm(); // the image download usually follows
    const r = row.record;
    const link = (format: CertificateFormatName) => {
      const path = certificatePath(event.id, r.bib, format);
      const q = this.deps.signer.sign(path, DEFAULT_URL_TTL_SECONDS);
      return { url: `${base}${path}?${q}`, exp: Number(new URLSearchParams(q).get('exp')) };
    };
    const png = link('png');
    const pdf = link('pdf');
    return {
      bib: r.bib,
      name: r.name,
      first_name: r.first_name ?? null,
      last_name: r.last_name ?? null,
      category: r.category ?? null,
      gender: r.gender ?? null,
      finish_time: r.finish_time ?? null,
      rank: r.rank ?? null,
      event_name: event.name,
      width: Math.round(template.template.width),
      height: Math.round(template.template.height),
      png_url: png.url,
      pdf_url: pdf.url,
      png_filename: certificateFilename(event, r.bib, 'png'),
      pdf_filename: certificateFilename(event, r.bib, 'pdf'),
      expires_at: new Date(Math.min(png.exp, pdf.exp) * 1000).toISOString(),
    };
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
    const template = await this.published(event);
    const record = await this.db.getRecord(event.id, bib);
    if (!record) throw notFound(`No certificate for BIB ${bib} in this event any more`);
    const key = this.cacheKey(template, record, event, format);
    const blobKey = renderBlobKey(event.id, bib, key);
    const cached = await this.db.getRender(event.id, bib, format);
    if (!(cached?.cache_key === key && (await this.deps.blobs.stat(cached.blob_key)))) {
      await this.renderOnce(blobKey, async () => {
        const bytes = await this.render(template.template, record.record, eventContext(event), format);
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

  // -------------------------------------------------------------------------------------------
  // Stale renders: deleted lazily
  // -------------------------------------------------------------------------------------------

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

  /** Shutdown: waits for background sweeps and renders in progress, then ends the render threads. */
  async close(): Promise<void> {
    while (this.sweeping.size || this.inflight.size) {
      await Promise.allSettled([...this.sweeping.values(), ...this.inflight.values()]);
    }
    await this.pool.close();
  }
}
