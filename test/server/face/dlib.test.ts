// dlib's ResNet descriptor (issue 17): our TF.js → ONNX conversion is deterministic (the pinned sha256), and the
// 'dlib' pipeline tells people apart on the real dataset with its calibrated score.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_MATCH_THRESHOLD, dot } from '../../../core/face/index.ts';
import { FACE_PIPELINES, MODEL_FILES, calibratedScore } from '../../../core/models.ts';
import { convertDlibResnet } from '../../../scripts/dlib-onnx.ts';
import { loadFaceModels } from '../../../server/vision/face-models.ts';
import { createFaceRunner } from '../../../server/vision/face-runner.ts';
import { MODELS_DIR, needsDataset, readFace } from './dataset.ts';

const faceApiModel = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'model');

describe('dlib ResNet descriptor', () => {
  it('converts the TF.js weights of @vladmandic/face-api to the pinned ONNX bytes', () => {
    const onnx = convertDlibResnet(
      readFileSync(join(faceApiModel, 'face_recognition_model.bin')),
      readFileSync(join(faceApiModel, 'face_recognition_model-weights_manifest.json'), 'utf8'),
    );
    assert.equal(onnx.length, MODEL_FILES.faceFeatureDlib.bytes);
    assert.equal(createHash('sha256').update(onnx).digest('hex'), MODEL_FILES.faceFeatureDlib.sha256);
  });

  it("the 'dlib' pipeline matches a person's other photo above the threshold and others below it", needsDataset, async () => {
    const models = await loadFaceModels(MODELS_DIR, 'dlib');
    const runner = createFaceRunner(models.backend, models.pipeline);
    const embed = async (file: string) => {
      const r = await runner.embedSelfie(readFace(file));
      assert.ok(r.ok, file);
      return r.embedding;
    };
    const obamaA = await embed('obama/obama_official_portrait.jpg');
    const obamaB = await embed('obama/obama_podium.jpg');
    const biden = await embed('biden/biden_portrait.jpg');
    const kit = await embed('kit_harington/kit_harington_3.jpg');
    assert.equal(obamaA.length, 512);
    assert.equal(
      obamaA.subarray(128).some((v) => v !== 0),
      false,
      '128-D, zero-padded',
    );
    const score = (a: Float32Array, b: Float32Array) => calibratedScore(FACE_PIPELINES.dlib, dot(a, b));
    assert.ok(score(obamaA, obamaB) >= DEFAULT_MATCH_THRESHOLD, `genuine ${score(obamaA, obamaB)}`);
    for (const other of [biden, kit])
      assert.ok(score(obamaA, other) < DEFAULT_MATCH_THRESHOLD, `impostor ${score(obamaA, other)}`);
  });
});
