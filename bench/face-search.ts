// Face search latency: brute force over random unit vectors (10k, 100k, 1M faces), int8 vs float32.
// Run: node --import tsx bench/face-search.ts [--sizes 10000,100000,1000000] [--queries 100]
// One core: the kernel is single-threaded WebAssembly SIMD (plain-JS fallback shown for reference).
import { parseArgs } from 'node:util';
import { DEFAULT_MATCH_THRESHOLD, l2normalize } from '../core/face/index.ts';
import { FaceIndex, simdAvailable, type FaceIndexPrecision } from '../server/vision/face-index.ts';
import { FACE_PIPELINES } from '../core/models.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    queries: { type: 'string', default: '100' },
    js: { type: 'boolean', default: true },
  },
});
const sizes = values.sizes.split(',').map(Number);
const QUERIES = Number(values.queries);
const DIM = 512;

/** Gaussian-ish unit vectors from a fast PRNG (sum of 4 uniforms). */
function randomUnit(out: Float32Array, next: () => number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = next() + next() + next() + next() - 2;
  return l2normalize(out);
}
function xorshift(seed: number) {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

console.log(
  `face search bench: dim ${DIM}, WebAssembly SIMD ${simdAvailable() ? 'on' : 'OFF'}, node ${process.version}, threshold ${DEFAULT_MATCH_THRESHOLD}`,
);
console.log('faces      precision  kernel  build_s  MB      p50_ms  p99_ms  max_ms  queries');
for (const n of sizes) {
  const photos = Math.ceil(n / 3); // ~3 faces per photo
  const ids = Array.from({ length: n }, (_, i) => i % photos);
  const cases: [FaceIndexPrecision, boolean][] = [
    ['int8', false],
    ['float32', false],
  ];
  if (values.js && n <= 100_000) cases.push(['int8', true]);
  for (const [precision, forceJs] of cases) {
    const next = xorshift(n + 17);
    const row = new Float32Array(DIM);
    const t0 = performance.now();
    const index = FaceIndex.fromFunction(ids, () => randomUnit(row, next), { precision, forceJs });
    const buildS = (performance.now() - t0) / 1000;
    const q = new Float32Array(DIM);
    const times: number[] = [];
    const count = forceJs ? Math.min(QUERIES, 20) : n >= 1_000_000 ? Math.min(QUERIES, 50) : QUERIES;
    for (let i = 0; i < count + 3; i++) {
      randomUnit(q, next);
      const t = performance.now();
      index.search(q, DEFAULT_MATCH_THRESHOLD);
      if (i >= 3) times.push(performance.now() - t); // 3 warm-up queries
    }
    times.sort((a, b) => a - b);
    report(n, precision, index, buildS, times, count, '');
    if (precision === 'int8' && !forceJs) {
      // The default pipeline's quality rule: a per-face threshold raise checked for faces above the threshold.
      index.setQuality(
        Float32Array.from({ length: n }, () => next()),
        FACE_PIPELINES.default.quality,
      );
      const qt: number[] = [];
      for (let i = 0; i < count + 3; i++) {
        randomUnit(q, next);
        const t = performance.now();
        index.search(q, DEFAULT_MATCH_THRESHOLD);
        if (i >= 3) qt.push(performance.now() - t);
      }
      qt.sort((a, b) => a - b);
      report(n, precision, index, buildS, qt, count, '+quality');
      // The query expansion's second query over the first scan's candidates only (server/services/face-match.ts):
      // 1 % of the faces (about what the candidate bar keeps of a large event's other people), spread over the index.
      const share = 0.01;
      const rows = Int32Array.from({ length: Math.round(n * share) }, () => Math.floor(next() * n)).sort();
      const rt: number[] = [];
      for (let i = 0; i < count + 3; i++) {
        randomUnit(q, next);
        const t = performance.now();
        index.rescore(q, rows, rows.length);
        if (i >= 3) rt.push(performance.now() - t);
      }
      rt.sort((a, b) => a - b);
      report(n, precision, index, buildS, rt, count, '+rescore1%');
    }
  }
}

function report(
  n: number,
  precision: string,
  index: FaceIndex<number>,
  buildS: number,
  times: number[],
  count: number,
  tag: string,
) {
  {
    console.log(
      [
        String(n).padEnd(10),
        precision.padEnd(10),
        ((index.simd ? 'simd' : 'js') + tag).padEnd(7),
        buildS.toFixed(1).padStart(7),
        (index.bytes / 1e6).toFixed(0).padStart(6),
        pct(times, 50).toFixed(2).padStart(7),
        pct(times, 99).toFixed(2).padStart(7),
        times[times.length - 1]!.toFixed(2).padStart(7),
        String(count).padStart(8),
      ].join(' '),
    );
  }
}
