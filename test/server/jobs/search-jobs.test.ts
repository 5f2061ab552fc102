// Faces and bib reads of stored photos as jobs (`faces.index`, `bibs.read`), on the engine of the run (SQLite's
// in-process queue, or pg-boss with PF_TEST_STORE=postgres): switching a search on queues and processes every photo
// once; a job whose process stopped mid-way is delivered again and its photo written once; a job that keeps
// failing (its original is gone) is a dead letter the admin API lists with its photo and event, and a retry runs it.
// The face runner and the OCR reader are stand-ins that count their calls (the models are tested elsewhere).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RerunJob } from '../../../core/api/bibtrack.ts';
import type { FailedJobList } from '../../../core/api/jobs.ts';
import { FACE_PIPELINES } from '../../../core/models.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { faceJobKey } from '../../../server/jobs/search-jobs.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { BibReader } from '../../../server/services/bibtrack.ts';
import type { EventRow } from '../../../server/store/types.ts';
import type { FaceRunner } from '../../../server/vision/face-runner.ts';
import type { BibRead } from '../../../server/vision/ocr/ocr-engine.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { makeJpeg } from '../helpers/photos.ts';

/** Resolves when `check` holds (polled on state; the test's timeout bounds it). */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A face runner finding one face per photo; `hold` makes a call wait (a worker stuck, then killed). */
function countingRunner() {
  const r = {
    calls: 0,
    hold: null as Promise<void> | null,
    held: null as (() => void) | null,
    runner: {
      backend: 'cpu' as unknown as FaceRunner['backend'],
      pipeline: FACE_PIPELINES.default,
      async indexPhotoFaces() {
        if (r.hold) {
          const hold = r.hold;
          r.held?.();
          await hold;
          throw new Error('worker killed');
        }
        r.calls++;
        const embedding = new Float32Array(512).fill(0);
        embedding[0] = 1;
        return [{ box: [1, 1, 40, 40] as [number, number, number, number], score: 0.9, embedding, sharpness: 50, quality: 1 }];
      },
      async embedSelfie() {
        return { ok: false, reason: 'no_face' } as Awaited<ReturnType<FaceRunner['embedSelfie']>>;
      },
    } satisfies FaceRunner,
  };
  return r;
}

/** An OCR reader reading bib 42 on every photo. */
function countingReader() {
  const r = {
    calls: 0,
    reader: {
      size: 1,
      async readBibs(): Promise<BibRead[]> {
        r.calls++;
        return [{ bib: '42', bib_norm: '42', confidence: 0.9, box: [10, 10, 50, 30], status: 'accepted' }];
      },
      async close() {},
    } satisfies BibReader,
  };
  return r;
}

describe('faces and bib reads of stored photos run as jobs', { timeout: 180_000 }, () => {
  let h: Harness;
  const faces = countingRunner();
  const ocr = countingReader();
  let orgId: number;
  let secret: string;
  const admin = (path: string, o: { method?: string; body?: unknown } = {}) =>
    h.call(`/api/v1/admin/${orgId}${path}`, { key: secret, ...o });

  /** An event with both searches off and `n` stored photos (no face or OCR stage ran). */
  async function eventWithPhotos(name: string, n: number, seed: number) {
    const e0 = await h.deps.store.events.create(orgId, { name });
    const event = (await h.deps.store.events.update(e0.id, {
      flags: { ...e0.flags, selfie_search: false, bib_search: false },
    })) as EventRow;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await ingestPhoto(h.deps, event, { name: `runner-${seed + i}.jpg`, data: await makeJpeg({ seed: seed + i }) });
      assert.equal(r.status, 'added');
      if (r.status === 'added') ids.push(r.image_id);
    }
    return { event, ids };
  }

  before(async () => {
    h = createHarness({
      faces: { runner: async () => faces.runner },
      bibtrack: { reader: () => ocr.reader },
      jobRetry: { retryLimit: 1, retryDelaySeconds: 1 },
    });
    orgId = (await h.deps.store.orgs.create('Jobs club')).id;
    secret = (await createApiKey(h.deps.store, orgId, { kind: 'secret' })).key;
  });
  after(() => h.close());

  test('switching selfie search on queues a faces.index job per photo; each photo is indexed once', async () => {
    const { event, ids } = await eventWithPhotos('Selfies later', 4, 100);
    assert.equal(faces.calls, 0);
    const res = await admin(`/events/${event.id}`, { method: 'PATCH', body: { flags: { selfie_search: true } } });
    assert.equal(res.status, 200, await res.clone().text());
    await h.deps.jobs.idle('faces.index');
    assert.equal(faces.calls, 4, 'each photo indexed once');
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 4, scanned: 4, faces: 4 });

    // The same photo delivered again (at-least-once): its faces are replaced, not added.
    const on = (await h.deps.store.events.get(event.id))!;
    const again = await h.deps.jobs.enqueue(
      'faces.index',
      { org_id: orgId, event_id: on.id, image_id: ids[0]! },
      { key: faceJobKey(ids[0]!, h.deps.faces!.featureModel) },
    );
    assert.ok(again);
    await until(
      () => h.deps.jobs.get(again),
      (j) => j?.state === 'done',
    );
    assert.equal(faces.calls, 5);
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 4, scanned: 4, faces: 4 });

    // Switching it off and on again queues nothing: every photo is scanned.
    await admin(`/events/${event.id}`, { method: 'PATCH', body: { flags: { selfie_search: false } } });
    await admin(`/events/${event.id}`, { method: 'PATCH', body: { flags: { selfie_search: true } } });
    await h.deps.jobs.idle('faces.index');
    assert.equal(faces.calls, 5);
  });

  test('switching bib search on queues a bibs.read job per unread photo; the re-run status sums the jobs', async () => {
    const { event, ids } = await eventWithPhotos('Bibs later', 3, 200);
    const before = ocr.calls;
    const res = await admin(`/events/${event.id}`, { method: 'PATCH', body: { flags: { bib_search: true } } });
    assert.equal(res.status, 200);
    await h.deps.jobs.idle('bibs.read');
    assert.equal(ocr.calls - before, 3, 'each photo read once');
    const job = (await json<RerunJob>(await admin(`/events/${event.id}/bibs/rerun`))).data;
    assert.deepEqual(
      [job.state, job.unread_only, job.done, job.total, job.report?.photos, job.report?.read, job.report?.added],
      ['done', true, 3, 3, 3, 3, 3],
    );
    for (const id of ids) assert.equal((await h.deps.store.bibs.getScan(id))?.state, 'read');

    // A full re-run reads them again and merges: the same tag stays one tag.
    const started = await admin(`/events/${event.id}/bibs/rerun`, { method: 'POST', body: {} });
    assert.equal(started.status, 202);
    await h.deps.jobs.idle('bibs.read');
    const full = (await json<RerunJob>(await admin(`/events/${event.id}/bibs/rerun`))).data;
    assert.deepEqual([full.state, full.unread_only, full.report?.read, full.report?.added], ['done', false, 3, 0]);
    assert.equal(ocr.calls - before, 6);
    for (const id of ids) assert.equal((await h.deps.store.bibs.listForImage(id)).length, 1);
  });

  test('the CLI queues face and bib jobs (--queue) that this process runs, each photo once', async () => {
    const { event, ids } = await eventWithPhotos('CLI queue', 2, 500);
    await h.deps.store.events.update(event.id, { flags: { ...event.flags, selfie_search: true, bib_search: true } });
    const env = { DATA_DIR: h.dir, SIGNING_KEYS: 'test-signing-key' };
    const [f0, b0] = [faces.calls, ocr.calls];
    const queuedFaces = await runCli(['faces', 'reindex', '--event', String(event.id), '--missing', '--queue', '--json'], env);
    assert.equal(queuedFaces.code, 0, queuedFaces.stderr);
    assert.deepEqual(JSON.parse(queuedFaces.stdout), { event_id: event.id, kind: 'faces.index', queued: 2 });
    const queuedBibs = await runCli(['bibs', 'rerun', '--event', String(event.id), '--queue', '--json'], env);
    assert.equal(queuedBibs.code, 0, queuedBibs.stderr);
    assert.deepEqual((JSON.parse(queuedBibs.stdout) as RerunJob).total, 2);
    await h.deps.jobs.idle('faces.index');
    await h.deps.jobs.idle('bibs.read');
    assert.deepEqual([faces.calls - f0, ocr.calls - b0], [2, 2]);
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 2, scanned: 2, faces: 2 });
    for (const id of ids) assert.equal((await h.deps.store.bibs.getScan(id))?.state, 'read');
    const job = (await json<RerunJob>(await admin(`/events/${event.id}/bibs/rerun`))).data;
    assert.deepEqual([job.state, job.report?.read], ['done', 2]);
  });

  test('a faces.index job whose worker stopped mid-way is delivered again to another process and writes once', async () => {
    const { event, ids } = await eventWithPhotos('Killed worker', 1, 300);
    // A second process on the same database, with a short lease, whose runner gets stuck on its first photo.
    const stuck = countingRunner();
    let release!: () => void;
    stuck.hold = new Promise<void>((r) => (release = r));
    const claimed = new Promise<void>((r) => (stuck.held = r));
    const dying = createHarness({
      config: { dataDir: h.dir, jobs: { timeoutSeconds: 5, inServer: null } },
      faces: { runner: async () => stuck.runner },
    });
    // This harness stops working the queue while the other process takes the job (it takes it back after).
    const survivor = createHarness({
      config: { dataDir: h.dir, jobs: { timeoutSeconds: 5, inServer: null } },
      faces: { runner: async () => faces.runner },
      work: false,
    });
    try {
      await h.deps.jobs.close();
      const before = faces.calls;
      await dying.deps.store.events.update(event.id, { flags: { ...event.flags, selfie_search: true } });
      const on = (await dying.deps.store.events.get(event.id))!;
      const id = (await dying.deps.jobs.enqueue(
        'faces.index',
        { org_id: orgId, event_id: on.id, image_id: ids[0]! },
        { key: faceJobKey(ids[0]!, dying.deps.faces!.featureModel) },
      ))!;
      await claimed;
      assert.equal((await survivor.deps.jobs.get(id))?.state, 'active');
      // The dying process takes no more jobs (as if killed); its stuck job is left active.
      void dying.deps.jobs.close();
      await survivor.deps.jobs.work();
      const done = await until(
        () => survivor.deps.jobs.get(id),
        (j) => j?.state === 'done',
      );
      assert.ok(done!.attempts >= 2, `delivered again (attempts ${done!.attempts})`);
      assert.equal(faces.calls - before, 1);
      assert.deepEqual(await survivor.deps.store.faces.stats(event.id), { images: 1, scanned: 1, faces: 1 });
    } finally {
      release();
      await dying.close();
      await survivor.close();
    }
  });
});

describe('a bibs.read job that keeps failing is a dead letter, listed and retried', { timeout: 180_000 }, () => {
  let h: Harness;
  const ocr = countingReader();
  let orgId: number;
  let secret: string;
  before(async () => {
    h = createHarness({ bibtrack: { reader: () => ocr.reader }, jobRetry: { retryLimit: 1, retryDelaySeconds: 1 } });
    orgId = (await h.deps.store.orgs.create('Dead letters club')).id;
    secret = (await createApiKey(h.deps.store, orgId, { kind: 'secret' })).key;
  });
  after(() => h.close());

  test('the original is gone: failed after its retries, listed with photo and event; once back, a retry reads it', async () => {
    const e0 = await h.deps.store.events.create(orgId, { name: 'Lost originals' });
    const event = (await h.deps.store.events.update(e0.id, { flags: { ...e0.flags, bib_search: false } })) as EventRow;
    const r = await ingestPhoto(h.deps, event, { name: 'lost.jpg', data: await makeJpeg({ seed: 400 }) });
    assert.equal(r.status, 'added');
    const img = (await h.deps.store.images.get(event.id, r.status === 'added' ? r.image_id : ''))!;
    const original = (await h.deps.blobs.get(img.original_key))!;
    await h.deps.blobs.delete(img.original_key);

    const patch = await h.call(`/api/v1/admin/${orgId}/events/${event.id}`, {
      key: secret,
      method: 'PATCH',
      body: { flags: { bib_search: true } },
    });
    assert.equal(patch.status, 200);
    await h.deps.jobs.idle('bibs.read');
    const list = (await json<FailedJobList>(await h.call(`/api/v1/admin/${orgId}/jobs/failed`, { key: secret }))).data;
    assert.equal(list.jobs.length, 1);
    const [j] = list.jobs;
    assert.deepEqual(
      [j!.kind, j!.event_id, j!.event_name, j!.photo_name, j!.attempts],
      ['bibs.read', event.id, 'Lost originals', 'lost.jpg', 2],
    );
    assert.match(j!.error ?? '', /original file is missing/);
    assert.equal(ocr.calls, 0);
    const rerun = (await json<RerunJob>(await h.call(`/api/v1/admin/${orgId}/events/${event.id}/bibs/rerun`, { key: secret })))
      .data;
    assert.equal(rerun.state, 'failed');
    assert.match(rerun.error ?? '', /original file is missing/);
    assert.equal((await h.deps.store.bibs.getScan(img.id))?.state, 'failed');

    await h.deps.blobs.put(img.original_key, original);
    const retried = await h.call(`/api/v1/admin/${orgId}/jobs/${j!.job_id}/retry`, { key: secret, method: 'POST' });
    assert.equal(retried.status, 200);
    await until(
      () => h.deps.jobs.get(j!.job_id),
      (v) => v?.state === 'done',
    );
    assert.equal(ocr.calls, 1);
    assert.equal((await h.deps.store.bibs.getScan(img.id))?.state, 'read');
    const after = (await json<FailedJobList>(await h.call(`/api/v1/admin/${orgId}/jobs/failed`, { key: secret }))).data;
    assert.deepEqual(after.jobs, []);
  });
});
