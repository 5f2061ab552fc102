// The OCR engine's errors and default scale, in a module of their own: the services that name them (bib tracking,
// the CLI) do not load the engine (onnxruntime, sharp) until a photo is read (issue 20, restart).
import { FETCH_MODELS_HINT } from '../../../core/models.ts';

export const DEFAULT_SCALE = 1536;

/** The OCR models are missing, corrupt or unloadable. The message says how to fix it. */
export class OcrModelsError extends Error {
  override readonly name = 'OcrModelsError';
  readonly code = 'OCR_MODELS_UNAVAILABLE';
  readonly problems: string[];
  constructor(modelsDir: string, problems: string[], options?: { cause?: unknown }) {
    super(`OCR models unavailable in ${modelsDir}: ${problems.join('; ')}. To fix it, ${FETCH_MODELS_HINT}.`, options);
    this.problems = problems;
  }
}

export type OcrImageErrorCode = 'empty' | 'unsupported' | 'corrupt' | 'too_large';

/** The buffer is not an image the OCR can read. */
export class OcrImageError extends Error {
  override readonly name = 'OcrImageError';
  readonly code: OcrImageErrorCode;
  constructor(code: OcrImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
