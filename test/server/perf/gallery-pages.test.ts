// Gallery pages (issue 20): keyset pagination that keeps random page jumps (every page equals the plain
// ORDER BY … LIMIT/OFFSET page, across the anchors and the timed/untimed boundary), counts and the data
// version kept by triggers (whichever connection writes), and serialised pages answered with an ETag / 304.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ImagePage } from '../../../core/index.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { NewImage, Store } from '../../../server/store/types.ts';
import { storedPhoto } from '../../support/rows.ts';
import { openTestStore } from '../../support/store.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { makeJpeg } from '../helpers/photos.ts';

/** `storedPhoto` (test/support/rows.ts) with its capture time (null: untimed) and a preview too. */
const photo = (eventId: number, i: number, capturedAt: number | null): NewImage => {
  const row = storedPhoto(eventId, i, 'h');
  return {
    ...row,
    captured_at: capturedAt,
    renditions: [
      { kind: 'preview', width: 1600, height: 1200, format: 'jpeg', blob_key: `r/${i}/p.jpg`, bytes: 3, watermark_version: 0 },
      ...row.renditions,
    ],
  };
};

describe('keyset pages and kept counts (the test engine: SQLite, or PostgreSQL)', () => {
  let dir: string;
  let store: Store;
  let eventId: number;
  /** The reference order: ORDER BY untimed, captured_at, id over the rows as inserted. */
  let expected: { id: string; t: number | null }[] = [];
  const reference = () =>
    [...expected].sort((a, b) =>
      a.t === null || b.t === null
        ? (a.t === null ? 1 : 0) - (b.t === null ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
        : a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-pages-'));
    store = openTestStore(dir);
    const org = await store.orgs.create('Pages');
    eventId = (await store.events.create(org.id, { name: 'Pages' })).id;
    const other = (await store.events.create(org.id, { name: 'Other' })).id;
    // 1,100 photos: timed with many equal times (ties broken by id), 1 in 7 untimed, in random insert order.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const order = Array.from({ length: 1100 }, (_, i) => i).sort(() => rand() - 0.5);
    for (const i of order) {
      const t = i % 7 === 3 ? null : 1_700_000_000_000 + Math.floor(rand() * 400) * 1000;
      await store.images.insert(photo(eventId, i, t));
      expected.push({ id: photo(eventId, i, t).id, t });
    }
    await store.images.insert(photo(other, 5000, 1));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = async (offset: number, limit: number) => {
    const want = reference()
      .slice(offset, offset + limit)
      .map((r) => r.id);
    const { items, total } = await store.images.list(eventId, { offset, limit });
    assert.equal(total, expected.length);
    assert.deepEqual(
      items.map((i) => i.id),
      want,
      `offset ${offset}, limit ${limit}`,
    );
    return items;
  };

  test('every page equals the LIMIT/OFFSET page, random jumps included', async () => {
    const n = expected.length;
    const timed = expected.filter((r) => r.t !== null).length;
    for (const limit of [1, 32, 100, 300]) {
      for (const offset of [0, 1, 31, 255, 256, 257, 511, 512, 700, timed - 5, timed - 1, timed, timed + 1, n - 33, n - 1, n]) {
        if (offset >= 0) await check(offset, limit);
      }
    }
    for (let offset = 0; offset < n; offset += 32) await check(offset, 32);
    const items = await check(64, 5);
    assert.deepEqual(
      items[0]!.renditions.map((r) => [r.kind, r.width]),
      [
        ['thumb', 320],
        ['preview', 1600],
      ],
      'renditions come with the page, narrowest first',
    );
  });

  test('counts and the data version follow inserts, deletes and rendition changes', async () => {
    const v0 = await store.images.listVersion(eventId);
    assert.equal(v0.total, expected.length);
    assert.equal(await store.images.count(eventId), expected.length);
    await store.images.insert(photo(eventId, 9000, 1_700_000_100_000));
    expected.push({ id: photo(eventId, 9000, 0).id, t: 1_700_000_100_000 });
    const v1 = await store.images.listVersion(eventId);
    assert.equal(v1.total, v0.total + 1);
    assert.ok(v1.version > v0.version);
    await check(0, 600);
    const gone = reference()[300]!.id;
    await store.images.delete(eventId, gone);
    expected = expected.filter((r) => r.id !== gone);
    const v2 = await store.images.listVersion(eventId);
    assert.equal(v2.total, v1.total - 1);
    assert.ok(v2.version > v1.version);
    await check(256, 100);
    await store.eventPage.replaceRenditions(reference()[0]!.id, [
      { kind: 'thumb', width: 320, height: 240, format: 'webp', blob_key: 'r/new.webp', bytes: 2, watermark_version: 1 },
    ]);
    const v3 = await store.images.listVersion(eventId);
    assert.ok(v3.version > v2.version, 'replaced renditions move the version');
    assert.equal((await check(0, 1))[0]!.renditions[0]!.blob_key, 'r/new.webp');
    // Another connection (a CLI ingest) writing: this one sees the new count and pages at once.
    const other = openTestStore(dir);
    await other.images.insert(photo(eventId, 9001, 1));
    expected.push({ id: photo(eventId, 9001, 0).id, t: 1 });
    await other.close();
    assert.equal((await store.images.listVersion(eventId)).total, expected.length);
    await check(0, 3);
    assert.equal(await store.images.count(9999), 0);
  });

  test('a photo waiting for credits is neither counted nor listed until it is ready', async () => {
    const before = await store.images.listVersion(eventId);
    const waiting = { ...photo(eventId, 9100, 2), state: 'waiting_credits' as const, renditions: [] };
    await store.images.insert(waiting);
    const v1 = await store.images.listVersion(eventId);
    assert.equal(v1.total, before.total);
    await check(0, 10);
    // Processed later (credits arrived): the same row becomes ready, counted and listed.
    await store.images.insert(photo(eventId, 9100, 2));
    expected.push({ id: waiting.id, t: 2 });
    const v2 = await store.images.listVersion(eventId);
    assert.equal(v2.total, before.total + 1);
    assert.ok(v2.version > v1.version);
    await check(0, 10);
  });
});

describe('GET images: serialised pages with ETag and 304', () => {
  let h: Harness;
  let key: string;
  let path: string;
  let eventId: number;
  before(async () => {
    h = createHarness();
    const org = await h.deps.store.orgs.create('ETag club');
    const event = await h.deps.store.events.create(org.id, { name: 'ETags' });
    eventId = event.id;
    key = (await createApiKey(h.deps.store, org.id, { kind: 'publishable', eventIds: [event.id] })).key;
    for (const seed of [1, 2, 3]) await ingestPhoto(h.deps, event, { name: `${seed}.jpg`, data: await makeJpeg({ seed }) });
    path = `/api/v1/ext/${org.id}/event/${event.id}/images?page=1&page_size=2`;
  });
  after(() => h?.close());

  test('an unchanged page is 304 for its ETag; a new photo changes the page and its ETag', async () => {
    const first = await h.call(path, { key });
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type')!, /application\/json/);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/".+"$/);
    const body = (await first.json()) as { responseType: string; message: string; data: ImagePage };
    assert.equal(body.responseType, 'success');
    assert.equal(body.data.pagination.total, 3);
    assert.equal(body.data.images.length, 2);

    const again = await h.call(path, { key, headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(await again.text(), '');
    assert.equal((await h.call(path, { key, headers: { 'If-None-Match': `"x", ${etag}` } })).status, 304);
    assert.equal((await h.call(path, { key, headers: { 'If-None-Match': '"other"' } })).status, 200);
    // Page 2 has its own tag.
    const p2 = await h.call(path.replace('page=1', 'page=2'), { key });
    assert.notEqual(p2.headers.get('etag'), etag);

    const event = (await h.deps.store.events.get(eventId))!;
    await ingestPhoto(h.deps, event, { name: '4.jpg', data: await makeJpeg({ seed: 4 }) });
    const changed = await h.call(path, { key, headers: { 'If-None-Match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(((await changed.json()) as { data: ImagePage }).data.pagination.total, 4);
    // Errors are not cached answers: a bad page size is still 422.
    assert.equal((await h.call(path.replace('page_size=2', 'page_size=0'), { key })).status, 422);
  });
});
