// Resumable (tus) uploads any replica can resume (issue 16): two apps (two composition roots, two listening servers)
// over one database and one S3 bucket (the run's s3rver with `--blobs s3`, else one started here). The upload lives in
// the bucket (`uploads/` under the store's prefix), so its first chunk can go to replica A and its HEAD and remaining
// PATCHes to replica B; it is processed exactly once and its tus objects are deleted afterwards. On PostgreSQL the
// lock of an upload is shared too (PgLocker): a HEAD on B waits for (and ends) A's request that was cut off.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { UploadStatus } from '../../../core/api/auth.ts';
import { S3BlobStore } from '../../../server/blobs/s3.ts';
import { PgLocker } from '../../../server/uploads/locker.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { testBlobEngine, testS3Settings } from '../../support/blob-engine.ts';
import { onPostgres } from '../../support/postgres.ts';
import { startS3rver, type TestS3 } from '../../support/s3rver.ts';
import { createConsoleWorld, type ConsoleWorld } from '../console/support.ts';
import { makeJpeg } from '../helpers/photos.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** A JPEG of noise (≈200 KB): a PATCH of it is still on the wire when the connection is cut. */
const noisyJpeg = () =>
  sharp({
    create: { width: 600, height: 400, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
  })
    .jpeg({ quality: 90 })
    .toBuffer();

describe('tus uploads shared by two replicas (uploads in the S3 bucket)', { timeout: 180_000 }, () => {
  let s3: TestS3 | null = null;
  let blobs: S3BlobStore;
  let w: ConsoleWorld;
  let b: Harness;
  let baseB: string;
  const path = () => `/api/v1/admin/${w.orgId}/events/${w.event.id}/uploads`;
  const key = () => ({ 'X-API-Key': w.secret, 'Tus-Resumable': '1.0.0' });
  /** The same upload URL, on replica B. */
  const onB = (url: string) => url.replace(w.base, baseB);

  before(async () => {
    if (testBlobEngine() !== 's3') s3 = await startS3rver();
    blobs = new S3BlobStore(s3 ? s3.settings : testS3Settings(), { prefix: `t-${randomUUID()}/` });
    w = await createConsoleWorld({ blobs });
    b = createHarness({ config: { dataDir: w.h.dir }, blobs });
    baseB = (await b.listen()).url;
  });
  after(async () => {
    await b?.close();
    await w?.close();
    await blobs?.deleteAll();
    blobs?.close();
    await s3?.stop();
  });

  const create = (base: string, size: number, name: string) =>
    fetch(base + path(), {
      method: 'POST',
      headers: {
        ...key(),
        'Upload-Length': String(size),
        'Upload-Metadata': `filename ${b64(name)},filetype ${b64('image/jpeg')}`,
      },
    });
  const patch = (url: string, offset: number, body: Buffer) =>
    fetch(url, {
      method: 'PATCH',
      headers: { ...key(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(body),
    });
  const head = (url: string) => fetch(url, { method: 'HEAD', headers: key() });
  const status = async (url: string) => ((await (await fetch(url, { headers: key() })).json()) as { data: UploadStatus }).data;
  const tusObjects = async (id: string) => {
    const keys: string[] = [];
    for await (const e of blobs.list(`uploads/${id}/`)) keys.push(e.key);
    return keys;
  };
  /** Waits until the upload's row leaves receiving/waiting/processing (jobs run on both replicas). */
  async function settled(id: string) {
    for (;;) {
      const row = await w.h.deps.store.uploads.get(id);
      if (row && !['receiving', 'waiting', 'processing'].includes(row.state)) return row;
      await Promise.all([w.h.deps.uploads.idle(), b.deps.uploads.idle()]);
    }
  }

  test('first chunk on replica A, HEAD and the remaining PATCHes on replica B: processed exactly once', async () => {
    assert.equal(w.h.deps.uploads.dir, b.deps.uploads.dir, 'same DATA_DIR, but the bytes go to the bucket');
    const photo = await makeJpeg({ seed: 1601 });
    const created = await create(w.base, photo.length, 'split.jpg');
    assert.equal(created.status, 201, await created.clone().text());
    const url = created.headers.get('location')!;
    const id = url.split('/').pop()!;
    const third = Math.floor(photo.length / 3);
    assert.equal((await patch(url, 0, photo.subarray(0, third))).status, 204);
    assert.ok((await tusObjects(id)).length >= 2, 'the declaration and the first chunk are in the bucket');

    const h = await head(onB(url));
    assert.equal(h.status, 200);
    assert.equal(h.headers.get('upload-offset'), String(third), 'replica B sees the bytes replica A received');
    assert.equal(h.headers.get('upload-length'), String(photo.length));
    assert.equal((await status(onB(url))).offset, third);

    assert.equal((await patch(onB(url), 0, photo.subarray(0, 10))).status, 409, 'a PATCH at another offset');
    assert.equal((await patch(onB(url), third, photo.subarray(third, 2 * third))).status, 204);
    const last = await patch(onB(url), 2 * third, photo.subarray(2 * third));
    assert.equal(last.status, 204);
    assert.equal(last.headers.get('upload-offset'), String(photo.length));

    const row = await settled(id);
    assert.equal(row.state, 'processed', row.error ?? '');
    const img = await w.h.deps.store.images.get(w.event.id, row.image_id!);
    assert.ok(img);
    assert.equal(img.original_name, 'split.jpg');
    assert.deepEqual(await blobs.get(img.original_key), photo, 'the stored original is the whole file, in order');
    assert.equal(await w.h.deps.store.images.count(w.event.id), 1, 'one photo');
    const counts = await w.h.deps.store.uploads.counts(w.event.id);
    assert.deepEqual([counts.processed, counts.duplicate, counts.failed], [1, 0, 0], 'processed once, by one replica');
    assert.deepEqual(await tusObjects(id), [], 'the tus objects are deleted once the photo is stored');
    assert.equal((await head(url)).status, 404, 'a processed upload is gone from tus');
  });

  test('an upload cut off mid-PATCH on replica A resumes on replica B from the offset the bucket holds', async () => {
    const photo = await noisyJpeg();
    const created = await create(w.base, photo.length, 'resumed.jpg');
    const url = created.headers.get('location')!;
    const id = url.split('/').pop()!;
    const first = 4096;
    assert.equal((await patch(url, 0, photo.subarray(0, first))).status, 204);

    // A PATCH of the whole rest on A: part of it is sent, then the connection drops.
    const u = new URL(url);
    const req = request({
      host: u.hostname,
      port: u.port,
      method: 'PATCH',
      path: u.pathname,
      headers: {
        ...key(),
        'Upload-Offset': String(first),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(photo.length - first),
      },
    });
    const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
    req.on('error', () => undefined);
    req.write(photo.subarray(first, first + Math.floor((photo.length - first) / 2)));
    // The replica that takes the HEAD waits for the cut request's lock: on PostgreSQL B (the lock is shared and B
    // asks A to let go), on SQLite (one process per database: the lock is in memory) A itself.
    const resumeHead = (await head(onPostgres ? onB(url) : url)).status;
    assert.equal(resumeHead, 200);
    req.destroy();
    await closed;

    const h = await head(onB(url));
    assert.equal(h.status, 200);
    const offset = Number(h.headers.get('upload-offset'));
    assert.ok(offset >= first && offset < photo.length, `resumes at ${offset}`);
    assert.equal((await status(onB(url))).state, 'receiving');
    const rest = await patch(onB(url), offset, photo.subarray(offset));
    assert.equal(rest.status, 204, await rest.clone().text());

    const row = await settled(id);
    assert.equal(row.state, 'processed', row.error ?? '');
    const img = await w.h.deps.store.images.get(w.event.id, row.image_id!);
    assert.deepEqual(await blobs.get(img!.original_key), photo);
    assert.deepEqual(await tusObjects(id), []);
  });

  test('bad input on the bucket store: unknown upload 404, over the size limit 413, more bytes than declared 413', async () => {
    assert.equal((await head(`${baseB}${path()}/0123456789abcdef0123456789abcdef`)).status, 404);
    assert.equal((await patch(`${baseB}${path()}/0123456789abcdef0123456789abcdef`, 0, Buffer.alloc(5))).status, 404);
    const tooBig = await create(w.base, w.h.config.uploadLimitBytes + 1, 'huge.jpg');
    assert.equal(tooBig.status, 413);
    const created = await create(w.base, 100, 'small.jpg');
    const url = created.headers.get('location')!;
    assert.equal((await patch(onB(url), 0, Buffer.alloc(150, 7))).status, 413);
    assert.ok(Number((await head(url)).headers.get('upload-offset')) <= 100);
    // Cancelled on B (tus termination): its objects and its row go.
    assert.equal((await fetch(onB(url), { method: 'DELETE', headers: key() })).status, 204);
    assert.deepEqual(await tusObjects(url.split('/').pop()!), []);
    assert.equal((await head(url)).status, 404);
  });

  test('expired unfinished uploads are deleted from the bucket (declaration and chunks)', async () => {
    const created = await create(w.base, 1000, 'abandoned.jpg');
    const url = created.headers.get('location')!;
    const id = url.split('/').pop()!;
    assert.equal((await patch(url, 0, Buffer.alloc(100, 1))).status, 204);
    const info = JSON.parse((await blobs.get(`uploads/${id}/info`))!.toString('utf8')) as Record<string, unknown>;
    const old = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await blobs.put(`uploads/${id}/info`, Buffer.from(JSON.stringify({ ...info, creation_date: old })));
    assert.ok((await b.deps.uploads.sweepExpired()) >= 1);
    assert.deepEqual(await tusObjects(id), []);
    assert.equal((await head(url)).status, 404);
  });

  test('the PostgreSQL locker: one holder per upload across lockers; a waiting one asks the holder to let go', async (t) => {
    if (!onPostgres) return t.skip('PostgreSQL run only (the locker of replicas)');
    const url = w.h.config.databaseUrl!;
    const one = new PgLocker(url, 5000);
    const two = new PgLocker(url, 5000);
    try {
      const a = one.newLock('upload-x');
      let released = 0;
      const holder = new AbortController();
      await a.lock(holder.signal, () => {
        released++;
        void a.unlock();
      });
      // Another process's request for the same upload: it asks A to let go (A's request is cancelled), then gets it.
      const b2 = two.newLock('upload-x');
      await b2.lock(new AbortController().signal, () => undefined);
      assert.equal(released, 1, 'the holder was asked to release once');
      // A third request whose holder does not let go times out (ERR_LOCK_TIMEOUT, 500 in tus) — never two holders.
      const stubborn = new PgLocker(url, 300);
      try {
        await assert.rejects(
          stubborn.newLock('upload-x').lock(new AbortController().signal, () => undefined),
          (e: { status_code?: number; body?: string }) => e.status_code === 500 && /lock/.test(e.body ?? ''),
        );
      } finally {
        await stubborn.close();
      }
      await b2.unlock();
      const again = one.newLock('upload-x');
      await again.lock(new AbortController().signal, () => undefined);
      await again.unlock();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
