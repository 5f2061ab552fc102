import { z } from 'zod';

/**
 * The model registry (`GET /api/v1/admin/{org_id}/models`): every ONNX model the server can run, where it comes from
 * (npm package, licence, origin, training data as far as known, sha256), whether this server has it, and the face
 * pipelines (config FACE_PIPELINE) that use them.
 */
export const ModelEntry = z.object({
  key: z.string(),
  file: z.string().meta({ description: 'file name in the models folder (MODELS_DIR)' }),
  role: z.string(),
  package: z.string().meta({ description: 'npm package (name@version) the file is extracted from by `npm run fetch-models`' }),
  path: z.string().meta({ description: 'path of the file inside the package tarball' }),
  licence: z.string(),
  origin: z.string(),
  training_data: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  status: z.enum(['verified', 'missing', 'corrupt']).meta({ description: 'the file in MODELS_DIR on this server' }),
  used_by: z
    .array(z.string())
    .meta({ description: 'face pipelines using it (`ocr` for the bib reader, `browser` for the selfie worker in the browser)' }),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const FacePipelineItem = z.object({
  name: z.string(),
  label: z.string(),
  active: z.boolean(),
  detector: z.string(),
  models: z.object({ detect: z.string(), landmark: z.string(), feature: z.string() }),
  min_face_px: z.number().int().meta({ description: 'smallest face indexed (shorter side of its box)' }),
  query_min_face_px: z.number().int().meta({ description: 'smallest face accepted in a selfie or query photo' }),
  quality_penalty: z.number().meta({ description: 'a face of quality q matches at threshold + penalty × (1 − q)' }),
});
export type FacePipelineItem = z.infer<typeof FacePipelineItem>;

export const ModelRegistry = z.object({
  face_pipeline: z.string().meta({ description: 'the active face pipeline (config FACE_PIPELINE)' }),
  pipelines: z.array(FacePipelineItem),
  models: z.array(ModelEntry),
});
export type ModelRegistry = z.infer<typeof ModelRegistry>;
