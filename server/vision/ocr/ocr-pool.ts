/**
 * A pool of worker threads, each with its own `OcrEngine`, so bib OCR during ingest runs off the
 * HTTP server's thread. Default size `max(1, cores − 1)`, one onnxruntime thread each.
 *
 *   const pool = new OcrPool();
 *   const reads = await pool.readBibs(jpegBytes, { issued });       // one photo
 *   const all = await pool.readMany(photos, { issued });            // results in input order
 *   await pool.close();                                             // finishes queued work, stops the threads
 *
 * Tasks queue up when every worker is busy; each `readBibs` promise settles with its own photo's
 * result. Workers start on first use. A worker that dies is replaced (its task fails). If the models
 * cannot be loaded, every task fails with the same `OcrModelsError` (telling to fetch the models).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../threads.ts';
import type { BibRead, DecodedPhoto, OcrEngineOptions, ReadBibsOptions } from './ocr-engine.ts';
import { OcrImageError, OcrModelsError } from './errors.ts';
import type { SerialisedError, WorkerRequest } from './ocr-worker.ts';

export interface OcrPoolOptions extends OcrEngineOptions {
  /** Worker threads (default `max(1, cores − 1)`). */
  size?: number;
}

/** The pool was closed before the task could run. */
export class OcrPoolClosedError extends Error {
  override readonly name = 'OcrPoolClosedError';
  readonly code = 'OCR_POOL_CLOSED';
}

/** A worker thread died while reading a photo. */
export class OcrWorkerError extends Error {
  override readonly name = 'OcrWorkerError';
  readonly code = 'OCR_WORKER_FAILED';
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Task {
  id: number;
  /** Encoded bytes, or RGB pixels already decoded (their buffer is handed to the worker). */
  image: Uint8Array;
  decoded?: Omit<DecodedPhoto, 'image'> & { width: number; height: number };
  options: ReadBibsOptions;
  resolve: (reads: BibRead[]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
}

type WorkerReply =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerialisedError }
  | { id: number; ok: true; reads: BibRead[] }
  | { id: number; ok: false; error: SerialisedError };

function reviveError(e: SerialisedError): Error {
  if (e.name === 'OcrImageError') return new OcrImageError((e.code ?? 'corrupt') as OcrImageError['code'], e.message);
  if (e.name === 'OcrModelsError') {
    const err = new OcrModelsError('', e.problems ?? []);
    err.message = e.message;
    return err;
  }
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export class OcrPool {
  readonly size: number;
  private readonly engineOptions: OcrEngineOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private started = false;
  private closing: Promise<void> | null = null;
  private fatal: Error | null = null;
  private drained: (() => void) | null = null;

  constructor(opts: OcrPoolOptions = {}) {
    const { size, ...engine } = opts;
    this.size = Math.max(1, Math.floor(size ?? defaultPoolSize()));
    this.engineOptions = engine;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Tasks being read right now. */
  get running(): number {
    return this.slots.filter((s) => s.task).length;
  }

  /** Reads one photo on a worker (see `OcrEngine.readBibs`). */
  readBibs(image: Uint8Array, options: ReadBibsOptions = {}): Promise<BibRead[]> {
    if (this.closing) return Promise.reject(new OcrPoolClosedError('the OCR pool is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise<BibRead[]>((resolve, reject) => {
      // Copy: the caller may reuse its buffer, and a pooled Buffer's ArrayBuffer holds other data.
      this.queue.push({ id: this.nextId++, image: new Uint8Array(image), options, resolve, reject });
      this.start();
      this.pump();
    });
  }

  /**
   * Reads one photo already decoded to RGB (see `OcrEngine.readDecodedBibs`): the ingest decodes each original once
   * for every stage. The pixels are copied into a buffer handed to the worker (the caller keeps its own).
   */
  readDecodedBibs(photo: DecodedPhoto, options: ReadBibsOptions = {}): Promise<BibRead[]> {
    if (this.closing) return Promise.reject(new OcrPoolClosedError('the OCR pool is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    const { image, ...rest } = photo;
    return new Promise<BibRead[]>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        image: new Uint8Array(image.data),
        decoded: { ...rest, width: image.width, height: image.height },
        options,
        resolve,
        reject,
      });
      this.start();
      this.pump();
    });
  }

  /** Reads several photos; the results come back in input order (the first failure rejects). */
  readMany(images: Iterable<Uint8Array>, options: ReadBibsOptions = {}): Promise<BibRead[][]> {
    return Promise.all([...images].map((img) => this.readBibs(img, options)));
  }

  /** Like `readMany`, but one settled result per photo (a corrupt photo does not fail the batch). */
  readManySettled(images: Iterable<Uint8Array>, options: ReadBibsOptions = {}): Promise<PromiseSettledResult<BibRead[]>[]> {
    return Promise.allSettled([...images].map((img) => this.readBibs(img, options)));
  }

  /** Stops taking tasks, finishes the queued and running ones, then ends the worker threads. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        if (this.queue.length || this.running) await new Promise<void>((r) => (this.drained = r));
        // Out of `slots` first, so their exit is not taken for a crash.
        await Promise.all(this.slots.splice(0).map((s) => this.stopSlot(s)));
      })();
    }
    return this.closing;
  }

  /** Ends the threads now: queued and running tasks fail with `OcrPoolClosedError`. */
  async terminate(): Promise<void> {
    this.closing ??= Promise.resolve();
    const err = new OcrPoolClosedError('the OCR pool was terminated');
    for (const t of this.queue.splice(0)) t.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.task?.reject(err);
      s.task = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
    this.drained?.();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  private spawn(): void {
    // `ocr-worker.js` when compiled, `ocr-worker.ts` through tsx from the sources.
    const worker = startWorker('./ocr-worker.ts', import.meta.url, { workerData: this.engineOptions });
    const slot: Slot = { worker, ready: false, task: null };
    this.slots.push(slot);
    worker.on('message', (msg: WorkerReply) => this.onMessage(slot, msg));
    worker.on('error', (e) => this.onExit(slot, e));
    worker.on('exit', (code) => this.onExit(slot, new OcrWorkerError(`OCR worker exited (code ${code})`)));
  }

  private onMessage(slot: Slot, msg: WorkerReply): void {
    if ('type' in msg) {
      if (msg.type === 'ready') {
        slot.ready = true;
        this.pump();
      } else {
        this.fail(reviveError(msg.error));
      }
      return;
    }
    const task = slot.task;
    if (!task || task.id !== msg.id) return;
    slot.task = null;
    if (msg.ok) task.resolve(msg.reads);
    else task.reject(reviveError(msg.error));
    this.pump();
  }

  private onExit(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // already stopped on purpose
    this.slots.splice(i, 1);
    slot.task?.reject(err);
    slot.task = null;
    if (this.fatal) return;
    if (!slot.ready && !this.slots.some((s) => s.ready)) {
      // Died before ever loading: do not respawn in a loop.
      this.fail(err);
      return;
    }
    if (!this.closing || this.queue.length) this.spawn();
    this.pump();
  }

  /** The engine cannot load: fail everything now and later. */
  private fail(err: Error): void {
    this.fatal = err;
    for (const t of this.queue.splice(0)) t.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.task?.reject(err);
      void s.worker.terminate();
    }
    this.drained?.();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) break;
      if (!slot.ready || slot.task) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      const req: WorkerRequest = task.decoded
        ? {
            type: 'decoded',
            id: task.id,
            photo: {
              image: { data: task.image, width: task.decoded.width, height: task.decoded.height },
              originalWidth: task.decoded.originalWidth,
              originalHeight: task.decoded.originalHeight,
              scale: task.decoded.scale,
            },
            options: task.options,
          }
        : { type: 'task', id: task.id, image: task.image, options: task.options };
      slot.worker.postMessage(req, [task.image.buffer as ArrayBuffer]);
    }
    if (this.drained && !this.queue.length && !this.running) {
      const done = this.drained;
      this.drained = null;
      done();
    }
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const exited = new Promise<void>((r) => slot.worker.once('exit', () => r()));
    slot.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    const timer = setTimeout(() => void slot.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

let shared: OcrPool | null = null;

/** A process-wide pool (created on first call with these options); `closeSharedOcrPool` ends it. */
export function sharedOcrPool(opts?: OcrPoolOptions): OcrPool {
  shared ??= new OcrPool(opts);
  return shared;
}

export async function closeSharedOcrPool(): Promise<void> {
  const p = shared;
  shared = null;
  await p?.close();
}
