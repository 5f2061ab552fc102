/**
 * onnxruntime-node sessions for the three face models (CPU, one intra-op thread each), loaded
 * from the models directory once per process and verified against their sha256.
 */
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  DEFAULT_FACE_PIPELINE,
  FACE_PIPELINES,
  MODEL_FILES,
  type FacePipelineName,
  type FacePipelineSpec,
  type ModelFile,
} from '../../core/models.ts';
import type { FaceBackend, FaceModel } from '../../core/face/index.ts';
import { readVerifiedModel } from './model-files.ts';
import { FaceModelsError } from './face-errors.ts';

/** The model file of each role of a pipeline. */
export function pipelineModelFiles(pipeline: FacePipelineSpec): Record<FaceModel, ModelFile> {
  return {
    detect: MODEL_FILES[pipeline.models.detect],
    landmark: MODEL_FILES[pipeline.models.landmark],
    feature: MODEL_FILES[pipeline.models.feature],
  };
}

export { FaceModelsError } from './face-errors.ts';

export interface FaceModels {
  readonly modelsDir: string;
  readonly pipelineName: FacePipelineName;
  readonly pipeline: FacePipelineSpec;
  readonly sessions: Record<FaceModel, ort.InferenceSession>;
  /** The runner the core pipeline calls. */
  readonly backend: FaceBackend;
}

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

async function load(modelsDir: string, pipelineName: FacePipelineName): Promise<FaceModels> {
  const pipeline: FacePipelineSpec = FACE_PIPELINES[pipelineName];
  const entries = Object.entries(pipelineModelFiles(pipeline)) as [FaceModel, ModelFile][];
  const files = await Promise.all(entries.map(([, m]) => readVerifiedModel(modelsDir, m)));
  const problems = files.flatMap((f) => (f.problem ? [f.problem] : []));
  if (problems.length) throw new FaceModelsError(modelsDir, problems);
  const sessions = {} as Record<FaceModel, ort.InferenceSession>;
  try {
    for (const [i, [key]] of entries.entries()) {
      sessions[key] = await ort.InferenceSession.create(files[i]!.bytes!, SESSION_OPTIONS);
    }
  } catch (e) {
    throw new FaceModelsError(modelsDir, [`onnxruntime could not load them (${(e as Error).message})`]);
  }
  return { modelsDir, pipelineName, pipeline, sessions, backend: ortBackend(sessions, pipeline.feature) };
}

/** A `FaceBackend` over onnxruntime-node sessions: one float32 input, all outputs as Float32Array. */
export function ortBackend(
  sessions: Record<FaceModel, ort.InferenceSession>,
  feature: FacePipelineSpec['feature'] = 'arcface512',
): FaceBackend {
  return {
    feature,
    async run(model, input, dims) {
      const session = sessions[model];
      const inputName = session.inputNames[0];
      if (!inputName) throw new Error(`face model '${model}' has no input`);
      const results = await session.run({ [inputName]: new ort.Tensor('float32', input, dims) });
      const out: Record<string, Float32Array> = {};
      for (const [name, tensor] of Object.entries(results)) {
        if (!(tensor.data instanceof Float32Array))
          throw new Error(`face model '${model}': output '${name}' is ${tensor.type}, expected float32`);
        out[name] = tensor.data;
      }
      return out;
    },
  };
}

const loaded = new Map<string, Promise<FaceModels>>();

/**
 * The face models of `modelsDir`, loaded and sha256-verified once per process (a failed load
 * is not cached, so fetching the models fixes a running server). Throws `FaceModelsError`.
 */
export function loadFaceModels(modelsDir: string, pipelineName: FacePipelineName = DEFAULT_FACE_PIPELINE): Promise<FaceModels> {
  if (!Object.hasOwn(FACE_PIPELINES, pipelineName)) {
    return Promise.reject(
      new Error(`unknown face pipeline '${pipelineName}' (one of ${Object.keys(FACE_PIPELINES).join(', ')})`),
    );
  }
  const key = `${pipelineName}\0${resolve(modelsDir)}`;
  let p = loaded.get(key);
  if (!p) {
    p = load(resolve(modelsDir), pipelineName);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

/** `loadFaceModels` under the name the evaluation uses. */
export const loadFacePipeline = (modelsDir: string, pipelineName: FacePipelineName) => loadFaceModels(modelsDir, pipelineName);

/** Releases the sessions of `modelsDir` (tests, shutdown), every pipeline's. */
export async function releaseFaceModels(modelsDir: string): Promise<void> {
  const dir = resolve(modelsDir);
  for (const [key, p] of [...loaded]) {
    if (!key.endsWith(`\0${dir}`)) continue;
    loaded.delete(key);
    const models = await p.catch(() => null);
    if (models) await Promise.all(Object.values(models.sessions).map((s) => s.release()));
  }
}
