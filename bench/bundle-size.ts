// Bundle sizes of the built kit (run `npm run build` first): every ES module entry with the chunks it loads
// statically, the drop-in script (the loader) and what a drop-in page fetches in all (the loader plus the modules
// of the elements on the page); raw, gzip -9 and brotli (each file compressed on its own, as the server sends them).
// Exits 1 when the drop-in script, a gallery page (pf-event + pf-gallery, before its lightbox) or the first selfie
// search (the worker, onnxruntime and the two browser models, as the server sends them) is over budget.
//   node --import tsx bench/bundle-size.ts [--budget-kb 45] [--gallery-budget-kb 20] [--selfie-budget-mb 4]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { MODEL_FILES } from '../core/models.ts';
import { REEXPORT_ONLY } from '../vite.config.ts';

const { values } = parseArgs({
  options: {
    'budget-kb': { type: 'string', default: '45' },
    // The goal of issue 20 (a gallery page: the loader and the kit chunk).
    'gallery-budget-kb': { type: 'string', default: '20' },
    'selfie-budget-mb': { type: 'string', default: '4' },
  },
});
const selfieBudget = Number(values['selfie-budget-mb']) * 1e6;
const modelsDir = resolve(process.env.MODELS_DIR ?? join(import.meta.dirname, '..', 'models'));
const budget = Number(values['budget-kb']) * 1024;
const galleryBudget = Number(values['gallery-budget-kb']) * 1024;
const dist = resolve(import.meta.dirname, '..', 'dist');
/** What the server sends for a file to a browser that accepts brotli and gzip: the .br copy, else the .gz, else the file. */
const onTheWire = (file: string) => {
  for (const copy of [`${file}.br`, `${file}.gz`, file]) if (existsSync(copy)) return { copy, bytes: statSync(copy).size };
  throw new Error(`${file} is missing`);
};
if (!existsSync(join(dist, 'photo-finish.js'))) {
  console.error('dist/photo-finish.js is missing: run `npm run build` first');
  process.exit(2);
}

const sizes = (buf: Buffer) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** The file and every chunk it imports statically (what a browser fetches before the element works). */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(/(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) {
    closure(resolve(dirname(file), m[1]!), seen);
  }
  return seen;
}

/**
 * What the drop-in loader fetches for an element: the entry's static closure, without the entry when it only
 * re-exports from its chunks (the rule of `staticChunks` in vite.config.ts, which the loader is built with).
 */
function dropInFiles(tag: string, into: Set<string>): void {
  const entry = join(esm, `${tag}.js`);
  if (!existsSync(entry)) return;
  const files = closure(entry);
  if (REEXPORT_ONLY.test(readFileSync(entry, 'utf8'))) files.delete(entry);
  for (const f of files) into.add(f);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
const esm = join(dist, 'esm');
const rows: { name: string; files: number; raw: number; gzip: number; brotli: number }[] = [];
for (const f of readdirSync(esm)
  .filter((n) => n.endsWith('.js'))
  .sort()) {
  const files = [...closure(join(esm, f))];
  // Compressed as one stream is optimistic for separate files; sum each file's own compressed size instead.
  const total = files
    .map((p) => sizes(readFileSync(p)))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
  rows.push({ name: `esm/${f}`, files: files.length, ...total });
}
const dropIn = sizes(readFileSync(join(dist, 'photo-finish.js')));
rows.push({ name: 'photo-finish.js (drop-in loader)', files: 1, ...dropIn });
// A drop-in page fetches the loader, then each element's chunks (shared chunks once; an entry that only re-exports
// its chunk is not fetched).
const pageTotals = new Map<string, number>();
for (const [label, tags] of [
  ['drop-in page: pf-event + pf-gallery', ['pf-event', 'pf-gallery']],
  // The lightbox's module comes when the page is idle after the first thumbnails (or on the first tap).
  ['  … and its lightbox, once fetched', ['pf-event', 'pf-gallery', 'esm/pf-lightbox.js']],
  // demo/index.html (pf-finder's selfie tab imports pf-selfie-search only when it is opened).
  ['drop-in page: the demo (5 elements)', ['pf-event', 'pf-finder', 'pf-certificate', 'pf-timeline', 'pf-gallery']],
  [
    'drop-in page: every element',
    readdirSync(esm)
      .filter((n) => n.startsWith('pf-'))
      .map((n) => n.slice(0, -3)),
  ],
] as const) {
  const files = new Set<string>([join(dist, 'photo-finish.js')]);
  // (A path is a module imported by the page's code, with its static chunks: pf-gallery imports the lightbox's entry.)
  for (const t of tags)
    if (t.startsWith('esm/')) closure(join(dist, t), files);
    else dropInFiles(t, files);
  const total = [...files]
    .map((p) => sizes(readFileSync(p)))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
  rows.push({ name: label, files: files.size, ...total });
  pageTotals.set(label, total.gzip);
}
const worker = join(dist, 'selfie-worker.js');
if (existsSync(worker)) rows.push({ name: 'selfie-worker.js (lazy)', files: 1, ...sizes(readFileSync(worker)) });
const ort = join(dist, 'ort');
if (existsSync(ort)) {
  const bytes = readdirSync(ort).reduce((n, f) => n + statSync(join(ort, f)).size, 0);
  console.log(`(ort/ runtime files, loaded only by a selfie search: ${(bytes / 1048576).toFixed(1)} MB raw)`);
}

console.log(`${'entry (with its static chunks)'.padEnd(38)} files       raw      gzip    brotli`);
for (const r of rows)
  console.log(`${r.name.padEnd(38)} ${String(r.files).padStart(5)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
const ok = dropIn.gzip <= budget;
console.log(
  `drop-in script: ${kb(dropIn.gzip).trim()} gzip of a ${kb(budget).trim()} budget — ${ok ? 'within budget' : 'OVER BUDGET'}`,
);
const gallery = pageTotals.get('drop-in page: pf-event + pf-gallery') ?? 0;
const galleryOk = gallery <= galleryBudget;
console.log(
  `gallery page before its lightbox: ${kb(gallery).trim()} gzip (${gallery} bytes) of a ${kb(galleryBudget).trim()} budget — ${galleryOk ? 'within budget' : 'OVER BUDGET'}`,
);

// The first selfie search: everything the worker fetches before it can align a face (the feature model is not:
// the server embeds the aligned crop).
const selfieFiles = [
  join(dist, 'selfie-worker.js'),
  join(dist, 'ort', 'ort-wasm-simd-threaded.mjs'),
  join(dist, 'ort', 'ort-wasm-simd-threaded.wasm'),
  join(modelsDir, MODEL_FILES.faceDetectWeb.name),
  join(modelsDir, MODEL_FILES.faceLandmarkWeb.name),
];
let selfieOk = true;
if (selfieFiles.every((f) => existsSync(f))) {
  const sent = selfieFiles.map(onTheWire);
  for (const s of sent)
    console.log(`  first selfie: ${s.copy.replace(/^.*\/(dist|models)\//, '$1/').padEnd(48)} ${(s.bytes / 1e6).toFixed(2)} MB`);
  const total = sent.reduce((n, s) => n + s.bytes, 0);
  selfieOk = total <= selfieBudget;
  console.log(
    `first selfie search on the wire: ${(total / 1e6).toFixed(2)} MB of a ${(selfieBudget / 1e6).toFixed(1)} MB budget — ${selfieOk ? 'within budget' : 'OVER BUDGET'}`,
  );
} else {
  console.log('first selfie search: not measured (build the kit and fetch the models first)');
}
process.exit(ok && galleryOk && selfieOk ? 0 : 1);
