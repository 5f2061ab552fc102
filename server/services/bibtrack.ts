/**
 * BibTrack: bib numbers read from the photos by OCR at ingest (through a pool of worker threads, so the
 * HTTP thread stays free), the event's issued-bib list (uploaded, plus the bibs of its certificate records),
 * re-runs of the OCR over an event that keep every human decision, and the review of reads.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { BibOverview, IssuedReport, RerunJob, RerunReport } from '../../core/api/bibtrack.ts';
import { bibProblem, normaliseBib } from '../../core/index.ts';
import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError } from '../http/errors.ts';
import type { JobBatch, JobPayloads, JobQueue } from '../jobs/types.ts';
import { relinkImage } from '../ingest/face-bib-links.ts';
import type { OcrStage, OcrStageResult } from '../ingest/ocr.ts';
import type { Logger } from '../log.ts';
import type { EventRow, NewBibTag, Store } from '../store/types.ts';
import { CANDIDATE_CONFIDENCE_FACTOR, issuedIndex, matchIssued } from '../vision/ocr/bib-filter.ts';
import { DEFAULT_SCALE, OcrModelsError } from '../vision/ocr/errors.ts';
import type { BibRead, DecodedPhoto, ReadBibsOptions } from '../vision/ocr/ocr-engine.ts';
import { OcrPool, defaultPoolSize } from '../vision/ocr/ocr-pool.ts';

/** What reads the bibs: the worker pool, or a stand-in in tests. */
export interface BibReader {
  readonly size: number;
  readBibs(image: Uint8Array, options?: ReadBibsOptions): Promise<BibRead[]>;
  /** The same on a photo already decoded (the ingest's shared decode); a reader without it gets the bytes. */
  readDecodedBibs?(photo: DecodedPhoto, options?: ReadBibsOptions): Promise<BibRead[]>;
  close(): Promise<void>;
}

export interface BibTrackOptions {
  store: Store;
  log: Logger;
  /** Where the OCR models are (config MODELS_DIR; default: the package's `models/`). */
  modelsDir?: string;
  /** OCR worker threads (config OCR_WORKERS; default cores − 1: a core stays free for the API). */
  poolSize?: number;
  /** Long side the text detector sees (config OCR_SCALE; default 1536). */
  scale?: number;
  /** The reader (default: an `OcrPool`, started on first use). */
  reader?: () => BibReader;
  /** After the models failed to load, wait this long before trying again (default 30 s). */
  retryAfterMs?: number;
  /** How long an event's issued list is cached (default 10 s; uploads through this service drop it at once). */
  issuedTtlMs?: number;
  /** The job queue re-runs go through (`bibs.read` jobs, one per photo); without one, re-runs cannot be started. */
  jobs?: JobQueue;
}

/** What a `bibs.read` job did to its photo (its output; a re-run's report is the sum of them). */
export interface PhotoRead {
  image_id: string;
  /** 1 when the photo was read, 0 when skipped (already read, deleted) or unreadable (`error`). */
  read: number;
  added: number;
  updated: number;
  removed: number;
  kept: number;
  accepted: number;
  candidates: number;
  skipped?: string;
  error?: string;
}

const READ_SUMS = ['read', 'added', 'updated', 'removed', 'kept', 'accepted', 'candidates'] as const;

export interface RerunOptions {
  /** Only photos the OCR has not read (never read, or failed). */
  unreadOnly?: boolean;
  /** Photos read at once (default: the reader's size + 1, so it never waits). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

const BIB_HEADERS = [
  'bib',
  'bibs',
  'bib_number',
  'bib_no',
  'number',
  'no',
  'race_number',
  'start_number',
  'startnummer',
  'dossard',
  'dorsal',
];

export interface IssuedCsv {
  bibs: { bib: string; bib_norm: string }[];
  rows: number;
  problems: { line: number; error: string }[];
}

/** Why a cell of an issued list is not a bib number (the OCR reads numbers: a bib without digits never matches). */
function issuedProblem(raw: string): string | null {
  if (!raw) return 'no bib in this row';
  const problem = bibProblem(raw);
  if (problem) return `bib "${raw}": ${problem}`;
  return /\p{N}/u.test(raw) ? null : `"${raw}" is not a bib number (no digits)`;
}

/**
 * Parses an issued-bib CSV: one bib per row, in a column named `bib` (or `bib_number`, `number`, `dossard`…;
 * other columns are ignored, `,` `;` or tab separated), or the first column when there is no header. A bad
 * row is reported by line; the others apply.
 */
export function parseIssuedCsv(input: string | Buffer): IssuedCsv {
  const problems: IssuedCsv['problems'] = [];
  const rows: { cells: string[]; line: number }[] = [];
  String(input)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((text, i) => {
      if (!text.trim()) return;
      try {
        const [cells] = parseCsv(text, { trim: true, relax_column_count: true, delimiter: [',', ';', '\t'] }) as string[][];
        if (cells) rows.push({ cells, line: i + 1 });
      } catch (e) {
        problems.push({ line: i + 1, error: `unreadable CSV row: ${(e as Error).message.replace(/ at line \d+/, '')}` });
      }
    });
  let col = 0;
  let data = rows;
  const first = rows[0];
  if (first) {
    const header = first.cells.map((c) => c.toLowerCase().replace(/[\s.-]+/g, '_'));
    const named = header.findIndex((h) => BIB_HEADERS.includes(h));
    if (named >= 0) {
      col = named;
      data = rows.slice(1);
    } else if (issuedProblem(first.cells[0]?.trim() ?? '')) {
      problems.push({ line: first.line, error: `the header must name a bib column (${BIB_HEADERS.slice(0, 5).join(', ')}…)` });
      data = rows.slice(1);
    }
  }
  const seen = new Map<string, string>();
  for (const { cells, line } of data) {
    const raw = cells[col]?.trim() ?? '';
    const problem = issuedProblem(raw);
    if (problem) {
      problems.push({ line, error: problem });
      continue;
    }
    const norm = normaliseBib(raw);
    if (!seen.has(norm)) seen.set(norm, raw);
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    bibs: [...seen].map(([bib_norm, bib]) => ({ bib, bib_norm })),
    rows: data.length + problems.filter((p) => p.error.startsWith('unreadable')).length,
    problems,
  };
}

const toTag = (r: BibRead): NewBibTag => ({
  bib: r.bib,
  bib_norm: r.bib_norm,
  source: 'ocr',
  status: r.status,
  confidence: r.confidence,
  box: r.box,
});

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

export class BibTrack implements OcrStage {
  readonly scale: number;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly makeReader: () => BibReader;
  private readonly retryAfterMs: number;
  private readonly issuedTtlMs: number;
  private readerInstance: BibReader | null = null;
  /** The models could not be loaded: the error, and when to try again. */
  private down: { error: Error; until: number } | null = null;
  private readonly issuedCache = new Map<number, { at: number; value: Promise<ReadonlySet<string> | undefined> }>();
  private readonly queue: JobQueue | undefined;
  private readonly poolSize: number;
  /** Re-runs that found no photo to read (no job to count): done at once, known to this process only. */
  private readonly emptyRuns = new Map<number, RerunJob>();
  private readonly warned = new Set<string>();
  private closed = false;

  constructor(o: BibTrackOptions) {
    this.store = o.store;
    this.log = o.log;
    this.scale = o.scale ?? DEFAULT_SCALE;
    const size = o.poolSize ?? defaultPoolSize();
    this.poolSize = size;
    this.makeReader = o.reader ?? (() => new OcrPool({ size, ...(o.modelsDir ? { modelsDir: o.modelsDir } : {}) }));
    this.retryAfterMs = o.retryAfterMs ?? 30_000;
    this.issuedTtlMs = o.issuedTtlMs ?? 10_000;
    this.queue = o.jobs;
  }

  /** Photos read at once by `bibs.read` jobs in one process: the pool's threads + 1 (read without starting the pool). */
  get jobConcurrency(): number {
    return this.readerInstance ? this.readerInstance.size + 1 : this.poolSize + 1;
  }

  /** Worker threads reading at once (the pool is started on first use). */
  get size(): number {
    return (this.readerInstance ??= this.makeReader()).size;
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────────

  /** Reads one photo. Throws `OcrModelsError` (models missing: says how to fetch them) or `OcrImageError`. */
  async readBibs(data: Uint8Array, issued?: ReadonlySet<string>, decoded?: DecodedPhoto): Promise<BibRead[]> {
    if (this.closed) throw new Error('the OCR service is closed');
    if (this.down && Date.now() < this.down.until) throw this.down.error;
    this.down = null;
    const reader = (this.readerInstance ??= this.makeReader());
    const options = { scale: this.scale, ...(issued ? { issued } : {}) };
    try {
      return decoded && reader.readDecodedBibs
        ? await reader.readDecodedBibs(decoded, options)
        : await reader.readBibs(data, options);
    } catch (e) {
      if (e instanceof OcrModelsError) {
        // The pool is dead for good: drop it, and try a new one after a while (e.g. after fetch-models).
        this.down = { error: e, until: Date.now() + this.retryAfterMs };
        if (this.readerInstance === reader) {
          this.readerInstance = null;
          void reader.close().catch(() => undefined);
        }
      }
      throw e;
    }
  }

  /** The ingest stage: never throws; null when the event's bib search is off (no work done). `decoded`: the photo's
   * pixels when the ingest decoded it already (read from them instead of decoding `data` again). */
  async readPhoto(event: EventRow, data: Uint8Array, decoded?: DecodedPhoto): Promise<OcrStageResult | null> {
    if (!event.flags.bib_search) return null;
    try {
      const reads = await this.readBibs(data, await this.issued(event.id), decoded);
      return { ok: true, tags: reads.map(toTag) };
    } catch (e) {
      const reason = `bibs not read: ${(e as Error)?.message ?? String(e)}`;
      if (!this.warned.has(reason)) {
        this.warned.add(reason);
        this.log.warn(reason, { event_id: event.id });
      }
      return { ok: false, reason };
    }
  }

  // ── issued list ────────────────────────────────────────────────────────────────────────────────────────

  /** The event's issued bibs (uploaded list ∪ certificate records), or undefined when it has none. */
  issued(eventId: number): Promise<ReadonlySet<string> | undefined> {
    const hit = this.issuedCache.get(eventId);
    if (hit && Date.now() - hit.at < this.issuedTtlMs) return hit.value;
    const value = (async () => {
      const [own, certs] = await Promise.all([this.store.bibs.issuedBibs(eventId), this.certificateBibs(eventId)]);
      const all = new Set([...own, ...certs]);
      return all.size ? all : undefined;
    })();
    this.issuedCache.set(eventId, { at: Date.now(), value });
    value.catch(() => this.issuedCache.delete(eventId));
    return value;
  }

  /** The normalised bibs of the event's certificate records (the certificates area keeps them by bib). */
  async certificateBibs(eventId: number): Promise<string[]> {
    const out: string[] = [];
    const limit = 5000;
    for (let offset = 0; ; offset += limit) {
      const { items } = await this.store.certificates.listRecords(eventId, { offset, limit });
      for (const r of items) out.push(r.bib);
      if (items.length < limit) return out;
    }
  }

  /** Replaces (or extends) the uploaded list from a CSV, then re-applies the list to the event's OCR reads. */
  async putIssued(event: EventRow, csv: string | Buffer, mode: 'replace' | 'append'): Promise<IssuedReport> {
    const parsed = parseIssuedCsv(csv);
    if (parsed.bibs.length === 0) {
      const first = parsed.problems.slice(0, 3).map((p) => `line ${p.line}: ${p.error}`);
      throw new ApiError(
        422,
        `file: no bib could be read${first.length ? ` (${first.join('; ')})` : ''}: send a CSV with one bib per row in a column named bib`,
      );
    }
    const issued = await this.store.bibs.putIssued(event.id, parsed.bibs, mode);
    const changes = await this.reapplyIssued(event.id);
    return {
      issued,
      rows: parsed.rows,
      bibs: parsed.bibs.length,
      problems: parsed.problems,
      certificate_bibs: (await this.certificateBibs(event.id)).length,
      ...changes,
    };
  }

  /** Empties the uploaded list (certificate bibs still count) and re-applies. */
  async clearIssued(event: EventRow): Promise<IssuedReport> {
    await this.store.bibs.putIssued(event.id, [], 'replace');
    const changes = await this.reapplyIssued(event.id);
    return {
      issued: 0,
      rows: 0,
      bibs: 0,
      problems: [],
      certificate_bibs: (await this.certificateBibs(event.id)).length,
      ...changes,
    };
  }

  /**
   * Re-applies the current issued list to the event's unreviewed OCR tags, without reading the photos again:
   * a read on the list is accepted, one outside it a candidate (its confidence halved, as the engine does).
   */
  async reapplyIssued(eventId: number): Promise<{ now_accepted: number; now_candidates: number }> {
    this.issuedCache.delete(eventId);
    const issued = await this.issued(eventId);
    const index = issued ? issuedIndex(issued) : null;
    let after = 0;
    const counts = { now_accepted: 0, now_candidates: 0 };
    for (;;) {
      const tags = await this.store.bibs.unreviewedOcrTags(eventId, after, 1000);
      if (tags.length === 0) return counts;
      after = tags.at(-1)!.id;
      const updates: { id: number; status: 'accepted' | 'candidate'; confidence: number | null }[] = [];
      for (const t of tags) {
        const want = !index || matchIssued(t.bib, index) !== null ? 'accepted' : 'candidate';
        if (want === t.status) continue;
        const c = t.confidence;
        const confidence =
          c === null
            ? null
            : round4(want === 'candidate' ? c * CANDIDATE_CONFIDENCE_FACTOR : Math.min(1, c / CANDIDATE_CONFIDENCE_FACTOR));
        updates.push({ id: t.id, status: want, confidence });
        counts[want === 'accepted' ? 'now_accepted' : 'now_candidates']++;
      }
      if (updates.length) await this.store.bibs.updateOcrStatuses(updates);
    }
  }

  // ── re-runs ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Reads the bibs of the event's photos again (all, or only the unread ones) and merges them with
   * `BibStore.replaceOcr`: manual and sidecar tags are untouched, reviewed reads keep their status. Throws
   * `OcrModelsError` when the models are missing (nothing is changed then).
   */
  async rerunEvent(blobs: BlobStore, event: EventRow, o: RerunOptions = {}): Promise<RerunReport> {
    const t0 = performance.now();
    this.issuedCache.delete(event.id);
    const issued = await this.issued(event.id);
    const stats = await this.store.bibs.stats(event.id);
    const total = o.unreadOnly ? stats.images - stats.read : stats.images;
    const report: RerunReport = emptyReport(event.id);
    const concurrency = Math.max(1, o.concurrency ?? this.size + 1);
    let after: string | null = null;
    let batch: { id: string; original_key: string }[] = [];
    let fatal: Error | null = null;
    const nextPhoto = async (): Promise<{ id: string; original_key: string } | null> => {
      if (batch.length === 0) {
        batch = await this.store.bibs.photosToRead(event.id, { afterId: after, limit: 200, unreadOnly: o.unreadOnly });
        if (batch.length) after = batch.at(-1)!.id;
      }
      return batch.shift() ?? null;
    };
    // One page fetch at a time: workers take photos from a shared queue.
    let fetching: Promise<unknown> = Promise.resolve();
    const take = () => {
      const p = fetching.then(nextPhoto);
      fetching = p.catch(() => undefined);
      return p;
    };
    const worker = async () => {
      for (;;) {
        if (fatal || this.closed) return;
        const photo = await take();
        if (!photo) return;
        report.photos++;
        const data = await blobs.get(photo.original_key).catch(() => null);
        if (!data) {
          const error = 'the original file is missing';
          await this.store.bibs.recordScan(photo.id, { state: 'failed', reads: 0, error });
          report.failed.push({ image_id: photo.id, error });
        } else {
          try {
            const reads = await this.readBibs(data, issued);
            const merged = await this.store.bibs.replaceOcr(photo.id, reads.map(toTag), {
              state: 'read',
              reads: reads.length,
              error: null,
            });
            // Reads moved or changed: relink the photo's faces to its bibs (updated boxes keep the tag ids).
            await relinkImage(this.store, event.id, photo.id);
            report.read++;
            report.added += merged.added;
            report.updated += merged.updated;
            report.removed += merged.removed;
            report.kept += merged.kept;
            for (const r of reads) report[r.status === 'accepted' ? 'accepted' : 'candidates']++;
          } catch (e) {
            if (e instanceof OcrModelsError) {
              fatal = e;
              return;
            }
            const error = `bibs not read: ${(e as Error).message}`;
            await this.store.bibs.recordScan(photo.id, { state: 'failed', reads: 0, error });
            report.failed.push({ image_id: photo.id, error });
          }
        }
        o.onProgress?.(report.photos, Math.max(total, report.photos));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (fatal) throw fatal;
    report.seconds = Math.round((performance.now() - t0) / 100) / 10;
    return report;
  }

  /**
   * Reads one stored photo again (the `bibs.read` job) and merges the reads with `BibStore.replaceOcr`, so a
   * delivery repeated after a worker died writes the same tags once. With `unread_only`, a photo read meanwhile is
   * skipped. Throws (the job is retried, then a dead letter) when the models are missing or the original cannot be
   * fetched; a photo the OCR cannot decode is recorded as a failed scan and reported in the output.
   */
  async readStoredPhoto(blobs: BlobStore, p: JobPayloads['bibs.read']): Promise<PhotoRead> {
    const out: PhotoRead = {
      image_id: p.image_id,
      read: 0,
      added: 0,
      updated: 0,
      removed: 0,
      kept: 0,
      accepted: 0,
      candidates: 0,
    };
    const event = await this.store.events.get(p.event_id);
    const img = event ? await this.store.images.get(event.id, p.image_id) : null;
    if (!event || !img) return { ...out, skipped: 'the photo was deleted' };
    if (img.state !== 'ready') return { ...out, skipped: 'the photo waits for credits' };
    if (p.unread_only && (await this.store.bibs.getScan(img.id))?.state === 'read') return { ...out, skipped: 'already read' };
    const data = await blobs.get(img.original_key);
    if (!data) {
      const error = 'the original file is missing';
      await this.store.bibs.recordScan(img.id, { state: 'failed', reads: 0, error });
      throw new Error(`${error} (${img.original_key})`);
    }
    let reads: BibRead[];
    try {
      reads = await this.readBibs(data, await this.issued(event.id));
    } catch (e) {
      if (e instanceof OcrModelsError) throw e;
      const error = `bibs not read: ${(e as Error).message}`;
      await this.store.bibs.recordScan(img.id, { state: 'failed', reads: 0, error });
      return { ...out, error };
    }
    const merged = await this.store.bibs.replaceOcr(img.id, reads.map(toTag), {
      state: 'read',
      reads: reads.length,
      error: null,
    });
    await relinkImage(this.store, event.id, img.id);
    return {
      ...out,
      read: 1,
      added: merged.added,
      updated: merged.updated,
      removed: merged.removed,
      kept: merged.kept,
      accepted: reads.filter((r) => r.status === 'accepted').length,
      candidates: reads.filter((r) => r.status !== 'accepted').length,
    };
  }

  /**
   * Starts a re-run (admin API, bib search switched on): one `bibs.read` job per photo to read, run by whichever
   * process works the queue. 409 while the event's last re-run still has jobs queued or running.
   */
  async startRerun(event: EventRow, o: { unreadOnly?: boolean } = {}): Promise<RerunJob> {
    if (this.closed) throw new ApiError(503, 'The server is shutting down');
    const queue = this.queue;
    if (!queue) throw new ApiError(503, 'Bib re-runs need the job queue');
    const current = await this.rerunJob(event.id);
    if (current?.state === 'running') {
      throw new ApiError(409, `A bib re-run of event ${event.id} is already running (${current.done}/${current.total} photos)`);
    }
    this.issuedCache.delete(event.id);
    const batch = `${new Date().toISOString()}/${randomUUID()}`;
    const unread_only = !!o.unreadOnly;
    let queued = 0;
    for (let after: string | null = null; ;) {
      const page = await this.store.bibs.photosToRead(event.id, { afterId: after, limit: 500, unreadOnly: unread_only });
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      queued += await queue.enqueueMany(
        'bibs.read',
        page.map((ph) => ({
          payload: { org_id: event.org_id, event_id: event.id, image_id: ph.id, batch, unread_only },
          key: ph.id,
        })),
      );
    }
    if (queued === 0) {
      const now = new Date().toISOString();
      const job: RerunJob = {
        event_id: event.id,
        state: 'done',
        unread_only,
        done: 0,
        total: 0,
        started_at: now,
        finished_at: now,
        error: null,
        report: { ...emptyReport(event.id), seconds: 0 },
      };
      this.emptyRuns.set(event.id, job);
      return job;
    }
    this.emptyRuns.delete(event.id);
    this.log.info('bib re-run queued', { event_id: event.id, photos: queued, unread_only });
    return (await this.rerunJob(event.id))!;
  }

  /** The event's last re-run, from its jobs' states (whichever process runs them), or null. */
  async rerunJob(eventId: number): Promise<RerunJob | null> {
    const batch = this.queue ? await this.queue.latestBatch('bibs.read', eventId, READ_SUMS) : null;
    const empty = this.emptyRuns.get(eventId);
    if (empty && (!batch || empty.started_at > batch.started_at)) return { ...empty };
    return batch ? rerunView(eventId, batch) : null;
  }

  // ── review ─────────────────────────────────────────────────────────────────────────────────────────────

  async overview(event: EventRow): Promise<BibOverview> {
    const [s, issued, certs, untagged] = await Promise.all([
      this.store.bibs.stats(event.id),
      this.store.bibs.listIssued(event.id, { offset: 0, limit: 1 }),
      this.certificateBibs(event.id),
      this.store.bibs.untaggedIds(event.id, { offset: 0, limit: 1 }),
    ]);
    return {
      event_id: event.id,
      bib_search: event.flags.bib_search,
      ...s,
      not_read: s.images - s.read - s.failed,
      untagged: untagged.total,
      issued: issued.total,
      certificate_bibs: certs.length,
      rerun: await this.rerunJob(event.id),
    };
  }

  /** Ends the worker threads (the job queue, closed first, waits for the running `bibs.read` jobs). */
  async close(): Promise<void> {
    this.closed = true;
    const reader = this.readerInstance;
    this.readerInstance = null;
    await reader?.close();
  }
}

function emptyReport(eventId: number): RerunReport {
  return {
    event_id: eventId,
    photos: 0,
    read: 0,
    failed: [],
    added: 0,
    updated: 0,
    removed: 0,
    kept: 0,
    accepted: 0,
    candidates: 0,
    seconds: 0,
  };
}

/**
 * A re-run as the admin API shows it, from its jobs: running while one is queued or running; then `failed` when no
 * photo could be read because every job failed for good (models missing, say), else `done` with the sums of the
 * jobs' outputs and the photos that failed.
 */
function rerunView(eventId: number, b: JobBatch): RerunJob {
  const { queued, active, done, failed } = b.counts;
  const running = queued + active > 0;
  const dead = b.problems.find((p) => p.dead);
  const state = running ? 'running' : failed > 0 && done === 0 ? 'failed' : 'done';
  const seconds = Math.round((Date.parse(b.updated_at) - Date.parse(b.started_at)) / 100) / 10;
  const n = (f: string) => Math.round(b.sums[f] ?? 0);
  return {
    event_id: eventId,
    state,
    unread_only: b.payload.unread_only === true,
    done: done + failed,
    total: queued + active + done + failed,
    started_at: b.started_at,
    finished_at: running ? null : b.updated_at,
    error: state === 'failed' ? (dead?.error ?? 'the re-run failed') : null,
    report: running
      ? null
      : {
          ...emptyReport(eventId),
          photos: done + failed,
          read: n('read'),
          failed: b.problems.map((p) => ({ image_id: String(p.payload.image_id), error: p.error })),
          added: n('added'),
          updated: n('updated'),
          removed: n('removed'),
          kept: n('kept'),
          accepted: n('accepted'),
          candidates: n('candidates'),
          seconds: Math.max(0, seconds),
        },
  };
}
