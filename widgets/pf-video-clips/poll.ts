import type { VideoClippingData } from '../../core/api/video.ts';

const TERMINAL = new Set(['completed', 'no_match', 'failed']);
export const isTerminal = (d: Pick<VideoClippingData, 'status'>) => TERMINAL.has(d.status);

export interface PollOptions {
  /** First wait between two reads (default 1 s), growing by half each time up to `maxMs` (default 5 s). */
  firstMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  /** Called with every state read, the last one included. */
  onState?(d: VideoClippingData): void;
  /** Waits `ms` (default: a timer that the signal cancels). */
  wait?(ms: number, signal?: AbortSignal): Promise<void>;
}

const timer = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

/**
 * Starts (or finds) a clip job, then reads it until it is completed, no_match or failed: the clip work runs in
 * the background on the server, so the element shows the pending state meanwhile. DOM-free.
 */
export async function pollClips(
  start: () => Promise<VideoClippingData>,
  read: () => Promise<VideoClippingData>,
  o: PollOptions = {},
): Promise<VideoClippingData> {
  const wait = o.wait ?? timer;
  let d = await start();
  o.onState?.(d);
  let ms = o.firstMs ?? 1000;
  while (!isTerminal(d)) {
    o.signal?.throwIfAborted();
    await wait(ms, o.signal);
    ms = Math.min(o.maxMs ?? 5000, Math.round(ms * 1.5));
    d = await read();
    o.onState?.(d);
  }
  return d;
}
