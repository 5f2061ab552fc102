// "Download all my photos" for 1,000 photos: time to stream the whole ZIP over HTTP from a real server (throughput)
// and the server process's peak memory while it does. The photos are 1,000 rows of one event whose originals are
// distinct files of camera-like size (hard links of one 4 MB JPEG, so the bench needs no 4 GB of disk; the files
// come from the page cache, as on a warm server).
//   node --import tsx bench/download-all.ts [--photos 1000] [--mb 4]
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { DownloadAllData } from '../core/index.ts';
import { imageIdFor } from '../server/ingest/pipeline.ts';
import { createApiKey } from '../server/services/keys.ts';
import { createHarness } from '../test/support/harness.ts';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '1000' }, mb: { type: 'string', default: '4' } } });
const PHOTOS = Number(values.photos);
const MB = Number(values.mb);

const h = createHarness();
try {
  const { store } = h.deps;
  const org = await store.orgs.create('Bench club');
  const event = await store.events.create(org.id, { name: 'Bench Marathon', time_zone: 'Europe/Paris' });
  const key = (await createApiKey(store, org.id, { kind: 'publishable' })).key;

  // One camera-sized JPEG (noise keeps it large), hard-linked as every photo's original.
  const side = Math.round(Math.sqrt((MB * 1024 * 1024) / 0.9));
  const jpeg = await sharp({
    create: { width: side, height: side, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  const blobRoot = join(h.dir, 'blobs');
  const source = join(blobRoot, 'bench-source.jpg');
  await h.deps.blobs.put('bench-source.jpg', jpeg);
  const start = Date.UTC(2026, 10, 22, 7, 0, 0);
  for (let i = 0; i < PHOTOS; i++) {
    const hash = createHash('sha256').update(`bench-${i}`).digest('hex');
    const id = imageIdFor(event.id, hash);
    const originalKey = `originals/${id}.jpg`;
    mkdirSync(dirname(join(blobRoot, originalKey)), { recursive: true });
    linkSync(source, join(blobRoot, originalKey));
    await store.images.insert(
      {
        id,
        event_id: event.id,
        content_hash: hash,
        original_name: `IMG_${i}.jpg`,
        captured_at: start + i * 7000,
        width: side,
        height: side,
        mime: 'image/jpeg',
        bytes: jpeg.length,
        original_key: originalKey,
        renditions: [],
      },
      [{ bib: '1234', bib_norm: '1234', source: 'sidecar', status: 'accepted', confidence: null, box: null }],
    );
  }

  const server = await h.listen();
  const res = await fetch(`${server.url}/api/v1/ext/${org.id}/event/${event.id}/download-all`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ bib: '1234' }),
  });
  const { data } = (await res.json()) as { data: DownloadAllData };

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const t0 = performance.now();
  const zip = await fetch(data.zip_url);
  const firstByte = performance.now() - t0;
  let bytes = 0;
  try {
    for await (const chunk of zip.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  } catch (e) {
    throw new Error(`the ZIP stopped after ${bytes} of ${zip.headers.get('content-length')} bytes: ${String(e)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`download all: ${data.photo_count} photos of ${mib(jpeg.length)} MiB, one ZIP (stored, streamed)`);
  console.log(
    `  ZIP: ${mib(bytes)} MiB (Content-Length ${zip.headers.get('content-length')}), first byte after ${firstByte.toFixed(0)} ms`,
  );
  console.log(
    `  time: ${seconds.toFixed(2)} s → ${(bytes / 1024 / 1024 / seconds).toFixed(0)} MiB/s, ${(data.photo_count / seconds).toFixed(0)} photos/s`,
  );
  console.log(
    `  memory (server and client in this process): RSS ${mib(rssBefore)} → peak ${mib(peakRss)} MiB (+${mib(peakRss - rssBefore)}), peak heap ${mib(peakHeap)} MiB`,
  );
  console.log(`  load average ${loadavg()[0]!.toFixed(2)} (2 cores shared with other work)`);
} finally {
  await h.close();
}
