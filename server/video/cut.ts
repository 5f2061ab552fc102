/**
 * Cutting one clip out of a source video: without re-encoding (`-c copy`) when a keyframe sits at (or just
 * before) the wanted start and the codecs fit MP4, else re-encoded to H.264/AAC. The clip is probed after
 * the cut: its real start, end and duration are what the API reports.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getToFile } from '../blobs/files.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { VideoRow } from '../store/video-types.ts';
import { run, type FfmpegBinaries } from './ffmpeg.ts';
import { grabFrame } from './ingest.ts';
import { probeVideo } from './probe.ts';
import { copyStart } from './segments.ts';

/** Codecs an MP4 takes as they are. */
const COPY_VIDEO = new Set(['h264', 'hevc']);
const COPY_AUDIO = new Set(['aac', 'mp3']);

export interface CutClip {
  cut: 'copy' | 'reencode';
  startMs: number;
  endMs: number;
  durationMs: number;
  mp4: Buffer;
  poster: Buffer;
}

export interface CutRequest {
  startMs: number;
  endMs: number;
  /** The poster frame's time in the source. */
  posterMs: number;
  maxMs: number;
}

/** Cuts [startMs, endMs) of `video` (its original read from `file`). */
export async function cutClip(bins: FfmpegBinaries, video: VideoRow, file: string, r: CutRequest): Promise<CutClip> {
  const work = await mkdtemp(join(tmpdir(), 'pf-clip-'));
  try {
    const out = join(work, 'clip.mp4');
    const codecsFit = COPY_VIDEO.has(video.video_codec) && (!video.audio_codec || COPY_AUDIO.has(video.audio_codec));
    const kf = codecsFit ? copyStart(video.keyframes, r.startMs, r.endMs, r.maxMs) : null;
    const timeoutMs = 60_000 + (r.endMs - r.startMs) * 20;
    const common = ['-v', 'error', '-nostdin', '-y'];
    let cut: CutClip['cut'];
    if (kf !== null) {
      cut = 'copy';
      const end = Math.min(r.endMs, kf + r.maxMs);
      // Seeking the input lands on the keyframe at or before -ss: a millisecond past it keeps that one.
      // prettier-ignore
      await run(bins.ffmpeg, [...common, '-ss', ((kf + 1) / 1000).toFixed(3), '-i', file, '-t', ((end - kf) / 1000).toFixed(3), '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', out], { timeoutMs }).done;
    } else {
      cut = 'reencode';
      // prettier-ignore
      await run(bins.ffmpeg, [...common, '-ss', (r.startMs / 1000).toFixed(3), '-i', file, '-t', ((r.endMs - r.startMs) / 1000).toFixed(3), '-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', out], { timeoutMs }).done;
    }
    const probe = await probeVideo(bins, out);
    const startMs = cut === 'copy' ? kf! : r.startMs;
    const mp4 = await readFile(out);
    const poster = await grabFrame(bins, file, r.posterMs, 640);
    return { cut, startMs, endMs: startMs + probe.durationMs, durationMs: probe.durationMs, mp4, poster };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The original of a video as a local file for ffmpeg (the blob store may be remote): call `done()` after. */
export async function localOriginal(
  blobs: BlobStore,
  key: string,
  ext: string,
): Promise<{ file: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pf-src-'));
  const file = join(dir, `original.${ext}`);
  try {
    // Streamed from the blob store to disk: ffmpeg reads files, and a 2 GB original never sits in memory.
    await getToFile(blobs, key, file);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { file, done: () => rm(dir, { recursive: true, force: true }) };
}
