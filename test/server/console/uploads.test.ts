// Race-day intake over a real server on loopback: tus 1.0 uploads (raw HTTP and tus-js-client), resumed from the
// server's offset after an interruption, truncated uploads never ingested, duplicates skipped, exactly-once ingest,
// camera clock offsets, failures and retry, the processing view and its SSE stream, and who may upload where.
import assert from 'node:assert/strict';
import { sql } from '../../support/sql.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import type { ProcessingStats, UploadStatus } from '../../../core/api/auth.ts';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { makeJpeg } from '../helpers/photos.ts';
import type { Browser } from './support.ts';
import { createConsoleWorld, type ConsoleWorld } from './support.ts';

/** Blobs whose writes fail while `failing` (a full disk during ingest). */
class FlakyBlobs extends LocalBlobStore {
  failing = false;
  override async put(key: string, data: Buffer) {
    if (this.failing) throw new Error('ENOSPC: no space left on device');
    return super.put(key, data);
  }
}

/** A JPEG of noise: large enough (≈100 KB) to take several tus chunks. */
const noisyJpeg = (seed: number) =>
  sharp({
    create: {
      width: 400 + (seed % 7),
      height: 300,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();

const b64 = (s: string) => Buffer.from(s).toString('base64');
const metadata = (name: string, type = 'image/jpeg') => `filename ${b64(name)},filetype ${b64(type)}`;

describe('tus uploads', () => {
  let w: ConsoleWorld;
  let blobs: FlakyBlobs;
  let owner: Browser;
  let photographer: Browser;
  const uploadsPath = (eventId: number, orgId = w.orgId) => `/api/v1/admin/${orgId}/events/${eventId}/uploads`;
  const key = () => ({ 'X-API-Key': w.secret, 'Tus-Resumable': '1.0.0' });

  before(async () => {
    blobs = new FlakyBlobs(join(process.env.TMPDIR ?? '/tmp', `pf-flaky-${process.pid}-${Date.now()}`));
    w = await createConsoleWorld({ blobs });
    owner = w.browser();
    photographer = w.browser();
    await owner.login('owner@club.example');
    await photographer.login('photographer@club.example');
  });
  after(() => w.close());

  async function create(eventId: number, size: number, name: string, headers: Record<string, string> = key()) {
    const res = await fetch(w.base + uploadsPath(eventId), {
      method: 'POST',
      headers: { ...headers, 'Upload-Length': String(size), 'Upload-Metadata': metadata(name) },
    });
    return res;
  }
  const patch = (url: string, offset: number, body: Buffer, headers: Record<string, string> = key()) =>
    fetch(url, {
      method: 'PATCH',
      headers: { ...headers, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(body),
    });
  const head = (url: string) => fetch(url, { method: 'HEAD', headers: key() });
  const stats = async (eventId: number) =>
    (
      (await (await fetch(w.base + uploadsPath(eventId).replace('/uploads', '/processing'), { headers: key() })).json()) as {
        data: ProcessingStats;
      }
    ).data;
  const status = async (url: string) => ((await (await fetch(url, { headers: key() })).json()) as { data: UploadStatus }).data;

  /**
   * Starts a PATCH of the whole rest, sends `sendBytes` of it, waits until the server holds them (HEAD), then cuts
   * the connection: an interrupted upload.
   */
  async function interruptedPatch(url: string, offset: number, total: Buffer, sendBytes: number) {
    const u = new URL(url);
    const req = request({
      host: u.hostname,
      port: u.port,
      method: 'PATCH',
      path: u.pathname,
      headers: {
        ...key(),
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(total.length - offset),
      },
    });
    const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
    req.on('error', () => undefined);
    req.write(total.subarray(offset, offset + sendBytes));
    while (Number((await head(url)).headers.get('upload-offset')) < offset + sendBytes);
    req.destroy();
    await closed;
  }

  test('an upload interrupted mid-way resumes from the server’s offset and is ingested once, complete', async () => {
    const photo = await noisyJpeg(1);
    const created = await create(w.event.id, photo.length, 'finish-line.jpg');
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('tus-resumable'), '1.0.0');
    const url = created.headers.get('location')!;
    assert.match(url, new RegExp(`^${w.base}/api/v1/admin/${w.orgId}/events/${w.event.id}/uploads/[\\w-]+$`));

    // The first third arrives, then the connection drops.
    await interruptedPatch(url, 0, photo, Math.floor(photo.length / 3));
    // The server keeps what arrived; HEAD says how much (tus locks the upload: HEAD waits for the cut request).
    const h = await head(url);
    assert.equal(h.status, 200);
    assert.equal(h.headers.get('upload-length'), String(photo.length));
    const offset = Number(h.headers.get('upload-offset'));
    assert.equal((await status(url)).offset, offset);
    assert.ok(offset < photo.length, 'not complete');
    assert.equal((await stats(w.event.id)).received, 0, 'a partial upload is not received');

    const wrong = await patch(url, offset === 0 ? 5 : 0, photo.subarray(0, 10));
    assert.equal(wrong.status, 409, 'a PATCH at another offset is refused');

    const rest = await patch(url, offset, photo.subarray(offset));
    assert.equal(rest.status, 204);
    assert.equal(rest.headers.get('upload-offset'), String(photo.length));
    await w.h.deps.uploads.idle();
    const done = await status(url);
    assert.equal(done.state, 'processed');
    const img = await w.h.deps.store.images.get(w.event.id, done.image_id!);
    assert.ok(img);
    assert.equal(img.original_name, 'finish-line.jpg');
    assert.equal(img.bytes, photo.length, 'the stored original is the whole file');
    assert.deepEqual(await blobs.get(img.original_key), photo);
    assert.equal(existsSync(join(w.h.deps.uploads.dir, url.split('/').pop()!)), false, 'the upload file is removed once stored');

    // A zero-byte PATCH at the end finishes "again": still ingested once.
    const replay = await patch(url, photo.length, Buffer.alloc(0));
    assert.ok([204, 404].includes(replay.status), String(replay.status));
    await w.h.deps.uploads.idle();
    const s = await stats(w.event.id);
    assert.equal(s.received, 1);
    assert.equal(s.processed, 1);
    assert.equal(await w.h.deps.store.images.count(w.event.id), 1);
  });

  test('a truncated upload is never ingested, even after a restart of the queue', async () => {
    const photo = await makeJpeg({ seed: 502 });
    const created = await create(w.otherEvent.id, photo.length, 'cut.jpg');
    const url = created.headers.get('location')!;
    assert.equal((await patch(url, 0, photo.subarray(0, photo.length - 100))).status, 204);
    // More bytes than announced are refused.
    assert.equal((await patch(url, photo.length - 100, Buffer.concat([photo.subarray(-100), Buffer.alloc(50)]))).status, 413);
    await w.h.deps.uploads.resume();
    await w.h.deps.uploads.idle();
    const st = await status(url);
    assert.equal(st.state, 'receiving');
    assert.equal(st.offset, photo.length - 100);
    const s = await stats(w.otherEvent.id);
    assert.deepEqual([s.received, s.processed, s.waiting, s.failed], [0, 0, 0, 0]);
    assert.equal(await w.h.deps.store.images.count(w.otherEvent.id), 0);
    // Cancelled (tus termination): its bytes and its row go.
    const del = await fetch(url, { method: 'DELETE', headers: key() });
    assert.equal(del.status, 204);
    assert.equal((await fetch(url, { headers: key() })).status, 404);
  });

  test('after a crash mid-processing, resume() processes the upload once', async (t) => {
    if (w.h.deps.jobs.engine !== 'sqlite') {
      // On pg-boss the job of a process that died stays active and the queue delivers it again after
      // JOB_TIMEOUT_SECONDS (test/server/jobs/queue.test.ts, "redelivery after a process dies"); resume() leaves it.
      t.skip("SQLite job table only: pg-boss redelivers a dead worker's job itself");
      return;
    }
    const photo = await makeJpeg({ seed: 507 });
    const ev = await w.h.deps.store.events.create(w.orgId, { name: 'Crash 5K' });
    blobs.failing = true;
    const c = await create(ev.id, photo.length, 'crash.jpg');
    const url = c.headers.get('location')!;
    assert.equal((await patch(url, 0, photo)).status, 204);
    await w.h.deps.uploads.idle();
    blobs.failing = false;
    const id = url.split('/').pop()!;
    // As a process killed while ingesting leaves it: claimed, not finished.
    assert.ok(await w.h.deps.store.uploads.transition(id, ['failed'], 'processing'));
    const before = await w.h.deps.store.images.count(ev.id);
    assert.equal(await w.h.deps.uploads.resume(), 1);
    await w.h.deps.uploads.idle();
    assert.equal(await w.h.deps.uploads.resume(), 0, 'nothing left to resume');
    await w.h.deps.uploads.idle();
    assert.equal((await status(url)).state, 'processed');
    assert.equal(await w.h.deps.store.images.count(ev.id), before + 1);
  });

  test('unfinished uploads past their expiry are deleted, file and row', async () => {
    const c = await create(w.otherEvent.id, 1000, 'abandoned.jpg');
    const url = c.headers.get('location')!;
    assert.equal((await patch(url, 0, Buffer.alloc(100, 1))).status, 204);
    const id = url.split('/').pop()!;
    const dir = w.h.deps.uploads.dir;
    const info = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as { creation_date: string };
    const old = new Date(Date.now() - 8 * 86_400_000).toISOString();
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ ...info, creation_date: old }));
    await sql(w.h.deps.store).run('UPDATE uploads SET created_at = ? WHERE id = ?', old, id);
    assert.equal(await w.h.deps.uploads.sweepExpired(), 1);
    assert.equal(existsSync(join(dir, id)), false);
    assert.equal(await w.h.deps.store.uploads.get(id), null);
    assert.equal((await head(url)).status, 404);
  });

  test('tus-js-client through a console session: chunks, a resume from the URL, duplicates skipped', async () => {
    const photo = await noisyJpeg(3);
    assert.ok(photo.length > 40 * 1024, `${photo.length} bytes`);
    const endpoint = w.base + uploadsPath(w.event.id);
    const headers = { Cookie: `pf_session=${photographer.cookie}`, 'X-CSRF-Token': photographer.csrf! };
    // First attempt: stop after the first chunk.
    let firstUrl = '';
    await new Promise<void>((resolve, reject) => {
      const up = new tus.Upload(photo, {
        endpoint,
        headers,
        chunkSize: 8 * 1024,
        metadata: { filename: 'snap-1.jpg', filetype: 'image/jpeg' },
        retryDelays: null,
        onChunkComplete: () => {
          firstUrl = up.url!;
          void up.abort().then(resolve, reject);
        },
        onError: reject,
      });
      up.start();
    });
    const partial = await status(firstUrl);
    assert.equal(partial.state, 'receiving');
    assert.equal(partial.offset, 8 * 1024);

    // A new client resumes it from its URL: HEAD, then PATCHes from the server's offset.
    const offsets: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const up = new tus.Upload(photo, {
        endpoint,
        uploadUrl: firstUrl,
        headers,
        chunkSize: 16 * 1024,
        metadata: { filename: 'snap-1.jpg', filetype: 'image/jpeg' },
        retryDelays: null,
        onChunkComplete: (_chunk, sent) => void offsets.push(sent),
        onSuccess: () => resolve(),
        onError: reject,
      });
      up.start();
    });
    assert.equal(offsets[0], 8 * 1024 + 16 * 1024, 'the resume started from the server’s offset');
    await w.h.deps.uploads.idle();
    const done = await status(firstUrl);
    assert.equal(done.state, 'processed');
    const row = await w.h.deps.store.uploads.get(firstUrl.split('/').pop()!);
    assert.equal(row!.user_id, w.users.photographer.id);
    // Theirs to follow; another photographer of the event does not see it.
    await w.h.deps.auth.createUser({
      orgId: w.orgId,
      email: 'second-shooter@club.example',
      password: 'second shooter',
      role: 'photographer',
      eventIds: [w.event.id],
    });
    const second = w.browser();
    await second.login('second-shooter@club.example', 'second shooter');
    assert.equal((await photographer.fetch(new URL(firstUrl).pathname)).status, 200);
    assert.equal((await second.fetch(new URL(firstUrl).pathname)).status, 404);

    // The same photo again under another name: received, skipped as a duplicate.
    await new Promise<void>((resolve, reject) => {
      new tus.Upload(photo, {
        endpoint,
        headers,
        metadata: { filename: 'snap-1-copy.jpg', filetype: 'image/jpeg' },
        retryDelays: null,
        onSuccess: (payload) => {
          void payload;
          resolve();
        },
        onError: reject,
      }).start();
    });
    await w.h.deps.uploads.idle();
    const ids = await w.h.deps.store.uploads.idsInState(['duplicate'], w.event.id);
    assert.equal(ids.length, 1);
    const dup = await w.h.deps.store.uploads.get(ids[0]!);
    assert.equal(dup!.image_id, done.image_id);
    assert.equal(dup!.file_name, 'snap-1-copy.jpg');
  });

  test('a session needs X-CSRF-Token on tus requests; photographers only reach their events; no other organisation', async () => {
    const photo = await makeJpeg({ seed: 504 });
    const cookie = (b: Browser) => ({ Cookie: `pf_session=${b.cookie}`, 'Tus-Resumable': '1.0.0' });
    assert.equal((await create(w.event.id, photo.length, 'x.jpg', cookie(photographer))).status, 403, 'no CSRF token');
    const withCsrf = (b: Browser) => ({ ...cookie(b), 'X-CSRF-Token': b.csrf! });
    assert.equal((await create(w.event.id, photo.length, 'x.jpg', withCsrf(photographer))).status, 201);
    assert.equal((await create(w.otherEvent.id, photo.length, 'x.jpg', withCsrf(photographer))).status, 403, 'not their event');
    const viewer = w.browser();
    await viewer.login('viewer@club.example');
    assert.equal((await create(w.event.id, photo.length, 'x.jpg', withCsrf(viewer))).status, 403, 'viewers do not upload');

    // Another organisation's event, under our organisation's path or under its own.
    assert.equal((await create(w.foreign.event.id, photo.length, 'x.jpg')).status, 403);
    const foreignPath = `${w.base}${uploadsPath(w.foreign.event.id, w.foreign.orgId)}`;
    const res = await fetch(foreignPath, {
      method: 'POST',
      headers: { ...key(), 'Upload-Length': String(photo.length), 'Upload-Metadata': metadata('x.jpg') },
    });
    assert.equal(res.status, 403, 'our key on their organisation');
    const asOwner = await fetch(foreignPath, {
      method: 'POST',
      headers: { ...withCsrf(owner), 'Upload-Length': String(photo.length), 'Upload-Metadata': metadata('x.jpg') },
    });
    assert.equal(asOwner.status, 403, 'our owner on their organisation');

    // Their upload URL, reached through our event: not found.
    const theirs = await fetch(foreignPath, {
      method: 'POST',
      headers: {
        'X-API-Key': w.foreign.secret,
        'Tus-Resumable': '1.0.0',
        'Upload-Length': '10',
        'Upload-Metadata': metadata('y.jpg'),
      },
    });
    assert.equal(theirs.status, 201);
    const id = theirs.headers.get('location')!.split('/').pop()!;
    const probe = await fetch(`${w.base}${uploadsPath(w.event.id)}/${id}`, { method: 'HEAD', headers: key() });
    assert.equal(probe.status, 404);
    const intrude = await patch(`${w.base}${uploadsPath(w.event.id)}/${id}`, 0, Buffer.alloc(10));
    assert.equal(intrude.status, 404);

    // Not a photo, and no tus header.
    const pdf = await fetch(w.base + uploadsPath(w.event.id), {
      method: 'POST',
      headers: { ...key(), 'Upload-Length': '10', 'Upload-Metadata': metadata('results.pdf', 'application/pdf') },
    });
    assert.equal(pdf.status, 415);
    const unknownType = await fetch(w.base + uploadsPath(w.event.id), {
      method: 'POST',
      headers: { ...key(), 'Upload-Length': '10', 'Upload-Metadata': metadata('IMG_0001.JPG', 'application/octet-stream') },
    });
    assert.equal(unknownType.status, 201, 'a browser that does not know the type sends application/octet-stream');
    const noTus = await fetch(w.base + uploadsPath(w.event.id), {
      method: 'POST',
      headers: { 'X-API-Key': w.secret, 'Upload-Length': '10' },
    });
    assert.equal(noTus.status, 412);
  });

  test('a photographer’s camera clock offset moves the capture time of their uploads', async () => {
    const taken = new Date(Date.UTC(2026, 4, 3, 9, 30, 0));
    const photo = await makeJpeg({ seed: 505, takenAt: taken });
    const set = await owner.json(`/api/v1/admin/${w.orgId}/events/${w.event.id}/photographers/${w.users.photographer.id}`, {
      method: 'PUT',
      json: { clock_offset_seconds: 125 },
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.data, { event_id: w.event.id, user_id: w.users.photographer.id, clock_offset_seconds: 125 });
    const refused = await photographer.json(
      `/api/v1/admin/${w.orgId}/events/${w.event.id}/photographers/${w.users.photographer.id}`,
      { method: 'PUT', json: { clock_offset_seconds: 0 } },
    );
    assert.equal(refused.status, 403, 'photographers do not set their own clocks');

    const headers = { Cookie: `pf_session=${photographer.cookie}`, 'X-CSRF-Token': photographer.csrf!, 'Tus-Resumable': '1.0.0' };
    const created = await fetch(w.base + uploadsPath(w.event.id), {
      method: 'POST',
      headers: {
        ...headers,
        'Upload-Length': String(photo.length),
        'Upload-Metadata': metadata('clock.jpg'),
        'Content-Type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(photo),
    });
    assert.equal(created.status, 201, 'creation with upload: the whole photo in the POST');
    await w.h.deps.uploads.idle();
    const st = await status(created.headers.get('location')!);
    assert.equal(st.state, 'processed');
    const img = await w.h.deps.store.images.get(w.event.id, st.image_id!);
    assert.equal(img!.captured_at, taken.getTime() + 125_000);
  });

  test('failures are listed with their reason and retried; the stream reports each change', async () => {
    const stream = await fetch(`${w.base}/api/v1/admin/${w.orgId}/events/${w.otherEvent.id}/processing/stream`, {
      headers: { 'X-API-Key': w.secret },
    });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type')!, /text\/event-stream/);
    const reader = stream.body!.getReader();
    let buffered = '';
    const nextMessage = async (): Promise<ProcessingStats> => {
      for (;;) {
        const i = buffered.indexOf('\n\n');
        if (i >= 0) {
          const block = buffered.slice(0, i);
          buffered = buffered.slice(i + 2);
          const data = /^data: (.*)$/m.exec(block);
          if (/^event: processing$/m.test(block) && data) return JSON.parse(data[1]!) as ProcessingStats;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffered += new TextDecoder().decode(value);
      }
    };
    const until = async (ok: (s: ProcessingStats) => boolean) => {
      for (;;) {
        const s = await nextMessage();
        if (ok(s)) return s;
      }
    };
    const first = await nextMessage();
    assert.equal(first.received, 0);

    blobs.failing = true;
    const bad = Buffer.from('this is not a photo at all');
    const good = await makeJpeg({ seed: 506 });
    for (const [name, data] of [
      ['broken.jpg', bad],
      ['good-but-disk-full.jpg', good],
    ] as const) {
      const c = await create(w.otherEvent.id, data.length, name);
      assert.equal((await patch(c.headers.get('location')!, 0, data)).status, 204);
    }
    await w.h.deps.uploads.idle();
    const failed = await until((s) => s.failed === 2);
    assert.equal(failed.received, 2);
    const reasons = Object.fromEntries(failed.failures.map((f) => [f.file_name, f.reason]));
    assert.match(reasons['broken.jpg']!, /not a readable image|not a supported image/);
    assert.match(reasons['good-but-disk-full.jpg']!, /no space left/);

    blobs.failing = false;
    const retry = await fetch(`${w.base}/api/v1/admin/${w.orgId}/events/${w.otherEvent.id}/processing/retry`, {
      method: 'POST',
      headers: { 'X-API-Key': w.secret },
    });
    assert.equal(((await retry.json()) as { data: { retried: number } }).data.retried, 2);
    await w.h.deps.uploads.idle();
    const after = await until((s) => s.waiting === 0 && s.processed + s.failed === 2);
    assert.equal(after.processed, 1);
    assert.equal(after.failed, 1);
    assert.deepEqual(
      after.failures.map((f) => f.file_name),
      ['broken.jpg'],
    );
    await reader.cancel();
  });
});
