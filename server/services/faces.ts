/**
 * Face search (FaceFind): indexes the faces of ingested photos, keeps an in-memory index per event,
 * runs selfie searches and stores their results under a request_id, deletes the selfie embeddings after
 * the retention period, and answers "which photos did this search match" for downloads and checkout.
 */
import { randomUUID } from 'node:crypto';
import {
  EMBEDDING_DIM,
  SELFIE_REFUSAL_MESSAGES,
  embeddingToBytes,
  l2normalize,
  packEmbeddingInt8,
} from '../../core/face/index.ts';
import {
  DEFAULT_FACE_PIPELINE,
  FACE_PIPELINES,
  MODEL_FILES,
  calibratedScore,
  rawScore,
  type FacePipelineName,
  type FacePipelineSpec,
} from '../../core/models.ts';
import { ApiError, badRequest, notFound, unprocessable } from '../http/errors.ts';
import { relinkImage } from '../ingest/face-bib-links.ts';
import type { FaceStage, FaceStageResult } from '../ingest/faces.ts';
import type { Logger } from '../log.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { FaceHit, FaceSearchRow, FaceSearchSource } from '../store/face-types.ts';
import type { EventRow, Store } from '../store/types.ts';
import { FaceIndex, FaceIndexCache } from '../vision/face-index.ts';
import { FaceModelsError, ImageDecodeError } from '../vision/face-errors.ts';
import type { DecodedImage, FaceRunner, SelfieEmbedding } from '../vision/face-runner.ts';
import { bibSearchKeys } from '../../core/index.ts';
import { bibFaceMatches, mergeHits, rankSelfie } from './face-match.ts';

const bibKeyOf = (bibNorm: string) => bibNorm.replace(/^0+(?=.)/, '');
import type { SelfieResults } from './selfie-results.ts';

export const DEFAULT_SELFIE_RETENTION_HOURS = 24;
/** The feature model of faces stored before migration 0121 (their `model` is NULL). */
const LEGACY_FEATURE_MODEL = MODEL_FILES.faceFeature.name;

/** What a selfie search starts from: a photo (or the widget's aligned 112×112 PNG), or an embedding. */
export type SelfieInput = { kind: 'image'; data: Uint8Array } | { kind: 'vector'; embedding: Float32Array };

export interface FaceServiceOptions {
  store: Store;
  log: Logger;
  /** Where the ONNX models are (fr_detect, fr_landmark, fr_feature). */
  modelsDir: string;
  /** Hours a search keeps its query embedding (default 24, config SELFIE_RETENTION_HOURS; 0 = never stored). The matches stay. */
  retentionHours?: number;
  /** The face pipeline (config FACE_PIPELINE, default `default`): models, smallest faces, quality rule. */
  pipeline?: FacePipelineName;
  /** The face runner (default: onnxruntime-node over `modelsDir`); tests may inject one. */
  runner?: () => Promise<FaceRunner>;
  /** In-memory indexes kept (LRU): at most this many events and bytes. */
  cache?: { maxEntries?: number; maxBytes?: number };
}

export interface StoredSearch {
  search: FaceSearchRow;
  /** True when the request_id already existed: nothing was matched again. */
  replay: boolean;
}

export interface ReindexReport {
  event_id: number;
  photos: number;
  indexed: number;
  faces: number;
  failed: { image_id: string; error: string }[];
  seconds: number;
}

/** Union of two ranked match lists: each photo once, with its best score, best first. */
export function unionHits(a: readonly FaceHit[], b: readonly FaceHit[]): FaceHit[] {
  const best = new Map<string, number>();
  for (const h of [...a, ...b]) best.set(h.image_id, Math.max(best.get(h.image_id) ?? -Infinity, h.score));
  return [...best].map(([image_id, score]) => ({ image_id, score })).sort((x, y) => y.score - x.score);
}

/** Face-match confidence as the API shows it: cosine × 100, one decimal, clamped to 0–100. */
export const confidenceOf = (score: number) => Math.min(100, Math.max(0, Math.round(score * 1000) / 10));

const concat = (a: Uint8Array | null, b: Uint8Array): Uint8Array => {
  if (!a) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

export class FaceService implements FaceStage, SelfieResults {
  readonly retentionHours: number;
  readonly pipelineName: FacePipelineName;
  readonly pipeline: FacePipelineSpec;
  /** File name of the pipeline's feature model: stored with each face; search only compares these. */
  readonly featureModel: string;
  private readonly store: Store;
  private readonly log: Logger;
  readonly modelsDir: string;
  private readonly runnerFn: () => Promise<FaceRunner>;
  private readonly cache: FaceIndexCache<number, string>;
  /** The face version each cached index was built from. */
  private readonly builtAt = new WeakMap<FaceIndex<string>, number>();
  private readonly warned = new Set<string>();
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private closing = false;
  private sweepRun: Promise<void> | null = null;

  constructor(o: FaceServiceOptions) {
    this.store = o.store;
    this.log = o.log;
    this.modelsDir = o.modelsDir;
    this.retentionHours = Math.max(0, o.retentionHours ?? DEFAULT_SELFIE_RETENTION_HOURS);
    this.pipelineName = o.pipeline ?? DEFAULT_FACE_PIPELINE;
    this.pipeline = FACE_PIPELINES[this.pipelineName];
    this.featureModel = MODEL_FILES[this.pipeline.models.feature].name;
    // The runner (sharp, onnxruntime) loads with the first face indexed or searched, not at start (issue 20).
    this.runnerFn =
      o.runner ?? (async () => (await import('../vision/face-runner.ts')).getFaceRunner(this.modelsDir, this.pipelineName));
    this.cache = new FaceIndexCache<number, string>({
      load: async (eventId) => {
        const { version, faces } = await this.store.faces.loadEvent(eventId);
        // Embeddings of another feature model are not comparable: they wait for a re-index.
        const mine = faces.filter((f) => (f.model ?? LEGACY_FEATURE_MODEL) === this.featureModel);
        const index = FaceIndex.fromPacked(mine, { qualityRule: this.pipeline.quality });
        this.builtAt.set(index, version);
        return index;
      },
      maxEntries: o.cache?.maxEntries ?? 8,
      maxBytes: o.cache?.maxBytes ?? 512 * 1024 * 1024,
    });
  }

  /** The face runner; throws FaceModelsError when the models are missing or corrupt. */
  runner(): Promise<FaceRunner> {
    return this.runnerFn();
  }

  // ── ingest ─────────────────────────────────────────────────────────────────────────────────────────────

  async indexPhoto(data: Uint8Array, decoded?: DecodedImage): Promise<FaceStageResult> {
    try {
      const runner = await this.runner();
      const found =
        decoded && runner.indexDecodedFaces ? await runner.indexDecodedFaces(decoded) : await runner.indexPhotoFaces(data);
      return {
        ok: true,
        faces: found.map((f) => ({
          box: f.box.map((v) => Math.round(v * 10) / 10) as [number, number, number, number],
          score: f.score,
          sharpness: Number.isFinite(f.sharpness) ? f.sharpness : null,
          embedding: packEmbeddingInt8(f.embedding),
          quality: Number.isFinite(f.quality) ? f.quality : null,
          model: this.featureModel,
        })),
      };
    } catch (e) {
      const reason =
        e instanceof FaceModelsError
          ? `faces not indexed: ${e.message}`
          : `faces not indexed: ${(e as Error).message ?? String(e)}`;
      if (!this.warned.has(reason)) {
        this.warned.add(reason);
        this.log.warn(reason);
      }
      return { ok: false, reason };
    }
  }

  invalidate(eventId: number): void {
    this.cache.invalidate(eventId);
  }

  /** The event's in-memory index, rebuilt when its faces changed (in this process or another one). */
  async index(eventId: number): Promise<FaceIndex<string>> {
    const current = await this.store.faces.version(eventId);
    let index = await this.cache.get(eventId);
    if (this.builtAt.get(index) !== current) {
      this.cache.invalidate(eventId);
      index = await this.cache.get(eventId);
    }
    return index;
  }

  /**
   * Re-detects and re-embeds the faces of an event's photos from their originals (all of them, or only
   * those never indexed), replacing the stored faces photo by photo. Throws FaceModelsError up front
   * when the models are unusable.
   */
  async reindexEvent(
    blobs: BlobStore,
    event: EventRow,
    opts: { missingOnly?: boolean; concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ReindexReport> {
    const t0 = performance.now();
    await this.runner();
    let ids: string[];
    if (opts.missingOnly) ids = await this.store.faces.unscannedImageIds(event.id);
    else {
      ids = [];
      for (let offset = 0; ; offset += 500) {
        const { items, total } = await this.store.images.list(event.id, { offset, limit: 500 });
        ids.push(...items.map((i) => i.id));
        if (offset + 500 >= total) break;
      }
    }
    const report: ReindexReport = { event_id: event.id, photos: ids.length, indexed: 0, faces: 0, failed: [], seconds: 0 };
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < ids.length && !this.closing) {
        const id = ids[next++]!;
        const img = await this.store.images.get(event.id, id);
        const data = img ? await blobs.get(img.original_key) : null;
        if (!img || !data) {
          if (img) report.failed.push({ image_id: id, error: `original ${img.original_key} is missing from the blob store` });
        } else {
          const r = await this.indexPhoto(data);
          if (r.ok) {
            await this.store.faces.replaceForImage(event.id, id, r.faces);
            // New face rows (new ids): link them to the photo's bibs again.
            await relinkImage(this.store, event.id, id);
            report.indexed++;
            report.faces += r.faces.length;
          } else report.failed.push({ image_id: id, error: r.reason });
        }
        opts.onProgress?.(++done, ids.length);
      }
    };
    const n = Math.max(1, Math.min(opts.concurrency ?? 2, ids.length));
    await Promise.all(Array.from({ length: n }, worker));
    this.invalidate(event.id);
    report.seconds = Math.round((performance.now() - t0) / 100) / 10;
    return report;
  }

  // ── search ─────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs a selfie search and stores it under `requestId` (new UUID when absent). An existing request_id of
   * this event returns its stored result without matching again (`input` is not even read); one of another
   * event is 404. `addTo` (an earlier search of the event) widens it: the new search's matches are the
   * union of both, best score per photo.
   */
  async search(
    event: EventRow,
    input: () => SelfieInput | null,
    opts: { requestId?: string | null; addTo?: string | null } = {},
  ): Promise<StoredSearch> {
    const requestId = opts.requestId ?? randomUUID();
    if (opts.requestId) {
      const existing = await this.store.faces.getSearch(requestId);
      if (existing) {
        if (existing.event_id !== event.id) throw notFound(`request_id ${requestId} is not a search of this event`);
        return { search: existing, replay: true };
      }
    }
    let base: FaceSearchRow | null = null;
    if (opts.addTo) {
      base = await this.store.faces.getSearch(opts.addTo);
      if (!base || base.event_id !== event.id) throw notFound(`add_to: ${opts.addTo} is not a search of this event`);
    }
    const query = input();
    if (!query) {
      throw unprocessable(
        'file: attach the selfie as a multipart file part `file` (or `selfie`, `image`), or send `embedding` (a JSON array of 512 numbers)',
      );
    }
    const { embedding, source } = await this.embed(query);
    const threshold = event.face_threshold;
    const index = await this.index(event.id);
    // Face matches refined by query expansion, plus the photos of the bibs the matched faces wear (face-match.ts).
    // Scores are the pipeline's calibrated ones (the raw cosine for the default model).
    let hits: FaceHit[] = (await rankSelfie(this.store, index, event, embedding, this.scoring(threshold))).hits;
    let dropped = new Set<string>();
    if (base) {
      dropped = new Set(await this.store.faceLinks.rejects(base.request_id));
      hits = mergeHits(
        await this.store.faces.allSearchHits(base.request_id),
        hits.filter((h) => !dropped.has(h.image_id)),
      );
    }
    const keep = this.retentionHours > 0;
    const created = await this.store.faces.createSearch(
      {
        request_id: requestId,
        event_id: event.id,
        source: base ? 'union' : source,
        threshold,
        embedding: keep ? concat(base?.embedding ?? null, embeddingToBytes(embedding)) : null,
      },
      hits,
    );
    // The earlier search's "Not me" photos stay out of the widened one (and of its re-ranking).
    if (created) for (const id of dropped) await this.store.faceLinks.addReject(requestId, id);
    const row = await this.store.faces.getSearch(requestId);
    if (!row) throw new ApiError(500, 'The search could not be recorded; it is safe to retry with the same request_id');
    // Lost a race with a concurrent POST of the same request_id: its stored result wins.
    if (!created && row.event_id !== event.id) throw notFound(`request_id ${requestId} is not a search of this event`);
    return { search: row, replay: !created };
  }

  /**
   * "Not me" on a photo of a stored search: the photo is dropped from the result, and while the search's query is
   * still kept (SELFIE_RETENTION_HOURS) the search is ranked again without it (the query expansion never uses a
   * rejected photo). 404 when the search is not of this event or the photo was never in its result.
   */
  async notMe(event: EventRow, requestId: string, imageId: string): Promise<{ total: number; reranked: boolean }> {
    const search = await this.getSearch(event, requestId);
    const [hits, rejected] = await Promise.all([
      this.store.faces.allSearchHits(requestId),
      this.store.faceLinks.rejects(requestId),
    ]);
    if (!hits.some((h) => h.image_id === imageId) && !rejected.includes(imageId))
      throw notFound(`image_id ${imageId} is not a photo of selfie search ${requestId}`);
    await this.store.faceLinks.addReject(requestId, imageId);
    const drop = new Set([...rejected, imageId]);
    let next = hits.filter((h) => !drop.has(h.image_id));
    let reranked = false;
    if (search.embedding && search.embedding.length >= EMBEDDING_DIM * 4) {
      const index = await this.index(event.id);
      const queries = bytesToEmbeddings(search.embedding);
      let ranked: FaceHit[] = [];
      for (const q of queries)
        ranked = mergeHits(
          ranked,
          (await rankSelfie(this.store, index, event, q, { ...this.scoring(search.threshold), rejected: drop })).hits,
        );
      next = ranked;
      reranked = true;
    }
    await this.store.faceLinks.replaceSearchHits(requestId, next);
    return { total: next.length, reranked };
  }

  /** The raw cosine threshold of this pipeline for a calibrated one, and the calibration of raw cosines. */
  private scoring(threshold: number): { threshold: number; calibrate: (cosine: number) => number } {
    return {
      threshold: rawScore(this.pipeline, threshold),
      calibrate: (cosine) => calibratedScore(this.pipeline, cosine),
    };
  }

  /** BIB search: photos where a face linked to the bib appears with the bib not read there (face-match.ts). */
  async bibFaceMatches(event: EventRow, bib: string, tagged: ReadonlySet<string>): Promise<FaceHit[]> {
    return bibFaceMatches(this.store, () => this.index(event.id), event, bib, tagged, this.scoring(event.face_threshold));
  }

  /** Of these photos, those where a face is linked to the bib (its runner's face is in the photo), with the link confidence. */
  async bibFacesIn(event: EventRow, bib: string, imageIds: readonly string[]): Promise<Map<string, number>> {
    const keys = new Set(bibSearchKeys(bib).map(bibKeyOf));
    const out = new Map<string, number>();
    for (const l of await this.store.faceLinks.linksOfImages(imageIds))
      if (keys.has(bibKeyOf(l.bib_norm))) out.set(l.image_id, Math.max(out.get(l.image_id) ?? 0, l.confidence));
    return out;
  }

  /** A stored search of the event, or 404. */
  async getSearch(event: EventRow, requestId: string): Promise<FaceSearchRow> {
    const s = await this.store.faces.getSearch(requestId);
    if (!s || s.event_id !== event.id) throw notFound(`No selfie search ${requestId} in this event`);
    return s;
  }

  hits(requestId: string, page: { offset: number; limit: number }) {
    return this.store.faces.searchHits(requestId, page);
  }

  /** SelfieResults: the photos a search of this event matched, best first; null when unknown here. */
  async imageIds(eventId: number, requestId: string): Promise<string[] | null> {
    const s = await this.store.faces.getSearch(requestId);
    if (!s || s.event_id !== eventId) return null;
    return (await this.store.faces.allSearchHits(requestId)).map((h) => h.image_id);
  }

  /** A selfie (photo, aligned crop or vector) as a unit query embedding: 400 empty, 422 no usable face, 503 no models. */
  async embed(input: SelfieInput): Promise<{ embedding: Float32Array; source: FaceSearchSource }> {
    if (input.kind === 'vector') {
      // A vector from the browser is the default 512-D model's; another feature model's faces cannot be compared with it.
      if (this.pipeline.feature !== 'arcface512')
        throw unprocessable(
          `embedding: this server's face pipeline (${this.pipelineName}) does not take vectors; send the aligned face picture (privacy="crop")`,
        );
      return { embedding: l2normalize(Float32Array.from(input.embedding)), source: 'vector' };
    }
    if (input.data.length === 0)
      throw badRequest('The selfie file is empty (0 bytes): attach the photo itself as the `file` part');
    let runner: FaceRunner;
    try {
      runner = await this.runner();
    } catch (e) {
      if (e instanceof FaceModelsError) {
        this.log.error('selfie search unavailable', { error: e.message });
        throw new ApiError(503, 'Selfie search is unavailable: the face models are not installed on this server', {
          'Retry-After': '3600',
        });
      }
      throw e;
    }
    let r: SelfieEmbedding;
    try {
      r = await runner.embedSelfie(input.data);
    } catch (e) {
      if (e instanceof ImageDecodeError) {
        if (e.code === 'empty')
          throw badRequest('The selfie file is empty (0 bytes): attach the photo itself as the `file` part');
        if (e.code === 'too_large') throw unprocessable('file: the image is larger than 120 megapixels; send a smaller photo');
        throw unprocessable('file: not an image we can read; send a JPEG, PNG, WebP, HEIC/AVIF, TIFF or GIF photo');
      }
      throw e;
    }
    if (!r.ok) throw unprocessable(`${SELFIE_REFUSAL_MESSAGES[r.reason]} (${r.reason})`);
    return { embedding: r.embedding, source: r.prealigned ? 'crop' : 'photo' };
  }

  // ── retention ──────────────────────────────────────────────────────────────────────────────────────────

  /** Deletes the query embeddings of searches older than the retention period; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.retentionHours * 3600_000).toISOString();
    const n = await this.store.faces.expireEmbeddings(cutoff);
    if (n) this.log.info('selfie embeddings deleted', { count: n, retention_hours: this.retentionHours });
    return n;
  }

  /**
   * Sweeps now, then every `intervalMs` (default: a quarter of the retention period, at most one hour), until
   * `close()` (or the returned stop function). Starting it again replaces the running one.
   */
  startSweeper(intervalMs?: number): () => Promise<void> {
    void this.stopSweeper();
    const every = intervalMs ?? Math.max(60_000, Math.min(3600_000, (this.retentionHours * 3600_000) / 4));
    const run = () => {
      if (this.sweepRun) return; // the previous sweep is still running
      this.sweepRun = this.sweep()
        .then(
          () => undefined,
          (e: unknown) => this.log.error('selfie retention sweep failed', { error: String(e) }),
        )
        .finally(() => (this.sweepRun = null));
    };
    run();
    this.sweeper = setInterval(run, every);
    this.sweeper.unref();
    return () => this.stopSweeper();
  }

  /** True while the retention sweeper is started. */
  get sweeping(): boolean {
    return this.sweeper !== null;
  }

  private async stopSweeper(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    await this.sweepRun;
  }

  /** Stops the retention sweeper and waits for a sweep in progress (before the store closes). */
  async close(): Promise<void> {
    this.closing = true;
    await this.stopSweeper();
  }
}

/** The query embeddings stored with a search (float32 little-endian, 512 each; several for a union). */
export function bytesToEmbeddings(b: Uint8Array): Float32Array[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Float32Array[] = [];
  for (let off = 0; off + EMBEDDING_DIM * 4 <= b.byteLength; off += EMBEDDING_DIM * 4) {
    const v = new Float32Array(EMBEDDING_DIM);
    for (let i = 0; i < EMBEDDING_DIM; i++) v[i] = dv.getFloat32(off + i * 4, true);
    out.push(l2normalize(v));
  }
  return out;
}

/** Checks a query embedding: exactly 512 finite numbers, not all zero. Returns the problem, or null. */
export function embeddingProblem(v: unknown): string | null {
  if (!Array.isArray(v)) return `must be a JSON array of ${EMBEDDING_DIM} numbers`;
  if (v.length !== EMBEDDING_DIM) return `must have ${EMBEDDING_DIM} numbers, got ${v.length}`;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return `value ${i} is not a finite number`;
    norm += x * x;
  }
  if (!(norm > 1e-12) || !Number.isFinite(norm)) return 'cannot be normalised (all zeros, or too large)';
  return null;
}
