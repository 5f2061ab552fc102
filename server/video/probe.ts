/** What ffprobe says about a video file: duration, size, codecs, keyframes. */
import { FfmpegError, run, type FfmpegBinaries } from './ffmpeg.ts';

export interface VideoProbe {
  durationMs: number;
  width: number;
  height: number;
  /** Average frame rate of the video stream, or null. */
  frameRate: number | null;
  videoCodec: string;
  audioCodec: string | null;
  /** ffprobe's format names, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`. */
  format: string;
}

/** The file is not a video we can read (unsupported, corrupt or empty). */
export class VideoProbeError extends Error {
  override readonly name = 'VideoProbeError';
}

/** Containers we ingest as video (ffprobe format names). */
const CONTAINERS = /^(mov,mp4|matroska,webm)/;

const rate = (r: string | undefined): number | null => {
  const m = /^(\d+)\/(\d+)$/.exec(r ?? '');
  if (!m || Number(m[2]) === 0) return null;
  const v = Number(m[1]) / Number(m[2]);
  return Number.isFinite(v) && v > 0 ? Math.round(v * 1000) / 1000 : null;
};

interface ProbeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    duration?: string;
  }[];
}

export async function probeVideo(bins: FfmpegBinaries, file: string, timeoutMs = 60_000): Promise<VideoProbe> {
  let json: ProbeJson;
  try {
    const { stdout } = await run(bins.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
      timeoutMs,
    }).done;
    json = JSON.parse(stdout.toString()) as ProbeJson;
  } catch (e) {
    if (e instanceof FfmpegError && e.timedOut) throw new VideoProbeError(`ffprobe ${e.message}`);
    const why = e instanceof FfmpegError ? e.stderr.trim().split('\n').pop() : (e as Error).message;
    throw new VideoProbeError(`not a readable video (${why || 'ffprobe failed'})`);
  }
  const format = json.format?.format_name ?? '';
  const video = json.streams?.find((s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png');
  if (!CONTAINERS.test(format)) throw new VideoProbeError(`not an MP4, MOV or WebM video (${format || 'unknown format'})`);
  if (!video?.width || !video.height || !video.codec_name) throw new VideoProbeError('the file has no video stream');
  const duration = Number(json.format?.duration ?? video.duration);
  if (!Number.isFinite(duration) || duration <= 0) throw new VideoProbeError('the video has no duration (truncated or corrupt)');
  const audio = json.streams?.find((s) => s.codec_type === 'audio');
  return {
    durationMs: Math.round(duration * 1000),
    width: video.width,
    height: video.height,
    frameRate: rate(video.avg_frame_rate),
    videoCodec: video.codec_name,
    audioCodec: audio?.codec_name ?? null,
    format,
  };
}

/** Keyframe times of the first video stream, ms ascending (from the packets' K flag: no decoding). */
export async function keyframeTimes(bins: FfmpegBinaries, file: string, timeoutMs: number): Promise<number[]> {
  const { stdout } = await run(
    bins.ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file],
    { timeoutMs },
  ).done;
  const out: number[] = [];
  for (const line of stdout.toString().split('\n')) {
    const [t, flags] = line.split(',');
    if (flags?.includes('K') && t && t !== 'N/A') out.push(Math.round(Number(t) * 1000));
  }
  return [...new Set(out.filter(Number.isFinite))].sort((a, b) => a - b);
}
