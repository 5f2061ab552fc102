// Scale-out figures on this machine, every process real on 127.0.0.1 (PostgreSQL cluster + s3rver started here):
//   node --import tsx bench/topology.ts [--photos 200] [--models on|off] [--seconds 10] [--faces 100000] [--only ingest,api,faces]
// - ingest: photos/s with 1 and 2 `photo-finish worker` processes (photo.ingest jobs staged in the bucket, queued
//   before the workers start; timed from the workers' start to the last photo stored);
// - api: requests/s of `GET …/images` with 1 and 2 `photo-finish serve` replicas (autocannon in this process; with 2
//   replicas one autocannon per replica, figures summed);
// - faces: the face-index rebuild of an event of --faces faces loaded from PostgreSQL (FaceService.index, cold).
// Print what the cores limit: this machine's core count and load are printed with the figures.
import autocannon from 'autocannon';
import { createHash, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { packEmbeddingInt8 } from '../core/face/embed.ts';
import { S3BlobStore } from '../server/blobs/s3.ts';
import { imageIdFor } from '../server/ingest/pipeline.ts';
import { stagedPhotoKey } from '../server/jobs/photo-ingest.ts';
import { PgBossQueue } from '../server/jobs/pgboss.ts';
import { createLogger } from '../server/log.ts';
import { FaceService } from '../server/services/faces.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { startTopology } from '../test/support/topology.ts';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '200' },
    models: { type: 'string', default: 'on' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    faces: { type: 'string', default: '100000' },
    only: { type: 'string', default: 'ingest,api,faces' },
  },
});
const only = new Set(values.only.split(','));
const log = createLogger('silent');
const t = await startTopology({
  name: 'bench-topology',
  env: (root) => ({
    LOG_LEVEL: 'error',
    ...(values.models === 'off' ? { MODELS_DIR: join(root, 'no-models') } : {}),
  }),
});
const { cluster, s3, root } = t;
const run = t.cli;
const start = t.start;
const stop = t.stop;

/** A 1600×1067 JPEG of noise and shapes (about a race photo's decode and rendition cost), different for every i. */
const photo = (i: number) =>
  sharp({ create: { width: 1600, height: 1067, channels: 3, background: { r: (i * 37) % 255, g: 90, b: (i * 11) % 255 } } })
    .composite([
      {
        input: Buffer.from(
          `<svg width="1600" height="1067"><circle cx="${200 + (i % 12) * 100}" cy="500" r="180" fill="#eee"/><text x="700" y="560" font-size="160">${1000 + i}</text></svg>`,
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();

await run(['migrate']);
const orgId = (JSON.parse(await run(['org', 'create', '--name', 'Bench'])) as { id: number }).id;
const publishable = (JSON.parse(await run(['key', 'create', '--org', String(orgId), '--publishable'])) as { key: string }).key;
const store = openPostgresStore(cluster.url);
const blobs = new S3BlobStore(s3.settings);
const cores = availableParallelism();
console.log(
  `machine: ${cores} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; models ${values.models}`,
);

try {
  if (only.has('ingest')) {
    const n = Number(values.photos);
    const data = await Promise.all(Array.from({ length: n }, (_, i) => photo(i)));
    const queue = new PgBossQueue({ connectionString: cluster.url, log });
    for (const workers of [1, 2]) {
      const event = await store.events.create(orgId, { name: `Ingest with ${workers} worker(s)` });
      for (const [i, d] of data.entries()) {
        const hash = createHash('sha256').update(d).digest('hex');
        const staged = stagedPhotoKey(event.id, hash);
        await blobs.put(staged, d);
        await queue.enqueue('photo.ingest', { org_id: orgId, event_id: event.id, staged, name: `p${i}.jpg`, bibs: [] });
      }
      const t0 = performance.now();
      const started = await Promise.all(Array.from({ length: workers }, (_, k) => start(`w${workers}-${k}`, 'worker')));
      for (;;) {
        if ((await store.images.count(event.id)) >= n) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const s = (performance.now() - t0) / 1000;
      console.log(
        `ingest: ${workers} worker(s): ${n} photos in ${s.toFixed(1)} s = ${(n / s).toFixed(2)} photos/s (start-up included)`,
      );
      for (const w of started) await stop(w);
      void imageIdFor;
    }
    await queue.close();
  }

  if (only.has('api')) {
    const event = await store.events.create(orgId, { name: 'API load' });
    const d = await photo(1);
    // 2,000 photo rows (the listing query's cost), sharing one set of files.
    for (let i = 0; i < 2000; i++) {
      const hash = createHash('sha256').update(`api-${i}`).digest('hex');
      const id = imageIdFor(event.id, hash);
      await store.images.insert(
        {
          id,
          event_id: event.id,
          content_hash: hash,
          original_name: `a${i}.jpg`,
          captured_at: Date.UTC(2026, 3, 12, 8, 0, i),
          width: 1600,
          height: 1067,
          mime: 'image/jpeg',
          bytes: d.length,
          original_key: 'originals/shared.jpg',
          renditions: [],
        },
        [],
        null,
        null,
      );
    }
    const path = `/api/v1/ext/${orgId}/event/${event.id}/images?page_size=32`;
    for (const replicas of [1, 2]) {
      const started = await Promise.all(Array.from({ length: replicas }, (_, k) => start(`api${replicas}-${k}`, 'serve')));
      const conns = Math.max(1, Math.floor(Number(values.connections) / replicas));
      // Warm-up, then the measured run.
      for (const s of started)
        await autocannon({ url: s.url! + path, headers: { 'X-API-Key': publishable }, duration: 2, connections: 8 });
      const results = await Promise.all(
        started.map((s) =>
          autocannon({
            url: s.url! + path,
            headers: { 'X-API-Key': publishable },
            duration: Number(values.seconds),
            connections: conns,
          }),
        ),
      );
      const rps = results.reduce((a, r) => a + r.requests.average, 0);
      const errors = results.reduce((a, r) => a + r.errors + r.non2xx, 0);
      const p99 = Math.max(...results.map((r) => r.latency.p99));
      console.log(
        `api: ${replicas} replica(s): ${rps.toFixed(0)} req/s (GET images, page 32, ${conns * replicas} connections), p99 ${p99} ms, ${errors} errors`,
      );
      for (const s of started) await stop(s);
    }
  }

  if (only.has('faces')) {
    const total = Number(values.faces);
    const perImage = 10;
    const event = await store.events.create(orgId, { name: 'Face index' });
    const t0 = performance.now();
    const vec = new Float32Array(512);
    let made = 0;
    const insertOne = async (i: number) => {
      const hash = createHash('sha256').update(`faces-${i}`).digest('hex');
      const faces = Array.from({ length: perImage }, () => {
        let norm = 0;
        for (let k = 0; k < 512; k++) {
          vec[k] = Math.random() - 0.5;
          norm += vec[k]! * vec[k]!;
        }
        for (let k = 0; k < 512; k++) vec[k]! /= Math.sqrt(norm);
        return {
          box: [10, 10, 60, 60] as [number, number, number, number],
          score: 0.9,
          sharpness: 1,
          embedding: packEmbeddingInt8(vec),
        };
      });
      await store.images.insert(
        {
          id: imageIdFor(event.id, hash),
          event_id: event.id,
          content_hash: hash,
          original_name: `f${i}.jpg`,
          captured_at: null,
          width: 1600,
          height: 1067,
          mime: 'image/jpeg',
          bytes: 1,
          original_key: `originals/${randomUUID()}.jpg`,
          renditions: [],
        },
        [],
        faces as never,
        null,
      );
      made += perImage;
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total / perImage) await insertOne(next++);
      }),
    );
    console.log(`faces: ${made} faces stored in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup)`);
    const faces = new FaceService({ store, log, modelsDir: join(root, 'no-models') });
    const t1 = performance.now();
    const index = await faces.index(event.id);
    const rebuild = performance.now() - t1;
    const t2 = performance.now();
    await faces.index(event.id);
    const cached = performance.now() - t2;
    console.log(
      `faces: index rebuild of ${made} faces from PostgreSQL: ${(rebuild / 1000).toFixed(2)} s (cold; ${index.size ?? made} entries); the next search's version check ${cached.toFixed(1)} ms; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    await faces.close();
  }
} finally {
  for (const p of t.procs) await stop(p);
  await store.close();
  await t.close();
}
