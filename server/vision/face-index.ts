/**
 * In-memory face search for one event: a contiguous int8 (or float32) matrix of L2-normalised
 * embeddings plus the photo of each face, searched by brute force with a WebAssembly SIMD
 * dot-product kernel; and an LRU cache of such indexes keyed by event.
 *
 * Independent of the DB: build an index from arrays (`FaceIndex.fromFaces`, `fromInt8`,
 * `fromFloat32`, `fromPacked` for rows stored with `packEmbeddingInt8`).
 */
import {
  DEFAULT_MATCH_THRESHOLD,
  EMBEDDING_DIM,
  NO_QUALITY_RULE,
  l2normalize,
  matchThreshold,
  quantizeInt8,
  unpackEmbeddingInt8,
  type QualityRule,
} from '../../core/face/index.ts';

export type FaceIndexPrecision = 'int8' | 'float32';

export interface SearchHit<Id> {
  image_id: Id;
  /** Cosine similarity of the photo's best-matching face. */
  score: number;
}

export interface SearchOptions {
  /** At most this many photos (best first). */
  limit?: number;
}

/**
 * Faces scoring at or above a bar against a query (`FaceIndex.candidates`): `count` rows of the index and their
 * cosines, in index order. The arrays may be longer than `count`.
 */
export interface Candidates {
  count: number;
  rows: Int32Array;
  scores: Float32Array;
}

// ---------------------------------------------------------------------------------------------
// The kernel: two functions over an imported memory, hand-assembled (a ~300-byte module).
//   dot_i8(q, m, n, dim, out):  out[r] (i32) = Σ_k q_i16[k] · m_i8[r·dim + k]
//   dot_f32(q, m, n, dim, out): out[r] (f32) = Σ_k q_f32[k] · m_f32[r·dim + k]
// `dim` is a multiple of 16 (rows are zero-padded). Pointers are byte offsets.
// ---------------------------------------------------------------------------------------------

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const str = (s: string) => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32const: 0x41,
  i32add: [0x6a],
  i32shl: [0x74],
  i32ltu: [0x49],
  i32geu: [0x4f],
  f32add: [0x92],
  i32store: [0x36, 2, 0],
  f32store: [0x38, 2, 0],
} as const;
const simd = (code: number, ...imm: number[]) => [0xfd, ...leb(code), ...imm];
const v128load = (offset: number) => simd(0x00, 4, ...leb(offset));
const v128zero = simd(0x0c, ...new Array<number>(16).fill(0));
// prettier-ignore
const I16_EXT_LO = 0x87, I16_EXT_HI = 0x88, I32_DOT = 0xba, I32_ADD = 0xae, I32_LANE = 0x1b,
  F32_ADD = 0xe4, F32_MUL = 0xe6, F32_LANE = 0x1f;
const g = (i: number) => [op.get, i];
const s = (i: number) => [op.set, i];
const c32 = (v: number) => [op.i32const, ...sleb(v)];

/**
 * One kernel function. In WAT (i8 flavour; f32 loads q at `q+k`, uses f32x4.mul/add and f32 lanes):
 *
 *   (func (param $q i32) (param $m i32) (param $n i32) (param $dim i32) (param $out i32)
 *     (local $r i32) (local $k i32) (local $row i32) (local $acc v128) (local $v v128)
 *     (local.set $row (local.get $dim))                         ;; f32: dim << 2
 *     (block $done (loop $rows
 *       (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
 *       (local.set $acc (v128.const i32x4 0 0 0 0))
 *       (local.set $k (i32.const 0))
 *       (loop $ks
 *         (local.set $acc (i32x4.add (i32x4.add (local.get $acc)
 *             (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.tee $v (v128.load (i32.add $m $k))))
 *                                (v128.load (i32.add $q (i32.shl $k 1)))))
 *             (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v))
 *                                (v128.load offset=16 (i32.add $q (i32.shl $k 1))))))
 *         (br_if $ks (i32.lt_u (local.tee $k (i32.add $k 16)) (local.get $row))))
 *       (i32.store (i32.add $out (i32.shl $r 2)) (sum of the 4 lanes of $acc))
 *       (local.set $m (i32.add $m $row))
 *       (local.set $r (i32.add $r 1))
 *       (br $rows))))
 */
// prettier-ignore
function kernelBody(kind: 'i8' | 'f32'): number[] {
  // params 0 q, 1 m, 2 n, 3 dim, 4 out; locals 5 r, 6 k, 7 row (bytes per row): i32; 8 acc, 9 v: v128
  const locals = vec([[3, 0x7f], [2, 0x7b]]);
  const R = 5, K = 6, ROW = 7, ACC = 8, V = 9;
  const inner = kind === 'i8'
    ? [
        ...g(ACC),
        ...g(1), ...g(K), ...op.i32add, ...v128load(0), op.tee, V, ...simd(I16_EXT_LO),
        ...g(0), ...g(K), ...c32(1), ...op.i32shl, ...op.i32add, ...v128load(0),
        ...simd(I32_DOT), ...simd(I32_ADD),
        ...g(V), ...simd(I16_EXT_HI),
        ...g(0), ...g(K), ...c32(1), ...op.i32shl, ...op.i32add, ...v128load(16),
        ...simd(I32_DOT), ...simd(I32_ADD),
        ...s(ACC),
        ...g(K), ...c32(16), ...op.i32add, op.tee, K, ...g(ROW), ...op.i32ltu, op.brIf, 0,
      ]
    : [
        ...g(ACC),
        ...g(1), ...g(K), ...op.i32add, ...v128load(0),
        ...g(0), ...g(K), ...op.i32add, ...v128load(0),
        ...simd(F32_MUL), ...simd(F32_ADD),
        ...s(ACC),
        ...g(K), ...c32(16), ...op.i32add, op.tee, K, ...g(ROW), ...op.i32ltu, op.brIf, 0,
      ];
  const lanes = kind === 'i8'
    ? [
        ...g(ACC), ...simd(I32_LANE, 0), ...g(ACC), ...simd(I32_LANE, 1), ...op.i32add,
        ...g(ACC), ...simd(I32_LANE, 2), ...op.i32add, ...g(ACC), ...simd(I32_LANE, 3), ...op.i32add,
        ...op.i32store,
      ]
    : [
        ...g(ACC), ...simd(F32_LANE, 0), ...g(ACC), ...simd(F32_LANE, 1), ...op.f32add,
        ...g(ACC), ...simd(F32_LANE, 2), ...op.f32add, ...g(ACC), ...simd(F32_LANE, 3), ...op.f32add,
        ...op.f32store,
      ];
  const code = [
    ...g(3), ...(kind === 'i8' ? [] : [...c32(2), ...op.i32shl]), ...s(ROW),
    ...op.block,
    ...op.loop,
    ...g(R), ...g(2), ...op.i32geu, op.brIf, 1,
    ...v128zero, ...s(ACC),
    ...c32(0), ...s(K),
    ...op.loop, ...inner, ...op.end,
    ...g(4), ...g(R), ...c32(2), ...op.i32shl, ...op.i32add,
    ...lanes,
    ...g(1), ...g(ROW), ...op.i32add, ...s(1),
    ...g(R), ...c32(1), ...op.i32add, ...s(R),
    op.br, 0,
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  const body = [...locals, ...code];
  return [...leb(body.length), ...body];
}

// prettier-ignore
function kernelModule(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00]])), // type 0: (5 × i32) → ()
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 0x00]])), // import env.memory (min 0)
    ...section(3, vec([[0x00], [0x00]])), // two functions of type 0
    ...section(7, vec([[...str('dot_i8'), 0x00, 0x00], [...str('dot_f32'), 0x00, 0x01]])), // exports
    ...section(10, vec([kernelBody('i8'), kernelBody('f32')])), // code
  ];
  return new Uint8Array(bytes);
}

type Kernel = (q: number, m: number, n: number, dim: number, out: number) => void;
let compiled: WebAssembly.Module | null | undefined;

function kernelModuleOnce(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = kernelModule();
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the WebAssembly SIMD kernel is in use (otherwise a plain-JS loop, ~8× slower). */
export function simdAvailable(): boolean {
  return kernelModuleOnce() !== null;
}

// ---------------------------------------------------------------------------------------------

const PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;
/** Query quantisation range for the int8 kernel (|Σ| ≤ dim·127·16383 stays inside i32). */
const Q16 = 16383;

interface Storage {
  readonly memory: WebAssembly.Memory | null;
  readonly buffer: ArrayBuffer;
  readonly qOff: number;
  readonly mOff: number;
  readonly outOff: number;
  readonly kernel: Kernel | null;
}

function allocate(precision: FaceIndexPrecision, stride: number, n: number, forceJs: boolean): Storage {
  const elem = precision === 'int8' ? 1 : 4;
  const qOff = 0;
  const mOff = align16(stride * 4);
  const outOff = align16(mOff + n * stride * elem);
  const total = outOff + Math.max(1, n) * 4;
  const mod = forceJs ? null : kernelModuleOnce();
  if (mod) {
    const pages = Math.ceil(total / PAGE);
    if (pages <= 65536) {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      const inst = new WebAssembly.Instance(mod, { env: { memory } });
      const kernel = inst.exports[precision === 'int8' ? 'dot_i8' : 'dot_f32'] as Kernel;
      return { memory, buffer: memory.buffer, qOff, mOff, outOff, kernel };
    }
  }
  return { memory: null, buffer: new ArrayBuffer(total), qOff, mOff, outOff, kernel: null };
}

export interface FaceIndexOptions {
  /** `int8` (default: 4× smaller, scores within ~0.002) or `float32`. */
  precision?: FaceIndexPrecision;
  /** Embedding size (default 512). */
  dim?: number;
  /** Skip the WebAssembly kernel (tests compare both paths). */
  forceJs?: boolean;
}

/**
 * Faces of one event, searchable by cosine similarity. Immutable: rebuild (and invalidate the
 * cache entry) when the event's faces change.
 */
export class FaceIndex<Id = string> {
  readonly precision: FaceIndexPrecision;
  readonly dim: number;
  /** Number of faces. */
  readonly size: number;
  private readonly stride: number;
  private readonly store: Storage;
  /** Per face: index into `photos`. */
  private readonly photoOf: Int32Array;
  private readonly photos: Id[];
  /** Per face dequantisation scale (int8 only). */
  private readonly scales: Float32Array | null;
  /** Per face raise of the threshold from its quality (`matchThreshold`); null = none. */
  private raise: Float32Array | null = null;
  /** Per face its store id (`fromPacked` rows with an `id`); null = not known. */
  private faceIds: Float64Array | null = null;
  /** Whether `faceIds` ascend (then a face id is found by binary search). */
  private faceIdsSorted = false;
  private faceRowMap: Map<number, number> | null = null;
  private scratch: Candidates = { count: 0, rows: new Int32Array(256), scores: new Float32Array(256) };

  private constructor(precision: FaceIndexPrecision, dim: number, faceIds: readonly Id[], forceJs: boolean) {
    if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`face index: bad dim ${dim}`);
    this.precision = precision;
    this.dim = dim;
    this.size = faceIds.length;
    this.stride = align16(dim);
    this.store = allocate(precision, this.stride, this.size, forceJs);
    this.scales = precision === 'int8' ? new Float32Array(this.size) : null;
    this.photoOf = new Int32Array(this.size);
    this.photos = [];
    const slot = new Map<Id, number>();
    faceIds.forEach((id, i) => {
      let p = slot.get(id);
      if (p === undefined) {
        p = this.photos.length;
        slot.set(id, p);
        this.photos.push(id);
      }
      this.photoOf[i] = p;
    });
  }

  /** Builds from face rows (float embeddings; normalised here, quantised for `int8`). */
  static fromFaces<Id>(
    faces: Iterable<{ image_id: Id; embedding: ArrayLike<number> }>,
    opts: FaceIndexOptions = {},
  ): FaceIndex<Id> {
    const rows = [...faces];
    const dim = opts.dim ?? rows[0]?.embedding.length ?? EMBEDDING_DIM;
    const idx = new FaceIndex<Id>(
      opts.precision ?? 'int8',
      dim,
      rows.map((r) => r.image_id),
      opts.forceJs ?? false,
    );
    rows.forEach((r, i) => idx.setRow(i, r.embedding));
    return idx;
  }

  /**
   * Builds row by row without materialising a float matrix first (e.g. streaming DB rows):
   * `embeddingAt(i)` gives face `i`'s float embedding (it may reuse one buffer).
   */
  static fromFunction<Id>(
    faceIds: readonly Id[],
    embeddingAt: (i: number) => ArrayLike<number>,
    opts: FaceIndexOptions = {},
  ): FaceIndex<Id> {
    const idx = new FaceIndex<Id>(opts.precision ?? 'int8', opts.dim ?? EMBEDDING_DIM, faceIds, opts.forceJs ?? false);
    for (let i = 0; i < faceIds.length; i++) idx.setRow(i, embeddingAt(i));
    return idx;
  }

  /** Builds from a row-major float32 matrix (`faceIds.length × dim`). */
  static fromFloat32<Id>(faceIds: readonly Id[], matrix: Float32Array, opts: FaceIndexOptions = {}): FaceIndex<Id> {
    const dim = opts.dim ?? EMBEDDING_DIM;
    if (matrix.length !== faceIds.length * dim)
      throw new RangeError(`face index: matrix has ${matrix.length} values for ${faceIds.length}×${dim}`);
    const idx = new FaceIndex<Id>(opts.precision ?? 'int8', dim, faceIds, opts.forceJs ?? false);
    for (let i = 0; i < faceIds.length; i++) idx.setRow(i, matrix.subarray(i * dim, (i + 1) * dim));
    return idx;
  }

  /** Builds from already quantised rows: `q` is `faceIds.length × dim` int8, `scales` one per face. */
  static fromInt8<Id>(
    faceIds: readonly Id[],
    q: Int8Array,
    scales: Float32Array,
    opts: Omit<FaceIndexOptions, 'precision'> = {},
  ): FaceIndex<Id> {
    const dim = opts.dim ?? EMBEDDING_DIM;
    const n = faceIds.length;
    if (q.length !== n * dim || scales.length !== n)
      throw new RangeError('face index: int8 matrix / scales do not match the face count');
    const idx = new FaceIndex<Id>('int8', dim, faceIds, opts.forceJs ?? false);
    const m = new Int8Array(idx.store.buffer, idx.store.mOff, n * idx.stride);
    if (idx.stride === dim) m.set(q);
    else for (let i = 0; i < n; i++) m.set(q.subarray(i * dim, (i + 1) * dim), i * idx.stride);
    idx.scales!.set(scales);
    return idx;
  }

  /** Builds from rows packed by `packEmbeddingInt8` (int8 × dim + float32 scale, e.g. DB BLOBs). */
  static fromPacked<Id>(
    rows: Iterable<{ id?: number; image_id: Id; packed: Uint8Array; quality?: number | null }>,
    opts: Omit<FaceIndexOptions, 'precision' | 'dim'> & { qualityRule?: QualityRule } = {},
  ): FaceIndex<Id> {
    const list = [...rows];
    const dim = list[0] ? list[0].packed.length - 4 : EMBEDDING_DIM;
    const idx = new FaceIndex<Id>(
      'int8',
      dim,
      list.map((r) => r.image_id),
      opts.forceJs ?? false,
    );
    const m = new Int8Array(idx.store.buffer, idx.store.mOff, list.length * idx.stride);
    list.forEach((r, i) => {
      if (r.packed.length !== dim + 4)
        throw new RangeError(`face index: packed row ${i} has ${r.packed.length} bytes, expected ${dim + 4}`);
      const { q, scale } = unpackEmbeddingInt8(r.packed);
      m.set(q, i * idx.stride);
      idx.scales![i] = scale;
    });
    idx.setQuality(
      list.map((r) => r.quality ?? null),
      opts.qualityRule ?? NO_QUALITY_RULE,
    );
    if (list.length > 0 && list.every((r) => typeof r.id === 'number')) {
      const ids = Float64Array.from(list, (r) => r.id!);
      idx.faceIds = ids;
      idx.faceIdsSorted = ids.every((v, i) => i === 0 || v > ids[i - 1]!);
    }
    return idx;
  }

  private setRow(i: number, v: ArrayLike<number>): void {
    if (v.length !== this.dim) throw new RangeError(`face index: embedding ${i} has ${v.length} values, expected ${this.dim}`);
    const unit = l2normalize(Float32Array.from(v));
    if (this.precision === 'int8') {
      const row = new Int8Array(this.store.buffer, this.store.mOff + i * this.stride, this.dim);
      this.scales![i] = quantizeInt8(unit, row).scale;
    } else {
      new Float32Array(this.store.buffer, this.store.mOff + i * this.stride * 4, this.dim).set(unit);
    }
  }

  /** Number of distinct photos. */
  get photoCount(): number {
    return this.photos.length;
  }

  /** Approximate memory held (matrix, scales, face → photo map). */
  get bytes(): number {
    return this.store.buffer.byteLength + this.photoOf.byteLength + (this.scales?.byteLength ?? 0) + this.photos.length * 64;
  }

  /** Whether this index runs the WebAssembly SIMD kernel. */
  get simd(): boolean {
    return this.store.kernel !== null;
  }

  /**
   * Normalises `query` and writes it where the kernel reads it (int8: as int16, returning the factor that turns
   * the kernel's integer sums into cosines once multiplied by the face's scale).
   */
  private loadQuery(query: ArrayLike<number>): { unit: Float32Array; qs: number } {
    if (query.length !== this.dim) throw new RangeError(`face index: query has ${query.length} values, expected ${this.dim}`);
    const unit = l2normalize(Float32Array.from(query));
    const { buffer, qOff } = this.store;
    if (this.precision === 'int8') {
      let mx = 0;
      for (let k = 0; k < this.dim; k++) mx = Math.max(mx, Math.abs(unit[k]!));
      const qs = mx > 0 ? mx / Q16 : 1;
      const q16 = new Int16Array(buffer, qOff, this.stride).fill(0);
      for (let k = 0; k < this.dim; k++) q16[k] = Math.round(unit[k]! / qs);
      return { unit, qs };
    }
    new Float32Array(buffer, qOff, this.stride).fill(0).set(unit);
    return { unit, qs: 1 };
  }

  /** Cosine of `query` with every face (index order). */
  scores(query: ArrayLike<number>): Float32Array {
    if (query.length !== this.dim) throw new RangeError(`face index: query has ${query.length} values, expected ${this.dim}`);
    const n = this.size;
    const out = new Float32Array(n);
    if (n === 0) return out;
    const { unit, qs } = this.loadQuery(query);
    const { buffer, qOff, mOff, outOff, kernel } = this.store;
    const stride = this.stride;
    if (this.precision === 'int8') {
      const scales = this.scales!;
      if (kernel) {
        kernel(qOff, mOff, n, stride, outOff);
        const acc = new Int32Array(buffer, outOff, n);
        for (let r = 0; r < n; r++) out[r] = acc[r]! * scales[r]! * qs;
      } else {
        const m = new Int8Array(buffer, mOff, n * stride);
        const qf = Float64Array.from(unit);
        for (let r = 0, o = 0; r < n; r++, o += stride) {
          let a = 0;
          for (let k = 0; k < this.dim; k++) a += qf[k]! * m[o + k]!;
          out[r] = a * scales[r]!;
        }
      }
    } else {
      if (kernel) {
        kernel(qOff, mOff, n, stride, outOff);
        out.set(new Float32Array(buffer, outOff, n));
      } else {
        const m = new Float32Array(buffer, mOff, n * stride);
        for (let r = 0, o = 0; r < n; r++, o += stride) {
          let a = 0;
          for (let k = 0; k < this.dim; k++) a += unit[k]! * m[o + k]!;
          out[r] = a;
        }
      }
    }
    return out;
  }

  /**
   * One scan: the faces whose cosine to `query` is at least `bar` (the same cosines as `scores`), in index order,
   * without an array of all scores. `into` is reused (grown when too small).
   */
  candidates(query: ArrayLike<number>, bar: number, into?: Candidates): Candidates {
    const out: Candidates = into ?? { count: 0, rows: new Int32Array(256), scores: new Float32Array(256) };
    out.count = 0;
    const n = this.size;
    if (query.length !== this.dim) throw new RangeError(`face index: query has ${query.length} values, expected ${this.dim}`);
    if (n === 0) return out;
    const { buffer, mOff, outOff, kernel } = this.store;
    if (this.precision === 'int8' && kernel) {
      const { qs } = this.loadQuery(query);
      kernel(this.store.qOff, mOff, n, this.stride, outOff);
      const acc = new Int32Array(buffer, outOff, n);
      const scales = this.scales!;
      for (let r = 0; r < n; r++) {
        const sc = Math.fround(acc[r]! * scales[r]! * qs);
        if (sc >= bar) push(out, r, sc);
      }
      return out;
    }
    const all = this.scores(query);
    for (let r = 0; r < n; r++) if (all[r]! >= bar) push(out, r, all[r]!);
    return out;
  }

  /**
   * The cosines of `query` with the faces at `rows[0..count)` only (the same values a full scan gives them): a
   * second query over the candidates of a first one, at the cost of those rows instead of the whole index.
   */
  rescore(query: ArrayLike<number>, rows: Int32Array, count: number, out = new Float32Array(count)): Float32Array {
    if (count === 0) return out;
    const { unit, qs } = this.loadQuery(query);
    const { buffer, qOff, mOff, outOff, kernel } = this.store;
    const stride = this.stride;
    if (this.precision === 'int8') {
      const scales = this.scales!;
      if (kernel) {
        const acc = new Int32Array(buffer, outOff, 1);
        for (let i = 0; i < count; i++) {
          const r = rows[i]!;
          kernel(qOff, mOff + r * stride, 1, stride, outOff);
          out[i] = acc[0]! * scales[r]! * qs;
        }
      } else {
        const m = new Int8Array(buffer, mOff, this.size * stride);
        const qf = Float64Array.from(unit);
        for (let i = 0; i < count; i++) {
          const r = rows[i]!;
          let a = 0;
          for (let k = 0, o = r * stride; k < this.dim; k++) a += qf[k]! * m[o + k]!;
          out[i] = a * scales[r]!;
        }
      }
    } else if (kernel) {
      const acc = new Float32Array(buffer, outOff, 1);
      for (let i = 0; i < count; i++) {
        kernel(qOff, mOff + rows[i]! * stride * 4, 1, stride, outOff);
        out[i] = acc[0]!;
      }
    } else {
      const m = new Float32Array(buffer, mOff, this.size * stride);
      for (let i = 0; i < count; i++) {
        let a = 0;
        for (let k = 0, o = rows[i]! * stride; k < this.dim; k++) a += unit[k]! * m[o + k]!;
        out[i] = a;
      }
    }
    return out;
  }

  /** The photo of face `row`. */
  photoAt(row: number): Id {
    return this.photos[this.photoOf[row]!]!;
  }

  /** The photo of a `photoSlot`. */
  photoOfSlot(slot: number): Id {
    return this.photos[slot]!;
  }

  /** A small integer per photo (0..photoCount): faces of one photo share it. */
  photoSlot(row: number): number {
    return this.photoOf[row]!;
  }

  /** Whether face `row` matches at `threshold` with this cosine (its quality raise included, as `search`). */
  passes(row: number, score: number, threshold: number): boolean {
    return score >= threshold && (this.raise === null || score >= threshold + this.raise[row]!);
  }

  /** Whether the faces' store ids are known (`fromPacked` rows with an `id`). */
  get hasFaceIds(): boolean {
    return this.faceIds !== null;
  }

  /** The store id of face `row` (`hasFaceIds`). */
  faceId(row: number): number {
    if (!this.faceIds) throw new Error('face index: built without face ids');
    return this.faceIds[row]!;
  }

  /** The row of the face with this store id, or -1. */
  rowOfFace(id: number): number {
    const ids = this.faceIds;
    if (!ids) return -1;
    if (this.faceIdsSorted) {
      let lo = 0;
      let hi = ids.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = ids[mid]!;
        if (v === id) return mid;
        if (v < id) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    }
    if (!this.faceRowMap) this.faceRowMap = new Map(Array.from(ids, (v, i) => [v, i]));
    return this.faceRowMap.get(id) ?? -1;
  }

  /** The unit float embedding of face `row` (as `faceVector` of its stored bytes). */
  vector(row: number): Float32Array {
    const { buffer, mOff } = this.store;
    if (this.precision === 'int8') {
      const q = new Int8Array(buffer, mOff + row * this.stride, this.dim);
      const scale = this.scales![row]!;
      const v = new Float32Array(this.dim);
      for (let k = 0; k < this.dim; k++) v[k] = q[k]! * scale;
      return l2normalize(v);
    }
    return l2normalize(Float32Array.from(new Float32Array(buffer, mOff + row * this.stride * 4, this.dim)));
  }

  /**
   * Sets each face's threshold raise from its quality under `rule` (`matchThreshold`); a rule with no penalty
   * removes them. Unknown quality (null: faces indexed before migration 0121, all ≥ 32 px) gets no raise.
   */
  setQuality(qualities: ArrayLike<number | null>, rule: QualityRule): void {
    if (qualities.length !== this.size) throw new RangeError(`face index: ${qualities.length} qualities for ${this.size} faces`);
    if (!(rule.penalty > 0)) {
      this.raise = null;
      return;
    }
    const raise = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) raise[i] = matchThreshold(0, qualities[i] ?? 1, rule);
    this.raise = raise;
  }

  /**
   * Photos with a face at cosine ≥ `threshold` to `query` (plus the face's quality raise when the index
   * was built with a quality rule), one hit per photo (its best face), best first (ties: index order).
   */
  search(query: ArrayLike<number>, threshold = DEFAULT_MATCH_THRESHOLD, opts: SearchOptions = {}): SearchHit<Id>[] {
    // One scan keeping the faces at or above the threshold (synchronous, so one scratch buffer serves every call).
    const c = this.candidates(query, threshold, this.scratch);
    const best = new Map<number, number>();
    const raise = this.raise;
    for (let i = 0; i < c.count; i++) {
      const r = c.rows[i]!;
      const sc = c.scores[i]!;
      if (raise !== null && sc < threshold + raise[r]!) continue;
      const p = this.photoOf[r]!;
      const prev = best.get(p);
      if (prev === undefined || sc > prev) best.set(p, sc);
    }
    // A very low threshold grew the scratch buffer: let it go rather than hold it with the index.
    if (c.rows.length > 65536) this.scratch = { count: 0, rows: new Int32Array(256), scores: new Float32Array(256) };
    const hitPhotos = [...best.keys()].sort((a, b) => best.get(b)! - best.get(a)! || a - b);
    const limit = opts.limit ?? hitPhotos.length;
    return hitPhotos.slice(0, limit).map((p) => ({ image_id: this.photos[p]!, score: best.get(p)! }));
  }
}

function push(c: Candidates, row: number, score: number): void {
  if (c.count === c.rows.length) {
    const rows = new Int32Array(c.rows.length * 2);
    rows.set(c.rows);
    const scores = new Float32Array(c.scores.length * 2);
    scores.set(c.scores);
    c.rows = rows;
    c.scores = scores;
  }
  c.rows[c.count] = row;
  c.scores[c.count] = score;
  c.count++;
}

// ---------------------------------------------------------------------------------------------

export interface FaceIndexCacheOptions<K, Id> {
  /** Builds the index of an event (e.g. from its face rows in the DB). */
  load: (eventId: K) => Promise<FaceIndex<Id>> | FaceIndex<Id>;
  /** Most indexes kept (least recently used evicted first). Default 8. */
  maxEntries?: number;
  /** Optional memory budget over all kept indexes (`FaceIndex.bytes`); the newest one is always kept. */
  maxBytes?: number;
}

/**
 * LRU cache of per-event face indexes. Concurrent `get`s of one event share one load;
 * `invalidate` drops an entry (and discards a load still in flight), so the next `get` reloads.
 */
export class FaceIndexCache<K = string | number, Id = string> {
  private readonly entries = new Map<K, FaceIndex<Id>>();
  private readonly pending = new Map<K, { gen: number; promise: Promise<FaceIndex<Id>> }>();
  private readonly gens = new Map<K, number>();
  private readonly loader: FaceIndexCacheOptions<K, Id>['load'];
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(opts: FaceIndexCacheOptions<K, Id>) {
    this.loader = opts.load;
    this.maxEntries = Math.max(1, opts.maxEntries ?? 8);
    this.maxBytes = opts.maxBytes ?? Infinity;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    let b = 0;
    for (const idx of this.entries.values()) b += idx.bytes;
    return b;
  }

  has(eventId: K): boolean {
    return this.entries.has(eventId);
  }

  /** The event's index, loading it on a miss. */
  get(eventId: K): Promise<FaceIndex<Id>> {
    const hit = this.entries.get(eventId);
    if (hit) {
      this.entries.delete(eventId);
      this.entries.set(eventId, hit);
      return Promise.resolve(hit);
    }
    const inflight = this.pending.get(eventId);
    if (inflight) return inflight.promise;
    const gen = this.gens.get(eventId) ?? 0;
    const settle = () => {
      if (this.pending.get(eventId)?.gen === gen) this.pending.delete(eventId);
    };
    // The loader starts on a later tick, so `pending` is set before it can settle.
    const promise = Promise.resolve()
      .then(() => this.loader(eventId))
      .then(
        (idx) => {
          settle();
          if ((this.gens.get(eventId) ?? 0) === gen) {
            this.entries.set(eventId, idx);
            this.evict();
          }
          return idx;
        },
        (err: unknown) => {
          settle();
          throw err;
        },
      );
    this.pending.set(eventId, { gen, promise });
    return promise;
  }

  /** Drops the event's index (call after its faces change). */
  invalidate(eventId: K): void {
    this.entries.delete(eventId);
    this.pending.delete(eventId);
    this.gens.set(eventId, (this.gens.get(eventId) ?? 0) + 1);
  }

  clear(): void {
    for (const k of [...this.entries.keys(), ...this.pending.keys()]) this.invalidate(k);
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    while (this.entries.size > 1 && this.bytes > this.maxBytes) this.entries.delete(this.entries.keys().next().value as K);
  }
}
