/**
 * One video through the ingest: hash (dedupe) → ffprobe (a corrupt or unsupported file is reported and
 * skipped) → keyframes → frames sampled at the event's FPS as JPEGs of its Quality, each through the photo
 * face stage (same core/face pipeline) → poster and small preview → blobs → one transaction (video + faces).
 * Nothing is half-stored: on failure the blobs written are deleted.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { VideoSettings } from '../../core/api/video.ts';
import { putFile } from '../blobs/files.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { FaceStage } from '../ingest/faces.ts';
import { imageIdFor } from '../ingest/pipeline.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { NewVideoFace } from '../store/video-types.ts';
import { JpegSplitter, run, type FfmpegBinaries } from './ffmpeg.ts';
import { keyframeTimes, probeVideo, VideoProbeError, type VideoProbe } from './probe.ts';

export { looksLikeVideo, VIDEO_EXTENSIONS } from './detect.ts';

export interface VideoSource {
  name: string;
  /** The bytes, when already in memory (admin upload). */
  data?: Buffer;
  /** The file, when on disk (CLI folder ingest): read by ffmpeg in place. */
  path?: string;
}

export type VideoIngestResult =
  | {
      name: string;
      kind: 'video';
      status: 'added';
      video_id: string;
      faces: number;
      frames: number;
      duration_s: number;
      seconds: number;
      warning?: string;
    }
  | { name: string; kind: 'video'; status: 'duplicate'; video_id: string }
  | { name: string; kind: 'video'; status: 'failed'; error: string };

export interface VideoIngestDeps {
  store: Store;
  blobs: BlobStore;
  bins: FfmpegBinaries;
  /** The photo face stage; absent = videos are stored without faces (a warning says so). */
  faces?: FaceStage;
}

/** Longest side of the frames sampled for faces (a 4K frame is shrunk to this). */
export const SAMPLE_MAX_SIDE = 1920;
/** Frames decoded ahead of the face stage before ffmpeg is paused. */
const FRAMES_AHEAD = 4;
export const PREVIEW_SECONDS = 10;

const MIME: Record<string, string> = { mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm' };

function extFor(name: string, p: VideoProbe): string {
  const e = extname(name).slice(1).toLowerCase();
  if (e in MIME) return e;
  return p.format.startsWith('matroska') ? 'webm' : 'mp4';
}

async function hashOf(src: VideoSource): Promise<string> {
  const h = createHash('sha256');
  if (src.data) return h.update(src.data).digest('hex');
  for await (const chunk of createReadStream(src.path!)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Time limits, from the footage's length: never unbounded. */
const limits = (durationMs: number) => ({
  keyframes: 60_000 + durationMs,
  sampling: 120_000 + durationMs * 60,
  poster: 60_000,
  preview: 120_000 + PREVIEW_SECONDS * 10_000,
});

export interface SampledFaces {
  faces: NewVideoFace[];
  frames: number;
  /** Why faces could not be indexed (first reason), or null. */
  warning: string | null;
}

/**
 * Samples `file` at `fps` (JPEG, ffmpeg -q:v `quality`) and runs each frame through the face stage, a few
 * frames ahead of it at most (ffmpeg is paused meanwhile).
 */
export async function sampleFaces(
  bins: FfmpegBinaries,
  file: string,
  settings: Pick<VideoSettings, 'fps' | 'quality'>,
  stage: FaceStage | undefined,
  timeoutMs: number,
): Promise<SampledFaces> {
  const faces: NewVideoFace[] = [];
  let warning: string | null = stage ? null : 'faces not indexed: face search is not available on this server';
  let frames = 0;
  let pending = 0;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const vf = `fps=${settings.fps},scale='if(gt(iw,ih),min(${SAMPLE_MAX_SIDE},iw),-2)':'if(gt(iw,ih),-2,min(${SAMPLE_MAX_SIDE},ih))'`;
  // prettier-ignore
  const args = ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0', '-vf', vf, '-c:v', 'mjpeg', '-q:v', String(settings.quality), '-f', 'image2pipe', '-'];
  let handle: ReturnType<typeof run> | null = null;
  const splitter = new JpegSplitter((jpeg) => {
    const tMs = Math.round((frames * 1000) / settings.fps);
    frames++;
    if (!stage) return;
    pending++;
    if (pending >= FRAMES_AHEAD) handle?.pause();
    chain = chain.then(async () => {
      try {
        const r = await stage.indexPhoto(jpeg);
        if (r.ok) for (const f of r.faces) faces.push({ t_ms: tMs, box: f.box, score: f.score, embedding: f.embedding });
        else warning ??= r.reason;
      } catch (e) {
        failure ??= e;
      } finally {
        pending--;
        if (pending < FRAMES_AHEAD) handle?.resume();
      }
    });
  });
  handle = run(bins.ffmpeg, args, { timeoutMs, onStdout: (c) => splitter.push(c) });
  await handle.done;
  await chain;
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return { faces, frames, warning };
}

/** One JPEG frame at `atMs`, `width` px wide. */
export async function grabFrame(bins: FfmpegBinaries, file: string, atMs: number, width: number, timeoutMs = 60_000) {
  const { stdout } = await run(
    bins.ffmpeg,
    // prettier-ignore
    ['-v', 'error', '-nostdin', '-ss', (atMs / 1000).toFixed(3), '-i', file, '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '4', '-c:v', 'mjpeg', '-f', 'image2pipe', '-'],
    { timeoutMs },
  ).done;
  if (stdout.length === 0) throw new Error(`no frame at ${atMs} ms`);
  return stdout;
}

/** A small silent H.264 preview of the first seconds (320 px wide, faststart). */
async function makePreview(bins: FfmpegBinaries, file: string, out: string, durationMs: number, timeoutMs: number) {
  const seconds = Math.min(PREVIEW_SECONDS, durationMs / 1000).toFixed(3);
  // prettier-ignore
  await run(bins.ffmpeg, ['-v', 'error', '-nostdin', '-y', '-i', file, '-t', seconds, '-an', '-vf', 'scale=320:-2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '32', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', out], { timeoutMs }).done;
  return readFile(out);
}

/**
 * Ingests one video into the event (see the file comment). The result names the file; a bad one is `failed`
 * with the reason, and nothing of it stays.
 */
export async function ingestVideo(
  deps: VideoIngestDeps,
  event: EventRow,
  settings: VideoSettings,
  src: VideoSource,
): Promise<VideoIngestResult> {
  const t0 = performance.now();
  const { name } = src;
  const failed = (error: string): VideoIngestResult => ({ name, kind: 'video', status: 'failed', error });
  if (src.data?.length === 0) return failed('empty file (0 bytes)');
  const hash = await hashOf(src);
  const existing = await deps.store.videos.findByHash(event.id, hash);
  if (existing) return { name, kind: 'video', status: 'duplicate', video_id: existing.id };

  const work = await mkdtemp(join(tmpdir(), 'pf-video-'));
  const written: string[] = [];
  const id = imageIdFor(event.id, `video:${hash}`);
  try {
    let file = src.path;
    if (!file) {
      file = join(work, `input${extname(name).toLowerCase() || '.mp4'}`);
      await writeFile(file, src.data!);
    }
    let probe: VideoProbe;
    try {
      probe = await probeVideo(deps.bins, file);
    } catch (e) {
      if (e instanceof VideoProbeError) return failed(e.message);
      throw e;
    }
    const t = limits(probe.durationMs);
    const keyframes = await keyframeTimes(deps.bins, file, t.keyframes);
    const sampled = await sampleFaces(deps.bins, file, settings, deps.faces, t.sampling);
    // The fps filter yields duration × fps frames up to the last decodable one: far fewer = truncated or corrupt.
    const expected = Math.floor((probe.durationMs / 1000) * settings.fps);
    if (sampled.frames === 0) return failed('no frame could be decoded (corrupt video)');
    if (sampled.frames < expected * 0.8 - 1)
      return failed(
        `truncated or corrupt video: ${sampled.frames} of ${expected} frames could be decoded (${probe.durationMs / 1000} s announced)`,
      );
    const firstFace = sampled.faces.length ? Math.min(...sampled.faces.map((f) => f.t_ms)) : null;
    const poster = await grabFrame(deps.bins, file, firstFace ?? Math.min(1000, probe.durationMs / 2), 640, t.poster);
    const preview = await makePreview(deps.bins, file, join(work, 'preview.mp4'), probe.durationMs, t.preview);
    const ext = extFor(name, probe);
    const keys = {
      original_key: `videos/${id}/original.${ext}`,
      poster_key: `videos/${id}/poster.jpg`,
      preview_key: `videos/${id}/preview.mp4`,
    };
    // The original is streamed from its file (a 2 GB video is never held in memory); poster and preview are small.
    written.push(keys.original_key);
    const { bytes: originalBytes } = await putFile(deps.blobs, keys.original_key, file);
    for (const [key, data] of [
      [keys.poster_key, poster],
      [keys.preview_key, preview],
    ] as const) {
      written.push(key);
      await deps.blobs.put(key, data);
    }
    const inserted = await deps.store.videos.insert(
      {
        id,
        event_id: event.id,
        content_hash: hash,
        original_name: name,
        mime: MIME[ext]!,
        bytes: originalBytes,
        duration_ms: probe.durationMs,
        width: probe.width,
        height: probe.height,
        frame_rate: probe.frameRate,
        video_codec: probe.videoCodec,
        audio_codec: probe.audioCodec,
        sample_fps: settings.fps,
        frames_sampled: sampled.frames,
        keyframes,
        ...keys,
      },
      sampled.faces,
    );
    // Another upload of the same bytes won the insert: the blobs (keys derive from the content) are its blobs.
    if (!inserted) return { name, kind: 'video', status: 'duplicate', video_id: id };
    return {
      name,
      kind: 'video',
      status: 'added',
      video_id: id,
      faces: sampled.faces.length,
      frames: sampled.frames,
      duration_s: probe.durationMs / 1000,
      seconds: Math.round(performance.now() - t0) / 1000,
      ...(sampled.warning ? { warning: sampled.warning } : {}),
    };
  } catch (e) {
    const stored = await deps.store.videos.findByHash(event.id, hash).catch(() => null);
    if (!stored) await Promise.all(written.map((k) => deps.blobs.delete(k).catch(() => undefined)));
    return failed(`could not process the video: ${(e as Error).message}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
