// Ready answers (issue 20, http/ready-answers.ts): a repeated images, bibs or details request is answered from memory
// with one store statement (the request's versions), and every check it skips is still applied on the very next
// request after a write, by this server or another connection to the same database (another replica or the CLI; on
// PostgreSQL when the suite runs there): key revoked, origin not allowed, event or feature switched off, a photo, a bib
// tag or the certificates changed. Rate limits and the bib search analytics still count every request.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventDetails, ImagePage } from '../../../core/index.ts';
import { dbFile } from '../../../server/paths.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { NewImage, Store } from '../../../server/store/types.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { TEST_STORE } from '../../support/postgres.ts';
import { openDataDirStore } from '../../support/store.ts';
import { sidecarTag, storedPhoto } from '../../support/rows.ts';

const photo = (eventId: number, i: number): NewImage => storedPhoto(eventId, i, 'ready', 0xb000);

/** Counts every store call the app makes (sub-store methods), to tell a ready answer from a full one. */
function countStoreCalls(store: Store) {
  const calls: string[] = [];
  const restore: (() => void)[] = [];
  for (const [area, sub] of Object.entries(store)) {
    if (!sub || typeof sub !== 'object') continue;
    for (const [name, fn] of Object.entries(sub as Record<string, unknown>)) {
      if (typeof fn !== 'function') continue;
      const target = sub as Record<string, unknown>;
      target[name] = (...args: unknown[]) => {
        calls.push(`${area}.${name}`);
        return (fn as (...a: unknown[]) => unknown).apply(sub, args);
      };
      restore.push(() => (target[name] = fn));
    }
  }
  return { calls, restore: () => restore.forEach((r) => r()) };
}

describe('ready answers', () => {
  let h: Harness;
  let other: Store;
  let orgId: number;
  let eventId: number;
  let base: string;

  before(async () => {
    h = createHarness();
    other = openDataDirStore(h.dir);
    orgId = (await h.deps.store.orgs.create('Ready club')).id;
    eventId = (await h.deps.store.events.create(orgId, { name: 'Ready run', status: 'active' })).id;
    for (let i = 0; i < 3; i++) await h.deps.store.images.insert(photo(eventId, i), [sidecarTag('7')]);
    base = `/api/v1/ext/${orgId}/event/${eventId}`;
  });
  after(async () => {
    await other?.close();
    await h?.close();
  });

  const newKey = async (origins: string[] | null = null) =>
    (await createApiKey(h.deps.store, orgId, { kind: 'publishable', eventIds: [eventId], origins })).key;

  test('a repeated images, bibs or details request reads one statement; its answer and headers are the same', async () => {
    const key = await newKey();
    for (const path of [`${base}/images?page=1&page_size=2`, `${base}/bibs/7`, `${base}/details`]) {
      const first = await h.call(path, { key });
      assert.equal(first.status, 200, path);
      const spy = countStoreCalls(h.deps.store);
      let again: Response;
      try {
        again = await h.call(path, { key });
      } finally {
        spy.restore();
      }
      assert.equal(again.status, 200);
      // On PostgreSQL the store's own connection (`db`) shows the statement itself: one query.
      assert.deepEqual(
        spy.calls.filter((c) => !c.startsWith('db.')),
        ['keys.requestVersions'],
        path,
      );
      assert.ok(spy.calls.filter((c) => c.startsWith('db.')).length <= 1, `${path}: ${spy.calls.join(', ')}`);
      assert.equal(await again.text(), await first.text());
      for (const name of ['content-type', 'etag', 'access-control-allow-origin', 'x-content-type-options'])
        assert.equal(again.headers.get(name), first.headers.get(name), `${path} ${name}`);
      assert.match(again.headers.get('x-request-id') ?? '', /./);
      assert.notEqual(again.headers.get('x-request-id'), first.headers.get('x-request-id'));
      if (first.headers.get('etag'))
        assert.equal(
          (await h.call(path, { key, headers: { 'If-None-Match': first.headers.get('etag')! } })).status,
          304,
          `${path}: 304 from a ready answer`,
        );
    }
  });

  test("a key's origin allow-list is applied to each request, whichever origin was answered before", async () => {
    const key = await newKey(['https://club.example']);
    const path = `${base}/images?page=1&page_size=2`;
    for (let i = 0; i < 2; i++)
      assert.equal((await h.call(path, { key, headers: { Origin: 'https://club.example' } })).status, 200);
    assert.equal((await h.call(path, { key, headers: { Origin: 'https://other.example' } })).status, 403);
    assert.equal((await h.call(path, { key, headers: { Referer: 'https://other.example/page' } })).status, 403);
    assert.equal((await h.call(path, { key })).status, 403, 'no origin at all');
    assert.equal((await h.call(path, { key, headers: { Referer: 'https://club.example/gallery' } })).status, 200);
  });

  test('a key revoked, an event hidden and a feature switched off elsewhere apply to the next request', async () => {
    const key = await newKey();
    const { row } = await createApiKey(h.deps.store, orgId, { kind: 'publishable', eventIds: [eventId] });
    void row;
    const images = `${base}/images?page=1&page_size=2`;
    const bibs = `${base}/bibs/7`;
    for (let i = 0; i < 2; i++) {
      assert.equal((await h.call(images, { key })).status, 200);
      assert.equal((await h.call(bibs, { key })).status, 200);
    }
    await other.events.update(eventId, { show_all_images: false });
    assert.equal((await h.call(images, { key })).status, 403, 'search-only event: no browsing');
    assert.equal((await h.call(bibs, { key })).status, 200);
    await other.events.update(eventId, { show_all_images: true, flags: { bib_search: false } } as never);
    assert.equal((await h.call(images, { key })).status, 200);
    assert.equal((await h.call(bibs, { key })).status, 403, 'bib search switched off');
    const current = (await other.events.get(eventId))!;
    await other.events.update(eventId, { flags: { ...current.flags, bib_search: true } } as never);
    assert.equal((await h.call(bibs, { key })).status, 200);
    await other.events.update(eventId, { visibility: 'private' } as never);
    assert.equal((await h.call(images, { key })).status, 404, 'private event');
    await other.events.update(eventId, { visibility: 'public' } as never);
    assert.equal((await h.call(images, { key })).status, 200);
    const id = (await other.keys.listForOrg(orgId)).find((k) => k.prefix && key.startsWith(k.prefix))?.id;
    assert.ok(id);
    assert.ok(await other.keys.setActive(orgId, id, false));
    assert.equal((await h.call(images, { key })).status, 403, 'revoked key');
    assert.equal((await h.call(`${base}/details`, { key })).status, 403);
  });

  test('a photo, a bib tag and the certificates changed elsewhere are in the next answer', async () => {
    const key = await newKey();
    const details = async () => (await json<EventDetails>(await h.call(`${base}/details`, { key }))).data;
    const bib = async () => (await json<ImagePage>(await h.call(`${base}/bibs/7`, { key }))).data.pagination.total;
    const count = (await details()).image_count;
    const bibs = await bib();
    assert.equal((await details()).certificates, false);
    await other.images.insert(photo(eventId, 10), [sidecarTag('7')]);
    assert.equal((await details()).image_count, count + 1);
    assert.equal(await bib(), bibs + 1);
    await other.certificates.putTemplate(
      eventId,
      { name: 'T', width: 1000, height: 700, background: { kind: 'builtin', name: 'plain' }, fields: [] } as never,
      'custom',
    );
    await other.certificates.setPublished(eventId, true);
    assert.equal((await details()).certificates, true, 'published elsewhere: in the next details');
    await other.certificates.setPublished(eventId, false);
    assert.equal((await details()).certificates, false);
  });

  test(
    'SQLite: the requests of one event-loop turn share one versions read; a write of this process or the next turn reads again',
    { skip: TEST_STORE !== 'sqlite' && 'the sharing is SQLite’s (PostgreSQL reads per request)' },
    async () => {
      const keys = h.deps.store.keys;
      const first = await keys.requestVersions(eventId);
      assert.equal(await keys.requestVersions(eventId), first, 'the same turn: one read');
      // A write through any connection of this process (here the other store's): read again at once.
      await other.images.insert(photo(eventId, 20), []);
      const afterWrite = await keys.requestVersions(eventId);
      assert.notEqual(afterWrite, first);
      assert.equal(afterWrite.total, first.total + 1);
      // A commit this process did not make (another process's: a connection the store does not know) is seen by the
      // next turn's requests.
      const outside = new Database(dbFile(h.dir));
      try {
        outside.prepare('UPDATE image_counts SET version = version + 1 WHERE event_id = ?').run(eventId);
      } finally {
        outside.close();
      }
      assert.equal((await keys.requestVersions(eventId)).gallery, afterWrite.gallery, 'the same turn: the read is shared');
      await new Promise((r) => setImmediate(r));
      assert.equal((await keys.requestVersions(eventId)).gallery, afterWrite.gallery + 1, 'the next turn: read again');
    },
  );

  test('a bib search answered from memory is still counted in the analytics', async () => {
    const key = await newKey();
    const searches: string[] = [];
    const search = h.deps.analytics.search.bind(h.deps.analytics);
    h.deps.analytics.search = (event, source, method, hit) => {
      searches.push(`${event} ${source} ${method} ${hit}`);
      return search(event, source, method, hit);
    };
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await h.call(`${base}/bibs/7`, { key, headers: { 'X-PF-Source': 'widget' } })).status, 200);
      assert.equal((await h.call(`${base}/bibs/999`, { key })).status, 200);
      assert.equal((await h.call(`${base}/bibs/999`, { key })).status, 200);
      assert.equal((await h.call(`${base}/bibs/7?page=2&page_size=1`, { key })).status, 200);
      assert.equal((await h.call(`${base}/bibs/7?page=2&page_size=1`, { key })).status, 200);
    } finally {
      h.deps.analytics.search = search;
    }
    assert.deepEqual(searches, [...Array(3).fill(`${eventId} widget bib true`), ...Array(2).fill(`${eventId} direct bib false`)]);
  });
});

describe('ready answers with rate limits on', () => {
  test('every request counts in the key limit, ready or not: the one over the limit is 429', async () => {
    const h = createHarness({ config: { rateLimitPerMinute: 3 } });
    try {
      const orgId = (await h.deps.store.orgs.create('Limited club')).id;
      const eventId = (await h.deps.store.events.create(orgId, { name: 'Limited run', status: 'active' })).id;
      const { key } = await createApiKey(h.deps.store, orgId, { kind: 'publishable', eventIds: [eventId] });
      const path = `/api/v1/ext/${orgId}/event/${eventId}/details`;
      for (let i = 0; i < 3; i++) assert.equal((await h.call(path, { key })).status, 200, `request ${i + 1}`);
      const over = await h.call(path, { key });
      assert.equal(over.status, 429);
      assert.match(over.headers.get('retry-after') ?? '', /^\d+$/);
    } finally {
      await h.close();
    }
  });
});
