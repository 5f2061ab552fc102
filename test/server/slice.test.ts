import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../server/services/keys.ts';
import { seedDemo, type DemoInfo } from '../../server/seed/demo.ts';
import type { ImagePage, Ping } from '../../core/index.ts';
import { createHarness, json, type Harness } from '../support/harness.ts';

describe('the first slice: ping and images over a seeded event', () => {
  let h: Harness;
  let demo: DemoInfo;
  let otherEventId: number;
  let otherOrgKey: string;

  before(async () => {
    h = createHarness();
    ({ info: demo } = await seedDemo({
      store: h.deps.store,
      blobs: h.deps.blobs,
      certificates: h.deps.certificates,
      dataDir: h.dir,
      baseUrl: 'http://127.0.0.1',
      count: 6,
    }));
    const other = await h.deps.store.orgs.create('Other org');
    otherEventId = (await h.deps.store.events.create(other.id, { name: 'Other event' })).id;
    otherOrgKey = (await createApiKey(h.deps.store, other.id, { kind: 'secret' })).key;
  });
  after(() => h.close());

  const ev = () => `/api/v1/ext/${demo.org_id}/event/${demo.event_id}`;

  test('ping answers pong in the envelope', async () => {
    const res = await h.call(`${ev()}/ping`, { key: demo.publishable_key });
    assert.equal(res.status, 200);
    const body = await json<Ping>(res);
    assert.deepEqual(Object.keys(body).sort(), ['data', 'message', 'responseType']);
    assert.equal(body.message, 'pong');
    assert.deepEqual(body.data, { status: 'ok', org_id: demo.org_id, event_id: demo.event_id });
  });

  test('no X-API-Key is 401, a wrong key 403, in the error envelope', async () => {
    const missing = await h.call(`${ev()}/ping`);
    assert.equal(missing.status, 401);
    assert.deepEqual(await json(missing), {
      responseType: 'error',
      message: 'Missing X-API-Key header: send your API key in the X-API-Key header',
      data: null,
    });
    const wrong = await h.call(`${ev()}/ping`, { key: 'pk_not-a-real-key' });
    assert.equal(wrong.status, 403);
    const body = await json(wrong);
    assert.equal(body.responseType, 'error');
    assert.equal(body.data, null);
  });

  test('an event of another organisation is 403; an unknown event 404', async () => {
    const res = await h.call(`/api/v1/ext/${demo.org_id}/event/${otherEventId}/images`, { key: demo.secret_key });
    assert.equal(res.status, 403);
    const asOther = await h.call(`${ev()}/images`, { key: otherOrgKey });
    assert.equal(asOther.status, 403);
    const unknown = await h.call(`/api/v1/ext/${demo.org_id}/event/99999/images`, { key: demo.secret_key });
    assert.equal(unknown.status, 404);
  });

  test('page_size=1000 is 422 naming the field', async () => {
    const res = await h.call(`${ev()}/images?page_size=1000`, { key: demo.publishable_key });
    assert.equal(res.status, 422);
    const body = await json(res);
    assert.match(body.message, /^page_size: /);
    const both = await json(await h.call(`${ev()}/images?page=0&page_size=x`, { key: demo.publishable_key }));
    assert.match(both.message, /page: .*; page_size: /);
  });

  test('images pages in capture-time order with the spec pagination', async () => {
    const p1 = await json<ImagePage>(await h.call(`${ev()}/images?page=1&page_size=4`, { key: demo.publishable_key }));
    assert.equal(p1.message, 'Records for all images');
    assert.deepEqual(p1.data.pagination, {
      total: 6,
      currentPage: 1,
      totalPages: 2,
      hasNextPage: true,
      hasPreviousPage: false,
      page_size: 4,
    });
    const p2 = await json<ImagePage>(await h.call(`${ev()}/images?page=2&page_size=4`, { key: demo.publishable_key }));
    assert.equal(p2.data.images.length, 2);
    const all = [...p1.data.images, ...p2.data.images];
    assert.equal(new Set(all.map((i) => i.image_id)).size, 6);
    const times = all.map((i) => i.captured_at).filter((t): t is string => t !== null);
    assert.deepEqual(times, [...times].sort());
    for (const img of all) {
      assert.equal(img.width, 1600);
      assert.equal(img.height, 1067);
      assert.equal(img.original_url, null);
      const thumb = await h.app.request(new URL(img.thumbnail_url).pathname);
      assert.equal(thumb.status, 200);
      assert.equal(thumb.headers.get('content-type'), 'image/webp');
      assert.match(thumb.headers.get('cache-control') ?? '', /immutable/);
    }
    const past = await json<ImagePage>(await h.call(`${ev()}/images?page=9&page_size=4`, { key: demo.publishable_key }));
    assert.deepEqual(past.data.images, []);
    assert.equal(past.data.pagination.total, 6);
  });

  test('a real server on a loopback port answers the same', async () => {
    const server = await h.listen();
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}${ev()}/images?page_size=2`, { headers: { 'X-API-Key': demo.publishable_key } });
    assert.equal(res.status, 200);
    const body = await json<ImagePage>(res);
    assert.equal(body.data.images.length, 2);
    assert.ok(body.data.images[0]!.thumbnail_url.startsWith(server.url));
  });
});
