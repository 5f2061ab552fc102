// What the public API keeps in memory (issue 20) and when it lets go: the key, event and plan rows the checks read
// are kept per access data version (migration 017, moved by triggers on every write, by any connection), bib search
// pages per gallery data version (which bib tag writes now move). Each write below is made through the admin API or
// through another connection to the same database (another server or a CLI), and the very next request sees it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImagePage } from '../../../core/index.ts';
import { createApiKey, hashKey } from '../../../server/services/keys.ts';
import type { NewImage, Store } from '../../../server/store/types.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { openDataDirStore } from '../../support/store.ts';
import { sidecarTag, storedPhoto } from '../../support/rows.ts';

const photo = (eventId: number, i: number): NewImage => storedPhoto(eventId, i, 'cache', 0xa000);

describe('kept key, event and plan rows, and kept bib pages', () => {
  let h: Harness;
  /** Another connection to the app's database: another replica, or the CLI. */
  let other: Store;
  let orgId: number;
  let eventId: number;
  let secret: string;
  let base: string;

  before(async () => {
    h = createHarness();
    other = openDataDirStore(h.dir);
    const org = await h.deps.store.orgs.create('Cache club');
    orgId = org.id;
    eventId = (await h.deps.store.events.create(org.id, { name: 'Cache run' })).id;
    secret = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    for (let i = 0; i < 3; i++) await h.deps.store.images.insert(photo(eventId, i), [sidecarTag('42')]);
    base = `/api/v1/ext/${orgId}/event/${eventId}`;
  });
  after(async () => {
    await other?.close();
    await h?.close();
  });

  const newKey = async () => {
    const { key, row } = await createApiKey(h.deps.store, orgId, { kind: 'publishable', eventIds: [eventId] });
    return { key, id: row.id };
  };

  test('a kept key is not read again until a write moves the access version', async () => {
    const { key } = await newKey();
    const store = h.deps.store;
    const findByHash = store.keys.findByHash.bind(store.keys);
    let reads = 0;
    store.keys.findByHash = (hash) => {
      if (hash === hashKey(key)) reads++;
      return findByHash(hash);
    };
    try {
      for (let i = 0; i < 3; i++) assert.equal((await h.call(`${base}/details`, { key })).status, 200);
      assert.equal(reads, 1, 'read once, then kept');
      const v = await store.keys.accessVersion();
      await other.events.update(eventId, { name: 'Cache run (renamed)' });
      assert.ok((await store.keys.accessVersion()) > v, "another connection's write moves the version");
      const details = await json<{ event_name: string }>(await h.call(`${base}/details`, { key }));
      assert.equal(details.data.event_name, 'Cache run (renamed)');
      assert.equal(reads, 2, 'read again after the write');
    } finally {
      store.keys.findByHash = findByHash;
    }
  });

  test('a key deactivated through the admin API is refused by the next request', async () => {
    const { key, id } = await newKey();
    assert.equal((await h.call(`${base}/images`, { key })).status, 200);
    const off = await h.call(`/api/v1/admin/${orgId}/keys/${id}`, { key: secret, method: 'PATCH', body: { active: false } });
    assert.equal(off.status, 200);
    const refused = await h.call(`${base}/images`, { key });
    assert.equal(refused.status, 403);
    assert.match((await json(refused)).message, /inactive/);
  });

  test('a key deactivated or deleted by another server or the CLI is refused by the next request', async () => {
    const a = await newKey();
    const b = await newKey();
    for (const k of [a, b]) assert.equal((await h.call(`${base}/images`, { key: k.key })).status, 200);
    assert.ok(await other.keys.setActive(orgId, a.id, false));
    assert.equal((await h.call(`${base}/images`, { key: a.key })).status, 403);
    assert.ok(await other.keys.delete(orgId, b.id));
    const gone = await h.call(`${base}/images`, { key: b.key });
    assert.equal(gone.status, 403);
    assert.match((await json(gone)).message, /Invalid API key/);
    // Switched on again: accepted again at once.
    assert.ok(await other.keys.setActive(orgId, a.id, true));
    assert.equal((await h.call(`${base}/images`, { key: a.key })).status, 200);
  });

  test("an event switched off and an organisation's plan changed elsewhere apply to the next request", async () => {
    const { key } = await newKey();
    assert.equal((await h.call(`${base}/details`, { key })).status, 200);
    await other.events.update(eventId, { event_enabled: false });
    assert.equal((await h.call(`${base}/details`, { key })).status, 403);
    await other.events.update(eventId, { event_enabled: true });
    assert.equal((await h.call(`${base}/details`, { key })).status, 200);
    // Trial: the organisation's events are private to publishable keys (404).
    await other.credits.updateAccount(orgId, { plan: 'trial' });
    assert.equal((await h.call(`${base}/details`, { key })).status, 404);
    await other.credits.updateAccount(orgId, { plan: 'unlimited' });
    assert.equal((await h.call(`${base}/details`, { key })).status, 200);
  });

  test('a kept bib page shows a photo tagged elsewhere, and loses a tag removed elsewhere, on the next search', async () => {
    const { key } = await newKey();
    const search = async () => {
      const res = await h.call(`${base}/bibs/42?page=1&page_size=10`, { key });
      assert.equal(res.status, 200);
      const body = await json<ImagePage>(res);
      assert.equal(body.message, 'Records for bib number 42');
      return body.data.images.map((i) => i.image_id);
    };
    assert.equal((await search()).length, 3);
    assert.deepEqual(await search(), await search());
    // A new photo with the bib (another process's ingest): on the next search.
    await other.images.insert(photo(eventId, 3), [sidecarTag('042')]);
    assert.deepEqual(
      await search(),
      [0, 1, 2, 3].map((i) => photo(eventId, i).id),
    );
    // A tag added to an existing photo, then removed (the admin's bib review): each on the next search.
    await other.images.insert(photo(eventId, 4));
    assert.equal((await search()).length, 4, 'an untagged photo is not in the search');
    const added = await other.bibs.add(photo(eventId, 4).id, { ...sidecarTag('42'), source: 'manual' });
    assert.equal((await search()).length, 5);
    assert.ok(await other.bibs.remove(photo(eventId, 4).id, added.id));
    assert.equal((await search()).length, 4);
    // The leading zero typed is the search's own message; the page is the same photos.
    const typed = await json<ImagePage>(await h.call(`${base}/bibs/0042`, { key }));
    assert.equal(typed.message, 'Records for bib number 0042');
    assert.equal(typed.data.images.length, 4);
  });

  test('a kept bib page answers 304 to its ETag until a tag changes elsewhere; another bib or page has its own', async () => {
    const { key } = await newKey();
    const path = `${base}/bibs/42?page=1&page_size=10`;
    const first = await h.call(path, { key });
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^W\/"/);
    const again = await h.call(path, { key, headers: { 'If-None-Match': etag! } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    for (const elsewhere of [`${base}/bibs/43?page=1&page_size=10`, `${base}/bibs/42?page=1&page_size=5`])
      assert.equal((await h.call(elsewhere, { key, headers: { 'If-None-Match': etag! } })).status, 200, elsewhere);
    const added = await other.bibs.add(photo(eventId, 4).id, { ...sidecarTag('42'), source: 'manual' });
    const changed = await h.call(path, { key, headers: { 'If-None-Match': etag! } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.ok((await json<ImagePage>(changed)).data.images.some((i) => i.image_id === photo(eventId, 4).id));
    assert.ok(await other.bibs.remove(photo(eventId, 4).id, added.id));
  });

  test('a page ETag changes when another connection adds a photo', async () => {
    const { key } = await newKey();
    const path = `${base}/images?page=1&page_size=2`;
    const first = await h.call(path, { key });
    const etag = first.headers.get('etag')!;
    assert.equal((await h.call(path, { key, headers: { 'If-None-Match': etag } })).status, 304);
    await other.images.insert(photo(eventId, 5));
    const next = await h.call(path, { key, headers: { 'If-None-Match': etag } });
    assert.equal(next.status, 200);
    assert.notEqual(next.headers.get('etag'), etag);
    assert.equal((await json<ImagePage>(next)).data.pagination.total, 6);
  });
});
