// The admin API: secret keys only; events and settings, watermark, uploads, manual bibs, deletes, keys; the deprecated
// `/event/{id}/…` alias of the event routes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AdminEvent, AdminEventList, AdminPhoto, CreatedKey, KeyItem, KeyList, UploadReport } from '../../core/api/admin.ts';
import type { BibPhoto, BibPhotoPage } from '../../core/api/bibtrack.ts';
import type { ImagePage } from '../../core/index.ts';
import { LocalBlobStore } from '../../server/blobs/local.ts';
import type { Logger } from '../../server/log.ts';
import type { RunningServer } from '../../server/serve.ts';
import { json } from '../support/harness.ts';
import { makeJpeg, makePng, writeMixedFolder } from './helpers/photos.ts';
import { createWorld, transports, type World } from './helpers/world.ts';

/** Blobs whose deletes fail for keys under `originals/` (a storage outage during a delete). */
class FlakyDeletes extends LocalBlobStore {
  failing = false;
  override async delete(key: string) {
    if (this.failing && key.startsWith('originals/')) throw new Error('EIO: storage unavailable');
    return super.delete(key);
  }
}

const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
const log: Logger = { info() {}, error() {}, warn: (msg, fields) => void warnings.push({ msg, fields }) };

const form = (files: [string, Buffer | string, string?][]) => {
  const f = new FormData();
  for (const [name, data, field = 'files'] of files)
    f.append(field, new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
  return f;
};

describe('admin API', () => {
  let w: World;
  let server: RunningServer;
  let blobs: FlakyDeletes;

  before(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    blobs = new FlakyDeletes(mkdtempSync(join(tmpdir(), 'pf-admin-blobs-')));
    w = await createWorld({ blobs, log, config: { uploadLimitBytes: 2 * 1024 * 1024 } }, 3);
    server = await w.h.listen();
  });
  after(() => w.h.close());

  const adm = (path: string) => `/api/v1/admin/${w.orgId}${path}`;
  const call = (path: string, opts: { method?: string; body?: unknown; key?: string } = {}) =>
    w.h.call(adm(path), { key: opts.key ?? w.secret, method: opts.method, body: opts.body });

  describe('access (in-process and over HTTP)', () => {
    for (const name of ['app', 'http'] as const) {
      const t = () => transports(w.h, () => server).find((x) => x.name === name)!;
      const ROUTES: [string, string, unknown?][] = [
        ['GET', '/events'],
        ['POST', '/events', { name: 'x' }],
        ['GET', '/events/{e}'],
        ['PATCH', '/events/{e}', { name: 'y' }],
        ['DELETE', '/events/{e}/watermark'],
        ['GET', '/events/{e}/photos/{i}'],
        ['POST', '/events/{e}/photos/{i}/bibs', { bib: '5' }],
        ['GET', '/events/{e}/bibs/untagged'],
        ['GET', '/event/{e}/photos/{i}'],
        ['GET', '/keys'],
        ['POST', '/keys', { kind: 'secret' }],
      ];
      for (const [method, path, body] of ROUTES) {
        test(`${name}: ${method} ${path} — 401 without key, 403 publishable, 403 other org`, async () => {
          const p = adm(path.replace('{e}', String(w.event.id)).replace('{i}', w.imageIds[0]!));
          assert.equal((await t().call(p, { method, body })).status, 401);
          const pub = await t().call(p, { method, body, key: w.publishable });
          assert.equal(pub.status, 403);
          assert.equal((await json(pub)).message, 'This route needs a secret key; publishable keys are read-only');
          const other = await t().call(p, { method, body, key: w.other.secret });
          assert.equal(other.status, 403);
        });
      }
      test(`${name}: an event of another org is 403, an unknown one 404`, async () => {
        assert.equal((await t().call(adm(`/events/${w.other.eventId}`), { key: w.secret })).status, 403);
        const res = await t().call(adm('/events/424242'), { key: w.secret });
        assert.equal(res.status, 404);
        assert.equal((await json(res)).message, 'Event 424242 not found');
      });
    }
  });

  describe('events and settings', () => {
    test('create with every setting, read it back, list it', async () => {
      const res = await call('/events', {
        body: {
          name: '  Autumn Trail  ',
          event_date: '2026-10-04',
          time_zone: 'America/New_York',
          free_downloads: false,
          face_threshold: 0.5,
          watermark_text: '© Trail Photos',
          flags: { video_search: true, video_selfie_search: true, name_search: true },
        },
      });
      assert.equal(res.status, 201);
      const e = (await json<AdminEvent>(res)).data;
      assert.equal(e.name, 'Autumn Trail');
      assert.equal(e.event_date, '2026-10-04T00:00:00');
      assert.equal(e.slug, 'autumn-trail');
      assert.equal(e.free_downloads, false);
      assert.deepEqual(e.flags, {
        bib_search: true,
        selfie_search: true,
        name_search: true,
        timeline_search: true,
        video_search: true,
        video_selfie_search: true,
      });
      const got = (await json<AdminEvent>(await call(`/events/${e.event_id}`))).data;
      assert.deepEqual(got, e);
      const list = (await json<AdminEventList>(await call('/events?page_size=100'))).data;
      assert.ok(list.events.some((x) => x.event_id === e.event_id));
      const details = await w.h.call(`/api/v1/ext/${w.orgId}/event/${e.event_id}/details`, { key: w.secret });
      assert.equal((await json<{ video_selfie_search: boolean }>(details)).data.video_selfie_search, true);
    });

    test('bad settings are 422 with the field path', async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /^name: /],
        [{ name: 'x', time_zone: 'Mars/Olympus' }, /^time_zone: must be an IANA time zone/],
        [{ name: 'x', time_zone: '+02:00' }, /^time_zone: /],
        [{ name: 'x', event_date: '2026-02-30' }, /^event_date: must be a date/],
        [{ name: 'x', face_threshold: 2 }, /^face_threshold: must be between 0 and 1/],
        [
          { name: 'x', flags: { video_selfie_search: true } },
          /^flags\.video_selfie_search: can only be true when flags\.video_search is true/,
        ],
        [{ name: 'x', flags: { bib_search: 'yes' } }, /^flags\.bib_search: /],
        [{ name: 'x', colour: 'red' }, /colour/],
        [{ name: 'x'.repeat(1001) }, /^name: must be at most 1000 characters/],
      ];
      for (const [body, msg] of cases) {
        const res = await call('/events', { body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.match((await json(res)).message, msg);
      }
      const malformed = await w.h.call(adm('/events'), {
        key: w.secret,
        body: '{"name":',
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(malformed.status, 400);
    });

    test('update merges flags; the video rule holds; switching video off switches selfie video off', async () => {
      const id = w.event.id;
      const patched = await call(`/events/${id}`, { method: 'PATCH', body: { flags: { bib_search: false } } });
      const off = (await json<AdminEvent>(patched)).data;
      assert.equal(patched.status, 200, JSON.stringify(off));
      assert.equal(off.flags.bib_search, false);
      assert.equal(off.flags.selfie_search, true, 'other flags unchanged');
      const bibs = await w.h.call(`/api/v1/ext/${w.orgId}/event/${id}/bibs/101`, { key: w.secret });
      assert.equal(bibs.status, 403, 'the switched-off feature is refused at once');
      await call(`/events/${id}`, { method: 'PATCH', body: { flags: { bib_search: true } } });
      const bad = await call(`/events/${id}`, { method: 'PATCH', body: { flags: { video_selfie_search: true } } });
      assert.equal(bad.status, 422);
      assert.equal((await json(bad)).message, 'flags.video_selfie_search: can only be true when flags.video_search is true');
      await call(`/events/${id}`, { method: 'PATCH', body: { flags: { video_search: true, video_selfie_search: true } } });
      const both = (
        await json<AdminEvent>(await call(`/events/${id}`, { method: 'PATCH', body: { flags: { video_search: false } } }))
      ).data;
      assert.equal(both.flags.video_selfie_search, false);
      const empty = await call(`/events/${id}`, { method: 'PATCH', body: {} });
      assert.equal(empty.status, 422);
      const free = (
        await json<AdminEvent>(
          await call(`/events/${id}`, { method: 'PATCH', body: { free_downloads: false, time_zone: 'Asia/Tokyo' } }),
        )
      ).data;
      assert.equal(free.free_downloads, false);
      assert.equal(free.time_zone, 'Asia/Tokyo');
      await call(`/events/${id}`, { method: 'PATCH', body: { free_downloads: true, time_zone: 'Europe/Paris' } });
    });

    test('watermark image: PNG accepted and burned into later previews; text or a truncated image refused', async () => {
      const id = w.event.id;
      const before = (await json<AdminEvent>(await call(`/events/${id}`))).data;
      assert.equal(before.watermark_image, false);
      const png = await makePng(200, 100);
      const res = await w.h.call(adm(`/events/${id}/watermark`), {
        key: w.secret,
        method: 'PUT',
        body: form([['logo.png', png, 'file']]),
      });
      assert.equal(res.status, 200);
      assert.equal((await json<AdminEvent>(res)).data.watermark_image, true);
      const event = (await w.h.deps.store.events.get(id))!;
      assert.match(event.watermark_image!, /^watermarks\/\d+\/[0-9a-f]{16}\.png$/);
      assert.ok(existsSync(join(blobs.root, event.watermark_image!)));

      const text = await w.h.call(adm(`/events/${id}/watermark`), {
        key: w.secret,
        method: 'PUT',
        body: form([['logo.png', 'not an image', 'file']]),
      });
      assert.equal(text.status, 422);
      assert.equal((await json(text)).message, 'file: the watermark is not a readable PNG or JPEG image');
      const jpg = await makeJpeg({ seed: 9 });
      const cut = await w.h.call(adm(`/events/${id}/watermark`), {
        key: w.secret,
        method: 'PUT',
        body: form([['logo.jpg', jpg.subarray(0, jpg.length / 2), 'file']]),
      });
      assert.equal(cut.status, 422);
      const notMultipart = await w.h.call(adm(`/events/${id}/watermark`), { key: w.secret, method: 'PUT', body: { file: 'x' } });
      assert.equal(notMultipart.status, 415);
      const none = await w.h.call(adm(`/events/${id}/watermark`), { key: w.secret, method: 'PUT', body: form([]) });
      assert.equal(none.status, 422);

      const removed = await call(`/events/${id}/watermark`, { method: 'DELETE' });
      assert.equal((await json<AdminEvent>(removed)).data.watermark_image, false);
      assert.ok(!existsSync(join(blobs.root, event.watermark_image!)), 'the old blob is deleted');
    });
  });

  describe('photos', () => {
    let folder: Awaited<ReturnType<typeof writeMixedFolder>>;
    let dir: string;

    before(async () => {
      dir = join(w.h.dir, 'upload');
      folder = await writeMixedFolder(dir, 3);
    });

    test('upload many files at once: each reported by name; the bad ones store nothing', async () => {
      const event = await w.h.deps.store.events.create(w.orgId, { name: 'Upload target' });
      // A watermark set by an earlier test re-renders that event's photos in the background: let it finish.
      await w.h.deps.renditions.idle();
      const blobsBefore = countFiles(blobs.root);
      const names = readdirSync(dir).sort();
      const body = form(names.map((n) => [n, readFileSync(join(dir, n))] as [string, Buffer]));
      body.append('bibs', new Blob(['file,bib\nrace-001.jpg,12\nrace-002.jpg,A7;13\nrace-003.jpg,!!\n,5\n']), 'bibs.csv');
      const res = await w.h.call(adm(`/events/${event.id}/photos`), { key: w.secret, body });
      assert.equal(res.status, 200);
      const r = await json<UploadReport>(res);
      assert.equal(r.message, '3 added, 1 duplicate, 4 failed', JSON.stringify(r.data.results));
      const by = Object.fromEntries(r.data.results.map((x) => [x.name, x]));
      for (const n of folder.good.slice(1)) assert.equal(by[n]!.status, 'added');
      // The same bytes twice: whichever came first is added, the other is its duplicate.
      const pair = [by[folder.duplicate]!, by['race-001.jpg']!];
      assert.deepEqual(pair.map((x) => x.status).sort(), ['added', 'duplicate']);
      assert.equal(pair[0]!.image_id, pair[1]!.image_id);
      assert.match(by['zero-bytes.jpg']!.error!, /empty file/);
      // libvips keeps one error buffer per process: under concurrent decodes its text is sometimes lost ("Unknown
      // error"), but the file is still refused as unprocessable and named.
      assert.match(by['truncated.jpg']!.error!, /could not process the image: (.*premature end of JPEG|Unknown error)/);
      assert.match(by['renamed-text.jpg']!.error!, /not a readable image/);
      assert.match(by['notes.pdf']!.error!, /not a readable image/);
      assert.deepEqual(
        r.data.bib_problems.map((p) => p.line),
        [4, 5],
      );
      // 3 photos × (original + 2 thumbnails + preview), nothing for the bad files.
      assert.equal(countFiles(blobs.root) - blobsBefore, 12);
      const tagged = await w.h.call(`/api/v1/ext/${w.orgId}/event/${event.id}/bibs/a7`, { key: w.secret });
      assert.deepEqual(
        (await json<ImagePage>(tagged)).data.images.map((i) => i.image_id),
        [by['race-002.jpg']!.image_id],
      );
    });

    test('upload refusals: not multipart 415, no files 422, too large 413 (over HTTP too)', async () => {
      const p = `/events/${w.event.id}/photos`;
      assert.equal((await call(p, { body: { files: [] } })).status, 415);
      const none = await w.h.call(adm(p), { key: w.secret, body: form([]) });
      assert.equal(none.status, 422);
      assert.equal((await json(none)).message, 'files: attach at least one photo (multipart field `files`)');
      const big = form([['big.jpg', Buffer.alloc(3 * 1024 * 1024, 1)]]);
      for (const t of transports(w.h, () => server)) {
        const res = await t.call(adm(p), { key: w.secret, body: big });
        assert.equal(res.status, 413, t.name);
        const body = await json(res);
        assert.equal(body.responseType, 'error');
        assert.match(body.message, /larger than the limit of 2 MiB/);
      }
    });

    test('bibs by hand: add (manual), case-insensitive search, remove; OCR tags are rejected, not deleted', async () => {
      assert.equal(w.h.deps.bibtrack, undefined, 'this server has no bib OCR: tagging by hand needs none');
      const id = w.imageIds[2]!;
      const added = await call(`/events/${w.event.id}/photos/${id}/bibs`, { body: { bib: 'k-12' } });
      assert.equal(added.status, 200);
      const photo = (await json<BibPhoto>(added)).data;
      assert.ok(photo.bibs.some((b) => b.bib === 'k-12' && b.source === 'manual' && b.status === 'accepted'));
      const found = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/bibs/K12`, { key: w.publishable });
      assert.deepEqual(
        (await json<ImagePage>(found)).data.images.map((i) => i.image_id),
        [id],
      );

      const removed = (await json<BibPhoto>(await call(`/events/${w.event.id}/photos/${id}/bibs/K12`, { method: 'DELETE' })))
        .data;
      assert.ok(!removed.bibs.some((b) => b.bib === 'k-12'));
      // The sidecar tag 0427 is kept as rejected.
      const rejected = (await json<BibPhoto>(await call(`/events/${w.event.id}/photos/${id}/bibs/0427`, { method: 'DELETE' })))
        .data;
      assert.deepEqual(
        rejected.bibs.map((b) => [b.bib, b.source, b.status]),
        [['0427', 'sidecar', 'rejected']],
      );
      const gone = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/bibs/0427`, { key: w.publishable });
      assert.deepEqual((await json<ImagePage>(gone)).data.images, []);
      const again = await call(`/events/${w.event.id}/photos/${id}/bibs/0427`, { method: 'DELETE' });
      assert.equal(again.status, 404);
      const bad = await call(`/events/${w.event.id}/photos/${id}/bibs`, { body: { bib: '#1' } });
      assert.equal(bad.status, 422);
      assert.equal((await json(bad)).message, 'bib: a bib has only letters and digits');
      const unknown = await call(`/events/${w.event.id}/photos/a0000000-0000-4000-8000-000000000000/bibs`, {
        body: { bib: '1' },
      });
      assert.equal(unknown.status, 404);
      const notUuid = await call(`/events/${w.event.id}/photos/xyz`);
      assert.equal(notUuid.status, 422);
      assert.match((await json(notUuid)).message, /^image_id: /);
    });

    test("one endpoint per action: adding and removing a bib answer the photo's bibs exactly as GET …/photos/{id}/bibs does", async () => {
      const id = w.imageIds[1]!;
      const path = `/events/${w.event.id}/photos/${id}/bibs`;
      const before = (await json<BibPhoto>(await call(path))).data;
      assert.deepEqual(before.bibs.map((b) => b.bib).sort(), ['101', '202']);
      const added = await json<BibPhoto>(await call(path, { body: { bib: '3141' } }));
      assert.equal(added.message, 'Bib 3141 added');
      const read = await json<BibPhoto>(await call(path));
      assert.deepEqual(added.data, read.data, 'POST answers what GET reads');
      assert.deepEqual(Object.keys(added.data).sort(), [
        'bibs',
        'height',
        'image_id',
        'original_name',
        'preview_url',
        'scan',
        'thumbnail_url',
        'width',
      ]);
      const tag = added.data.bibs.find((b) => b.bib === '3141')!;
      assert.deepEqual([tag.bib_norm, tag.source, tag.status, tag.box], ['3141', 'manual', 'accepted', null]);
      const again = await json<BibPhoto>(await call(path, { body: { bib: '3141' } }));
      assert.deepEqual(again.data, read.data, 'the same bib again changes nothing');
      const removed = await json<BibPhoto>(await call(`${path}/3141`, { method: 'DELETE' }));
      assert.equal(removed.message, 'Bib 3141 removed');
      assert.deepEqual(removed.data, (await json<BibPhoto>(await call(path))).data, 'DELETE answers what GET reads');
      assert.deepEqual(removed.data, before, 'the manual tag is gone, the others untouched');
      // The photo itself (GET …/photos/{id}) keeps its own shape: the stored file with its tags.
      const photo = (await json<AdminPhoto>(await call(`/events/${w.event.id}/photos/${id}`))).data;
      assert.deepEqual(photo.bibs.map((b) => b.bib).sort(), ['101', '202']);
      assert.equal(typeof photo.bytes, 'number');
    });

    test('the manual tagging queue needs no bib OCR either; a bad page_size is 422 naming the field', async () => {
      const page = await call(`/events/${w.event.id}/bibs/untagged?page_size=200`);
      assert.equal(page.status, 200);
      const queue = (await json<BibPhotoPage>(page)).data;
      assert.deepEqual(
        queue.photos.map((p) => p.image_id),
        [w.imageIds[2]],
        'the photo whose bibs were removed or rejected above',
      );
      const big = await call(`/events/${w.event.id}/bibs/untagged?page_size=201`);
      assert.equal(big.status, 422);
      assert.equal((await json(big)).message, 'page_size: must be at most 200');
      const events = await call('/events?page_size=101');
      assert.equal(events.status, 422);
      assert.equal((await json(events)).message, 'page_size: must be at most 100');
      const both = await call('/events?page=0&page_size=x');
      assert.equal(both.status, 422);
      assert.match((await json(both)).message, /^page: must be 1 or more; page_size: /);
      // What needs the OCR service says so.
      const overview = await call(`/events/${w.event.id}/bibs`);
      assert.equal(overview.status, 503);
      assert.equal((await json(overview)).message, 'Bib OCR is not configured on this server');
    });

    test('delete a photo: rows and blobs gone; a failed blob delete is logged, not fatal', async () => {
      const img = (await w.h.deps.store.images.get(w.event.id, w.imageIds[0]!))!;
      const keys = [img.original_key, ...img.renditions.map((r) => r.blob_key)];
      const res = await call(`/events/${w.event.id}/photos/${img.id}`, { method: 'DELETE' });
      assert.equal(res.status, 200);
      assert.equal(await w.h.deps.store.images.get(w.event.id, img.id), null);
      for (const k of keys) assert.ok(!existsSync(join(blobs.root, k)), k);
      assert.equal((await call(`/events/${w.event.id}/photos/${img.id}`, { method: 'DELETE' })).status, 404);

      blobs.failing = true;
      warnings.length = 0;
      const flaky = (await w.h.deps.store.images.get(w.event.id, w.imageIds[1]!))!;
      const res2 = await call(`/events/${w.event.id}/photos/${flaky.id}`, { method: 'DELETE' });
      blobs.failing = false;
      assert.equal(res2.status, 200);
      assert.match((await json(res2)).message, /1 file\(s\) could not be removed and were logged/);
      assert.equal(await w.h.deps.store.images.get(w.event.id, flaky.id), null);
      assert.deepEqual(
        warnings.map((x) => [x.msg, x.fields?.key]),
        [['blob delete failed', flaky.original_key]],
      );
    });
  });

  describe('the deprecated /event/{id}/… alias', () => {
    test('answers every event route as /events/{id}/… does (same body), with Deprecation and a Link to the successor', async () => {
      const e = w.event.id;
      const cases: [string, string, unknown?][] = [
        ['GET', `/event/${e}`],
        ['GET', `/event/${e}/photos/${w.imageIds[2]}`],
        ['GET', `/event/${e}/photos/${w.imageIds[2]}/bibs`],
        ['GET', `/event/${e}/bibs/untagged?page_size=2`],
        ['GET', `/event/${e}/certificates`],
      ];
      for (const [method, path] of cases) {
        const old = await call(path, { method });
        const current = await call(path.replace('/event/', '/events/'), { method });
        assert.equal(old.status, 200, path);
        assert.equal(old.headers.get('deprecation'), 'true', path);
        assert.equal(
          old.headers.get('link'),
          `<${adm(path.replace('/event/', '/events/')).replace(/\?.*$/, '')}>; rel="successor-version"`,
        );
        assert.equal(current.headers.get('deprecation'), null, 'the new path is not deprecated');
        assert.deepEqual(await json(old), await json(current), path);
      }
      // Writes go through it too, and its errors are the same.
      const patched = await call(`/event/${e}`, { method: 'PATCH', body: { watermark_text: 'old path' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.headers.get('deprecation'), 'true');
      assert.equal((await json<AdminEvent>(await call(`/events/${e}`))).data.watermark_text, 'old path');
      await call(`/events/${e}`, { method: 'PATCH', body: { watermark_text: null } });
      const bad = await call(`/event/${e}/photos/xyz/bibs`);
      assert.equal(bad.status, 422);
      assert.match((await json(bad)).message, /^image_id: /);
      assert.equal((await call(`/event/${w.other.eventId}`)).status, 403);
      assert.equal((await call(`/event/${e}`, { key: w.publishable })).status, 403);
    });
  });

  describe('keys', () => {
    test('create shows the key once; list shows prefix + *** only; the new key works', async () => {
      const res = await call('/keys', {
        body: { kind: 'publishable', label: 'shop', event_ids: [w.event.id], origins: ['https://Shop.Example:443/'] },
      });
      assert.equal(res.status, 201);
      const created = (await json<CreatedKey>(res)).data;
      assert.match(created.key, /^pk_[\w-]{32}$/);
      assert.equal(created.display, `${created.key.slice(0, 8)}***`);
      assert.deepEqual(created.origins, ['https://shop.example']);
      const list = (await json<KeyList>(await call('/keys'))).data;
      assert.equal(list.max_keys, 10);
      const text = JSON.stringify(list);
      assert.ok(!text.includes(created.key), 'the full key is never listed');
      assert.ok(list.keys.every((k) => /^(sk|pk)_[\w-]{5}\*\*\*$/.test(k.display)));
      const ping = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/ping`, {
        key: created.key,
        headers: { Origin: 'https://shop.example' },
      });
      assert.equal(ping.status, 200);
    });

    test('bad key requests are 422', async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /^kind: /],
        [{ kind: 'admin' }, /^kind: /],
        [{ kind: 'secret', origins: ['https://a.example'] }, /^origins: only publishable keys are limited/],
        [{ kind: 'publishable', origins: ['ftp://a.example'] }, /^origins\.0: must be a web origin/],
        [{ kind: 'publishable', origins: ['https://a.example/path'] }, /^origins\.0: /],
        [
          { kind: 'publishable', event_ids: [w.other.eventId] },
          new RegExp(`^event_ids: event ${w.other.eventId} is not an event of organisation`),
        ],
        [{ kind: 'publishable', event_ids: [] }, /^event_ids: must name at least one event/],
      ];
      for (const [body, msg] of cases) {
        const res = await call('/keys', { body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.match((await json(res)).message, msg);
      }
    });

    test('deactivate refuses the key at once; activate restores it; delete; the calling key is protected', async () => {
      const created = (await json<CreatedKey>(await call('/keys', { body: { kind: 'secret', label: 'temp' } }))).data;
      const use = () => w.h.call(`/api/v1/ext/${w.orgId}/events`, { key: created.key });
      assert.equal((await use()).status, 200);
      const off = await call(`/keys/${created.key_id}`, { method: 'PATCH', body: { active: false } });
      assert.equal((await json<KeyItem>(off)).data.active, false);
      const refused = await use();
      assert.equal(refused.status, 403);
      assert.equal((await json(refused)).message, 'This API key is inactive');
      await call(`/keys/${created.key_id}`, { method: 'PATCH', body: { active: true } });
      assert.equal((await use()).status, 200);

      const self = await w.h.call(adm(`/keys/${created.key_id}`), { key: created.key, method: 'PATCH', body: { active: false } });
      assert.equal(self.status, 409);
      const selfDelete = await w.h.call(adm(`/keys/${created.key_id}`), { key: created.key, method: 'DELETE' });
      assert.equal(selfDelete.status, 409);

      assert.equal((await call(`/keys/${created.key_id}`, { method: 'DELETE' })).status, 200);
      assert.equal((await use()).status, 403);
      assert.equal((await call(`/keys/${created.key_id}`, { method: 'DELETE' })).status, 404);
      assert.equal((await call('/keys/abc', { method: 'DELETE' })).status, 422);
      assert.equal((await call(`/keys/${created.key_id}`, { method: 'PATCH', body: { active: 'no' } })).status, 422);
    });

    test('at most 10 keys per organisation: the 11th is 409', async () => {
      const count = (await json<KeyList>(await call('/keys'))).data.keys.length;
      for (let i = count; i < 10; i++) assert.equal((await call('/keys', { body: { kind: 'secret' } })).status, 201);
      const res = await call('/keys', { body: { kind: 'secret' } });
      assert.equal(res.status, 409);
      assert.match((await json(res)).message, /at most 10 keys/);
    });
  });
});

describe('admin flow over a real loopback server', () => {
  let w: World;
  let server: RunningServer;
  before(async () => {
    w = await createWorld({}, 1);
    server = await w.h.listen();
  });
  after(() => w.h.close());

  test('event, settings, upload (real multipart), bib by hand, download, delete, keys', async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/api/v1/admin/${w.orgId}${path}`, {
        ...init,
        headers: {
          'X-API-Key': w.secret,
          ...(init.body && typeof init.body === 'string' ? { 'Content-Type': 'application/json' } : {}),
        },
      });
    const created = await api('/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'Loopback race', time_zone: 'Europe/Berlin' }),
    });
    assert.equal(created.status, 201);
    const event = (await json<AdminEvent>(created)).data;
    const patched = await api(`/events/${event.event_id}`, { method: 'PATCH', body: JSON.stringify({ free_downloads: false }) });
    assert.equal((await json<AdminEvent>(patched)).data.free_downloads, false);
    assert.equal((await json<AdminEventList>(await api('/events'))).data.pagination.total, 3);

    const body = new FormData();
    body.append('files', new Blob([new Uint8Array(await makeJpeg({ seed: 4711 }))]), 'one.jpg');
    body.append('files', new Blob(['nope']), 'two.jpg');
    const upload = await api(`/events/${event.event_id}/photos`, { method: 'POST', body });
    assert.equal(upload.status, 200);
    const report = (await json<UploadReport>(upload)).data;
    assert.deepEqual(
      report.results.map((r) => [r.name, r.status]),
      [
        ['one.jpg', 'added'],
        ['two.jpg', 'failed'],
      ],
    );
    const id = report.results[0]!.image_id!;
    const tagged = await api(`/events/${event.event_id}/photos/${id}/bibs`, {
      method: 'POST',
      body: JSON.stringify({ bib: '88' }),
    });
    assert.equal((await json<BibPhoto>(tagged)).data.bibs[0]!.bib, '88');

    // Sold event: no token is 403; switching free downloads on gives the link.
    const dl = () =>
      fetch(`${server.url}/api/v1/ext/${w.orgId}/event/${event.event_id}/original-photos`, {
        method: 'POST',
        headers: { 'X-API-Key': w.publishable, 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'bib', identifier: '88' }),
      });
    assert.equal((await dl()).status, 403);
    await api(`/events/${event.event_id}`, { method: 'PATCH', body: JSON.stringify({ free_downloads: true }) });
    const link = (await json<{ presigned_urls: { url: string }[] }>(await dl())).data.presigned_urls[0]!.url;
    assert.equal((await fetch(link)).status, 200);

    assert.equal((await api(`/events/${event.event_id}/photos/${id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(link)).status, 404, 'the link of a deleted photo');

    const key = (await json<CreatedKey>(await api('/keys', { method: 'POST', body: JSON.stringify({ kind: 'publishable' }) })))
      .data;
    assert.equal((await api(`/keys/${key.key_id}`, { method: 'PATCH', body: JSON.stringify({ active: false }) })).status, 200);
    assert.equal((await json<KeyList>(await api('/keys'))).data.keys.find((k) => k.key_id === key.key_id)!.active, false);
    assert.equal((await api(`/keys/${key.key_id}`, { method: 'DELETE' })).status, 200);
  });
});

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}
