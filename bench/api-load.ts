// API load: a 10,000-photo event, then requests/s and p50/p99 latency for `images`, `details` and `bibs` over loopback.
//   node --import tsx bench/api-load.ts [--photos 10000] [--seconds 10] [--connections 10,50] [--only images,bibs]
//     [--profile DIR]   (CPU profiles of the server and of the bare app, node --cpu-prof, in DIR/server and DIR/bare)
// The server runs in a child process (its own event loop and core); autocannon drives it from this one.
// The anchor, in the same run: a bare Hono app (@hono/node-server, one route) answering the same paths with the
// same bodies (fetched from our server first); each figure is printed with the bare one and the ratio.
import autocannon from 'autocannon';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDeps } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';
import { ingestPhoto } from '../server/ingest/pipeline.ts';
import { startServer } from '../server/serve.ts';
import { createApiKey } from '../server/services/keys.ts';
import { sidecarTag } from '../test/support/rows.ts';
import sharp from 'sharp';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10,50' },
    only: { type: 'string' },
    serve: { type: 'string' },
    bare: { type: 'string' },
    // Writes a CPU profile of the server process (node --cpu-prof) into this folder.
    profile: { type: 'string' },
  },
});

// The server's composition root over the folder, without face search and bib OCR (not measured here).
const depsFor = (dir: string) =>
  createDeps(loadConfig({ DATA_DIR: dir, SIGNING_KEYS: 'bench-signing-key', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' }), {
    serveSite: false,
    faces: false,
    bibtrack: false,
  });

if (values.bare) {
  // Child: the anchor, a bare Hono app answering each path with the body our server gave for it.
  const bodies = new Map(Object.entries(JSON.parse(readFileSync(values.bare, 'utf8')) as Record<string, string>));
  const app = new Hono();
  app.get('*', (c) => {
    const u = new URL(c.req.url);
    const body = bodies.get(u.pathname + u.search);
    return body === undefined ? c.notFound() : c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.send!({ url: `http://127.0.0.1:${info.port}` });
  });
  process.on('message', () => process.send!({ cpu: process.cpuUsage() }));
  process.on('disconnect', () => server.close(() => process.exit(0)));
} else if (values.serve) {
  // Child: serve the prepared data folder and report the URL.
  const running = await startServer(await depsFor(values.serve), 0);
  process.send!({ url: running.url });
  // The parent asks for the server's CPU time around each run: CPU per request does not depend on other load.
  process.on('message', () => process.send!({ cpu: process.cpuUsage() }));
  process.on('disconnect', () => void running.close().then(() => process.exit(0)));
} else {
  await main();
}

async function main() {
  const photos = Number(values.photos);
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-api-'));
  try {
    const t0 = performance.now();
    const deps = await depsFor(dir);
    const org = await deps.store.orgs.create('Bench club');
    const event = await deps.store.events.create(org.id, { name: 'Bench marathon', time_zone: 'UTC' });
    const key = (await createApiKey(deps.store, org.id, { kind: 'publishable', eventIds: [event.id] })).key;

    // A few real photos give real rendition blobs; the 10,000 rows reuse them.
    const templates = [];
    for (let i = 0; i < 3; i++) {
      const data = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 60 * i, g: 120, b: 200 } } })
        .jpeg()
        .toBuffer();
      const r = await ingestPhoto(deps, event, { name: `t${i}.jpg`, data });
      if (r.status !== 'added') throw new Error(JSON.stringify(r));
      templates.push((await deps.store.images.get(event.id, r.image_id))!);
    }
    const start = Date.UTC(2026, 3, 12, 7, 0, 0);
    for (let i = 0; i < photos; i++) {
      const t = templates[i % templates.length]!;
      const hex = i.toString(16).padStart(12, '0');
      const id = `00000000-0000-4000-8000-${hex}`;
      await deps.store.images.insert(
        {
          ...t,
          id,
          content_hash: `bench-${i}`,
          original_name: `bench-${i}.jpg`,
          captured_at: i % 50 === 49 ? null : start + i * 1500,
          renditions: t.renditions,
        },
        // 500 bibs, each on ~20–40 photos.
        [String(100 + (i % 500)), ...(i % 3 === 0 ? [String(100 + ((i * 7) % 500))] : [])].map(sidecarTag),
      );
    }
    const total = await deps.store.images.count(event.id);
    console.log(`event with ${total} photos built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await deps.close();

    const start_ = async (args: string[], profileName: string) => {
      const execArgv = [
        '--import',
        'tsx',
        ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(values.profile, profileName)}`] : []),
      ];
      const child = fork(import.meta.filename, args, { execArgv, stdio: 'inherit' });
      const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
      const cpuMs = () =>
        new Promise<number>((resolve) => {
          child.once('message', (m) => {
            const { user, system } = (m as { cpu: NodeJS.CpuUsage }).cpu;
            resolve((user + system) / 1000);
          });
          child.send('cpu');
        });
      const stop = async () => {
        child.disconnect();
        await new Promise((r) => child.once('exit', r));
      };
      return { url, cpuMs, stop };
    };
    const base = `/api/v1/ext/${org.id}/event/${event.id}`;
    const pages = Math.ceil(total / 32);
    const scenarios = [
      {
        name: 'images (page_size 32, 20 pages spread over the event)',
        paths: Array.from({ length: 20 }, (_, i) => `${base}/images?page=${1 + Math.floor((i * pages) / 20)}&page_size=32`),
      },
      { name: 'images, last page', paths: [`${base}/images?page=${pages}&page_size=32`] },
      { name: 'images, first page', paths: [`${base}/images?page=1&page_size=32`] },
      { name: 'details', paths: [`${base}/details`] },
      { name: 'bibs (20 different bibs, page 1)', paths: Array.from({ length: 20 }, (_, i) => `${base}/bibs/${100 + i * 23}`) },
    ].filter((s) => !values.only || values.only.split(',').some((w) => s.name.startsWith(w)));
    const app = await start_(['--serve', dir], 'server');
    // The bare app's bodies: what our server answers for each path.
    const bodies: Record<string, string> = {};
    for (const path of scenarios.flatMap((s) => s.paths)) {
      const res = await fetch(app.url + path, { headers: { 'X-API-Key': key } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      bodies[path] = await res.text();
    }
    const bodiesFile = join(dir, 'bare-bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const bare = await start_(['--bare', bodiesFile], 'bare');
    console.log(
      `loopback, ${values.seconds} s per run, each server in its own process; ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`,
    );
    // Saturation: as many requests as the server takes (latency is then mostly queueing behind other requests);
    // paced: a steady 200 requests/s, a busy event's gallery traffic, where latency is the service time.
    const runs: { label: string; connections: number; overallRate?: number }[] = [
      ...values.connections.split(',').map((n) => ({ label: `saturated, ${n} connections`, connections: Number(n) })),
      { label: 'paced at 200 req/s, 4 connections', connections: 4, overallRate: 200 },
    ];
    const measure = async (target: Awaited<ReturnType<typeof start_>>, paths: string[], run: (typeof runs)[number]) => {
      const cpu0 = await target.cpuMs();
      const result = await autocannon({
        url: target.url,
        connections: run.connections,
        ...(run.overallRate ? { overallRate: run.overallRate } : {}),
        duration: Number(values.seconds),
        headers: { 'X-API-Key': key },
        requests: paths.map((path) => ({ path })),
      });
      const cpu = ((await target.cpuMs()) - cpu0) / result.requests.total;
      const bad = result.non2xx + result.errors + result.timeouts;
      if (bad) throw new Error(`${bad} requests not 2xx`);
      return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpu, n: result.requests.total };
    };
    // Warm-up (JIT, the page caches), not measured: one second of each scenario on both servers.
    for (const target of [app, bare])
      for (const s of scenarios)
        await autocannon({
          url: target.url,
          connections: 10,
          duration: 1,
          headers: { 'X-API-Key': key },
          requests: s.paths.map((path) => ({ path })),
        });
    for (const s of scenarios) {
      for (const run of runs) {
        const ours = await measure(app, s.paths, run);
        const anchor = await measure(bare, s.paths, run);
        console.log(
          `${s.name}, ${run.label}: ${Math.round(ours.rps)} req/s (bare Hono ${Math.round(anchor.rps)}: ${(ours.rps / anchor.rps).toFixed(2)}×), ` +
            `p50 ${ours.p50} ms, p99 ${ours.p99} ms (bare ${anchor.p99} ms), server CPU ${ours.cpu.toFixed(3)} ms/request ` +
            `(bare ${anchor.cpu.toFixed(3)}); load average ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
    await app.stop();
    await bare.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
