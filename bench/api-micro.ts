// The API's own CPU per request, without sockets: `app.fetch` in a loop (the answer's headers read as
// @hono/node-server reads them), for `images`, `details` and `bibs`, next to a bare Hono app answering the same bodies.
//   node --import tsx bench/api-micro.ts [--photos 2000] [--requests 20000]
// What it shows is the routing, middleware, validation, store reads and serialising that the server adds to a
// request; the socket work (the same for both) is what bench/api-load.ts adds on top.
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { sidecarTag } from '../test/support/rows.ts';
import { createApp } from '../server/app.ts';
import { createDeps } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';
import { ingestPhoto } from '../server/ingest/pipeline.ts';
import { createApiKey } from '../server/services/keys.ts';

const { values } = parseArgs({
  options: { photos: { type: 'string', default: '2000' }, requests: { type: 'string', default: '20000' } },
});
const UndiciRequest = globalThis.Request;

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-micro-'));
try {
  const deps = await createDeps(
    loadConfig({ DATA_DIR: dir, SIGNING_KEYS: 'bench-signing-key', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' }),
    { serveSite: false, faces: false, bibtrack: false },
  );
  const org = await deps.store.orgs.create('Bench club');
  const event = await deps.store.events.create(org.id, { name: 'Bench marathon', time_zone: 'UTC' });
  const key = (await createApiKey(deps.store, org.id, { kind: 'publishable', eventIds: [event.id] })).key;
  const data = await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 60, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer();
  const r = await ingestPhoto(deps, event, { name: 't.jpg', data });
  if (r.status !== 'added') throw new Error(JSON.stringify(r));
  const t = (await deps.store.images.get(event.id, r.image_id))!;
  for (let i = 0; i < Number(values.photos); i++) {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    await deps.store.images.insert(
      { ...t, id, content_hash: `bench-${i}`, original_name: `bench-${i}.jpg`, captured_at: Date.UTC(2026, 3, 12) + i * 1500 },
      [String(100 + (i % 500))].map(sidecarTag),
    );
  }
  const app = createApp(deps);
  // The lightweight Request/Response of @hono/node-server, as under `serve`.
  getRequestListener(app.fetch);
  const base = `http://127.0.0.1/api/v1/ext/${org.id}/event/${event.id}`;
  const pages = Math.ceil(Number(values.photos) / 32);
  const scenarios = {
    images: Array.from({ length: 20 }, (_, i) => `${base}/images?page=${1 + Math.floor((i * pages) / 20)}&page_size=32`),
    details: [`${base}/details`],
    bibs: Array.from({ length: 20 }, (_, i) => `${base}/bibs/${100 + i * 23}`),
  };
  const headersOf = (res: Response) => {
    // As the node server writes an answer: a Headers object is walked, a plain record taken as it is.
    const cache = Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
    const h = cache ? (res as unknown as Record<symbol, unknown[]>)[cache]![2] : res.headers;
    let n = 0;
    if (h instanceof Headers) for (const [k] of h) n += k.length;
    return n;
  };
  const run = async (fetch: (r: Request) => Response | Promise<Response>, paths: string[], n: number) => {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      // A turn of the event loop per request, as over sockets under load each request may be alone in its turn (the
      // versions read is shared within a turn: store/sqlite/keys.ts): the figure is the app's work with no sharing.
      await new Promise((r) => setImmediate(r));
      const res = await fetch(new UndiciRequest(paths[i % paths.length]!, { headers: { 'X-API-Key': key } }));
      if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      headersOf(res);
    }
    const { user, system } = process.cpuUsage(cpu0);
    return (user + system) / 1000 / n;
  };
  const n = Number(values.requests);
  for (const [name, paths] of Object.entries(scenarios)) {
    const bodies = new Map<string, string>();
    for (const p of paths)
      bodies.set(
        new URL(p).pathname + new URL(p).search,
        await (await app.fetch(new UndiciRequest(p, { headers: { 'X-API-Key': key } }))).text(),
      );
    const bare = new Hono();
    bare.get('*', (c) => {
      const u = new URL(c.req.url);
      return c.body(bodies.get(u.pathname + u.search)!, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
    });
    await run(app.fetch, paths, n / 4);
    await run(bare.fetch, paths, n / 4);
    const ours = await run(app.fetch, paths, n);
    const anchor = await run(bare.fetch, paths, n);
    console.log(
      `${name}: ${(ours * 1000).toFixed(1)} µs/request (bare Hono ${(anchor * 1000).toFixed(1)} µs, +${((ours - anchor) * 1000).toFixed(1)} µs)`,
    );
  }
  await deps.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
