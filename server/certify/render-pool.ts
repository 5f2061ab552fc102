/**
 * Certificate rendering on worker threads, so a burst of downloads on race day does not stall the
 * API: `size` threads (default 2), started on first use, unref'd (they never keep the process alive).
 * A job goes to a free thread; callers bound concurrency themselves (the service's queue). If a thread
 * cannot start (e.g. the sources run without a TypeScript loader), the pool reports `unavailable` and the
 * caller renders in-process instead.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.ts';
import type { RenderJob, RenderReply } from './render-worker.ts';

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** Reserved for a render (from before its thread is ready until its answer). */
  busy: boolean;
  job: { id: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null;
  idle: ReturnType<typeof setTimeout> | null;
}

/** A thread idle this long ends (its fonts and caches are freed); the next render starts a new one. */
const IDLE_MS = 600_000;

export class RenderPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  /** Set when a thread could not start: render in-process from then on. */
  unavailable: Error | null = null;

  constructor(readonly size = 2) {}

  /** Renders on a free thread; rejects with the renderer's error message when rendering fails. */
  async render(job: Omit<RenderJob, 'id'>): Promise<Buffer> {
    const slot = this.freeSlot();
    // Reserved and ref'd at once: the process stays up while the thread starts, and no one else takes it.
    slot.busy = true;
    slot.worker.ref();
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    try {
      await slot.ready;
    } catch (e) {
      slot.busy = false;
      throw e;
    }
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      slot.job = { id, resolve, reject };
      slot.worker.postMessage({ ...job, id } satisfies RenderJob);
    });
  }

  /** Starts a thread ahead of the first render (it warms its fonts up), when none runs. */
  warm(): void {
    if (this.slots.length === 0 && !this.unavailable) this.spawn();
  }

  /** Threads running now. */
  get threads(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private freeSlot(): Slot {
    const free = this.slots.find((s) => !s.busy);
    if (free) return free;
    if (this.slots.length < this.size) return this.spawn();
    throw new Error('render pool: no free thread (the caller must bound concurrency to the pool size)');
  }

  private spawn(): Slot {
    // `render-worker.js` when compiled, `render-worker.ts` through tsx from the sources.
    const worker = startWorker('./render-worker.ts', import.meta.url);
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const slot: Slot = {
      worker,
      busy: false,
      job: null,
      idle: null,
      ready: new Promise<void>((res, rej) => {
        readyResolve = res;
        readyReject = rej;
      }),
    };
    slot.ready.catch(() => {});
    this.slots.push(slot);
    const fail = (e: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      readyReject(e);
      slot.job?.reject(e);
      slot.job = null;
    };
    worker.on('message', (msg: RenderReply) => {
      if ('type' in msg) return readyResolve();
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      slot.job = null;
      slot.busy = false;
      worker.unref();
      slot.idle = setTimeout(() => {
        if (slot.busy) return;
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        void worker.terminate();
      }, IDLE_MS);
      slot.idle.unref();
      if (msg.ok) job.resolve(Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength));
      else job.reject(new Error(msg.message));
    });
    worker.on('error', (e) => {
      this.unavailable ??= e;
      fail(e);
    });
    worker.on('exit', (code) => fail(new Error(`certificate render thread exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the thread again.
    worker.unref();
    return slot;
  }
}
