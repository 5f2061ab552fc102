/**
 * Page side of the selfie worker: finds the kit's files, starts the worker on first use, and puts a time
 * limit on every call (a stuck worker is terminated and the next call starts a fresh one).
 *
 * Where the files are:
 * - built kit, drop-in script: next to photo-finish.js (its `document.currentScript.src`);
 * - built kit, ES modules: the folder above `esm/` (from `import.meta.url`);
 * - the `asset-base` attribute of pf-selfie-search overrides both (a kit copied elsewhere, a bundler);
 * - unbuilt sources (tests, dev): the worker's TypeScript file and onnxruntime from node_modules;
 * - otherwise (the ES modules bundled into an app by Vite, webpack…: the kit's own URL is gone) the API
 *   server's copy at `<api>/kit/` (`fallbackBase`), which every photo-finish server serves.
 * The ONNX models come from the API server (`<api>/kit/models/`).
 */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { SelfieOutcome, SelfieProgress, SelfieWorkerApi, WorkerConfig } from './protocol.ts';

export type { SelfieOutcome, SelfieProgress, WorkerConfig } from './protocol.ts';

const currentScript = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null);
/** The drop-in script's own URL, read while it runs (a classic script); null for ES modules. */
const scriptSrc: string | null =
  currentScript?.src ||
  (typeof document === 'undefined'
    ? null
    : (document.querySelector<HTMLScriptElement>('script[src*="photo-finish"][src$=".js"]')?.src ?? null));
const moduleUrl: unknown = import.meta.url;

/**
 * Folder (absolute URL, ending in /) holding photo-finish.js, selfie-worker.js and ort/; null when running from
 * sources. `fallbackBase` (the API server's `/kit/`) is used when the kit cannot tell where it was loaded from.
 */
export function kitBase(assetBase?: string | null, fallbackBase?: string | null): string | null {
  if (assetBase) return new URL(assetBase.endsWith('/') ? assetBase : `${assetBase}/`, document.baseURI).href;
  if (currentScript?.src) return new URL('./', currentScript.src).href;
  if (typeof moduleUrl === 'string') {
    const i = moduleUrl.lastIndexOf('/esm/');
    if (i >= 0) return moduleUrl.slice(0, i + 1);
    if (/\/widgets\/selfie-worker\/client\.ts(\?|$)/.test(moduleUrl)) return null;
  }
  if (scriptSrc) return new URL('./', scriptSrc).href;
  return fallbackBase ? new URL(fallbackBase.endsWith('/') ? fallbackBase : `${fallbackBase}/`, document.baseURI).href : null;
}

export interface SelfieWorkerOptions {
  /** Overrides where the kit's files are (see kitBase). */
  assetBase?: string | null;
  /** Where the kit's files are when it cannot tell (bundled into an app): the API server's `/kit/`. */
  fallbackBase?: string | null;
  /** Where the models are, absolute URL ending in / (default `<api>/kit/models/`). */
  modelBase: string;
  /** Overall limit of one analysis, model download included (default 120 s). */
  timeoutMs?: number;
  threads?: number;
}

// Not string literals: Vite must not try to bundle these (the worker is built on its own).
const SOURCE_WORKER = ['.', 'worker.ts'].join('/');
const SOURCE_ORT = ['..', '..', 'node_modules', 'onnxruntime-web', 'dist', ''].join('/');

function locations(opts: SelfieWorkerOptions): { worker: string; wasmBase: string } {
  const base = kitBase(opts.assetBase, opts.fallbackBase);
  if (base) return { worker: `${base}selfie-worker.js`, wasmBase: `${base}ort/` };
  const here = moduleUrl as string;
  return { worker: new URL(SOURCE_WORKER, here).href, wasmBase: new URL(SOURCE_ORT, here).href };
}

/** A module worker from `url`; a cross-origin kit (the page embeds it from the API server) goes through a tiny same-origin module. */
function startWorker(url: string): Worker {
  if (new URL(url).origin === location.origin) return new Worker(url, { type: 'module', name: 'pf-selfie' });
  // Workers must be same-origin with the page: a blob: module that imports the kit's worker (CORS) is.
  // Pages with a strict CSP (worker-src 'self') serve the kit from their own origin (asset-base) instead.
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: 'text/javascript' }));
  const w = new Worker(shim, { type: 'module', name: 'pf-selfie' });
  setTimeout(() => URL.revokeObjectURL(shim), 60_000);
  return w;
}

export class SelfieWorkerError extends Error {
  override readonly name = 'SelfieWorkerError';
}

/** One worker per element; started on the first call. */
export class SelfieWorker {
  private worker: Worker | null = null;
  private remote: Remote<SelfieWorkerApi> | null = null;
  private readonly opts: SelfieWorkerOptions;

  constructor(opts: SelfieWorkerOptions) {
    this.opts = opts;
  }

  get config(): WorkerConfig {
    return { wasmBase: locations(this.opts).wasmBase, modelBase: this.opts.modelBase, threads: this.opts.threads };
  }

  private api(): Remote<SelfieWorkerApi> {
    if (!this.remote) {
      const { worker } = locations(this.opts);
      this.worker = startWorker(worker);
      this.remote = wrap<SelfieWorkerApi>(this.worker);
    }
    return this.remote;
  }

  private async limited<T>(run: (api: Remote<SelfieWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const limit = this.opts.timeoutMs ?? 120_000;
    const api = this.api();
    const worker = this.worker!;
    let timer = 0;
    let onAbort: (() => void) | null = null;
    let onError: ((e: ErrorEvent) => void) | null = null;
    const stop = new Promise<never>((_, reject) => {
      timer = window.setTimeout(() => {
        this.terminate();
        reject(new SelfieWorkerError(`The selfie could not be processed within ${Math.round(limit / 1000)} s`));
      }, limit);
      onAbort = () => {
        this.terminate();
        reject(signal!.reason instanceof Error ? signal!.reason : new DOMException('Aborted', 'AbortError'));
      };
      onError = (e: ErrorEvent) => {
        this.terminate();
        reject(new SelfieWorkerError(`The selfie worker could not start: ${e.message || 'script error'}`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.addEventListener('error', onError);
    });
    try {
      return await Promise.race([run(api), stop]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (onError) worker.removeEventListener('error', onError);
    }
  }

  /** Loads the runtime and models ahead of a search (optional). */
  prepare(embed: boolean, onProgress?: (p: SelfieProgress) => void, signal?: AbortSignal): Promise<void> {
    const cb = onProgress ? proxy(onProgress) : undefined;
    return this.limited((api) => api.prepare(this.config, embed, cb), signal);
  }

  /** Decodes the photo on this device, checks and aligns the face; `embed` adds its vector. */
  analyse(
    file: Blob,
    opts: { embed: boolean; maxSide?: number; onProgress?: (p: SelfieProgress) => void; signal?: AbortSignal },
  ): Promise<SelfieOutcome> {
    const cb = opts.onProgress ? proxy(opts.onProgress) : undefined;
    const config = this.config;
    return this.limited<SelfieOutcome>(
      (api) => api.analyse(file, { config, embed: opts.embed, maxSide: opts.maxSide }, cb) as Promise<SelfieOutcome>,
      opts.signal,
    );
  }

  terminate(): void {
    this.remote?.[releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
