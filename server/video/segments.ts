/**
 * From matched frames to one clip window per source video (pure): frames grouped into segments by Max Gap,
 * segments shorter than Min Segment dropped, the best segment kept, padding applied, capped at Max Clip
 * Duration around the best-matching moment; and where a cut may start without re-encoding.
 */
import type { VideoSettings } from '../../core/api/video.ts';

export interface MatchedFrame {
  tMs: number;
  /** Cosine similarity of the frame's best face. */
  score: number;
}

export interface Segment {
  startMs: number;
  /** The last matched frame plus one sampling interval (the frame stands for that long). */
  endMs: number;
  bestMs: number;
  score: number;
}

export interface ClipWindow extends Segment {
  /** The segment the window was made from (before padding and the cap). */
  segment: { startMs: number; endMs: number };
}

/** Matched frames → segments: a gap longer than `max_gap_s` starts a new one; short ones are dropped. */
export function segmentsOf(frames: readonly MatchedFrame[], s: VideoSettings, sampleIntervalMs: number): Segment[] {
  const sorted = [...frames].sort((a, b) => a.tMs - b.tMs);
  const out: Segment[] = [];
  let cur: Segment | null = null;
  let last = -Infinity;
  for (const f of sorted) {
    if (!cur || f.tMs - last > s.max_gap_s * 1000) {
      if (cur) out.push(cur);
      cur = { startMs: f.tMs, endMs: f.tMs, bestMs: f.tMs, score: f.score };
    }
    if (f.score > cur.score) {
      cur.score = f.score;
      cur.bestMs = f.tMs;
    }
    last = f.tMs;
    cur.endMs = f.tMs + sampleIntervalMs;
  }
  if (cur) out.push(cur);
  return out.filter((g) => g.endMs - g.startMs >= s.min_segment_s * 1000 - 1e-6);
}

/**
 * The clip of one source video: its best segment (highest confidence, then longest), padded, within
 * [0, duration], at most `max_clip_duration_s` long, centred on the best moment when it must be cut down.
 * Null when no segment is left.
 */
export function clipWindow(
  frames: readonly MatchedFrame[],
  s: VideoSettings,
  sampleIntervalMs: number,
  durationMs: number,
): ClipWindow | null {
  const segs = segmentsOf(frames, s, sampleIntervalMs);
  if (segs.length === 0) return null;
  const best = segs.reduce((a, b) =>
    b.score > a.score || (b.score === a.score && b.endMs - b.startMs > a.endMs - a.startMs) ? b : a,
  );
  let start = Math.max(0, best.startMs - s.padding_start_s * 1000);
  let end = Math.min(durationMs, best.endMs + s.padding_end_s * 1000);
  const max = s.max_clip_duration_s * 1000;
  if (end - start > max) {
    const from = Math.min(Math.max(start, best.bestMs - max / 2), end - max);
    start = from;
    end = from + max;
  }
  return {
    startMs: Math.round(start),
    endMs: Math.round(end),
    bestMs: best.bestMs,
    score: best.score,
    segment: { startMs: best.startMs, endMs: best.endMs },
  };
}

/** How far before the wanted start a keyframe may be for a cut without re-encoding. */
export const KEYFRAME_SLACK_MS = 1000;

/**
 * Where a stream-copy cut of [startMs, endMs) would start: the last keyframe at or before `startMs`, when it is
 * at most KEYFRAME_SLACK_MS earlier and the clip stays within `maxMs`; else null (re-encode).
 */
export function copyStart(keyframes: readonly number[], startMs: number, endMs: number, maxMs: number): number | null {
  let kf: number | null = null;
  for (const k of keyframes) {
    if (k <= startMs) kf = k;
    else break;
  }
  if (kf === null || startMs - kf > KEYFRAME_SLACK_MS) return null;
  if (endMs - kf > maxMs + KEYFRAME_SLACK_MS) return null;
  return kf;
}
