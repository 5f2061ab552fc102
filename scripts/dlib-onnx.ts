/**
 * Converts dlib's ResNet face descriptor (dlib_face_recognition_resnet_model_v1, released by Davis King into the
 * public domain), as @vladmandic/face-api ships it (TensorFlow.js weights: `face_recognition_model.bin` + its
 * `-weights_manifest.json`), into an ONNX model that onnxruntime-node and -web run as is.
 *
 * The graph is face-api's `FaceRecognitionNet.forwardInput` (a 29-layer ResNet): conv+scale layers (the scale is
 * folded into the convolution), max pool, residual and down-sampling residual blocks (average-pooled shortcut,
 * zero channel padding, zero row/column padding where the shapes differ), global average, a 256→128 dense layer.
 * Input `input` [1,3,150,150] float32 NCHW, RGB, `(v − mean_rgb) / 255` with mean_rgb 122.782, 117.001, 104.298;
 * output `output` [1,128] (not normalised).
 *
 * No protobuf library: the few ONNX messages needed are written by a small encoder (scripts/onnx-pb.ts). The output
 * is byte-for-byte deterministic, so its sha256 is pinned in core/models.ts.
 */

import { Pb } from './onnx-pb.ts';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8'; scale: number; min: number };
}

/** Decodes the TF.js weight file into named float32 arrays. */
export function decodeTfjsWeights(
  bin: Uint8Array,
  manifest: { weights: WeightSpec[] }[],
): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  let off = 0;
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (const group of manifest) {
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      if (w.quantization) {
        if (w.quantization.dtype !== 'uint8') throw new Error(`${w.name}: unsupported quantization ${w.quantization.dtype}`);
        const { scale, min } = w.quantization;
        for (let i = 0; i < n; i++) data[i] = bin[off + i]! * scale + min;
        off += n;
      } else {
        if (w.dtype !== 'float32') throw new Error(`${w.name}: unsupported dtype ${w.dtype}`);
        for (let i = 0; i < n; i++) data[i] = view.getFloat32(off + 4 * i, true);
        off += 4 * n;
      }
      out.set(w.name, { shape: w.shape, data });
    }
  }
  if (off !== bin.length) throw new Error(`weights: read ${off} bytes of ${bin.length}`);
  return out;
}

// ONNX field numbers (onnx.proto).
const FLOAT = 1;
const INT64 = 7;
type Attr = { name: string; ints?: number[]; i?: number; f?: number };

function attribute(a: Attr): Pb {
  const p = new Pb().str(1, a.name);
  if (a.ints) {
    for (const v of a.ints) p.int(8, v);
    p.int(20, 7); // INTS
  } else if (a.f !== undefined) {
    p.float(2, a.f).int(20, 1); // FLOAT
  } else {
    p.int(3, a.i!).int(20, 2); // INT
  }
  return p;
}

function tensor(name: string, dims: number[], data: Float32Array | BigInt64Array): Pb {
  const p = new Pb();
  for (const d of dims) p.int(1, d);
  p.int(2, data instanceof Float32Array ? FLOAT : INT64);
  p.str(8, name);
  const raw = new Uint8Array(data.byteLength);
  const dv = new DataView(raw.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => dv.setFloat32(4 * i, v, true));
  else data.forEach((v, i) => dv.setBigInt64(8 * i, v, true));
  p.bytes(9, raw);
  return p;
}

function valueInfo(name: string, dims: number[]): Pb {
  const shape = new Pb();
  for (const d of dims) shape.msg(1, new Pb().int(1, d));
  const tensorType = new Pb().int(1, FLOAT).msg(2, shape);
  return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType));
}

/** Builds the ONNX model from the decoded weights. */
export function dlibResnetOnnx(weights: Map<string, { shape: number[]; data: Float32Array }>): Uint8Array {
  const nodes: Pb[] = [];
  const inits: Pb[] = [];
  let n = 0;
  const w = (name: string) => {
    const t = weights.get(name);
    if (!t) throw new Error(`weights: ${name} is missing`);
    return t;
  };
  const node = (op: string, inputs: string[], attrs: Attr[] = []): string => {
    const out = `t${n++}`;
    const p = new Pb();
    for (const i of inputs) p.str(1, i);
    p.str(2, out).str(3, `${op}_${n}`).str(4, op);
    for (const a of attrs) p.msg(5, attribute(a));
    nodes.push(p);
    return out;
  };
  const init = (name: string, dims: number[], data: Float32Array | BigInt64Array) => {
    inits.push(tensor(name, dims, data));
    return name;
  };

  /** conv (+bias) then scale (x·w + b), folded into one Conv; optional ReLU. */
  const convLayer = (x: string, prefix: string, stride: number, relu: boolean, same: boolean): string => {
    const f = w(`${prefix}/conv/filters`); // [kh, kw, in, out]
    const bias = w(`${prefix}/conv/bias`).data;
    const sw = w(`${prefix}/scale/weights`).data;
    const sb = w(`${prefix}/scale/biases`).data;
    const [kh, kw, cin, cout] = f.shape as [number, number, number, number];
    const W = new Float32Array(cout * cin * kh * kw);
    for (let y = 0; y < kh; y++)
      for (let xx = 0; xx < kw; xx++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++)
            W[((o * cin + i) * kh + y) * kw + xx] = f.data[((y * kw + xx) * cin + i) * cout + o]! * sw[o]!;
    const B = Float32Array.from({ length: cout }, (_, o) => bias[o]! * sw[o]! + sb[o]!);
    const pad = same ? (kh - 1) / 2 : 0;
    const out = node(
      'Conv',
      [x, init(`${prefix}/W`, [cout, cin, kh, kw], W), init(`${prefix}/B`, [cout], B)],
      [
        { name: 'kernel_shape', ints: [kh, kw] },
        { name: 'strides', ints: [stride, stride] },
        { name: 'pads', ints: [pad, pad, pad, pad] },
      ],
    );
    return relu ? node('Relu', [out]) : out;
  };
  const residual = (x: string, p: string) => {
    const a = convLayer(x, `${p}/conv1`, 1, true, true);
    const b = convLayer(a, `${p}/conv2`, 1, false, true);
    return node('Relu', [node('Add', [b, x])]);
  };
  /** Spatial size after each step, to place the zero rows/columns and channels face-api adds. */
  const residualDown = (x: string, p: string, size: number, cin: number): [string, number] => {
    const a = convLayer(x, `${p}/conv1`, 2, true, false);
    let b = convLayer(a, `${p}/conv2`, 1, false, true);
    const cout = w(`${p}/conv2/conv/filters`).shape[3]!;
    const convSize = Math.floor((size - 3) / 2) + 1;
    const poolSize = Math.floor(size / 2);
    let pooled = node(
      'AveragePool',
      [x],
      [
        { name: 'kernel_shape', ints: [2, 2] },
        { name: 'strides', ints: [2, 2] },
      ],
    );
    if (convSize !== poolSize) {
      if (poolSize - convSize !== 1) throw new Error(`${p}: shapes ${convSize} vs ${poolSize}`);
      b = node('Pad', [b, init(`${p}/pad_hw`, [8], BigInt64Array.from([0, 0, 0, 0, 0, 0, 1, 1].map(BigInt)))]);
    }
    if (cout !== cin) {
      pooled = node('Pad', [pooled, init(`${p}/pad_c`, [8], BigInt64Array.from([0, 0, 0, 0, 0, cout - cin, 0, 0].map(BigInt)))]);
    }
    return [node('Relu', [node('Add', [pooled, b])]), poolSize];
  };

  let x = convLayer('input', 'conv32_down', 2, true, false); // 150 → 72
  x = node(
    'MaxPool',
    [x],
    [
      { name: 'kernel_shape', ints: [3, 3] },
      { name: 'strides', ints: [2, 2] },
    ],
  ); // 72 → 35
  let size = 35;
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  [x, size] = residualDown(x, 'conv64_down', size, 32);
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  [x, size] = residualDown(x, 'conv128_down', size, 64);
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  [x, size] = residualDown(x, 'conv256_down', size, 128);
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  [x, size] = residualDown(x, 'conv256_down_out', size, 256);
  x = node('GlobalAveragePool', [x]);
  x = node('Flatten', [x], [{ name: 'axis', i: 1 }]);
  const fc = w('fc');
  x = node('MatMul', [x, init('fc', fc.shape, fc.data)]);
  // The last node's output is the graph output.
  nodes.push(new Pb().str(1, x).str(2, 'output').str(3, 'output').str(4, 'Identity'));

  const graph = new Pb();
  for (const nd of nodes) graph.msg(1, nd);
  graph.str(2, 'dlib_face_recognition_resnet_model_v1');
  for (const t of inits) graph.msg(5, t);
  graph.msg(11, valueInfo('input', [1, 3, 150, 150]));
  graph.msg(12, valueInfo('output', [1, 128]));
  const model = new Pb()
    .int(1, 7) // ir_version
    .str(2, 'photo-finish scripts/dlib-onnx.ts')
    .str(3, '1')
    .msg(7, graph)
    .msg(8, new Pb().str(1, '').int(2, 13));
  return model.finish();
}

/** The whole conversion: TF.js weights + manifest → ONNX bytes. */
export function convertDlibResnet(bin: Uint8Array, manifestJson: string): Uint8Array {
  return dlibResnetOnnx(decodeTfjsWeights(bin, JSON.parse(manifestJson) as { weights: WeightSpec[] }[]));
}
