// `npm start`'s first run serves the demo before the faces and bibs of its photos are read (issue 20, first run):
// the photos are stored with their renditions only, the reads are queued, demo.json and the demo pages say "still
// reading" until the job queue has read every photo, then the note goes. In-process with the real OCR (two photos),
// then a real `npm start`-like process (server/main.ts) that prints when the search is ready.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { createApp } from '../../../server/app.ts';
import { createDeps } from '../../../server/bootstrap.ts';
import { demoFile, seedDemo, type DemoInfo } from '../../../server/seed/demo.ts';
import { demoSearchLeft, queueDemoSearch, whenDemoSearchReady } from '../../../server/seed/demo-search.ts';
import { testConfig } from '../../support/harness.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

test('serve first: photos without reads, a note on the demo page, then the job queue reads them and the note goes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-demo-later-'));
  // Real OCR, face search off (the face stage is the same path: a `faces.index` job per photo); jobs held until asked.
  const deps = await createDeps(testConfig(dir), { serveSite: true, faces: false, bibtrack: true, work: false });
  try {
    const app = createApp(deps);
    const page = async () =>
      (await (await app.request('http://127.0.0.1/')).text()).match(/<p class="demo-processing"[^>]*>([^<]*)</)![1];
    const seeded = await seedDemo({
      store: deps.store,
      blobs: deps.blobs,
      certificates: deps.certificates,
      dataDir: dir,
      baseUrl: 'http://127.0.0.1',
      count: 2,
      shopPhotos: 1,
      bibtrack: deps.bibtrack,
      searchLater: (event) => queueDemoSearch(deps, event),
    });
    const event = (await deps.store.events.get(seeded.info.event_id))!;
    const { items } = await deps.store.images.list(event.id, { offset: 0, limit: 10 });
    assert.equal(items.length, 2, 'the gallery has its photos at once');
    assert.deepEqual(await demoSearchLeft(deps, event), { photos: 2, faces: 0, bibs: 2 });
    for (const img of items) assert.deepEqual(await deps.store.bibs.listForImage(img.id), [], 'nothing read yet');
    assert.equal(seeded.bibs, undefined, 'no recall yet');
    assert.equal(seeded.truth?.length, 2);
    const info = JSON.parse(readFileSync(demoFile(dir), 'utf8')) as DemoInfo;
    assert.match(info.processing ?? '', /^Bib and selfie search are still reading the 2 demo photos/);
    assert.equal(await page(), info.processing);
    // The shop's photo carries the bibs drawn on it (its source is not read yet).
    const shop = await deps.store.images.list(info.shop_event_id!, { offset: 0, limit: 10 });
    const shopBibs = (await deps.store.bibs.listForImage(shop.items[0]!.id)).map((t) => t.bib).sort();
    const source = seeded.truth!.find(
      (t) => items.find((i) => i.id === t.image_id)?.content_hash === shop.items[0]!.content_hash,
    );
    assert.deepEqual(shopBibs, [...source!.bibs].sort());

    void deps.jobs.work();
    const ready = await whenDemoSearchReady(deps, dir, { everyMs: 50 });
    assert.equal(ready?.photos, 2);
    assert.deepEqual(ready?.unread, { faces: 0, bibs: 0 });
    assert.deepEqual(await demoSearchLeft(deps, event), { photos: 2, faces: 0, bibs: 0 });
    const after = JSON.parse(readFileSync(demoFile(dir), 'utf8')) as DemoInfo;
    assert.equal(after.processing, undefined);
    assert.equal(after.secret_key, info.secret_key, 'the rest of demo.json is kept');
    assert.equal(await page(), '', 'the note is gone');
    const read = (await Promise.all(items.map((i) => deps.store.bibs.listForImage(i.id))))
      .flat()
      .filter((t) => t.source === 'ocr');
    assert.ok(read.length >= 1, 'the OCR read the bibs');
  } finally {
    await deps.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start on an empty folder: the URL first, then "search ready" and the OCR recall', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-demo-start-'));
  const { NODE_OPTIONS: _o, DATABASE_URL: _d, S3_BUCKET: _b, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'warn', DEMO_PHOTOS: '2', DEMO_SHOP_PHOTOS: '1', OCR_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { re: RegExp; done: (m: RegExpExecArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(m);
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => ((out += d), check()));
  child.stderr.on('data', (d: Buffer) => ((out += d), check()));
  const closed = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const line = (re: RegExp) =>
    new Promise<RegExpExecArray>((ok, fail) => {
      waiters.push({ re, done: ok });
      check();
      void closed.then((code) => fail(new Error(`exited (${code}) before ${re}:\n${out}`)));
    });
  try {
    const running = await line(/photo-finish is running at (http:\/\/[\d.:]+)\//);
    // Said at once: the printed URL comes before the reads, and says so.
    assert.match(out, /search {8}bib and selfie search are reading the demo photos in the background/);
    assert.doesNotMatch(out.slice(0, running.index), /demo bibs read by OCR/);
    await line(/demo: bib and selfie search ready, 2 photos read/);
    const recall = await line(/demo bibs read by OCR: (\d+) of (\d+)/);
    assert.ok(Number(recall[2]) >= 2 && Number(recall[1]) >= 1, recall[0]);
    assert.equal((JSON.parse(readFileSync(demoFile(dir), 'utf8')) as DemoInfo).processing, undefined);
    const res = await fetch(`${running[1]}/healthz`);
    assert.equal(res.status, 200);
    child.kill('SIGTERM');
    assert.equal(await closed, 0, out);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reads that fail for good end the wait too: the note goes and the photos left unread are counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-demo-later-'));
  // Face search on without its models: every faces.index job fails, is retried once, then is a dead letter.
  const deps = await createDeps(testConfig(dir, { MODELS_DIR: join(dir, 'no-models'), JOB_RETRY_LIMIT: '0' }), {
    serveSite: false,
    bibtrack: false,
    work: false,
  });
  try {
    await seedDemo({
      store: deps.store,
      blobs: deps.blobs,
      certificates: deps.certificates,
      dataDir: dir,
      baseUrl: 'http://127.0.0.1',
      count: 1,
      faces: deps.faces,
      searchLater: (event) => queueDemoSearch(deps, event),
    });
    assert.ok((JSON.parse(readFileSync(demoFile(dir), 'utf8')) as DemoInfo).processing);
    void deps.jobs.work();
    const ready = await whenDemoSearchReady(deps, dir, { everyMs: 50 });
    assert.deepEqual(ready?.unread, { faces: 1, bibs: 0 });
    assert.equal((JSON.parse(readFileSync(demoFile(dir), 'utf8')) as DemoInfo).processing, undefined);
    assert.equal((await deps.jobs.failed()).length, 1);
  } finally {
    await deps.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
