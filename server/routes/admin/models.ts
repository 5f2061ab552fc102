import { ModelRegistry } from '../../../core/api/ml-models.ts';
import { ok } from '../../http/envelope.ts';
import { OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { serverModelRegistry } from '../../services/model-registry.ts';

export const modelRegistryRoute = defineRoute({
  method: 'get',
  path: '/models',
  tag: 'Admin: models',
  summary: 'The model registry',
  description:
    'Every ONNX model this server can run (face detection, landmarks, embedding; bib reading): its npm package, ' +
    'licence, origin, training data as far as known, sha256, and whether this server has it intact; and the face ' +
    'pipelines (config FACE_PIPELINE), the active one marked. The same for every organisation: the models are the server’s.',
  auth: 'secret',
  request: { params: OrgPath },
  data: ModelRegistry,
  errors: [422],
});

/** The model registry (issue 17): read-only, for the console's Account page and operators. */
export const adminModels = createRouter().openapi(modelRegistryRoute, async (c) => {
  const data = await serverModelRegistry(c.get('deps'));
  const missing = data.models.filter((m) => m.status !== 'verified').length;
  return ok(c, missing ? `${data.models.length} models, ${missing} missing or corrupt` : `${data.models.length} models`, data);
});
