/**
 * The model registry as the admin API shows it (issue 17): every model of core/models.ts with its provenance,
 * whether this server's models folder holds it intact (sha256, computed once per file version), and the face
 * pipelines that use it.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRegistry } from '../../core/api/ml-models.ts';
import { DEFAULT_FACE_PIPELINE, FACE_PIPELINES, MODEL_FILES, type FacePipelineName, type ModelKey } from '../../core/models.ts';
import type { AppDeps } from '../deps.ts';
import { paths } from '../paths.ts';

const OCR_MODELS: readonly ModelKey[] = ['ocrDetect', 'ocrRecognise', 'ocrKeys'];

/** sha256 by path, size and mtime: a model file is hashed once per version of it. */
const hashes = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

async function fileStatus(file: string, sha256: string): Promise<'verified' | 'missing' | 'corrupt'> {
  let st;
  try {
    st = await stat(file);
  } catch {
    return 'missing';
  }
  let known = hashes.get(file);
  if (!known || known.size !== st.size || known.mtimeMs !== st.mtimeMs) {
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) return 'missing';
    known = { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
    hashes.set(file, known);
  }
  return known.sha256 === sha256 ? 'verified' : 'corrupt';
}

/** The registry for a models folder and the active face pipeline. */
export async function modelRegistry(modelsDir: string, active: FacePipelineName): Promise<ModelRegistry> {
  const pipelines = Object.entries(FACE_PIPELINES) as [FacePipelineName, (typeof FACE_PIPELINES)[FacePipelineName]][];
  const usedBy = (key: ModelKey) => [
    ...pipelines.filter(([, p]) => Object.values(p.models).includes(key as never)).map(([n]) => n),
    ...(OCR_MODELS.includes(key) ? ['ocr'] : []),
    ...('browser' in MODEL_FILES[key] ? ['browser'] : []),
  ];
  const entries = Object.entries(MODEL_FILES) as [ModelKey, (typeof MODEL_FILES)[ModelKey]][];
  return {
    face_pipeline: active,
    pipelines: pipelines.map(([name, p]) => ({
      name,
      label: p.label,
      active: name === active,
      detector: p.detector,
      models: {
        detect: MODEL_FILES[p.models.detect].name,
        landmark: MODEL_FILES[p.models.landmark].name,
        feature: MODEL_FILES[p.models.feature].name,
      },
      min_face_px: p.minEmbedFace,
      query_min_face_px: p.selfieMinFace,
      quality_penalty: p.quality.penalty,
    })),
    models: await Promise.all(
      entries.map(async ([key, m]) => ({
        key,
        file: m.name,
        role: m.role,
        package: m.pkg,
        path: m.path,
        licence: m.licence,
        origin: m.origin,
        training_data: m.trainingData,
        sha256: m.sha256,
        bytes: m.bytes,
        status: await fileStatus(join(modelsDir, m.name), m.sha256),
        used_by: usedBy(key),
      })),
    ),
  };
}

/** The registry of the running server: its face service's models folder and pipeline. */
export function serverModelRegistry(deps: Pick<AppDeps, 'faces' | 'site'>): Promise<ModelRegistry> {
  const dir = deps.faces?.modelsDir ?? deps.site?.modelsDir ?? paths.models;
  return modelRegistry(dir, deps.faces?.pipelineName ?? DEFAULT_FACE_PIPELINE);
}
