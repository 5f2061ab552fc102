/**
 * Motion: the event's videos (ingest), its video settings, and clip jobs by selfie. A POST stores the job
 * with the selfie's embedding and queues it; the job matches the embedding against the faces sampled from
 * the event's videos, makes one clip window per video, and cuts each window once (clips are shared by every
 * job that wants the same window of the same video).
 */
import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { isTerminalVideoStatus, type AdminVideoList, type VideoClippingData, type VideoSettings } from '../../core/api/video.ts';
import { embeddingFromBytes, embeddingToBytes, EMBEDDING_DIM } from '../../core/face/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError, badRequest, notFound, unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { FaceService, SelfieInput } from '../services/faces.ts';
import type { Signer } from '../services/signing.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { VideoClipRow, VideoJobRow, VideoJobSource, VideoRow } from '../store/video-types.ts';
import { FaceIndex } from '../vision/face-index.ts';
import type { FfmpegBinaries } from './ffmpeg.ts';
import type { VideoIngestResult, VideoSource } from './ingest.ts';
import type { JobQueue } from '../jobs/types.ts';
import { clipWindow, type MatchedFrame } from './segments.ts';
import { videoSettingsOf } from './settings.ts';

export interface VideoServiceOptions {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  log: Logger;
  bins: FfmpegBinaries;
  /** Face search: the ingest face stage and the selfie embedding; undefined = no faces, searches are 503. */
  faces: FaceService | undefined;
  /** The job queue clip jobs run on (`video.clip` jobs, one at a time per process). */
  jobs: JobQueue;
}

/** The signed path of a video file (`poster.jpg`, `preview.mp4`, `clip-{id}.mp4`, `clip-{id}.jpg`). */
export const videoFilePath = (videoId: string, file: string) => `/files/v/${videoId}/${file}`;
export const VIDEO_FILE = /^(poster\.jpg|preview\.mp4|clip-[0-9a-f-]{36}\.(mp4|jpg))$/;

/** Deterministic clip id from the video and the window: the same window always has the same blob keys. */
function clipIdFor(videoId: string, startMs: number, endMs: number): string {
  const h = createHash('sha256').update(`${videoId}:${startMs}:${endMs}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const round3 = (ms: number) => Math.round(ms) / 1000;

export class VideoService {
  /** Clips cut by this process (each window of a video is cut at most once). */
  cuts = 0;
  /** The ffmpeg and ffprobe executables. */
  readonly bins: FfmpegBinaries;
  private readonly o: VideoServiceOptions;
  private readonly cutting = new Map<string, Promise<VideoClipRow>>();

  constructor(o: VideoServiceOptions) {
    this.o = o;
    this.bins = o.bins;
    o.jobs.register('video.clip', (p) => this.runJob(p.request_id), { concurrency: 1 });
  }

  // ── settings ───────────────────────────────────────────────────────────────────────────────────────────

  settings(eventId: number): Promise<VideoSettings> {
    return videoSettingsOf(this.o.store, eventId);
  }

  // ── ingest ─────────────────────────────────────────────────────────────────────────────────────────────

  /** One video into the event, sampled at the event's FPS and Quality (see video/ingest.ts). */
  async ingest(event: EventRow, src: VideoSource): Promise<VideoIngestResult> {
    // The video ingest and the cutter reach the photo pipeline (sharp): loaded on first use (issue 20, restart).
    const { ingestVideo } = await import('./ingest.ts');
    const r = await ingestVideo(
      { store: this.o.store, blobs: this.o.blobs, bins: this.o.bins, faces: this.o.faces },
      event,
      await this.settings(event.id),
      src,
    );
    if (r.status === 'failed') this.o.log.warn('video not ingested', { event_id: event.id, name: r.name, error: r.error });
    return r;
  }

  // ── clip jobs ──────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Starts (or replays) a clip job. `request_id` of an existing job of the event → that job, nothing redone;
   * of a Face Search of the event → a job under the same id from that search's selfie (no upload); else a
   * selfie is needed (400 empty, 422 no usable face). Unknown request_id without a selfie → 404.
   */
  async start(
    event: EventRow,
    input: () => SelfieInput | null,
    opts: { requestId?: string | null } = {},
  ): Promise<{ job: VideoJobRow; replay: boolean }> {
    const store = this.o.store.videos;
    const requestId = opts.requestId ?? randomUUID();
    if (opts.requestId) {
      const job = await store.getJob(requestId);
      if (job) {
        if (job.event_id !== event.id) throw notFound(`request_id ${requestId} is not a search of this event`);
        if (!isTerminalVideoStatus(job.status)) await this.enqueue(requestId, event);
        return { job, replay: true };
      }
    }
    let embedding: Uint8Array;
    let source: VideoJobSource;
    const search = opts.requestId ? await this.o.store.faces.getSearch(requestId) : null;
    if (search && search.event_id !== event.id) throw notFound(`request_id ${requestId} is not a search of this event`);
    if (search) {
      if (!search.embedding)
        throw unprocessable(
          `request_id: the selfie of search ${requestId} is no longer kept (retention period): send the selfie again`,
        );
      embedding = search.embedding;
      source = 'face_search';
    } else {
      const query = input();
      if (!query) {
        if (opts.requestId) throw notFound(`No selfie search ${requestId} in this event: send a selfie, or a known request_id`);
        throw unprocessable(
          'file: attach the selfie as a multipart file part `file` (or `selfie`, `image`), or send a request_id',
        );
      }
      if (!this.o.faces) throw new ApiError(503, 'Selfie search is not available on this server');
      if (query.kind === 'image' && query.data.length === 0)
        throw badRequest('The selfie file is empty (0 bytes): attach the photo itself as the `file` part');
      const e = await this.o.faces.embed(query);
      embedding = embeddingToBytes(e.embedding);
      source = e.source === 'union' ? 'photo' : e.source;
    }
    const settings = await this.settings(event.id);
    const created = await store.createJob({ request_id: requestId, event_id: event.id, source, embedding, settings });
    const job = await store.getJob(requestId);
    if (!job) throw new ApiError(500, 'The clip search could not be recorded; it is safe to retry with the same request_id');
    if (!created && job.event_id !== event.id) throw notFound(`request_id ${requestId} is not a search of this event`);
    if (!isTerminalVideoStatus(job.status)) await this.enqueue(requestId, event);
    return { job, replay: !created };
  }

  /** A job of the event, or 404. */
  async getJob(event: EventRow, requestId: string): Promise<VideoJobRow> {
    const job = await this.o.store.videos.getJob(requestId);
    if (!job || job.event_id !== event.id) throw notFound(`No video clip search ${requestId} in this event`);
    return job;
  }

  /** The API view of a job: state, and the clips with signed links (about an hour) once completed. */
  async view(job: VideoJobRow, base: string): Promise<VideoClippingData> {
    const clips = job.status === 'completed' ? await this.o.store.videos.jobClips(job.request_id) : [];
    const link = (videoId: string, file: string) => {
      const path = videoFilePath(videoId, file);
      return `${base}${path}?${this.o.signer.sign(path)}`;
    };
    return {
      request_id: job.request_id,
      status: job.status,
      clips: clips.map(({ clip, video, score }) => ({
        clip_url: link(video.id, `clip-${clip.id}.mp4`),
        poster_url: link(video.id, `clip-${clip.id}.jpg`),
        source_video_id: video.id,
        source_name: video.original_name,
        start_s: round3(clip.start_ms),
        end_s: round3(clip.end_ms),
        duration_s: round3(clip.duration_ms),
        confidence: Math.min(100, Math.max(0, Math.round(score * 1000) / 10)),
        cut: clip.cut,
      })),
      confidence_percentage: job.settings.confidence_threshold,
      error: job.error,
      created_at: job.created_at,
      finished_at: job.finished_at,
    };
  }

  /** One `video.clip` job per search (keyed by its request_id: queued once). */
  private async enqueue(requestId: string, event: { id: number; org_id: number } | null, eventId = event?.id ?? 0) {
    await this.o.jobs.enqueue(
      'video.clip',
      { request_id: requestId, org_id: event?.org_id ?? null, event_id: eventId },
      { key: requestId },
    );
  }

  /** Resolves when no clip job is queued or running (tests). */
  idle(): Promise<void> {
    return this.o.jobs.idle('video.clip');
  }

  /** Queues the jobs a stopped process left unfinished (a job still queued is not queued twice). */
  async resume(): Promise<number> {
    const ids = await this.o.store.videos.unfinishedJobs();
    for (const id of ids) {
      const job = await this.o.store.videos.getJob(id);
      const event = job ? await this.o.store.events.get(job.event_id) : null;
      await this.enqueue(id, event, job?.event_id ?? 0);
    }
    return ids.length;
  }

  /** The queue handler: match, window, cut (each window once), store the result. Never throws for a bad job. */
  async runJob(requestId: string): Promise<void> {
    const store = this.o.store.videos;
    const job = await store.getJob(requestId);
    if (!job || isTerminalVideoStatus(job.status) || !(await store.startJob(requestId))) return;
    const t0 = performance.now();
    try {
      if (!job.embedding) throw new Error('the job has no query embedding');
      const clips = await this.clipsFor(job.event_id, job.embedding, job.settings);
      await store.finishJob(requestId, clips.length ? 'completed' : 'no_match', clips, null);
      this.o.log.info('video clip job done', {
        request_id: requestId,
        clips: clips.length,
        ms: Math.round(performance.now() - t0),
      });
    } catch (e) {
      this.o.log.error('video clip job failed', { request_id: requestId, error: String(e) });
      await store.finishJob(requestId, 'failed', [], `The clips could not be made: ${(e as Error).message}`);
    }
  }

  private async clipsFor(eventId: number, embedding: Uint8Array, s: VideoSettings) {
    const faces = await this.o.store.videos.faces(eventId);
    if (faces.length === 0) return [];
    const index = FaceIndex.fromPacked(faces.map((f) => ({ image_id: `${f.video_id}@${f.t_ms}`, packed: f.packed })));
    const all = embeddingFromBytes(embedding);
    const frames = new Map<string, MatchedFrame[]>();
    for (let q = 0; q + EMBEDDING_DIM <= all.length; q += EMBEDDING_DIM) {
      for (const hit of index.search(all.subarray(q, q + EMBEDDING_DIM), s.confidence_threshold / 100)) {
        const at = hit.image_id.lastIndexOf('@');
        const videoId = hit.image_id.slice(0, at);
        const list = frames.get(videoId) ?? [];
        list.push({ tMs: Number(hit.image_id.slice(at + 1)), score: hit.score });
        frames.set(videoId, list);
      }
    }
    const out: { clip_id: string; score: number }[] = [];
    for (const [videoId, list] of frames) {
      const video = await this.o.store.videos.get(videoId);
      if (!video) continue;
      const w = clipWindow(list, s, 1000 / video.sample_fps, video.duration_ms);
      if (!w) continue;
      const clip = await this.clip(video, w.startMs, w.endMs, w.bestMs, s.max_clip_duration_s * 1000);
      out.push({ clip_id: clip.id, score: w.score });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** The clip of this window of the video: stored, being cut by another job of this process, or cut now. */
  private clip(video: VideoRow, startMs: number, endMs: number, bestMs: number, maxMs: number): Promise<VideoClipRow> {
    const key = `${video.id}:${startMs}:${endMs}`;
    let p = this.cutting.get(key);
    if (!p) {
      p = this.cutOnce(video, startMs, endMs, bestMs, maxMs).finally(() => this.cutting.delete(key));
      this.cutting.set(key, p);
    }
    return p;
  }

  private async cutOnce(video: VideoRow, startMs: number, endMs: number, bestMs: number, maxMs: number) {
    const store = this.o.store.videos;
    const found = await store.findClip(video.id, startMs, endMs);
    if (found) return found;
    if (!(await this.o.blobs.stat(video.original_key))) throw new Error(`the original of ${video.original_name} is missing`);
    const { cutClip, localOriginal } = await import('./cut.ts');
    const src = await localOriginal(this.o.blobs, video.original_key, extname(video.original_key).slice(1));
    const id = clipIdFor(video.id, startMs, endMs);
    const keys = { clip_key: `videos/${video.id}/clip-${id}.mp4`, poster_key: `videos/${video.id}/clip-${id}.jpg` };
    try {
      const c = await cutClip(this.o.bins, video, src.file, { startMs, endMs, posterMs: bestMs, maxMs });
      this.cuts++;
      await this.o.blobs.put(keys.clip_key, c.mp4);
      await this.o.blobs.put(keys.poster_key, c.poster);
      const row = {
        id,
        video_id: video.id,
        want_start_ms: startMs,
        want_end_ms: endMs,
        start_ms: c.startMs,
        end_ms: c.endMs,
        duration_ms: c.durationMs,
        cut: c.cut,
        bytes: c.mp4.length,
        ...keys,
      };
      await store.insertClip(row);
      return (await store.findClip(video.id, startMs, endMs)) ?? { ...row, created_at: new Date().toISOString() };
    } finally {
      await src.done();
    }
  }

  /** The event's videos with signed poster and preview links (admin). */
  async list(event: EventRow, base: string): Promise<AdminVideoList> {
    const link = (videoId: string, file: string) => {
      const path = videoFilePath(videoId, file);
      return `${base}${path}?${this.o.signer.sign(path)}`;
    };
    const videos = await this.o.store.videos.list(event.id);
    return {
      videos: await Promise.all(
        videos.map(async (v) => ({
          video_id: v.id,
          original_name: v.original_name,
          bytes: v.bytes,
          duration_s: round3(v.duration_ms),
          width: v.width,
          height: v.height,
          video_codec: v.video_codec,
          audio_codec: v.audio_codec,
          sample_fps: v.sample_fps,
          frames_sampled: v.frames_sampled,
          faces: await this.o.store.videos.faceCount(v.id),
          poster_url: link(v.id, 'poster.jpg'),
          preview_url: link(v.id, 'preview.mp4'),
          created_at: v.created_at,
        })),
      ),
    };
  }

  /** Deletes a video of the event: its rows (faces, clips) in one transaction, then its files. 404 when unknown. */
  async delete(event: EventRow, videoId: string): Promise<{ blobsLeft: number }> {
    const keys = await this.o.store.videos.delete(event.id, videoId);
    if (!keys) throw notFound(`Video ${videoId} not found in event ${event.id}`);
    let blobsLeft = 0;
    for (const key of keys) {
      try {
        await this.o.blobs.delete(key);
      } catch (e) {
        blobsLeft++;
        this.o.log.warn('blob delete failed', { key, error: String(e) });
      }
    }
    return { blobsLeft };
  }

  /** A signed video file: the blob and its type, or 404. */
  async file(videoId: string, file: string): Promise<{ key: string; type: string; name: string }> {
    const video = await this.o.store.videos.get(videoId);
    if (!video || !VIDEO_FILE.test(file)) throw notFound('This video file no longer exists');
    const type = file.endsWith('.mp4') ? 'video/mp4' : 'image/jpeg';
    const base = video.original_name.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'video';
    if (file === 'poster.jpg') return { key: video.poster_key, type, name: `${base}-poster.jpg` };
    if (file === 'preview.mp4') return { key: video.preview_key, type, name: `${base}-preview.mp4` };
    const clip = await this.o.store.videos.getClip(file.slice(5, 41));
    if (!clip || clip.video_id !== video.id) throw notFound('This clip no longer exists');
    const at = Math.round(clip.start_ms / 1000);
    return file.endsWith('.mp4')
      ? { key: clip.clip_key, type, name: `${base}-clip-${at}s.mp4` }
      : { key: clip.poster_key, type, name: `${base}-clip-${at}s.jpg` };
  }

  /** Nothing of its own to stop: the app closes the job queue (which waits for a running clip job). */
  async close(): Promise<void> {}
}
