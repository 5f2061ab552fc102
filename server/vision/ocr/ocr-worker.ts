/**
 * Worker-thread side of `OcrPool`: one `OcrEngine` per thread. Messages in: `{ id, image, options }` (encoded
 * bytes), `{ type: 'decoded', id, photo, options }` (RGB pixels already decoded)
 * or `{ type: 'close' }`; out: `{ type: 'ready' }` / `{ type: 'init-error', error }` once, then
 * `{ id, ok: true, reads }` or `{ id, ok: false, error }` per task.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OcrEngine, type DecodedPhoto, type OcrEngineOptions, type ReadBibsOptions } from './ocr-engine.ts';

export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
  problems?: string[];
}

export type WorkerRequest =
  | { type: 'task'; id: number; image: Uint8Array; options: ReadBibsOptions }
  | { type: 'decoded'; id: number; photo: DecodedPhoto; options: ReadBibsOptions }
  | { type: 'close' };

export function serialiseError(e: unknown): SerialisedError {
  const err = e as Partial<Error & { code: unknown; problems: unknown }>;
  return {
    name: typeof err?.name === 'string' ? err.name : 'Error',
    message: typeof err?.message === 'string' ? err.message : String(e),
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
    ...(Array.isArray(err?.problems) ? { problems: err.problems as string[] } : {}),
  };
}

const port = parentPort;
if (port) {
  const opts = (workerData ?? {}) as OcrEngineOptions;
  let engine: OcrEngine | null = null;
  try {
    engine = await OcrEngine.load(opts);
    port.postMessage({ type: 'ready' });
  } catch (e) {
    port.postMessage({ type: 'init-error', error: serialiseError(e) });
  }
  port.on('message', async (msg: WorkerRequest) => {
    if (msg.type === 'close') {
      await engine?.release().catch(() => {});
      engine = null;
      port.close();
      return;
    }
    if (!engine) {
      port.postMessage({ id: msg.id, ok: false, error: { name: 'OcrModelsError', message: 'OCR engine not loaded' } });
      return;
    }
    try {
      const reads =
        msg.type === 'decoded'
          ? await engine.readDecodedBibs(msg.photo, msg.options)
          : await engine.readBibs(msg.image, msg.options);
      port.postMessage({ id: msg.id, ok: true, reads });
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: serialiseError(e) });
    }
  });
}
