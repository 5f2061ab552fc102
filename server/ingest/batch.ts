import type { EventRow } from '../store/types.ts';
import { ingestPhoto, type IngestDeps, type IngestResult } from './pipeline.ts';
import { bibsFor, type BibSidecar } from './sidecar.ts';
import { defaultConcurrency } from './concurrency.ts';
import { addSidecarBibs } from './sidecar-tags.ts';
import type { VideoIngestResult, VideoSource } from '../video/ingest.ts';
import { looksLikeVideo } from '../video/ingest.ts';

/** The video stage (video/service.ts): MP4, MOV and WebM files of a batch go there instead of the photo pipeline. */
export interface VideoStage {
  ingest(event: EventRow, src: VideoSource): Promise<VideoIngestResult>;
}

export type BatchDeps = IngestDeps & { video?: VideoStage };
/** A photo's result, or a video's (`kind: 'video'`). */
export type BatchResult = IngestResult | VideoIngestResult;

/** One photo of a batch: its name (reported back, matched against the sidecar) and how to read it. */
export interface BatchSource {
  name: string;
  read(): Promise<Buffer>;
  /** The file on disk, when there is one (a video is then read by ffmpeg in place). */
  path?: string;
}

export interface BatchProgress {
  done: number;
  total: number;
  added: number;
  duplicate: number;
  failed: number;
  elapsedMs: number;
  /** Photos per second so far. */
  rate: number;
  /** Seconds left at the current rate, or null before the first photo. */
  etaSeconds: number | null;
}

export interface BatchOptions {
  /** Photos processed at once (default: the number of cores). */
  concurrency?: number;
  sidecar?: BibSidecar | null;
  onProgress?: (progress: BatchProgress, last: BatchResult) => void;
}

export interface BatchReport {
  total: number;
  added: number;
  duplicate: number;
  failed: number;
  /** In the order of the sources. */
  results: BatchResult[];
  elapsedMs: number;
}

export { defaultConcurrency };

/**
 * Ingests many photos with bounded concurrency. Each photo is independent: a bad file is reported and
 * the rest go on. Resumable: a photo already stored (same content hash) is a `duplicate` and costs only
 * its hash; its sidecar BIBs are still added, so a corrected CSV can be re-applied by re-running.
 */
export async function ingestBatch(
  deps: BatchDeps,
  event: EventRow,
  sources: BatchSource[],
  opts: BatchOptions = {},
): Promise<BatchReport> {
  const t0 = performance.now();
  const results: BatchResult[] = new Array(sources.length);
  const counts = { added: 0, duplicate: 0, failed: 0 };
  let next = 0;
  let done = 0;

  const one = async (src: BatchSource): Promise<BatchResult> => {
    if (deps.video && src.path && looksLikeVideo(src.name)) return deps.video.ingest(event, { name: src.name, path: src.path });
    let data: Buffer;
    try {
      data = await src.read();
    } catch (e) {
      return { name: src.name, status: 'failed', error: `could not read the file: ${(e as Error).message}` };
    }
    if (deps.video && looksLikeVideo(src.name, data.subarray(0, 16))) return deps.video.ingest(event, { name: src.name, data });
    const bibs = bibsFor(opts.sidecar ?? null, src.name);
    const res = await ingestPhoto(deps, event, { name: src.name, data, bibs });
    if (res.status === 'duplicate' && bibs.length) {
      await addSidecarBibs(deps.store, res.image_id, bibs);
    }
    return res;
  };

  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      const res = await one(sources[i]!);
      results[i] = res;
      counts[res.status]++;
      done++;
      if (opts.onProgress) {
        const elapsedMs = performance.now() - t0;
        const rate = done / (elapsedMs / 1000);
        opts.onProgress(
          {
            done,
            total: sources.length,
            ...counts,
            elapsedMs,
            rate,
            etaSeconds: rate > 0 ? (sources.length - done) / rate : null,
          },
          res,
        );
      }
    }
  };

  const n = Math.max(1, Math.min(opts.concurrency ?? defaultConcurrency(), sources.length));
  await Promise.all(Array.from({ length: n }, worker));
  return { total: sources.length, ...counts, results, elapsedMs: performance.now() - t0 };
}
