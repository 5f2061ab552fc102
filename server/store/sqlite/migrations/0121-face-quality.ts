import type { Migration } from './index.ts';

/**
 * Face quality and model (issue 17, `faceeval`):
 *  - `faces.quality` REAL 0..1: `faceQuality` of the face (size and sharpness); search asks a low-quality face for a
 *    clearer resemblance (core/face/quality.ts `matchThreshold`). NULL for faces indexed before: treated as 1
 *    (the legacy pipeline only indexed faces ≥ 32 px) until `photo-finish faces reindex`.
 *  - `faces.model`: the file name of the feature model that computed the embedding (e.g. `fr_feature.onnx`); NULL = the
 *    one shipped before this column existed (`fr_feature.onnx`). Search only compares embeddings of one model.
 */
export const faceQuality: Migration = {
  version: 121,
  name: 'faces: quality score and embedding model',
  up: `
    ALTER TABLE faces ADD COLUMN quality REAL CHECK (quality IS NULL OR (quality >= 0 AND quality <= 1));
    ALTER TABLE faces ADD COLUMN model TEXT;
  `,
};
