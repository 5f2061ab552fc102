/**
 * Bib OCR (PaddleOCR PP-OCRv4 on onnxruntime-node). What callers need:
 *
 *   readBibs(jpeg, { issued })            one photo on a process-wide engine (this thread)
 *   new OcrPool().readBibs(jpeg, { issued })   worker threads, for ingest (keeps the HTTP thread free)
 *
 * Both resolve to `BibRead[]` (`bib`, `bib_norm`, `confidence`, `box` in original pixels, `status`)
 * and throw `OcrModelsError` (models missing: run `npm run fetch-models`) or `OcrImageError`.
 */
export {
  DEFAULT_SCALE,
  OcrEngine,
  OcrImageError,
  OcrModelsError,
  bibsFromLines,
  readBibs,
  sharedEngine,
  type BibRead,
  type OcrEngineOptions,
  type OcrImageErrorCode,
  type OcrLine,
  type OcrPage,
  type ReadBibsOptions,
} from './ocr-engine.ts';
export {
  OcrPool,
  OcrPoolClosedError,
  OcrWorkerError,
  closeSharedOcrPool,
  defaultPoolSize,
  sharedOcrPool,
  type OcrPoolOptions,
} from './ocr-pool.ts';
export type { BibStatus } from './bib-filter.ts';
