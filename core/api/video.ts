import { z } from 'zod';

/**
 * 9Pic Motion: the event's video settings (admin API, nested `video` object of the event settings) and the
 * Video Clipping models (spec §3.10, §3.11, §4.8). The status values and clip fields follow the spec's
 * "Our choice" in §4.8, with the poster, confidence and how the clip was cut as extensions.
 */

/** The organiser's Motion settings (product §10). */
export const VIDEO_SETTING_LIMITS = {
  fps: { min: 0.1, max: 30, default: 2, what: 'frames sampled per second of footage at ingest' },
  quality: { min: 1, max: 31, default: 3, what: 'frame extraction quality (ffmpeg -q:v: lower = higher quality)' },
  max_clip_duration_s: { min: 1, max: 600, default: 30, what: 'longest clip, seconds' },
  min_segment_s: { min: 0, max: 600, default: 1, what: 'shorter matched segments are dropped, seconds' },
  max_gap_s: { min: 0, max: 600, default: 2, what: 'a longer gap between matched frames splits segments, seconds' },
  padding_start_s: { min: 0, max: 60, default: 2, what: 'added before a segment, seconds' },
  padding_end_s: { min: 0, max: 60, default: 2, what: 'added after a segment, seconds' },
  confidence_threshold: { min: 0, max: 100, default: 45, what: 'face match threshold, percent (cosine × 100)' },
} as const;

export type VideoSettingName = keyof typeof VIDEO_SETTING_LIMITS;
export const VIDEO_SETTING_NAMES = Object.keys(VIDEO_SETTING_LIMITS) as VideoSettingName[];

const setting = (name: VideoSettingName) => {
  const l = VIDEO_SETTING_LIMITS[name];
  const base = z.number().min(l.min, `must be between ${l.min} and ${l.max}`).max(l.max, `must be between ${l.min} and ${l.max}`);
  return (name === 'quality' ? base.int('must be an integer') : base).describe(`${l.what} (default ${l.default})`);
};

export const VideoSettings = z.object(
  Object.fromEntries(VIDEO_SETTING_NAMES.map((n) => [n, setting(n)])) as Record<VideoSettingName, z.ZodNumber>,
);
export type VideoSettings = z.infer<typeof VideoSettings>;

/** Any subset of the video settings; the others keep their value. */
export const VideoSettingsPatch = z.strictObject(
  Object.fromEntries(VIDEO_SETTING_NAMES.map((n) => [n, setting(n).optional()])) as Record<
    VideoSettingName,
    z.ZodOptional<z.ZodNumber>
  >,
);
export type VideoSettingsPatch = z.infer<typeof VideoSettingsPatch>;

export const DEFAULT_VIDEO_SETTINGS: VideoSettings = Object.fromEntries(
  VIDEO_SETTING_NAMES.map((n) => [n, VIDEO_SETTING_LIMITS[n].default]),
) as VideoSettings;

/** queued → processing → completed (clips found) | no_match (none) | failed. */
export const VIDEO_JOB_STATUSES = ['queued', 'processing', 'completed', 'no_match', 'failed'] as const;
export type VideoJobStatus = (typeof VIDEO_JOB_STATUSES)[number];
export const isTerminalVideoStatus = (s: VideoJobStatus) => s === 'completed' || s === 'no_match' || s === 'failed';

export const VideoClip = z.object({
  /** Signed, time-limited MP4 link (about one hour). */
  clip_url: z.string(),
  /** Signed JPEG of the best-matching moment. */
  poster_url: z.string(),
  source_video_id: z.string(),
  /** The source file's name as ingested. */
  source_name: z.string(),
  /** Where the clip starts and ends in the source, seconds. */
  start_s: z.number(),
  end_s: z.number(),
  duration_s: z.number(),
  /** Best face-match confidence in the clip, percent. */
  confidence: z.number(),
  /** `copy`: cut on keyframes without re-encoding; `reencode`: re-encoded to H.264/AAC. */
  cut: z.enum(['copy', 'reencode']),
});
export type VideoClip = z.infer<typeof VideoClip>;

export const VideoClippingData = z.object({
  request_id: z.string(),
  status: z.enum(VIDEO_JOB_STATUSES),
  /** One clip per source video the person appears in (empty until completed). */
  clips: z.array(VideoClip),
  /** Confidence threshold the job matched with, percent. */
  confidence_percentage: z.number(),
  /** Why the job failed, else null. */
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type VideoClippingData = z.infer<typeof VideoClippingData>;

/** A source video as the admin API lists it. */
export const AdminVideo = z.object({
  video_id: z.string(),
  original_name: z.string(),
  bytes: z.number().int(),
  duration_s: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  video_codec: z.string(),
  audio_codec: z.string().nullable(),
  /** Frames sampled for faces at ingest, at `sample_fps`, and the faces found in them. */
  sample_fps: z.number(),
  frames_sampled: z.number().int(),
  faces: z.number().int(),
  /** Signed links (about one hour): a 640-px JPEG and a 10-second 320-px silent preview. */
  poster_url: z.string(),
  preview_url: z.string(),
  created_at: z.string(),
});
export type AdminVideo = z.infer<typeof AdminVideo>;

export const AdminVideoList = z.object({ videos: z.array(AdminVideo) });
export type AdminVideoList = z.infer<typeof AdminVideoList>;

export const DeletedVideo = z.object({ video_id: z.string(), deleted: z.literal(true) });
export type DeletedVideo = z.infer<typeof DeletedVideo>;
