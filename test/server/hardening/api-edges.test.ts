// Smaller hardening items: ids and pages parsed strictly, invalid keys rate limited by client IP before the key is
// looked up, nosniff on every answer, a CSP with frame-ancestors on the server's own HTML pages.
import assert from 'node:assert/strict';
import { get, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../../server/services/keys.ts';
import { createHarness, json } from '../../support/harness.ts';
import { createWorld, type World } from '../helpers/world.ts';

describe('integers are parsed strictly', () => {
  let w: World;
  before(async () => (w = await createWorld({}, 2)));
  after(() => w.h.close());

  test('0x10, " 1", "1e308", "+1", "1.0", "Infinity" are refused as ids and pages; plain digits work', async () => {
    const ext = (org: string, event: string, query = '') =>
      w.h.call(`/api/v1/ext/${org}/event/${event}/images${query}`, { key: w.secret });
    for (const bad of ['0x10', ' 1', '1e308', '+1', '1.0', 'Infinity', '1 ', '0b1', '']) {
      const e = encodeURIComponent(bad);
      const asEvent = await ext(String(w.orgId), e);
      assert.ok([404, 422].includes(asEvent.status), `event_id ${JSON.stringify(bad)}: ${asEvent.status}`);
      if (bad) assert.equal(asEvent.status, 422, `event_id ${JSON.stringify(bad)}`);
      const asOrg = await ext(e, String(w.event.id));
      if (bad) assert.equal(asOrg.status, 422, `org_id ${JSON.stringify(bad)}`);
      const asPage = await ext(String(w.orgId), String(w.event.id), `?page=${e}`);
      if (bad) {
        assert.equal(asPage.status, 422, `page ${JSON.stringify(bad)}`);
        assert.match((await json(asPage)).message, /^page: page must be a whole number/);
      }
      const asSize = await ext(String(w.orgId), String(w.event.id), `?page_size=${e}`);
      if (bad) assert.equal(asSize.status, 422, `page_size ${JSON.stringify(bad)}`);
    }
    assert.equal((await ext(String(w.orgId), String(w.event.id), '?page=1&page_size=2')).status, 200);
    const key = await w.h.call(`/api/v1/admin/${w.orgId}/keys/0x1`, { key: w.secret, method: 'DELETE' });
    assert.equal(key.status, 422);
    const timeline = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/timeline/images?from=1e9&to=2000000000`, {
      key: w.secret,
    });
    assert.equal(timeline.status, 422);
  });
});

describe('rate limit by client IP before the key is looked up', () => {
  test('invalid and missing keys get 429 after the per-minute allowance; a valid key from elsewhere is not affected', async () => {
    const h = createHarness({ config: { rateLimitPerMinute: 3 } });
    try {
      const org = await h.deps.store.orgs.create('Guessers');
      const good = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
      let lookups = 0;
      const findByHash = h.deps.store.keys.findByHash.bind(h.deps.store.keys);
      h.deps.store.keys.findByHash = (hash) => {
        lookups++;
        return findByHash(hash);
      };
      const server = await h.listen();
      // Each call from a source address of the loopback network: two different clients.
      const call = (key?: string, from = '127.0.0.1') =>
        new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
          const u = new URL(`${server.url}/api/v1/ext/${org.id}/events`);
          get(
            { host: u.hostname, port: u.port, path: u.pathname, localAddress: from, headers: key ? { 'X-API-Key': key } : {} },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
            },
          ).on('error', reject);
        });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(i === 1 ? undefined : `sk_guess${i}`)).status);
      assert.deepEqual(statuses, [403, 401, 403, 429, 429]);
      assert.equal(lookups, 2, 'once limited, no more key lookups');
      const limited = await call('sk_more');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      // The same client with a valid key is limited too (it is the same IP); another client is not.
      assert.equal((await call(good, '127.0.0.2')).status, 200);
    } finally {
      await h.close();
    }
  });
});

describe('headers', () => {
  let w: World;
  before(async () => (w = await createWorld({}, 1)));
  after(() => w.h.close());

  test('X-Content-Type-Options: nosniff on JSON, errors, files, pages and 404s', async () => {
    const paths = [
      ['/healthz', undefined],
      [`/api/v1/ext/${w.orgId}/event/${w.event.id}/images`, w.secret],
      [`/api/v1/ext/${w.orgId}/event/${w.event.id}/images`, 'sk_wrong'],
      ['/nothing-here', undefined],
      ['/docs/api', undefined],
      ['/api/v1/openapi.json', undefined],
    ] as const;
    for (const [path, key] of paths) {
      const res = await w.h.call(path, key ? { key } : {});
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${path} (${res.status})`);
    }
    const page = await json<{ images: { thumbnail_url: string }[] }>(
      await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/images`, { key: w.secret }),
    );
    const thumb = new URL(page.data.images[0]!.thumbnail_url);
    const file = await w.h.call(thumb.pathname);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  });

  test("the server's HTML pages carry a CSP with frame-ancestors", async () => {
    const docs = await w.h.call('/docs/api');
    assert.match(docs.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  });
});
