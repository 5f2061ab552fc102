// The browser's copies of the detector and landmarks (float16 weights, scripts/onnx-f16.ts): the conversion is
// exact where it must be, deterministic (the pinned sha256 of core/models.ts), refuses what is not a model, and
// the copies align every dataset selfie like the originals do (same outcome; the embeddings of the two aligned
// crops, both by the server's float32 feature model, nearly identical).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ort from 'onnxruntime-node';
import { analyseSelfie, embedAligned, type FaceBackend, type FaceModel } from '../../../core/face/pipeline.ts';
import { MODEL_FILES } from '../../../core/models.ts';
import { float16Bits, storeWeightsAsFloat16 } from '../../../scripts/onnx-f16.ts';
import { decodeImage } from '../../../server/vision/face-runner.ts';
import { FACES_DIR, MODELS_DIR, manifest, needsDataset } from './dataset.ts';

const model = (name: string) => readFileSync(join(MODELS_DIR, name));

async function backend(files: Record<FaceModel, string>): Promise<FaceBackend> {
  const sessions = {} as Record<FaceModel, ort.InferenceSession>;
  for (const m of Object.keys(files) as FaceModel[]) sessions[m] = await ort.InferenceSession.create(model(files[m]));
  return {
    async run(m, input, dims) {
      const s = sessions[m];
      const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
    },
  };
}

describe('float16 weights for the browser', () => {
  test('float16Bits: exact values, rounding to nearest even, subnormals, overflow, NaN', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff], // the largest float16
      [65519, 0x7bff], // rounds down
      [65520, 0x7c00], // rounds up to Infinity
      [1e10, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -14, 0x0400], // the smallest normal
      [1023 * 2 ** -24, 0x03ff], // the largest subnormal
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // half of it: ties to even (0)
      [1e-8, 0x0000],
      [1 + 2 ** -11, 0x3c00], // a tie between 1 and the next float16: to even
      [1 + 3 * 2 ** -11, 0x3c02], // a tie: to even, upwards
    ];
    for (const [v, bits] of cases) assert.equal(float16Bits(v), bits, `${v} → 0x${bits.toString(16)}`);
    assert.equal(float16Bits(NaN) & 0x7c00, 0x7c00);
    assert.notEqual(float16Bits(NaN) & 0x3ff, 0, 'NaN stays NaN');
  });

  test('the browser copies are exactly the pinned files: deterministic, about half the size', () => {
    for (const [source, web] of [
      [MODEL_FILES.faceDetect, MODEL_FILES.faceDetectWeb],
      [MODEL_FILES.faceLandmark, MODEL_FILES.faceLandmarkWeb],
    ] as const) {
      const out = storeWeightsAsFloat16(model(source.name));
      assert.equal(createHash('sha256').update(out).digest('hex'), web.sha256, web.name);
      assert.equal(out.length, web.bytes);
      assert.ok(out.length < source.bytes * 0.6, `${web.name}: ${out.length} bytes of ${source.bytes}`);
      assert.deepEqual(storeWeightsAsFloat16(model(source.name)), out, 'the same bytes again');
    }
  });

  test('what is not an ONNX model is refused with a reason, never half-converted', () => {
    assert.throws(() => storeWeightsAsFloat16(new Uint8Array()), /not an ONNX model: no graph/);
    assert.throws(() => storeWeightsAsFloat16(Buffer.from('{"not":"a model"}')), /protobuf|not an ONNX model/);
    const m = model(MODEL_FILES.faceLandmark.name);
    assert.throws(() => storeWeightsAsFloat16(m.subarray(0, m.length - 1000)), /protobuf: field \d+ runs past the end/);
    // Already converted: nothing float32 is left to store as float16.
    assert.throws(() => storeWeightsAsFloat16(model(MODEL_FILES.faceLandmarkWeb.name)), /no float32 weights/);
  });

  test('every dataset selfie is aligned by the browser copies as by the originals', needsDataset, async () => {
    const server = await backend({ detect: 'fr_detect.onnx', landmark: 'fr_landmark.onnx', feature: 'fr_feature.onnx' });
    const browser = await backend({ detect: 'fr_detect.web.onnx', landmark: 'fr_landmark.web.onnx', feature: 'fr_feature.onnx' });
    const singles = manifest().filter((f) => f.kind === 'single');
    assert.ok(singles.length >= 10, `${singles.length} single-face photos`);
    let aligned = 0;
    for (const f of singles) {
      const { image } = await decodeImage(readFileSync(join(FACES_DIR, f.file)));
      const a = await analyseSelfie(image, server);
      const b = await analyseSelfie(image, browser);
      assert.equal(b.ok, a.ok, `${f.file}: the same outcome`);
      if (!a.ok || !b.ok) {
        if (!a.ok && !b.ok) assert.equal(b.reason, a.reason, f.file);
        continue;
      }
      aligned++;
      const ea = await embedAligned(a.aligned.image, server);
      const eb = await embedAligned(b.aligned.image, server);
      const cos = ea.reduce((s, v, i) => s + v * eb[i]!, 0);
      assert.ok(cos > 0.999, `${f.file}: cosine ${cos.toFixed(5)} between the two alignments`);
    }
    assert.ok(aligned >= singles.length * 0.8, `${aligned} of ${singles.length} aligned`);
  });
});
