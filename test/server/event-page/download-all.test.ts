// "Download all my photos": POST …/download-all → a signed link that streams one ZIP (originals on free events,
// watermarked web-size copies on sold events with web_download), files named <slug>_<bib>_<HHMMSS>.jpg, one blob
// open at a time whatever the number of photos; the settings are checked again when the link is used.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { DownloadAllData, ImagePage } from '../../../core/index.ts';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { BULK_OFF, SOLD_NO_WEB } from '../../../server/services/download-all.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { json } from '../../support/harness.ts';
import { unzip } from '../checkout/support.ts';
import { makeJpeg } from '../helpers/photos.ts';
import { createWorld, type World } from '../helpers/world.ts';

/** Counts the blob streams open at once. */
class CountingBlobs extends LocalBlobStore {
  open = 0;
  maxOpen = 0;
  override stream(key: string, range?: { start: number; end: number }): Readable {
    const s = super.stream(key, range);
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    // Read to its end (or closed early): yazl opens the next file on the previous one's end.
    let done = false;
    const finish = () => {
      if (!done) this.open--;
      done = true;
    };
    s.once('end', finish);
    s.once('close', finish);
    return s;
  }
}

describe('download all my photos', () => {
  let w: World;
  let blobs: CountingBlobs;
  let blobDir: string;
  let sold: EventRow;

  before(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'pf-blobs-'));
    blobs = new CountingBlobs(blobDir);
    w = await createWorld({ blobs }, 5);
    sold = (await w.h.deps.store.events.create(w.orgId, {
      name: 'Sold race',
      free_downloads: false,
      time_zone: 'Europe/Paris',
    }))!;
    for (let i = 0; i < 3; i++) {
      const data = await makeJpeg({ seed: 300 + i, takenAt: new Date(Date.UTC(2026, 3, 12, 7, 0, i)) });
      assert.equal((await ingestPhoto(w.h.deps, sold, { name: `s${i}.jpg`, data, bibs: ['55'] })).status, 'added');
    }
  });
  after(async () => {
    await w.h.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const post = (body: unknown, event = w.event.id) =>
    w.h.call(`/api/v1/ext/${w.orgId}/event/${event}/download-all`, { key: w.publishable, body });
  const admin = (body: unknown, event = w.event.id) =>
    w.h.call(`/api/v1/admin/${w.orgId}/events/${event}`, { key: w.secret, method: 'PATCH', body });
  const fetchZip = async (url: string, method = 'GET') => {
    const u = new URL(url);
    return w.h.call(u.pathname + u.search, { method });
  };

  test('free event, by bib: originals, named after the event, bib and capture time, exact Content-Length', async () => {
    const res = await post({ bib: '0101' });
    assert.equal(res.status, 200);
    const d = (await json<DownloadAllData>(res)).data;
    assert.equal(d.kind, 'original');
    assert.equal(d.photo_count, 2);
    assert.ok(Date.parse(d.expires_at) > Date.now() + 50 * 60_000);
    const zipRes = await fetchZip(d.zip_url);
    assert.equal(zipRes.status, 200);
    assert.equal(zipRes.headers.get('content-type'), 'application/zip');
    assert.match(zipRes.headers.get('content-disposition')!, /filename="spring-10k_0101\.zip"/);
    const buf = Buffer.from(await zipRes.arrayBuffer());
    assert.equal(Number(zipRes.headers.get('content-length')), buf.length);
    const files = await unzip(buf);
    // Photos 0 and 1: 2026-04-12 06:00 and 07:10 UTC → 08:00:00 and 09:10:00 in Paris.
    assert.deepEqual([...files.keys()].sort(), ['spring-10k_101_080000.jpg', 'spring-10k_101_091000.jpg']);
    const original = await w.h.deps.store.images.get(w.event.id, w.imageIds[0]!);
    assert.deepEqual(files.get('spring-10k_101_080000.jpg'), await blobs.get(original!.original_key));
    const head = await fetchZip(d.zip_url, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), buf.length);
  });

  test('a selection of image_ids: every photo once, untimed ones numbered', async () => {
    const ids = [w.imageIds[4]!, w.imageIds[2]!, w.imageIds[2]!, w.imageIds[3]!];
    const d = (await json<DownloadAllData>(await post({ image_ids: ids }))).data;
    assert.equal(d.photo_count, 3);
    const files = await unzip(Buffer.from(await (await fetchZip(d.zip_url)).arrayBuffer()));
    assert.equal(files.size, 3);
    assert.ok([...files.keys()].some((n) => n === 'spring-10k_0427_102000.jpg'));
    assert.ok([...files.keys()].some((n) => /^spring-10k_photo_n\d{4}\.jpg$/.test(n)));
  });

  test('refusals: no photo 404, bad bodies 422, bulk download off 403 (also for a link issued before)', async () => {
    assert.equal((await post({ bib: '999' })).status, 404);
    assert.equal((await post({ image_ids: ['3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f'] })).status, 404);
    for (const body of [
      {},
      { bib: '1', selfie: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' },
      { image_ids: [] },
      { bib: '!!' },
      { selfie: 'x' },
    ]) {
      assert.equal((await post(body)).status, 422, JSON.stringify(body));
    }
    const d = (await json<DownloadAllData>(await post({ bib: '101' }))).data;
    await admin({ bulk_download: false });
    const refused = await post({ bib: '101' });
    assert.equal(refused.status, 403);
    assert.equal((await json(refused)).message, BULK_OFF);
    const link = await fetchZip(d.zip_url);
    assert.equal(link.status, 403);
    await admin({ bulk_download: true });
  });

  test('signed link: tampered or expired → 403', async () => {
    const d = (await json<DownloadAllData>(await post({ bib: '101' }))).data;
    const tampered = d.zip_url.replace('/bib/101.zip', '/bib/202.zip');
    assert.equal((await fetchZip(tampered)).status, 403);
    const u = new URL(d.zip_url);
    u.searchParams.set('exp', String(Math.floor(Date.now() / 1000) - 10));
    assert.equal((await fetchZip(u.toString())).status, 403);
  });

  test('sold event: 403 without web_download; with it, the watermarked web-size copies', async () => {
    const refused = await post({ bib: '55' }, sold.id);
    assert.equal(refused.status, 403);
    assert.equal((await json(refused)).message, SOLD_NO_WEB);
    await admin({ web_download: true }, sold.id);
    const d = (await json<DownloadAllData>(await post({ bib: '55' }, sold.id))).data;
    assert.equal(d.kind, 'web');
    assert.equal(d.photo_count, 3);
    const files = await unzip(Buffer.from(await (await fetchZip(d.zip_url)).arrayBuffer()));
    assert.deepEqual([...files.keys()].sort(), ['sold-race_55_090000.jpg', 'sold-race_55_090001.jpg', 'sold-race_55_090002.jpg']);
    const page = (
      await json<ImagePage>(await w.h.call(`/api/v1/ext/${w.orgId}/event/${sold.id}/bibs/55`, { key: w.publishable }))
    ).data.images;
    const previews = await Promise.all(
      page.map(async (i) => Buffer.from(await (await w.h.call(new URL(i.img_url).pathname)).arrayBuffer())),
    );
    for (const f of files.values()) {
      assert.ok(
        previews.some((p) => p.equals(f)),
        'each file is a preview, not an original',
      );
      assert.equal((await sharp(f).metadata()).format, 'jpeg');
    }
  });

  test('streamed: 60 photos go out with one blob open at a time', async () => {
    const event = (await w.h.deps.store.events.create(w.orgId, { name: 'Big race' }))!;
    let added = 0;
    for (let i = 0; i < 60; i++) {
      const data = await makeJpeg({ seed: 1000 + i, width: 64, height: 48 });
      if ((await ingestPhoto(w.h.deps, event, { name: `b${i}.jpg`, data, bibs: ['9'] })).status === 'added') added++;
    }
    assert.ok(added >= 50);
    const d = (await json<DownloadAllData>(await post({ bib: '9' }, event.id))).data;
    assert.equal(d.photo_count, added);
    blobs.maxOpen = 0;
    const files = await unzip(Buffer.from(await (await fetchZip(d.zip_url)).arrayBuffer()));
    assert.equal(files.size, added);
    assert.equal(blobs.maxOpen, 1);
  });
});

describe('ZIP size of many entries', () => {
  test('a central directory over 64 KiB (about 800 photos): the announced size is the size written', async () => {
    const { ZipFile } = await import('yazl');
    const { endZip } = await import('../../../server/checkout/zip.ts');
    for (const count of [10, 1200]) {
      const zip = new ZipFile();
      const names = Array.from({ length: count }, (_, i) => `race-2026_1234_${String(i).padStart(6, '0')}.jpg`);
      for (const n of names) zip.addBuffer(Buffer.from(n), n, { compress: false, mtime: new Date(0) });
      const chunks: Buffer[] = [];
      const done = new Promise<void>((resolve, reject) => {
        zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
        zip.outputStream.on('end', resolve);
        zip.outputStream.on('error', reject);
      });
      const size = await endZip(zip, names);
      await done;
      const buf = Buffer.concat(chunks);
      assert.equal(size, buf.length, `${count} entries`);
      assert.equal((await unzip(buf)).size, count);
    }
  });
});
