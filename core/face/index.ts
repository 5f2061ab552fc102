/**
 * Face pipeline shared by the server (onnxruntime-node) and the browser worker (onnxruntime-web):
 * detect (full frame + tiles) → 68 landmarks → five points → similarity warp to 112×112 →
 * 512-D embedding. Pure TypeScript: no Node built-ins, no DOM.
 *
 * A backend only has to run one float32 tensor through one of the three models, e.g. in a worker:
 *
 *   const sessions = { detect: await ort.InferenceSession.create(detectUrl), landmark: …, feature: … };
 *   const backend: FaceBackend = {
 *     async run(model, input, dims) {
 *       const s = sessions[model];
 *       const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
 *       return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
 *     },
 *   };
 *   const img = { data: imageData.data, width: imageData.width, height: imageData.height, channels: 4 };
 *   const selfie = await analyseSelfie(img, backend);           // or refusal reason
 *   if (selfie.ok) embedding = await embedAligned(selfie.aligned.image, backend);
 *
 * Downscale camera photos to ~1600 px before `analyseSelfie` in the browser: the face is large.
 */
export * from './image.ts';
export * from './detect.ts';
export * from './align.ts';
export * from './embed.ts';
export * from './quality.ts';
export * from './pipeline.ts';
