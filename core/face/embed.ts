/** Face embeddings (`fr_feature.onnx`, 512-D): input tensor, normalisation, similarity, int8 storage. */
import { warpAffine, type Affine, type RasterImage } from './image.ts';
import { planarTensor } from './detect.ts';
import { ALIGNED_SIZE } from './align.ts';

export const EMBEDDING_DIM = 512;
export const FEATURE_DIMS = [1, 3, ALIGNED_SIZE, ALIGNED_SIZE] as const;
/**
 * Default cosine threshold for "same person". Measured: same person ≈0.73 (clean) / 0.68 (race
 * photos), different people ≤0.33 (clean) / ≤0.53 (race photos).
 */
export const DEFAULT_MATCH_THRESHOLD = 0.45;

/** Planar BGR `(v-127)/128` tensor of an aligned 112×112 face (the feature net expects BGR). */
export function buildFeatureTensor(aligned: RasterImage): Float32Array {
  if (aligned.width !== ALIGNED_SIZE || aligned.height !== ALIGNED_SIZE) {
    throw new RangeError(
      `feature: expected a ${ALIGNED_SIZE}×${ALIGNED_SIZE} aligned face, got ${aligned.width}×${aligned.height}`,
    );
  }
  let rgb = aligned.data;
  if (aligned.channels === 4) {
    const n = ALIGNED_SIZE * ALIGNED_SIZE;
    const packed = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      packed[3 * i] = rgb[4 * i]!;
      packed[3 * i + 1] = rgb[4 * i + 1]!;
      packed[3 * i + 2] = rgb[4 * i + 2]!;
    }
    rgb = packed;
  }
  return planarTensor(rgb, ALIGNED_SIZE * ALIGNED_SIZE, true);
}

/** L2-normalises in place (and returns) the vector; a zero vector stays zero. */
export function l2normalize<T extends Float32Array | Float64Array>(v: T): T {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s > 0) {
    const k = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * k;
  }
  return v;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`dot: lengths ${a.length} and ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Cosine similarity (does not assume unit vectors). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  if (a.length !== b.length) throw new RangeError(`cosine: lengths ${a.length} and ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Symmetric per-vector int8 quantisation: `v ≈ q * scale`, `scale = max|v| / 127`. */
export interface Int8Vector {
  q: Int8Array;
  scale: number;
}

export function quantizeInt8(v: ArrayLike<number>, out: Int8Array = new Int8Array(v.length)): Int8Vector {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  const scale = m > 0 ? m / 127 : 1;
  for (let i = 0; i < v.length; i++) out[i] = Math.round(v[i]! / scale);
  return { q: out, scale };
}

export function dequantizeInt8(q: ArrayLike<number>, scale: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * scale;
  return out;
}

/** Bytes of a packed int8 embedding: 512 int8 + float32 scale (little-endian) = 516. */
export const PACKED_INT8_BYTES = EMBEDDING_DIM + 4;

/** Packs an embedding for storage (e.g. a DB BLOB): int8 components then the float32 LE scale. */
export function packEmbeddingInt8(v: ArrayLike<number>): Uint8Array {
  const buf = new Uint8Array(v.length + 4);
  const { scale } = quantizeInt8(v, new Int8Array(buf.buffer, 0, v.length));
  new DataView(buf.buffer).setFloat32(v.length, scale, true);
  return buf;
}

export function unpackEmbeddingInt8(bytes: Uint8Array): Int8Vector {
  if (bytes.length < 5) throw new RangeError('unpack: too short');
  const n = bytes.length - 4;
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, n).slice();
  const scale = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getFloat32(n, true);
  return { q, scale };
}

/** Float32 embedding ↔ bytes (little-endian), for storage or transfer. */
export function embeddingToBytes(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) dv.setFloat32(i * 4, v[i]!, true);
  return out;
}

export function embeddingFromBytes(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new RangeError('embedding bytes: length not a multiple of 4');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

// ── dlib's ResNet descriptor (128-D), an alternative feature model ───────────────────────────────────────

/** Which feature network a backend runs: the default 512-D ArcFace-style model, or dlib's 128-D ResNet. */
export type FeatureKind = 'arcface512' | 'dlib128';

export const DLIB_CHIP_SIZE = 150;
export const DLIB_DIMS = [1, 3, DLIB_CHIP_SIZE, DLIB_CHIP_SIZE] as const;
export const DLIB_DESCRIPTOR_DIM = 128;
const DLIB_MEAN_RGB = [122.782, 117.001, 104.298] as const;
/**
 * The five points (eye centres, nose tip, mouth corners) in dlib's 150×150 face chip (padding 0.25): dlib's mean
 * face shape (landmarks 36–41, 42–47, 30, 48, 54), mapped by (v + 0.25) / 1.5 × 150.
 */
export const DLIB_CHIP_POINTS: readonly (readonly [number, number])[] = [
  [47.549, 46.599],
  [100.476, 46.599],
  [74.013, 76.563],
  [50.415, 103.023],
  [97.61, 103.023],
];

/**
 * dlib's input tensor from the ArcFace-aligned 112×112 face (the one intermediate both pipelines share, and what
 * the browser uploads): re-warped onto dlib's 150×150 chip, planar RGB, `(v − mean) / 255`.
 */
export function buildDlibTensor(aligned: RasterImage, arcfaceToChip: Affine): Float32Array {
  const chip = warpAffine(aligned, arcfaceToChip, DLIB_CHIP_SIZE, DLIB_CHIP_SIZE, 0);
  const n = DLIB_CHIP_SIZE * DLIB_CHIP_SIZE;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[i] = (chip.data[3 * i]! - DLIB_MEAN_RGB[0]) / 255;
    out[n + i] = (chip.data[3 * i + 1]! - DLIB_MEAN_RGB[1]) / 255;
    out[2 * n + i] = (chip.data[3 * i + 2]! - DLIB_MEAN_RGB[2]) / 255;
  }
  return out;
}

/**
 * A 128-D dlib descriptor as a stored embedding: L2-normalised, zero-padded to `EMBEDDING_DIM` so that storage, the
 * index and the API stay 512-D (zeros change no cosine).
 */
export function padDescriptor(v: ArrayLike<number>): Float32Array {
  const out = new Float32Array(EMBEDDING_DIM);
  for (let i = 0; i < Math.min(v.length, EMBEDDING_DIM); i++) out[i] = v[i]!;
  return l2normalize(out);
}
