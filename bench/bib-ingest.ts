// Ingest throughput with bib OCR, and how the API answers meanwhile. Generated race photos (1–3 runners, bibs
// 150–500 px wide on 3000–4000-px photos, clock, banner, sponsor text) go through the real pipeline (renditions,
// watermark, OCR in the worker pool) into a temp store, once without OCR and once with it, while a client polls
// /healthz on the real server every 50 ms. CPU is the whole process (main thread, libvips and OCR threads).
//   nice node --import tsx bench/bib-ingest.ts [--photos 16] [--workers N]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDeps } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';
import { ingestBatch } from '../server/ingest/batch.ts';
import { startServer } from '../server/serve.ts';
import { generatePhotos } from '../test/server/ocr/bib-images.ts';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '16' }, workers: { type: 'string' } } });
const N = Number(values.photos);
const cores = availableParallelism();

const tGen = performance.now();
const photos = await generatePhotos(N, 900_000, { longSide: [3000, 4000], runners: [1, 3], bibWidth: [150, 500] });
const mp = photos.reduce((s, p) => s + p.width * p.height, 0) / N / 1e6;
console.log(
  `${N} photos, ${mp.toFixed(1)} MP mean, ${photos.reduce((s, p) => s + p.bibs.length, 0)} bibs; generated in ` +
    `${((performance.now() - tGen) / 1000).toFixed(1)} s; ${cores} cores, load average ${loadavg()[0]!.toFixed(1)}`,
);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

async function run(label: string, withOcr: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-bib-ingest-'));
  const config = loadConfig({
    DATA_DIR: dir,
    SIGNING_KEYS: 'bench-signing-key',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    ...(values.workers ? { OCR_WORKERS: values.workers } : {}),
  });
  const deps = await createDeps(config, { serveSite: false, faces: false, bibtrack: withOcr });
  const { store } = deps;
  const ocr = deps.bibtrack ?? null;
  if (ocr) await ocr.readBibs(photos[0]!.image); // start the workers and load the models before timing
  const server = await startServer(deps, 0);
  const org = await store.orgs.create('Bench');
  const event = await store.events.create(org.id, { name: 'Bench', watermark_text: '© Bench Photo' });
  const health: number[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const t = performance.now();
      await (await fetch(`${server.url}/healthz`)).arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await ingestBatch(
    deps,
    event,
    photos.map((p, i) => ({ name: `p${i}.jpg`, read: async () => p.image })),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  polling = false;
  await poll;
  if (report.added !== N) throw new Error(`only ${report.added} of ${N} added: ${JSON.stringify(report.results)}`);
  let shown = 0;
  let read = 0;
  for (const [i, r] of report.results.entries()) {
    if (r.status !== 'added' || 'kind' in r) continue;
    const tags = await store.bibs.listForImage(r.image_id);
    for (const b of photos[i]!.bibs) {
      shown++;
      if (tags.some((t) => t.source === 'ocr' && t.status === 'accepted' && t.bib_norm === b.bib)) read++;
    }
  }
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label}: ${(N / seconds).toFixed(2)} photos/s wall, ${(N / cpuSeconds).toFixed(2)} photos per CPU-second ` +
      `(= per core), ${((cpuSeconds / N) * 1000).toFixed(0)} ms CPU per photo` +
      (ocr ? `, ${ocr.size} OCR worker(s); bibs read ${read}/${shown}` : '') +
      `; /healthz p50 ${pct(health, 0.5).toFixed(0)} ms, p95 ${pct(health, 0.95).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms (${health.length} calls)`,
  );
  await server.close(); // and deps.close(): the OCR pool, the store
  rmSync(dir, { recursive: true, force: true });
}

await run('renditions only', false);
await run('renditions + bib OCR', true);
