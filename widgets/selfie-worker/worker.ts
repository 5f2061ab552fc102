/**
 * The selfie worker: decodes the selfie on the device, finds and aligns the face with the same core
 * pipeline as the server (onnxruntime-web, WebAssembly), and returns only the aligned 112×112 face (PNG)
 * and, for privacy="vector", its 512-number vector. The photo itself never leaves the worker.
 *
 * Built as its own file (dist/selfie-worker.js, see vite.config.ts) so that neither onnxruntime nor the
 * models are in the kit's main script; started only when a selfie search begins.
 */
import { expose } from 'comlink';
import * as ort from 'onnxruntime-web/wasm';
import {
  ALIGNED_SIZE,
  DETECT_DIMS,
  FEATURE_DIMS,
  LANDMARK_DIMS,
  analyseSelfie,
  embedAligned,
  type FaceBackend,
  type FaceModel,
} from '../../core/face/index.ts';
import { DEFAULT_FACE_PIPELINE, FACE_PIPELINES, MODEL_FILES, type ModelFile } from '../../core/models.ts';
import type { SelfieOutcome, SelfieProgress, SelfieTimings, SelfieWorkerApi, WorkerConfig } from './protocol.ts';

/** Longest side the selfie is analysed at: a selfie's face is large, and detection cost grows with size. */
export const SELFIE_ANALYSE_MAX_SIDE = 1600;
const WASM_FILE = 'ort-wasm-simd-threaded.wasm';
/** Decompressed size of the runtime, for progress when the server sends it gzipped (no usable length). */
const WASM_BYTES_ESTIMATE = 14_300_000;

/** The browser copies of the detector and landmarks (float16 weights: half the download, same alignment). */
const MODELS: Record<FaceModel, ModelFile> = {
  detect: MODEL_FILES.faceDetectWeb,
  landmark: MODEL_FILES.faceLandmarkWeb,
  feature: MODEL_FILES.faceFeature,
};

type Progress = ((p: SelfieProgress) => void) | undefined;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Fetches a file, reporting bytes as they arrive. */
async function download(url: string, expected: number, onBytes: (n: number) => void, timeoutMs: number): Promise<Uint8Array> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: ctl.signal });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    if (!res.body) {
      const buf = new Uint8Array(await res.arrayBuffer());
      onBytes(buf.length);
      return buf;
    }
    const chunks: Uint8Array[] = [];
    let n = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.length;
      onBytes(Math.min(n, expected));
    }
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  } catch (e) {
    if (ctl.signal.aborted) throw new Error(`downloading ${url} took longer than ${Math.round(timeoutMs / 1000)} s`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null; // not a secure context: the server's TLS has to do
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

let runtimeConfigured: string | null = null;
const sessions = new Map<FaceModel, Promise<ort.InferenceSession>>();
let loadTimeoutMs = 60_000;
let runTimeoutMs = 20_000;

/** Loads the runtime (once) and the given models, with one progress bar over every byte fetched. */
async function load(config: WorkerConfig, models: FaceModel[], onProgress: Progress): Promise<number> {
  loadTimeoutMs = config.loadTimeoutMs ?? loadTimeoutMs;
  runTimeoutMs = config.runTimeoutMs ?? runTimeoutMs;
  const missing = models.filter((m) => !sessions.has(m));
  if (missing.length === 0) return 0;
  const t0 = performance.now();
  const needRuntime = runtimeConfigured === null;
  if (runtimeConfigured !== null && runtimeConfigured !== config.wasmBase) {
    // onnxruntime's location is fixed at its first session; later changes are ignored.
    console.warn('photo-finish: the selfie worker keeps its first onnxruntime location');
  }
  const sizes = [...(needRuntime ? [WASM_BYTES_ESTIMATE] : []), ...missing.map((m) => MODELS[m].bytes)];
  const total = sizes.reduce((a, b) => a + b, 0);
  const got = sizes.map(() => 0);
  const report = (i: number) => (n: number) => {
    got[i] = n;
    onProgress?.({ stage: 'download', loaded: got.reduce((a, b) => a + b, 0), total });
  };
  onProgress?.({ stage: 'download', loaded: 0, total });
  // `?v=`: the server lets browsers and CDNs keep a versioned runtime and models for a year (routes/static.ts).
  const wasmP = needRuntime
    ? download(`${config.wasmBase}${WASM_FILE}?v=${ort.env.versions.web ?? ''}`, WASM_BYTES_ESTIMATE, report(0), loadTimeoutMs)
    : null;
  const off = needRuntime ? 1 : 0;
  const modelP = missing.map(async (m, i) => {
    const file = MODELS[m];
    const bytes = await download(
      `${config.modelBase}${file.name}?v=${file.sha256.slice(0, 16)}`,
      file.bytes,
      report(i + off),
      loadTimeoutMs,
    );
    const hash = await sha256Hex(bytes);
    if (hash !== null && hash !== file.sha256)
      throw new Error(`${file.name} from ${config.modelBase} is corrupt (sha256 mismatch)`);
    return bytes;
  });
  const [wasm, ...bytes] = await Promise.all([wasmP, ...modelP]);
  if (needRuntime) {
    ort.env.wasm.wasmPaths = config.wasmBase;
    ort.env.wasm.wasmBinary = wasm!;
    ort.env.wasm.proxy = false; // this is already a worker
    ort.env.wasm.numThreads =
      config.threads ?? (self.crossOriginIsolated ? Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)) : 1);
    runtimeConfigured = config.wasmBase;
  }
  onProgress?.({ stage: 'prepare' });
  missing.forEach((m, i) => {
    const p = withTimeout(
      ort.InferenceSession.create(bytes[i]!, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }),
      loadTimeoutMs,
      `preparing the face model ${MODELS[m].name}`,
    );
    sessions.set(m, p);
    p.catch(() => sessions.delete(m)); // a failed load is retried next time
  });
  await Promise.all(missing.map((m) => sessions.get(m)));
  // One run of each new model on zeros: WebAssembly tiers up and onnxruntime allocates its buffers now
  // (while the user is still choosing a photo, when called from prepare), not during the first selfie.
  for (const m of missing) {
    const dims: readonly number[] = m === 'detect' ? DETECT_DIMS : m === 'landmark' ? LANDMARK_DIMS : FEATURE_DIMS;
    await backend.run(m, new Float32Array(dims.reduce((a, b) => a * b, 1)), [...dims]);
  }
  return performance.now() - t0;
}

const backend: FaceBackend = {
  async run(model, input, dims) {
    const session = await sessions.get(model);
    if (!session) throw new Error(`face model ${model} is not loaded`);
    const name = session.inputNames[0]!;
    const out = await withTimeout(
      session.run({ [name]: new ort.Tensor('float32', input, dims) }),
      runTimeoutMs,
      `the face model ${model}`,
    );
    const result: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(out)) result[k] = t.data as Float32Array;
    return result;
  },
};

async function decode(file: Blob, maxSide: number) {
  let bitmap: ImageBitmap;
  try {
    // Full resolution, EXIF orientation applied; only this worker ever sees these pixels.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
  const { width, height } = bitmap;
  const k = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * k));
  const h = Math.max(1, Math.round(height * k));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const data = ctx.getImageData(0, 0, w, h).data;
  return { image: { data, width: w, height: h, channels: 4 as const }, width, height };
}

async function toPng(rgb: Uint8Array | Uint8ClampedArray): Promise<Blob> {
  const n = ALIGNED_SIZE * ALIGNED_SIZE;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    rgba[4 * i] = rgb[3 * i]!;
    rgba[4 * i + 1] = rgb[3 * i + 1]!;
    rgba[4 * i + 2] = rgb[3 * i + 2]!;
    rgba[4 * i + 3] = 255;
  }
  const canvas = new OffscreenCanvas(ALIGNED_SIZE, ALIGNED_SIZE);
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, ALIGNED_SIZE, ALIGNED_SIZE), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

const api: SelfieWorkerApi = {
  async prepare(config, embed, onProgress) {
    await load(config, embed ? ['detect', 'landmark', 'feature'] : ['detect', 'landmark'], onProgress);
  },

  async analyse(file, { config, embed, maxSide }, onProgress): Promise<SelfieOutcome> {
    const timings: SelfieTimings = { loadMs: 0, decodeMs: 0, analyseMs: 0, encodeMs: 0, embedMs: 0 };
    timings.loadMs = await load(config, embed ? ['detect', 'landmark', 'feature'] : ['detect', 'landmark'], onProgress);
    onProgress?.({ stage: 'analyse' });
    let t = performance.now();
    const decoded = await decode(file, maxSide ?? SELFIE_ANALYSE_MAX_SIDE);
    timings.decodeMs = performance.now() - t;
    if (!decoded) return { ok: false, reason: 'unreadable', faces: 0, timings };
    t = performance.now();
    // The server's default pipeline accepts query faces from 32 px (a face cut from a race photo): so does the browser.
    const a = await analyseSelfie(decoded.image, backend, { minFace: FACE_PIPELINES[DEFAULT_FACE_PIPELINE].selfieMinFace });
    timings.analyseMs = performance.now() - t;
    if (!a.ok) return { ok: false, reason: a.reason, faces: a.faces.length, timings };
    t = performance.now();
    const crop = await toPng(a.aligned.image.data);
    timings.encodeMs = performance.now() - t;
    let embedding: Float32Array | null = null;
    if (embed) {
      onProgress?.({ stage: 'embed' });
      t = performance.now();
      embedding = await embedAligned(a.aligned.image, backend);
      timings.embedMs = performance.now() - t;
    }
    return {
      ok: true,
      crop,
      embedding,
      width: decoded.width,
      height: decoded.height,
      analysedWidth: decoded.image.width,
      analysedHeight: decoded.image.height,
      faces: a.faces.length,
      sharpness: a.sharpness,
      timings,
    };
  },
};

expose(api);
