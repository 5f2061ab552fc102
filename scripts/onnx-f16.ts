/**
 * The browser copy of an ONNX model: every float32 weight tensor stored as float16, each followed by a `Cast` back
 * to float32 at the head of the graph. The network computes in float32 as before (onnxruntime folds the casts
 * into constants when the session is created), and the file is about half the size, so the selfie worker's first
 * download is smaller. The rounding moves an aligned selfie's embedding by a cosine of about 0.0002
 * (test/server/face/web-models.test.ts). Everything else in the file is copied byte for byte (scripts/onnx-pb.ts),
 * so the output is deterministic and its sha256 is pinned in core/models.ts.
 */
import { Pb, pbFields, type PbField } from './onnx-pb.ts';

// onnx.proto field numbers and enum values.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_DATA_LOCATION = 14;
const FLOAT = 1;
const FLOAT16 = 10;
const ATTRIBUTE_INT = 2;

/** Tensors smaller than this stay float32 (biases of a few values: nothing to gain). */
const MIN_ELEMENTS = 16;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest, ties to even (subnormals, ±Infinity and NaN kept). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  const roundShift = (m: number, shift: number) => {
    let h = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && h & 1)) h++;
    return h;
  };
  if (e <= 0) {
    if (e < -10) return sign;
    return sign | roundShift(mant | 0x800000, 14 - e);
  }
  // A carry out of the mantissa moves into the exponent, which is the right result (up to Infinity).
  return sign | (roundShift((e << 23) | mant, 13) & 0x7fff);
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The names of the graph's declared inputs (an initializer listed there may be fed by the caller: kept as is). */
function inputNames(graph: PbField[]): Set<string> {
  const names = new Set<string>();
  for (const f of graph) {
    if (f.no !== GRAPH_INPUT || !f.payload) continue;
    const name = pbFields(f.payload).find((g) => g.no === 1 && g.payload);
    if (name) names.add(text(name.payload!));
  }
  return names;
}

/** The float16 copy of an initializer, or null when it stays as it is. */
function halfTensor(tensor: Uint8Array, feedable: Set<string>): { tensor: Pb; name: string; half: string } | null {
  const fields = pbFields(tensor);
  const type = fields.find((f) => f.no === TENSOR_DATA_TYPE)?.varint;
  const raw = fields.find((f) => f.no === TENSOR_RAW_DATA)?.payload;
  const nameField = fields.find((f) => f.no === TENSOR_NAME)?.payload;
  if (type !== BigInt(FLOAT) || !raw || !nameField || fields.some((f) => f.no === TENSOR_DATA_LOCATION)) return null;
  const name = text(nameField);
  const n = raw.length / 4;
  if (n < MIN_ELEMENTS || !Number.isInteger(n) || feedable.has(name)) return null;
  const src = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const half = new Uint8Array(n * 2);
  const dst = new DataView(half.buffer);
  for (let i = 0; i < n; i++) dst.setUint16(2 * i, float16Bits(src.getFloat32(4 * i, true)), true);
  const out = new Pb();
  for (const f of fields) if (f.no !== TENSOR_DATA_TYPE && f.no !== TENSOR_NAME && f.no !== TENSOR_RAW_DATA) out.raw(f);
  const halfName = `${name}__f16`;
  out.int(TENSOR_DATA_TYPE, FLOAT16).str(TENSOR_NAME, halfName).bytes(TENSOR_RAW_DATA, half);
  return { tensor: out, name, half: halfName };
}

function castNode(from: string, to: string): Pb {
  const toFloat = new Pb().str(1, 'to').int(3, FLOAT).int(20, ATTRIBUTE_INT);
  return new Pb().str(1, from).str(2, to).str(3, `${to}__cast`).str(4, 'Cast').msg(5, toFloat);
}

/** Rewrites an ONNX model with its float32 weights stored as float16 (see above). Throws on a malformed file. */
export function storeWeightsAsFloat16(model: Uint8Array): Uint8Array {
  const fields = pbFields(model);
  const graphField = fields.find((f) => f.no === MODEL_GRAPH && f.payload);
  if (!graphField) throw new Error('not an ONNX model: no graph');
  const graph = pbFields(graphField.payload!);
  const feedable = inputNames(graph);
  const casts: Pb[] = [];
  const rest = new Pb();
  for (const f of graph) {
    const half = f.no === GRAPH_INITIALIZER && f.payload ? halfTensor(f.payload, feedable) : null;
    if (!half) {
      rest.raw(f);
      continue;
    }
    rest.msg(GRAPH_INITIALIZER, half.tensor);
    casts.push(castNode(half.half, half.name));
  }
  if (casts.length === 0) throw new Error('no float32 weights to store as float16');
  // The casts come first: node order must be topological, and they depend only on initializers.
  const newGraph = new Pb();
  for (const c of casts) newGraph.msg(GRAPH_NODE, c);
  const body = rest.finish();
  const out = new Pb();
  for (const f of fields) {
    if (f !== graphField) out.raw(f);
    else {
      const head = newGraph.finish();
      const merged = new Uint8Array(head.length + body.length);
      merged.set(head);
      merged.set(body, head.length);
      out.bytes(MODEL_GRAPH, merged);
    }
  }
  return out.finish();
}
