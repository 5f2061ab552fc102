/**
 * Synthetic footage made with ffmpeg from still images: a background, and scenes (background plus pasted
 * content) shown during known intervals. Used by the demo seed (a finish-line video with the demo runners),
 * the tests and the bench; never committed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type FfmpegBinaries } from './ffmpeg.ts';

export interface SynthScene {
  /** A full frame (any image format ffmpeg reads), the same size as the background. */
  image: Buffer;
  fromS: number;
  toS: number;
}

export interface SynthOptions {
  background: Buffer;
  scenes: SynthScene[];
  durationS: number;
  /** Output frame rate (default 10). */
  fps?: number;
  /** Keyframe interval in frames (default fps: one a second); a large value forces re-encoded cuts. */
  gop?: number;
  /** `mp4` (H.264 + AAC silence, default) or `webm` (VP9, no audio). */
  format?: 'mp4' | 'webm';
  /** x264 preset (default ultrafast). */
  preset?: string;
}

/** Renders the footage; each scene is overlaid on the background while `fromS ≤ t < toS`. */
export async function synthVideo(bins: FfmpegBinaries, o: SynthOptions): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'pf-synth-'));
  try {
    const fps = o.fps ?? 10;
    const format = o.format ?? 'mp4';
    await writeFile(join(dir, 'bg.png'), o.background);
    const inputs = ['-loop', '1', '-framerate', String(fps), '-i', join(dir, 'bg.png')];
    let chain = '[0:v]';
    const filters: string[] = [];
    for (const [i, s] of o.scenes.entries()) {
      await writeFile(join(dir, `s${i}.png`), s.image);
      inputs.push('-loop', '1', '-framerate', String(fps), '-i', join(dir, `s${i}.png`));
      filters.push(`${chain}[${i + 1}:v]overlay=enable='gte(t,${s.fromS})*lt(t,${s.toS})'[o${i}]`);
      chain = `[o${i}]`;
    }
    filters.push(`${chain}format=yuv420p[v]`);
    const out = join(dir, `out.${format}`);
    const audio = format === 'mp4' ? ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono'] : [];
    const audioMap = format === 'mp4' ? ['-map', `${o.scenes.length + 1}:a`, '-c:a', 'aac', '-b:a', '32k'] : ['-an'];
    const codec =
      format === 'mp4'
        ? ['-c:v', 'libx264', '-preset', o.preset ?? 'ultrafast', '-g', String(o.gop ?? fps), '-movflags', '+faststart']
        : ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-g', String(o.gop ?? fps)];
    // prettier-ignore
    await run(bins.ffmpeg, ['-v', 'error', '-nostdin', '-y', ...inputs, ...audio, '-filter_complex', filters.join(';'), '-map', '[v]', ...audioMap, '-t', String(o.durationS), '-r', String(fps), ...codec, out], { timeoutMs: 120_000 + o.durationS * 5_000 }).done;
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
