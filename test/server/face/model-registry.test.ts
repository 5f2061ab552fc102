// The model registry (issue 17): provenance of every model in code, its status on this server, and the admin route.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelRegistry } from '../../../core/api/ml-models.ts';
import { FACE_PIPELINES, MODEL_FILES } from '../../../core/models.ts';
import { modelRegistry } from '../../../server/services/model-registry.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { MODELS_DIR } from './dataset.ts';

describe('model registry', () => {
  it('every model names its package, licence, origin, training data and a sha256', () => {
    for (const [key, m] of Object.entries(MODEL_FILES)) {
      assert.match(m.pkg, /^(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+$/, key);
      assert.match(m.sha256, /^[0-9a-f]{64}$/, key);
      for (const field of [m.licence, m.origin, m.trainingData, m.role]) assert.ok(field.length > 2, key);
    }
    for (const [name, p] of Object.entries(FACE_PIPELINES)) {
      for (const k of Object.values(p.models)) assert.ok(k in MODEL_FILES, `${name}: ${k}`);
      assert.ok(p.minEmbedFace >= 16 && p.selfieMinFace >= p.minEmbedFace, name);
    }
  });

  it('tells verified, missing and corrupt files apart, and which pipelines use each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-registry-'));
    try {
      copyFileSync(join(MODELS_DIR, MODEL_FILES.faceDetect.name), join(dir, MODEL_FILES.faceDetect.name));
      writeFileSync(join(dir, MODEL_FILES.faceFeature.name), 'not the model');
      const r = await modelRegistry(dir, 'legacy');
      const by = (file: string) => r.models.find((m) => m.file === file)!;
      assert.equal(by(MODEL_FILES.faceDetect.name).status, 'verified');
      assert.equal(by(MODEL_FILES.faceFeature.name).status, 'corrupt');
      assert.equal(by(MODEL_FILES.faceLandmark.name).status, 'missing');
      assert.deepEqual(by(MODEL_FILES.faceFeature.name).used_by.sort(), ['default', 'legacy']);
      assert.deepEqual(by(MODEL_FILES.ocrDetect.name).used_by, ['ocr']);
      assert.equal(r.face_pipeline, 'legacy');
      assert.deepEqual(
        r.pipelines.filter((p) => p.active).map((p) => p.name),
        ['legacy'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /api/v1/admin/{org}/models', () => {
  let h: Harness;
  let key: string;
  let orgId: number;
  before(async () => {
    h = createHarness();
    const org = await h.deps.store.orgs.create('Registry');
    orgId = org.id;
    key = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
  });
  after(() => h.close());

  it('answers the registry to a secret key, and 401 without one', async () => {
    const res = await h.call(`/api/v1/admin/${orgId}/models`, { key });
    assert.equal(res.status, 200);
    const body = await json<ModelRegistry>(res);
    assert.equal(body.data.face_pipeline, 'default');
    assert.equal(body.data.models.length, Object.keys(MODEL_FILES).length);
    const feature = body.data.models.find((m) => m.key === 'faceFeature')!;
    assert.equal(feature.package, MODEL_FILES.faceFeature.pkg);
    assert.match(feature.training_data, /unknown/);
    assert.equal((await h.call(`/api/v1/admin/${orgId}/models`)).status, 401);
  });
});
