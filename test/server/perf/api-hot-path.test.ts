// The public API's hot path (issue 20) over real HTTP (@hono/node-server, as served): the headers every answer
// carries are set in place after the handler (http/headers.ts) instead of rebuilding the answer from a stream, so
// they must still all be there — on JSON pages, 304s, errors, preflights and answers a handler built itself (tus).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import type { RunningServer } from '../../../server/serve.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { makeJpeg } from '../helpers/photos.ts';

const EXPOSED = ['Retry-After', 'X-Request-Id', 'Content-Range', 'Content-Disposition', 'Location'];

describe('API answers over HTTP keep every header', () => {
  let h: Harness;
  let server: RunningServer;
  let pub: string;
  let secret: string;
  let orgId: number;
  let eventId: number;

  before(async () => {
    h = createHarness();
    const org = await h.deps.store.orgs.create('Headers club');
    orgId = org.id;
    const event = await h.deps.store.events.create(org.id, { name: 'Headers' });
    eventId = event.id;
    pub = (await createApiKey(h.deps.store, org.id, { kind: 'publishable', eventIds: [event.id] })).key;
    secret = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    await ingestPhoto(h.deps, event, { name: '1.jpg', data: await makeJpeg({ seed: 1 }) });
    server = await h.listen();
  });
  after(() => h?.close());

  const embedHeaders = (res: Response, origin: string, what: string) => {
    assert.equal(res.headers.get('access-control-allow-origin'), origin, what);
    for (const name of EXPOSED) assert.match(res.headers.get('access-control-expose-headers')!, new RegExp(name, 'i'), what);
    assert.match(res.headers.get('vary') ?? '', /Origin/, what);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin', what);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
    assert.match(res.headers.get('x-request-id') ?? '', /^[\w-]+$/, what);
  };

  test('a page, its 304, details, a bib search and errors carry the CORS, CORP, nosniff and request id headers', async () => {
    const origin = 'https://shop.example';
    const base = `${server.url}/api/v1/ext/${orgId}/event/${eventId}`;
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(base + path, { headers: { 'X-API-Key': pub, Origin: origin, ...headers } });

    const page = await get('/images?page=1&page_size=10');
    assert.equal(page.status, 200);
    embedHeaders(page, origin, 'images');
    assert.match(page.headers.get('content-type')!, /application\/json/);
    const body = await page.text();
    assert.equal(Number(page.headers.get('content-length')), Buffer.byteLength(body));
    assert.equal((JSON.parse(body) as { data: { pagination: { total: number } } }).data.pagination.total, 1);

    const unchanged = await get('/images?page=1&page_size=10', { 'If-None-Match': page.headers.get('etag')! });
    assert.equal(unchanged.status, 304);
    embedHeaders(unchanged, origin, '304');

    const details = await get('/details');
    assert.equal(details.status, 200);
    embedHeaders(details, origin, 'details');
    const bib = await get('/bibs/42');
    assert.equal(bib.status, 200);
    embedHeaders(bib, origin, 'bibs');

    const bad = await fetch(`${base}/images`, { headers: { 'X-API-Key': 'pk_nope', Origin: origin } });
    assert.equal(bad.status, 403);
    embedHeaders(bad, origin, 'invalid key');
    const missing = await get('/images?page=0');
    assert.equal(missing.status, 422);
    embedHeaders(missing, origin, '422');

    // A client's own request id is kept; without Origin the answer allows any origin.
    const traced = await fetch(`${base}/details`, { headers: { 'X-API-Key': pub, 'X-Request-Id': 'trace-1' } });
    assert.equal(traced.headers.get('x-request-id'), 'trace-1');
    assert.equal(traced.headers.get('access-control-allow-origin'), '*');
  });

  test('a preflight is answered as before (204, allowed headers and methods, no body)', async () => {
    const res = await fetch(`${server.url}/api/v1/ext/${orgId}/event/${eventId}/images`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://race.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://race.example');
    assert.match(res.headers.get('access-control-allow-headers')!, /X-API-Key/);
    assert.match(res.headers.get('access-control-allow-methods')!, /DELETE/);
    assert.equal(res.headers.get('access-control-max-age'), '600');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await res.text(), '');
  });

  test('an answer a handler built itself (a tus upload) gets the headers too', async () => {
    const photo = await makeJpeg({ seed: 2 });
    const res = await fetch(`${server.url}/api/v1/admin/${orgId}/events/${eventId}/uploads`, {
      method: 'POST',
      headers: {
        'X-API-Key': secret,
        Origin: 'https://race.example',
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(photo.length),
        'Upload-Metadata': `filename ${Buffer.from('a.jpg').toString('base64')}`,
      },
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.ok(res.headers.get('location'));
    embedHeaders(res, 'https://race.example', 'tus');
  });
});
