// Selfie preprocessing in the browser: the built dist/selfie-worker.js (onnxruntime-web, WebAssembly, one
// thread) in headless Chromium pinned to ONE core (taskset -c 0), on the dataset's single-face photos and on a
// 12-megapixel camera-sized selfie. Prints the first load (runtime + models fetched from a local server and
// compiled) and per-photo decode / detect+align / PNG / embed times.
//   npm run build && node --import tsx bench/selfie-worker.ts [--rounds 3]
/// <reference lib="dom" />
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type * as Comlink from 'comlink';
import { chromium } from 'playwright';
import sharp from 'sharp';
import { startApiFixture } from '../test/support/api-fixture.ts';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const ROUNDS = Math.max(1, Number(values.rounds));
const root = resolve(import.meta.dirname, '..');
const facesDir = resolve(process.env.FACES_DATASET ?? join(root, '..', 'shared', 'datasets', 'faces'));
if (!existsSync(join(root, 'dist/selfie-worker.js'))) throw new Error('dist/selfie-worker.js is missing: npm run build');
if (!existsSync(join(facesDir, 'manifest.json'))) throw new Error(`face dataset not found at ${facesDir}`);

const manifest = JSON.parse(readFileSync(join(facesDir, 'manifest.json'), 'utf8')) as {
  files: { file: string; kind: string; width: number; height: number }[];
};
const photos = manifest.files
  .filter((f) => f.kind === 'single')
  .map((f) => ({ name: f.file, data: readFileSync(join(facesDir, f.file)) }));
// A phone-camera-sized selfie: a portrait upscaled to 4000×3000 (12 MP JPEG, as a phone writes it).
const portrait = readFileSync(join(facesDir, 'obama/obama_press_room.jpg'));
photos.push({
  name: '12-MP selfie (4000×3000)',
  data: await sharp(portrait).resize(4000, 3000, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer(),
});

// Chromium on one core: a wrapper that starts it under taskset when available.
const chrome = await findChromium();
let executablePath = chrome;
let cores = 'all cores';
try {
  execFileSync('taskset', ['-c', '0', 'true']);
  const wrapper = join(mkdtempSync(join(tmpdir(), 'pf-bench-')), 'chromium-1core.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c 0 ${JSON.stringify(chrome)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  executablePath = wrapper;
  cores = 'one core (taskset -c 0)';
} catch {
  /* no taskset: all cores, and said so below */
}

const fixture = await startApiFixture({ photos: 1, faces: null });
const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
const page = await browser.newPage();
const comlink = readFileSync(join(root, 'node_modules/comlink/dist/esm/comlink.min.mjs'));
// A same-origin page for the bench (the fixture serves the kit at /kit/; this page and comlink come from here).
await page.route(`${fixture.url}/__bench/**`, (route) =>
  route.fulfill(
    route.request().url().endsWith('.mjs')
      ? { body: comlink, contentType: 'text/javascript' }
      : { body: '<!doctype html><meta charset="utf-8"><title>bench</title>', contentType: 'text/html' },
  ),
);
await page.goto(`${fixture.url}/__bench/index.html`);
await page.evaluate(async () => {
  const { wrap } = (await import('/__bench/comlink.mjs' as string)) as typeof Comlink;
  const w = window as unknown as Record<string, unknown>;
  w.api = wrap(new Worker('/kit/selfie-worker.js', { type: 'module' }));
});

interface Timings {
  loadMs: number;
  decodeMs: number;
  analyseMs: number;
  encodeMs: number;
  embedMs: number;
}
const analyse = (bytes: number[], embed: boolean) =>
  page.evaluate(
    async ({ bytes, embed }) => {
      const api = (window as unknown as { api: { analyse: (...a: unknown[]) => Promise<Record<string, unknown>> } }).api;
      const config = { wasmBase: `${location.origin}/kit/ort/`, modelBase: `${location.origin}/kit/models/`, threads: 1 };
      const t0 = performance.now();
      const r = await api.analyse(new Blob([new Uint8Array(bytes)]), { config, embed });
      const wall = performance.now() - t0;
      const crop = r.crop instanceof Blob ? r.crop.size : 0;
      return { ok: r.ok as boolean, reason: r.reason as string | undefined, timings: r.timings as Timings, wall, crop };
    },
    { bytes, embed },
  );

const first = await analyse([...photos[0]!.data], true);
console.log(
  `selfie worker, Chromium ${cores}, onnxruntime-web 1 thread: first load (wasm 14 MB + 3 models from localhost, compile, sessions) ` +
    `${first.timings.loadMs.toFixed(0)} ms; first analysis ${(first.wall - first.timings.loadMs).toFixed(0)} ms (cold)`,
);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const rows: string[] = [];
const all: Record<keyof Timings | 'wall', number[]> = {
  loadMs: [],
  decodeMs: [],
  analyseMs: [],
  encodeMs: [],
  embedMs: [],
  wall: [],
};
for (const p of photos) {
  const per: Record<string, number[]> = { decodeMs: [], analyseMs: [], encodeMs: [], embedMs: [], wall: [] };
  let crop = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const res = await analyse([...p.data], true);
    if (!res.ok) throw new Error(`${p.name}: refused (${res.reason})`);
    crop = res.crop;
    for (const k of ['decodeMs', 'analyseMs', 'encodeMs', 'embedMs'] as const) per[k]!.push(res.timings[k]);
    per.wall!.push(res.wall);
  }
  const med = (k: string) => pct(per[k]!, 0.5);
  for (const k of Object.keys(per)) all[k as keyof typeof all].push(med(k));
  rows.push(
    `  ${p.name.padEnd(42)} decode ${med('decodeMs').toFixed(0).padStart(4)} ms · detect+align ${med('analyseMs').toFixed(0).padStart(4)} ms · ` +
      `png ${med('encodeMs').toFixed(0).padStart(3)} ms (${(crop / 1024).toFixed(1)} KB) · embed ${med('embedMs').toFixed(0).padStart(3)} ms · ` +
      `total ${med('wall').toFixed(0).padStart(4)} ms`,
  );
}
console.log(`per photo (median of ${ROUNDS}):\n${rows.join('\n')}`);
const crop = all.wall.map((w, i) => w - all.embedMs[i]!);
console.log(
  `over ${photos.length} photos: crop path (decode → aligned PNG) median ${pct(crop, 0.5).toFixed(0)} ms, max ${Math.max(...crop).toFixed(0)} ms; ` +
    `vector path (+ embedding) median ${pct(all.wall, 0.5).toFixed(0)} ms, max ${Math.max(...all.wall).toFixed(0)} ms`,
);
await browser.close();
await fixture.stop();
