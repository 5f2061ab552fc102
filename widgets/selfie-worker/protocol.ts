/** What the page and the selfie worker (widgets/selfie-worker/worker.ts) say to each other over comlink. */
import type { SelfieRefusal } from '../../core/face/quality.ts';

export interface WorkerConfig {
  /** Absolute URL (ending in /) of ort-wasm-simd-threaded.{mjs,wasm}. */
  wasmBase: string;
  /** Absolute URL (ending in /) of the ONNX models (the server's /kit/models/). */
  modelBase: string;
  /** onnxruntime threads; default 2 when the page is cross-origin isolated, else 1. */
  threads?: number;
  /** Limit for loading the runtime and one model (ms, default 60 s). */
  loadTimeoutMs?: number;
  /** Limit for one model run (ms, default 20 s). */
  runTimeoutMs?: number;
}

export type SelfieProgress =
  /** Fetching the runtime and the models: `loaded` / `total` bytes (total is an estimate for gzipped files). */
  | { stage: 'download'; loaded: number; total: number }
  /** Compiling the runtime and creating the sessions. */
  | { stage: 'prepare' }
  /** Decoding the photo, finding and aligning the face. */
  | { stage: 'analyse' }
  /** Computing the face vector (privacy="vector"). */
  | { stage: 'embed' };

export interface SelfieTimings {
  /** Runtime and models fetched and compiled (0 when already loaded). */
  loadMs: number;
  /** createImageBitmap + draw + getImageData. */
  decodeMs: number;
  /** Detection, landmarks, alignment and the quality checks. */
  analyseMs: number;
  /** PNG encoding of the aligned crop. */
  encodeMs: number;
  /** The embedding (privacy="vector" only). */
  embedMs: number;
}

export type SelfieOutcome =
  | {
      ok: true;
      /** The aligned 112×112 face as a PNG: the only picture that leaves the device. */
      crop: Blob;
      /** 512 numbers, L2-normalised; only when asked for (privacy="vector"). */
      embedding: Float32Array | null;
      /** Size of the decoded photo (EXIF orientation applied) and of the image analysed. */
      width: number;
      height: number;
      analysedWidth: number;
      analysedHeight: number;
      /** Faces detected. */
      faces: number;
      sharpness: number;
      timings: SelfieTimings;
    }
  | { ok: false; reason: SelfieRefusal | 'unreadable'; faces: number; timings: SelfieTimings };

export interface SelfieWorkerApi {
  /** Loads the runtime and the models now (optional; `analyse` does it on first use). */
  prepare(config: WorkerConfig, embed: boolean, onProgress?: (p: SelfieProgress) => void): Promise<void>;
  /** Decodes the photo, checks and aligns the face; with `embed`, also computes its vector. */
  analyse(
    file: Blob,
    opts: { config: WorkerConfig; embed: boolean; maxSide?: number },
    onProgress?: (p: SelfieProgress) => void,
  ): Promise<SelfieOutcome>;
}
