// Search latency before/after face–bib links and query expansion (issue 17), on a real SQLite store:
// N random faces (3 per photo) plus one runner (40 photos: face + linked bib, face alone, bib alone).
//   selfie: before = one index scan (the plain face search), after = rankSelfie (query expansion, the matched
//           faces' links, the bib photos): `two scans` scores the refined query with a second full scan (the way it
//           was first built), `one scan` over the first scan's candidates (what ships); ratios to the plain scan of
//           the same queries in the same run (the machine is shared: only same-run ratios compare);
//   BIB:    before = listByBib (one query), after = bibPage with the face matches of the bib's linked faces.
// Run: node --import tsx bench/face-bib-search.ts [--sizes 10000,100000,1000000] [--queries 50]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { l2normalize, packEmbeddingInt8 } from '../core/face/index.ts';
import { linkStoredPhoto } from '../server/ingest/face-bib-links.ts';
import { imageIdFor } from '../server/ingest/pipeline.ts';
import { createLogger } from '../server/log.ts';
import { rankSelfie } from '../server/services/face-match.ts';
import { FaceService } from '../server/services/faces.ts';
import { bibPage } from '../server/services/gallery.ts';
import type { NewFace } from '../server/store/face-types.ts';
import { openSqliteStore } from '../server/store/sqlite/index.ts';
import type { NewBibTag } from '../server/store/types.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '10000,100000' }, queries: { type: 'string', default: '50' } },
});
const DIM = 512;
const RUNNER_PHOTOS = 40;
const BIB = '4242';

function xorshift(seed: number) {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
const next = xorshift(42);
const gauss = () => next() + next() + next() + next() - 2;
const unit = () => l2normalize(Float32Array.from({ length: DIM }, gauss));
/** `base` plus noise: a cosine of about 1/sqrt(1 + k²) with it. */
const near = (base: Float32Array, k: number) => {
  const n = unit();
  return l2normalize(base.map((v, i) => v + k * n[i]!));
};
const face = (v: Float32Array, x = 100): NewFace => ({
  box: [x, 100, x + 60, 172],
  score: 0.99,
  sharpness: 200,
  embedding: packEmbeddingInt8(v),
});
const bibTag = (x = 100): NewBibTag => ({
  bib: BIB,
  bib_norm: BIB,
  source: 'ocr',
  status: 'accepted',
  confidence: 0.99,
  box: [x - 10, 260, x + 70, 290],
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

console.log(
  'faces    what              before_p50_ms  after_p50_ms  before_p95_ms  after_p95_ms  results_before  results_after  p50_ratio',
);
for (const n of values.sizes.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-'));
  const store = openSqliteStore(join(dir, 'db.sqlite'));
  try {
    const org = await store.orgs.create('Bench');
    const event = await store.events.create(org.id, { name: 'Bench' });
    const person = unit();
    let photo = 0;
    const insert = async (faces: NewFace[], bibs: NewBibTag[]) => {
      const id = imageIdFor(event.id, `bench-${photo++}`);
      await store.images.insert(
        {
          id,
          event_id: event.id,
          content_hash: id,
          original_name: `${id}.jpg`,
          captured_at: photo * 1000,
          width: 1000,
          height: 750,
          mime: 'image/jpeg',
          bytes: 1,
          original_key: `originals/${id}.jpg`,
          renditions: [],
        },
        bibs,
        faces,
      );
      return id;
    };
    // The runner: 20 photos face + bib (linked), 12 face alone (bib hidden), 8 bib alone (face turned away).
    for (let i = 0; i < RUNNER_PHOTOS; i++) {
      const kind = i < 20 ? 'both' : i < 32 ? 'face' : 'bib';
      const faces = kind === 'bib' ? [face(unit(), 500)] : [face(near(person, 0.75)), face(unit(), 500)];
      const id = await insert(faces, kind === 'face' ? [] : [bibTag(kind === 'bib' ? 300 : 100)]);
      await linkStoredPhoto(store, event.id, id);
    }
    for (let done = RUNNER_PHOTOS * 2; done < n; done += 3)
      await insert([face(unit()), face(unit(), 300), face(unit(), 500)], []);

    if (process.env.PROF) {
      const ids = (await store.images.list(event.id, { offset: 0, limit: 40 })).items.map((i) => i.id);
      const time = async (what: string, f: () => Promise<unknown>) => {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) await f();
        console.log(what, ((performance.now() - t0) / 10).toFixed(2), 'ms');
      };
      await time('facesOfImages', () => store.faceLinks.facesOfImages(event.id, ids));
      await time('linksOfImages', () => store.faceLinks.linksOfImages(ids));
      await time('bibsOfFaces', () => store.faceLinks.bibsOfFaces([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      await time('idsByBib', () => store.images.idsByBib(event.id, [BIB]));
      await time('facesOfBib', () => store.faceLinks.facesOfBib(event.id, [BIB], 0.5));
      await time('getMany', () => store.images.getMany(event.id, ids));
    }
    const faces = new FaceService({ store, log: createLogger('silent'), modelsDir: dir });
    const index = await faces.index(event.id);
    if (process.env.PROF) {
      const time = async (what: string, f: () => Promise<unknown>) => {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) await f();
        console.log(what, ((performance.now() - t0) / 10).toFixed(2), 'ms');
      };
      await time('index()', () => faces.index(event.id));
      await time('bibFaceMatches', () => faces.bibFaceMatches(event, BIB, new Set()));
      await time('scan', async () => index.search(unit(), 0.45));
      const query = near(person, 0.75);
      await time('scan (runner)', async () => index.search(query, 0.45));
      await time('rankSelfie, no bibs', () => rankSelfie(store, index, event, query, { bibs: false }));
      await time('rankSelfie', () => rankSelfie(store, index, event, query));
      await time('listByBib', () => store.images.listByBib(event.id, [BIB], { offset: 0, limit: 100 }));
    }
    const q = Number(values.queries);
    const t = {
      scan: [] as number[],
      twoScans: [] as number[],
      oneScan: [] as number[],
      bibBefore: [] as number[],
      bibAfter: [] as number[],
    };
    let counts = { scan: 0, twoScans: 0, oneScan: 0, bibBefore: 0, bibAfter: 0 };
    const timed = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
      const t0 = performance.now();
      const r = await f();
      return [r, performance.now() - t0];
    };
    for (let i = 0; i < q + 3; i++) {
      const query = near(person, 0.75);
      // The order of the three selfie variants turns, so none always runs on a warmer cache than the others.
      const order = [0, 1, 2].map((k) => (k + i) % 3);
      let scan: [unknown[], number] = [[], 0];
      let two: [{ hits: unknown[] }, number] = [{ hits: [] }, 0];
      let one: [{ hits: unknown[] }, number] = [{ hits: [] }, 0];
      for (const k of order) {
        if (k === 0) scan = await timed(() => index.search(query, event.face_threshold));
        if (k === 1) two = await timed(() => rankSelfie(store, index, event, query, { scan: 'full' }));
        if (k === 2) one = await timed(() => rankSelfie(store, index, event, query));
      }
      const [bibBefore, c] = await timed(() => store.images.listByBib(event.id, [BIB], { offset: 0, limit: 100 }));
      const [bibAfter, d] = await timed(() => bibPage({ store, faces }, 'http://bench', event, BIB, { page: 1, page_size: 100 }));
      if (i < 3) continue;
      t.scan.push(scan[1]);
      t.twoScans.push(two[1]);
      t.oneScan.push(one[1]);
      t.bibBefore.push(c);
      t.bibAfter.push(d);
      counts = {
        scan: scan[0].length,
        twoScans: two[0].hits.length,
        oneScan: one[0].hits.length,
        bibBefore: bibBefore.total,
        bibAfter: bibAfter.pagination.total,
      };
    }
    const row = (what: string, x: number[], y: number[], cx: number, cy: number) =>
      console.log(
        `${String(n).padEnd(8)} ${what.padEnd(17)} ${median(x).toFixed(2).padStart(13)} ${median(y).toFixed(2).padStart(13)} ${p95(x).toFixed(2).padStart(14)} ${p95(y).toFixed(2).padStart(13)} ${String(cx).padStart(15)} ${String(cy).padStart(14)} ${(median(y) / median(x)).toFixed(2).padStart(10)}`,
      );
    row('selfie two scans', t.scan, t.twoScans, counts.scan, counts.twoScans);
    row('selfie one scan', t.scan, t.oneScan, counts.scan, counts.oneScan);
    row('bib', t.bibBefore, t.bibAfter, counts.bibBefore, counts.bibAfter);
    console.log(
      `         (load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})`,
    );
    await faces.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
