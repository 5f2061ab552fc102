// The app on the shared job queue (pg-boss on a real PostgreSQL cluster): an API process that runs no jobs and a
// worker process (here: a second app over the same data) that does. Admin uploads are staged in the blob store and
// answered with the workers' results; a race-day (tus) upload is staged too and processed by the worker; the staged
// copies are gone afterwards; a request that waits too long answers `queued` with the photo's future id.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UploadReport } from '../../../core/api/admin.ts';
import { createDeps } from '../../../server/bootstrap.ts';
import type { AppDeps } from '../../../server/deps.ts';
import { PgBossQueue } from '../../../server/jobs/pgboss.ts';
import { queuePhotos } from '../../../server/jobs/photo-ingest.ts';
import { createLogger } from '../../../server/log.ts';
import { stagedUploadKey } from '../../../server/uploads/service.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../support/pg-cluster.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import { makeJpeg } from '../helpers/photos.ts';

const log = createLogger(process.env.JOBS_TEST_LOG === '1' ? 'debug' : 'silent');
const skip = !postgresAvailable() && !process.env.CI ? 'PostgreSQL binaries not installed' : false;

describe('the app on the shared (pg-boss) job queue', { skip, timeout: 180_000 }, () => {
  let cluster: PgCluster;
  let api: Harness;
  let worker: AppDeps;
  let base: string;
  let orgId: number;
  let eventId: number;
  let secret: string;
  const queue = () => new PgBossQueue({ connectionString: cluster.url, log, timeoutSeconds: 30, pollSeconds: 0.5, poolSize: 2 });

  before(async () => {
    cluster = await startPgCluster();
    // The API process: the shared queue, no job handlers running.
    api = createHarness({ jobs: queue(), work: false });
    // The worker: another composition root over the same database file and blobs, running the jobs.
    worker = await createDeps(api.config, {
      serveSite: false,
      faces: false,
      bibtrack: false,
      blobs: api.deps.blobs,
      jobs: queue(),
      work: true,
    });
    base = (await api.listen()).url;
    const org = await api.deps.store.orgs.create('Shared queue club');
    orgId = org.id;
    eventId = (await api.deps.store.events.create(org.id, { name: 'Queue 10K' })).id;
    secret = (await createApiKey(api.deps.store, org.id, { kind: 'secret' })).key;
  });
  after(async () => {
    await api?.close();
    await worker?.close();
    cluster?.stop();
  });

  test('an admin upload is staged, processed by the worker, and answered with its results (bibs from the sidecar)', async () => {
    const form = new FormData();
    const a = await makeJpeg({ seed: 1201 });
    const b = await makeJpeg({ seed: 1202 });
    form.append('files', new Blob([new Uint8Array(a)], { type: 'image/jpeg' }), 'a.jpg');
    form.append('files', new Blob([new Uint8Array(b)], { type: 'image/jpeg' }), 'b.jpg');
    form.append('files', new Blob([new Uint8Array(a)], { type: 'image/jpeg' }), 'a-again.jpg');
    form.append('files', new Blob([Buffer.from('not a photo')], { type: 'image/jpeg' }), 'broken.jpg');
    form.append('bibs', new Blob(['file,bib\na.jpg,42\nb.jpg,43\n'], { type: 'text/csv' }), 'bibs.csv');
    const res = await fetch(`${base}/api/v1/admin/${orgId}/events/${eventId}/photos`, {
      method: 'POST',
      headers: { 'X-API-Key': secret },
      body: form,
    });
    assert.equal(res.status, 200);
    const { data, message } = (await res.json()) as { data: UploadReport; message: string };
    if (process.env.JOBS_TEST_LOG === '1') console.error(JSON.stringify(data.results));
    assert.deepEqual(
      data.results.map((r) => [r.name, r.status]),
      [
        ['a.jpg', 'added'],
        ['b.jpg', 'added'],
        ['a-again.jpg', 'duplicate'],
        ['broken.jpg', 'failed'],
      ],
    );
    assert.equal(data.queued, 0);
    assert.match(message, /2 added, 1 duplicate, 1 failed/);
    assert.match(data.results[3]!.error ?? '', /not a readable image|not a supported image/);
    const tags = await api.deps.store.bibs.listForImage(data.results[0]!.image_id!);
    assert.deepEqual(
      tags.map((t) => t.bib),
      ['42'],
    );
    assert.equal(data.results[2]!.image_id, data.results[0]!.image_id);
    for (const r of data.results.slice(0, 2)) assert.ok(await api.deps.store.images.get(eventId, r.image_id!));
    // Nothing staged is left.
    assert.equal(await api.deps.blobs.get(`staging/photos/${eventId}/x`), null);
  });

  test('a race-day (tus) upload is staged in the blob store, processed by the worker, and its copies deleted', async () => {
    const photo = await makeJpeg({ seed: 1203 });
    const res = await fetch(`${base}/api/v1/admin/${orgId}/events/${eventId}/uploads`, {
      method: 'POST',
      headers: {
        'X-API-Key': secret,
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(photo.length),
        'Upload-Metadata': `filename ${Buffer.from('finish.jpg').toString('base64')}`,
        'Content-Type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(photo),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const id = res.headers.get('location')!.split('/').pop()!;
    await worker.jobs.idle('upload.process');
    const row = await api.deps.store.uploads.get(id);
    assert.equal(row?.state, 'processed');
    assert.ok(row?.image_id && (await api.deps.store.images.get(eventId, row.image_id)));
    assert.equal(await api.deps.blobs.get(stagedUploadKey(id)), null, 'the staged copy is deleted');

    // A worker killed after the photo was stored but before the upload's files were removed: the queue delivers the
    // job again, and that delivery removes what was left.
    await api.deps.blobs.put(stagedUploadKey(id), photo);
    await api.deps.jobs.enqueue('upload.process', { upload_id: id, org_id: orgId, event_id: eventId }, { key: `${id}-again` });
    await worker.jobs.idle('upload.process');
    assert.equal((await api.deps.store.uploads.get(id))?.state, 'processed', 'still processed, not processed again');
    assert.equal(await api.deps.blobs.get(stagedUploadKey(id)), null, 'the left-over copy is deleted');
  });

  test('a request that stops waiting answers `queued` with the photo’s future id; the worker stores it later', async () => {
    const event = (await api.deps.store.events.get(eventId))!;
    const photo = await makeJpeg({ seed: 1204 });
    const report = await queuePhotos(
      { store: api.deps.store, blobs: api.deps.blobs, jobs: api.deps.jobs },
      event,
      [{ name: 'late.jpg', read: async () => photo }],
      null,
      0,
    );
    const [r] = report.results;
    assert.equal(r?.status, 'queued');
    assert.equal(report.queued, 1);
    const queued = r as { image_id: string; job_id: string };
    await worker.jobs.idle('photo.ingest');
    assert.ok(await api.deps.store.images.get(eventId, queued.image_id), 'stored under the id announced');
    assert.equal((await api.deps.jobs.get(queued.job_id))?.state, 'done');
  });
});
