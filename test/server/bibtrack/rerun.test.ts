// Re-running the OCR over an event keeps every human decision: manual tags, rejected reads, accepted candidates.
// Also: bib search off skips the OCR; missing models store the photo and say why its bibs were not read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { UploadReport } from '../../../core/api/admin.ts';
import type { BibOverview, BibPhoto, RerunJob } from '../../../core/api/bibtrack.ts';
import { normaliseBib, type ImagePage } from '../../../core/index.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { OcrModelsError } from '../../../server/vision/ocr/ocr-engine.ts';
import { createHarness, json } from '../../support/harness.ts';
import { generatePhotos, type GeneratedPhoto } from '../ocr/bib-images.ts';

async function world(opts: { modelsDir?: string; retryLimit?: number } = {}) {
  const h = createHarness({
    bibtrack: { retryAfterMs: 0 },
    ...(opts.retryLimit !== undefined ? { jobRetry: { retryLimit: opts.retryLimit } } : {}),
    ...(opts.modelsDir ? { config: { modelsDir: opts.modelsDir } } : {}),
  });
  const org = await h.deps.store.orgs.create('Rerun club');
  const event = await h.deps.store.events.create(org.id, { name: 'Rerun 5K' });
  const secret = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
  const pub = (await createApiKey(h.deps.store, org.id, { kind: 'publishable' })).key;
  const admin = (path: string, o: { method?: string; body?: unknown } = {}) =>
    h.call(`/api/v1/admin/${org.id}/events/${event.id}${path}`, { key: secret, ...o });
  const search = async (bib: string) => {
    const res = await h.call(`/api/v1/ext/${org.id}/event/${event.id}/bibs/${bib}`, { key: pub });
    return (await json<ImagePage>(res)).data.images.map((i) => i.image_id);
  };
  const photo = async (id: string) => (await json<BibPhoto>(await admin(`/photos/${id}/bibs`))).data;
  const rerun = async (body?: unknown): Promise<RerunJob> => {
    const started = await admin('/bibs/rerun', { method: 'POST', body });
    assert.equal(started.status, 202, (await started.clone().text()).slice(0, 300));
    for (let i = 0; i < 600; i++) {
      const job = (await json<RerunJob>(await admin('/bibs/rerun'))).data;
      if (job.state !== 'running') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the re-run did not finish in 60 s');
  };
  return { h, org, event, secret, admin, search, photo, rerun };
}

describe('OCR re-runs keep human decisions (real models)', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let photos: GeneratedPhoto[];
  let ids: string[];
  const bib = (i: number) => photos[i]!.bibs[0]!.bib;

  before(async () => {
    w = await world();
    photos = await generatePhotos(4, 52_000, { longSide: [700, 900], runners: [1, 1], bibWidth: [160, 300], blurChance: 0 });
    ids = [];
    for (const p of photos.slice(0, 3)) {
      const res = await ingestPhoto(w.h.deps, w.event, { name: p.name, data: p.image });
      assert.equal(res.status, 'added');
      assert.equal(res.status === 'added' && res.bibs, 1, `${p.name}: ${JSON.stringify(res)}`);
      ids.push(res.image_id);
    }
  });
  after(() => w.h.close());

  test('a manual tag survives, a rejected read stays rejected, a stale read is dropped', async () => {
    for (let i = 0; i < 3; i++) assert.deepEqual(await w.search(bib(i)), [ids[i]], `read ${bib(i)}`);
    // Photo 0: a manual tag for a bib the OCR cannot see.
    assert.equal((await w.admin(`/photos/${ids[0]}/bibs`, { method: 'POST', body: { bib: '0777' } })).status, 200);
    // Photo 1: the organiser rejects the read.
    const read1 = (await w.photo(ids[1]!)).bibs.find((b) => b.source === 'ocr')!;
    const rejected = await w.admin(`/photos/${ids[1]}/bibs/${read1.tag_id}`, { method: 'PATCH', body: { status: 'rejected' } });
    assert.equal(rejected.status, 200);
    // Photo 2: the bib removed by hand (DELETE …/photos/{i}/bibs/{bib}), which rejects an OCR read.
    const removed = await w.admin(`/photos/${ids[2]}/bibs/${bib(2)}`, { method: 'DELETE' });
    assert.equal(removed.status, 200);
    assert.equal((await json<BibPhoto>(removed)).data.bibs.find((b) => b.source === 'ocr')?.status, 'rejected');
    // Photo 0: an old wrong read nobody reviewed, which the OCR will not read again.
    await w.h.deps.store.bibs.add(ids[0]!, {
      bib: '31337',
      bib_norm: '31337',
      source: 'ocr',
      status: 'accepted',
      confidence: 0.81,
      box: [0, 0, 10, 10],
    });
    assert.deepEqual(await w.search('31337'), [ids[0]]);

    const job = await w.rerun();
    assert.equal(job.state, 'done', job.error ?? '');
    const r = job.report!;
    assert.deepEqual([r.photos, r.read, r.failed.length], [3, 3, 0]);
    assert.equal(r.removed, 1, 'the stale read');
    assert.equal(r.kept, 2, 'the two rejected reads');
    assert.equal(r.updated, 1, 'photo 0 read again');

    assert.deepEqual(await w.search('777'), [ids[0]], 'the manual tag survives');
    const p0 = await w.photo(ids[0]!);
    assert.deepEqual(p0.bibs.find((b) => b.source === 'manual')?.status, 'accepted');
    assert.equal(
      p0.bibs.find((b) => b.bib === '31337'),
      undefined,
    );
    assert.deepEqual(await w.search('31337'), []);
    assert.deepEqual(await w.search(bib(0)), [ids[0]]);
    for (const i of [1, 2]) {
      const tag = (await w.photo(ids[i]!)).bibs.find((b) => b.bib_norm === normaliseBib(bib(i)))!;
      assert.equal(tag.status, 'rejected', `photo ${i} stays rejected`);
      assert.ok(tag.reviewed_at);
      assert.deepEqual(await w.search(bib(i)), []);
    }
    assert.equal((await w.photo(ids[1]!)).scan?.state, 'read');
  });

  test('an accepted candidate stays accepted; a second re-run while one runs is 409; unread_only reads nothing new', async () => {
    // The list leaves photo 0's runner out: its read becomes a candidate; the organiser accepts it.
    const put = await w.h.call(`/api/v1/admin/${w.org.id}/events/${w.event.id}/bibs/issued`, {
      key: w.secret,
      method: 'PUT',
      body: `bib\n${bib(1)}\n${bib(2)}\n`,
      headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(put.status, 200);
    const cand = (await w.photo(ids[0]!)).bibs.find((b) => b.source === 'ocr')!;
    assert.equal(cand.status, 'candidate');
    assert.deepEqual(await w.search(bib(0)), []);
    await w.admin(`/photos/${ids[0]}/bibs/${cand.tag_id}`, { method: 'PATCH', body: { status: 'accepted' } });

    const first = await w.admin('/bibs/rerun', { method: 'POST' });
    assert.equal(first.status, 202);
    const second = await w.admin('/bibs/rerun', { method: 'POST', body: {} });
    assert.equal(second.status, 409);
    let job = (await json<RerunJob>(first)).data;
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await json<RerunJob>(await w.admin('/bibs/rerun'))).data;
    }
    assert.equal(job.state, 'done');
    assert.deepEqual(await w.search(bib(0)), [ids[0]], 'the accepted candidate is kept');

    const unread = await w.rerun({ unread_only: true });
    assert.equal(unread.report?.photos, 0);
    assert.equal((await w.admin('/bibs/rerun', { method: 'POST', body: { unread: true } })).status, 422);
  });

  test('bib search off: the OCR is skipped at ingest; a re-run of unread photos reads it later', async () => {
    const event = (await w.h.deps.store.events.update(w.event.id, {
      flags: { ...w.event.flags, bib_search: false },
    })) as EventRow;
    const res = await ingestPhoto(w.h.deps, event, { name: 'late.jpg', data: photos[3]!.image });
    assert.equal(res.status, 'added');
    assert.equal(res.status === 'added' && res.bibs, undefined);
    const late = await w.photo(res.image_id);
    assert.equal(late.scan, null);
    assert.deepEqual(late.bibs, []);
    const overview = (await json<BibOverview>(await w.admin('/bibs'))).data;
    assert.deepEqual([overview.bib_search, overview.not_read, overview.read], [false, 1, 3]);
    const job = await w.rerun({ unread_only: true });
    assert.deepEqual([job.report?.photos, job.report?.read], [1, 1]);
    assert.equal((await w.photo(res.image_id)).scan?.state, 'read');
  });
});

describe('OCR models missing', () => {
  let dir: string;
  let w: Awaited<ReturnType<typeof world>>;
  let photo: GeneratedPhoto;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-no-ocr-models-'));
    // A re-run's bibs.read jobs fail for good at once (no retries): the re-run reports the models' error.
    w = await world({ modelsDir: dir, retryLimit: 0 });
    photo = (await generatePhotos(1, 52_100, { longSide: [600, 700], runners: [1, 1], bibWidth: [160, 200] }))[0]!;
  });
  after(async () => {
    await w.h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ingest stores the photo and says its bibs were not read and how to fix it; re-runs fail clearly', async () => {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(photo.image)]), 'runner.jpg');
    const res = await w.h.call(`/api/v1/admin/${w.org.id}/events/${w.event.id}/photos`, { key: w.secret, body: form });
    assert.equal(res.status, 200);
    const report = (await json<UploadReport>(res)).data;
    assert.equal(report.added, 1);
    assert.equal(report.warnings.length, 1);
    assert.match(
      report.warnings[0]!,
      /^bibs not read: OCR models unavailable in .*ch_PP-OCRv4_det_infer\.onnx is missing.*npm run fetch-models/,
    );
    const stored = await w.photo(report.results[0]!.image_id!);
    assert.equal(stored.scan?.state, 'failed');
    assert.match(stored.scan!.error!, /npm run fetch-models/);

    await assert.rejects(w.h.deps.bibtrack!.rerunEvent(w.h.deps.blobs, w.event), OcrModelsError);
    const job = await w.rerun();
    assert.equal(job.state, 'failed');
    assert.match(job.error!, /npm run fetch-models/);
  });
});
