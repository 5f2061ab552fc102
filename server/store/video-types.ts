/**
 * Storage contract of Motion (video clips by selfie): the event's videos and the faces sampled from them,
 * the video settings, the clip jobs and the clips cut. Implemented by `store/sqlite/video.ts`.
 */
import type { VideoJobStatus, VideoSettings } from '../../core/api/video.ts';
import type { FaceBox } from './face-types.ts';

export interface VideoRow {
  id: string;
  event_id: number;
  content_hash: string;
  original_name: string;
  mime: string;
  bytes: number;
  duration_ms: number;
  width: number;
  height: number;
  frame_rate: number | null;
  video_codec: string;
  audio_codec: string | null;
  /** Frames per second sampled for faces at ingest, and how many frames that was. */
  sample_fps: number;
  frames_sampled: number;
  /** Keyframe times, ms ascending (where a cut may start without re-encoding). */
  keyframes: number[];
  original_key: string;
  poster_key: string;
  preview_key: string;
  created_at: string;
}

export type NewVideo = Omit<VideoRow, 'created_at'>;

/** A face seen in a sampled frame: when, where, and its packed int8 embedding. */
export interface NewVideoFace {
  t_ms: number;
  box: FaceBox;
  score: number;
  embedding: Uint8Array;
}

/** One video face row as the matcher loads it. */
export interface PackedVideoFace {
  video_id: string;
  t_ms: number;
  packed: Uint8Array;
}

export type VideoJobSource = 'photo' | 'crop' | 'vector' | 'face_search';

export interface NewVideoJob {
  request_id: string;
  event_id: number;
  source: VideoJobSource;
  /** The query embedding(s): float32 LE, 512 values each; dropped when the job ends. */
  embedding: Uint8Array;
  /** The event's video settings when the job was asked for. */
  settings: VideoSettings;
}

export interface VideoJobRow extends Omit<NewVideoJob, 'embedding'> {
  embedding: Uint8Array | null;
  status: VideoJobStatus;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface VideoClipRow {
  id: string;
  video_id: string;
  /** The window asked for (the cache key of the cut, with video_id). */
  want_start_ms: number;
  want_end_ms: number;
  /** Where the clip really starts and ends in the source, and its length (ffprobe). */
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  cut: 'copy' | 'reencode';
  clip_key: string;
  poster_key: string;
  bytes: number;
  created_at: string;
}

export type NewVideoClip = Omit<VideoClipRow, 'created_at'>;

export interface JobClipRow {
  clip: VideoClipRow;
  video: VideoRow;
  /** Best cosine in the clip. */
  score: number;
}

export interface VideoStore {
  /** The video and its faces in one transaction; false when the event already has these bytes. */
  insert(video: NewVideo, faces: NewVideoFace[]): Promise<boolean>;
  get(id: string): Promise<VideoRow | null>;
  findByHash(eventId: number, hash: string): Promise<VideoRow | null>;
  list(eventId: number): Promise<VideoRow[]>;
  /** Deletes the video, its faces and clips; returns the blob keys it owned. */
  delete(eventId: number, id: string): Promise<string[] | null>;
  faces(eventId: number): Promise<PackedVideoFace[]>;
  faceCount(videoId: string): Promise<number>;

  /** The event's stored settings, or null (the defaults apply). */
  settings(eventId: number): Promise<VideoSettings | null>;
  putSettings(eventId: number, settings: VideoSettings): Promise<void>;

  /** Creates the job; false when the request_id exists (the stored one wins). */
  createJob(job: NewVideoJob): Promise<boolean>;
  getJob(requestId: string): Promise<VideoJobRow | null>;
  /** queued → processing (false when the job was not queued). */
  startJob(requestId: string): Promise<boolean>;
  /** Ends a job: its clips (in order) and status in one transaction; the embedding is dropped. */
  finishJob(
    requestId: string,
    status: 'completed' | 'no_match' | 'failed',
    clips: { clip_id: string; score: number }[],
    error: string | null,
  ): Promise<void>;
  /** Jobs not ended (queued or processing), oldest first: resumed at start. */
  unfinishedJobs(): Promise<string[]>;
  jobClips(requestId: string): Promise<JobClipRow[]>;

  /** The clip already cut for this window of the video, or null. */
  findClip(videoId: string, wantStartMs: number, wantEndMs: number): Promise<VideoClipRow | null>;
  getClip(id: string): Promise<VideoClipRow | null>;
  /** Inserts a cut clip; false when the window was cut meanwhile (the stored one wins). */
  insertClip(clip: NewVideoClip): Promise<boolean>;
}
