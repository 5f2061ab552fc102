// Race-day intake throughput: real JPEGs (the face dataset, and each one mirrored for more distinct photos) uploaded
// with tus-js-client over loopback to a real server (UploadService: tus → queue → ingest pipeline), P uploads at a
// time, as the console's upload page does. Prints the upload rate (every file received) and the end-to-end rate
// (every photo processed and stored). --vision turns face search and bib OCR on in the ingest (the models in models/).
//   node --import tsx bench/tus-upload.ts [--photos 36] [--parallel 3] [--dir /work/shared/datasets/faces] [--vision]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { createDeps } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/serve.ts';
import { createApiKey } from '../server/services/keys.ts';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '36' },
    parallel: { type: 'string', default: '3' },
    dir: { type: 'string', default: '/work/shared/datasets/faces' },
    vision: { type: 'boolean', default: false },
  },
});
const N = Number(values.photos);
const P = Number(values.parallel);

const files = readdirSync(values.dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.jpe?g$/i.test(f))
  .sort()
  .map((f) => ({ name: f.replaceAll('/', '_'), data: readFileSync(join(values.dir, f)) }));
if (!files.length) throw new Error(`no JPEGs under ${values.dir}`);
const photos: { name: string; data: Buffer }[] = [];
for (let i = 0; photos.length < N; i++) {
  const f = files[i % files.length]!;
  const round = Math.floor(i / files.length);
  if (round === 0) photos.push(f);
  else {
    // The same real photo mirrored (and, beyond, at another quality): distinct bytes, real content.
    const data = await sharp(f.data)
      .rotate()
      .flop(round % 2 === 1)
      .jpeg({ quality: 92 - round })
      .toBuffer();
    photos.push({ name: `r${round}-${f.name}`, data });
  }
}
const bytes = photos.reduce((s, p) => s + p.data.length, 0);

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-tus-'));
const config = loadConfig({ DATA_DIR: dir, SIGNING_KEYS: 'bench-signing-key', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' });
const deps = await createDeps(config, { serveSite: false, faces: values.vision, bibtrack: values.vision });
const running = await startServer(deps, 0);
try {
  const org = await deps.store.orgs.create('Bench club');
  const event = await deps.store.events.create(org.id, { name: 'Bench race' });
  const key = (await createApiKey(deps.store, org.id, { kind: 'secret' })).key;
  const endpoint = `${running.url}/api/v1/admin/${org.id}/events/${event.id}/uploads`;
  console.log(
    `${photos.length} real JPEGs (${files.length} distinct files, the rest mirrored), ${(bytes / 1e6).toFixed(1)} MB, ` +
      `${P} uploads at a time; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}; vision ${values.vision ? 'on' : 'off'}`,
  );

  const latencies: number[] = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < photos.length) {
      const p = photos[next++]!;
      const t = performance.now();
      await new Promise<void>((resolve, reject) =>
        new tus.Upload(p.data, {
          endpoint,
          headers: { 'X-API-Key': key },
          metadata: { filename: p.name, filetype: 'image/jpeg' },
          retryDelays: null,
          onSuccess: () => resolve(),
          onError: reject,
        }).start(),
      );
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: P }, worker));
  const received = (performance.now() - t0) / 1000;
  await deps.uploads.idle();
  const total = (performance.now() - t0) / 1000;
  const stats = await deps.uploads.stats(event.id);
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `received: ${(photos.length / received).toFixed(1)} photos/s, ${(bytes / 1e6 / received).toFixed(1)} MB/s ` +
      `(${received.toFixed(2)} s; per file p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, ` +
      `p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(0)} ms)`,
  );
  console.log(
    `processed: ${(photos.length / total).toFixed(1)} photos/s end to end (${total.toFixed(2)} s); ` +
      `received ${stats.received}, processed ${stats.processed}, failed ${stats.failed}, faces ${stats.faces}, bibs ${stats.bibs}`,
  );
  if (stats.processed !== photos.length) throw new Error(`only ${stats.processed} of ${photos.length} processed`);
} finally {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
}
