// Dead letters on the app's own queue (SQLite): a job that keeps failing (the blob store cannot be read) ends
// `failed` after its retries; the admin API lists it for its organisation only and retries it; the CLI lists and
// retries the same jobs from another process on the same DATA_DIR; once the store is back the retry stores the photo.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FailedJobList } from '../../../core/api/jobs.ts';
import { LocalBlobStore, blobDir } from '../../../server/blobs/local.ts';
import { stagedPhotoKey } from '../../../server/jobs/photo-ingest.ts';
import { createHash } from 'node:crypto';
import { runCli } from '../helpers/cli.ts';
import { makeJpeg } from '../helpers/photos.ts';
import { createWorld, type World } from '../helpers/world.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Blobs whose reads fail while `failing` (the object store is down). */
class FlakyBlobs extends LocalBlobStore {
  failing = false;
  override async get(key: string) {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
    return super.get(key);
  }
}

async function until<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('failed jobs: listed, retried (admin API and CLI)', { timeout: 120_000 }, () => {
  let w: World;
  let blobs: FlakyBlobs;
  let jobId: string;
  let imageId: string;
  const env = () => ({ DATA_DIR: w.h.dir, SIGNING_KEYS: 'test-signing-key' });
  const admin = (path: string, opts: { method?: string; key?: string } = {}) =>
    w.h.call(`/api/v1/admin/${w.orgId}${path}`, { key: opts.key ?? w.secret, ...(opts.method ? { method: opts.method } : {}) });

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-flaky-'));
    blobs = new FlakyBlobs(blobDir(dir));
    w = await createWorld({ blobs, jobRetry: { retryLimit: 1, retryDelaySeconds: 1 } }, 1);
    const photo = await makeJpeg({ seed: 901 });
    const hash = createHash('sha256').update(photo).digest('hex');
    const staged = stagedPhotoKey(w.event.id, hash);
    await blobs.put(staged, photo);
    blobs.failing = true;
    jobId = (await w.h.deps.jobs.enqueue('photo.ingest', {
      org_id: w.orgId,
      event_id: w.event.id,
      staged,
      name: 'finish.jpg',
      bibs: ['77'],
    }))!;
    const dead = await until(
      () => w.h.deps.jobs.get(jobId),
      (j) => j?.state === 'failed',
    );
    assert.equal(dead?.attempts, 2, 'the first attempt and one retry');
    const { imageIdFor } = await import('../../../server/ingest/pipeline.ts');
    imageId = imageIdFor(w.event.id, hash);
  });
  after(() => w.h.close());

  test('the admin API lists the organisation’s failed jobs with their error; another organisation sees none', async () => {
    const res = await admin('/jobs/failed');
    assert.equal(res.status, 200);
    const { data } = (await res.json()) as { data: FailedJobList };
    assert.equal(data.jobs.length, 1);
    const [j] = data.jobs;
    assert.equal(j!.job_id, jobId);
    assert.equal(j!.kind, 'photo.ingest');
    assert.equal(j!.event_id, w.event.id);
    assert.equal(j!.attempts, 2);
    assert.match(j!.error ?? '', /ECONNREFUSED/);
    assert.equal(j!.payload.name, 'finish.jpg');

    const other = await w.h.call(`/api/v1/admin/${w.other.orgId}/jobs/failed`, { key: w.other.secret });
    assert.deepEqual(((await other.json()) as { data: FailedJobList }).data.jobs, []);
    const stolen = await w.h.call(`/api/v1/admin/${w.other.orgId}/jobs/${jobId}/retry`, {
      key: w.other.secret,
      method: 'POST',
    });
    assert.equal(stolen.status, 404);
    const bad = await admin('/jobs/not-a-job/retry', { method: 'POST' });
    assert.equal(bad.status, 422);
    assert.equal((await admin('/jobs/failed', { key: w.publishable })).status, 403);
  });

  test('the CLI lists them from another process, and a retry there runs again (and fails again while the store is down)', async () => {
    const listed = await runCli(['jobs', 'failed', '--json'], env());
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as { id: string; kind: string; error: string }[];
    assert.deepEqual(
      rows.map((r) => [r.id, r.kind]),
      [[jobId, 'photo.ingest']],
    );
    const human = await runCli(['jobs', 'failed'], env());
    assert.match(human.stdout, new RegExp(`${jobId}\\tphoto\\.ingest\\torg ${w.orgId}\\tevent ${w.event.id}\\t2 attempts`));
    const unknown = await runCli(['jobs', 'retry', '00000000-0000-4000-8000-000000000000'], env());
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /is not a failed job/);
    const usage = await runCli(['jobs', 'retry'], env());
    assert.equal(usage.code, 2);

    const retried = await runCli(['jobs', 'retry', '--all', '--json'], env());
    assert.equal(retried.code, 0, retried.stderr);
    assert.deepEqual(JSON.parse(retried.stdout), { retried: [jobId] });
    // This process runs the jobs (the CLI never does): one more attempt, which fails again.
    const again = await until(
      () => w.h.deps.jobs.get(jobId),
      (j) => j?.state === 'failed' && j.attempts === 3,
    );
    assert.match(again!.error ?? '', /ECONNREFUSED/);
  });

  test('with the store back, a retry from the admin API stores the photo, with its bib', async () => {
    blobs.failing = false;
    const res = await admin(`/jobs/${jobId}/retry`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { data: unknown }).data, { job_id: jobId, retried: true });
    const done = await until(
      () => w.h.deps.jobs.get(jobId),
      (j) => j?.state === 'done',
    );
    assert.equal((done?.output as { status: string }).status, 'added');
    assert.ok(await w.h.deps.store.images.get(w.event.id, imageId));
    assert.deepEqual(
      (await w.h.deps.store.bibs.listForImage(imageId)).map((t) => t.bib),
      ['77'],
    );
    assert.deepEqual(((await (await admin('/jobs/failed')).json()) as { data: FailedJobList }).data.jobs, []);
    assert.equal((await admin(`/jobs/${jobId}/retry`, { method: 'POST' })).status, 404, 'no longer a failed job');
    const status = await runCli(['jobs', 'status', '--json'], env());
    assert.equal(JSON.parse(status.stdout).failed, 0);
  });
});
