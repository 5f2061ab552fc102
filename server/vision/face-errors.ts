// The face stage's errors, in a module of their own: the services and the CLI that name them do not load the
// runner (sharp) or the models (onnxruntime) until a face is indexed or searched (issue 20, restart).
import { FETCH_MODELS_HINT } from '../../core/models.ts';

/** Missing, corrupt or unloadable face models. The message says what is wrong and how to fix it. */
export class FaceModelsError extends Error {
  override readonly name = 'FaceModelsError';
  readonly problems: string[];
  constructor(modelsDir: string, problems: string[]) {
    super(`face models unavailable in ${modelsDir}: ${problems.join('; ')}. To fix it, ${FETCH_MODELS_HINT}.`);
    this.problems = problems;
  }
}

export type ImageDecodeErrorCode = 'empty' | 'unsupported' | 'corrupt' | 'too_large';

/** The buffer is not an image the pipeline can read. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  readonly code: ImageDecodeErrorCode;
  constructor(code: ImageDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
