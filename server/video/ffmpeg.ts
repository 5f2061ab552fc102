/**
 * ffmpeg and ffprobe as child processes with bounded time. The binaries come from the npm packages
 * @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe (static builds inside their tarballs), or from
 * FFMPEG_PATH / FFPROBE_PATH. Nothing is ever fetched.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/** The configured binaries, else the npm packages'. */
export function ffmpegBinaries(configured: { ffmpeg: string | null; ffprobe: string | null }): FfmpegBinaries {
  const require = createRequire(import.meta.url);
  return {
    ffmpeg: configured.ffmpeg ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: configured.ffprobe ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}

/** A child process that failed: exit code, the end of its stderr, or a timeout. */
export class FfmpegError extends Error {
  override readonly name = 'FfmpegError';
  constructor(
    message: string,
    readonly stderr: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

export interface RunOptions {
  /** Killed (SIGKILL) after this long. */
  timeoutMs: number;
  /** Called with each stdout chunk; the chunks are then not collected. Return false to pause until `resume()`. */
  onStdout?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface RunHandle {
  done: Promise<{ stdout: Buffer; stderr: string }>;
  pause(): void;
  resume(): void;
}

/** Runs `bin args…` with a time limit; rejects with FfmpegError on a non-zero exit, a signal or the timeout. */
export function run(bin: string, args: string[], o: RunOptions): RunHandle {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs);
  const abort = () => child.kill('SIGKILL');
  o.signal?.addEventListener('abort', abort, { once: true });
  child.stdout.on('data', (c: Buffer) => (o.onStdout ? o.onStdout(c) : out.push(c)));
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    if (err.length > 16_384) err = err.slice(-8192);
  });
  const done = new Promise<{ stdout: Buffer; stderr: string }>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new FfmpegError(`${bin} could not start: ${e.message}`, err));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', abort);
      if (code === 0) return resolve({ stdout: Buffer.concat(out), stderr: err });
      const last = err.trim().split('\n').slice(-3).join(' | ');
      const why = timedOut ? `timed out after ${Math.round(o.timeoutMs / 1000)} s` : sig ? `killed (${sig})` : `exit ${code}`;
      reject(new FfmpegError(`${why}${last ? `: ${last}` : ''}`, err, timedOut));
    });
  });
  return { done, pause: () => child.stdout.pause(), resume: () => child.stdout.resume() };
}

/**
 * Splits a stream of concatenated JPEGs (ffmpeg `-f image2pipe -c:v mjpeg`) into images. Inside the
 * entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so FF D9 only ends an image.
 */
export class JpegSplitter {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly onImage: (jpeg: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let from = 0;
    for (;;) {
      const end = this.buf.indexOf(EOI, Math.max(from, 2));
      if (end < 0) break;
      this.onImage(Buffer.from(this.buf.subarray(from, end + 2)));
      from = end + 2;
    }
    this.buf = this.buf.subarray(from);
  }

  /** Bytes left over (an incomplete image at the end of the stream). */
  get rest(): number {
    return this.buf.length;
  }
}
const EOI = Buffer.from([0xff, 0xd9]);
