// Every 9Pic-compatible endpoint, in-process and over a real loopback server: the happy path and each
// refusal the spec names (401, 403 wrong org / feature off, 404, 422 with the field path, past the end).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DownloadOriginalsData, EventDetails, EventList, ImagePage, TimelineDays } from '../../core/index.ts';
import type { RunningServer } from '../../server/serve.ts';
import { json } from '../support/harness.ts';
import { createWorld, transports, type World } from './helpers/world.ts';

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  /** Path under /api/v1/ext/{org}; `{event}` is replaced. */
  path: string;
  /** The query a good request carries; a test's own query replaces it. */
  query?: string;
  body?: unknown;
  /** Flag that switches it off (403), when it has one. */
  feature?: string;
  /** A query that fails validation, and the field its message starts with. */
  badQuery?: [string, string];
  /** A query that asks for a page past the end. */
  pastEnd?: string;
  eventScoped: boolean;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'List Events',
    method: 'GET',
    path: '/events',
    badQuery: ['page_size=101', 'page_size'],
    pastEnd: 'page=50',
    eventScoped: false,
  },
  { name: 'Ping', method: 'GET', path: '/event/{event}/ping', eventScoped: true },
  { name: 'Event Details', method: 'GET', path: '/event/{event}/details', eventScoped: true },
  {
    name: 'All Photos',
    method: 'GET',
    path: '/event/{event}/images',
    badQuery: ['page=0', 'page'],
    pastEnd: 'page=9&page_size=2',
    eventScoped: true,
  },
  {
    name: 'BIB Search',
    method: 'GET',
    path: '/event/{event}/bibs/101',
    feature: 'bib_search',
    badQuery: ['page_size=abc', 'page_size'],
    pastEnd: 'page=3&page_size=1',
    eventScoped: true,
  },
  { name: 'Timeline days', method: 'GET', path: '/event/{event}/timeline/days', feature: 'timeline_search', eventScoped: true },
  {
    name: 'Timeline images',
    method: 'GET',
    path: '/event/{event}/timeline/images',
    query: 'from=1775952000&to=1776038400',
    feature: 'timeline_search',
    badQuery: ['from=10&to=5', 'to'],
    pastEnd: 'from=1775952000&to=1776038400&page=7',
    eventScoped: true,
  },
  {
    name: 'Download Originals',
    method: 'POST',
    path: '/event/{event}/original-photos',
    body: { method: 'bib', identifier: '101' },
    feature: 'bib_search',
    badQuery: ['page_size=61', 'page_size'],
    pastEnd: 'page=4&page_size=1',
    eventScoped: true,
  },
];

describe('the 9Pic-compatible API, endpoint by endpoint', () => {
  let w: World;
  let server: RunningServer;

  before(async () => {
    w = await createWorld();
    server = await w.h.listen();
  });
  after(() => w.h.close());

  const url = (e: Endpoint, opts: { org?: number; event?: number; query?: string } = {}) => {
    const path = `/api/v1/ext/${opts.org ?? w.orgId}${e.path.replace('{event}', String(opts.event ?? w.event.id))}`;
    const query = opts.query ?? e.query;
    return query ? `${path}?${query}` : path;
  };

  for (const transportName of ['app', 'http'] as const) {
    describe(`through ${transportName === 'app' ? 'app.request' : 'a real server on 127.0.0.1'}`, () => {
      const t = () => transports(w.h, () => server).find((x) => x.name === transportName)!;

      for (const e of ENDPOINTS) {
        describe(e.name, () => {
          const send = (path: string, key?: string, body = e.body) => t().call(path, { key, method: e.method, body });

          test('answers 200 in the envelope', async () => {
            const res = await send(url(e), w.secret);
            assert.equal(res.status, 200);
            const body = await json(res);
            assert.deepEqual(Object.keys(body).sort(), ['data', 'message', 'responseType']);
            assert.equal(body.responseType, 'success');
            assert.ok(body.data);
          });

          test('no key is 401, an unknown key 403', async () => {
            const missing = await send(url(e));
            assert.equal(missing.status, 401);
            assert.deepEqual(await json(missing), {
              responseType: 'error',
              message: 'Missing X-API-Key header: send your API key in the X-API-Key header',
              data: null,
            });
            const unknown = await send(url(e), 'sk_not-a-key');
            assert.equal(unknown.status, 403);
            assert.equal((await json(unknown)).message, 'Invalid API key');
          });

          test("another organisation's key is 403", async () => {
            const res = await send(url(e), w.other.secret);
            assert.equal(res.status, 403);
            assert.match((await json(res)).message, /does not belong to this organisation/);
          });

          if (e.eventScoped) {
            test('an event of another organisation is 403, an unknown event 404, a bad id 422', async () => {
              const res = await send(url(e, { event: w.other.eventId }), w.secret);
              assert.equal(res.status, 403);
              assert.match((await json(res)).message, /does not belong to your organisation/);
              const unknown = await send(url(e, { event: 99999 }), w.secret);
              assert.equal(unknown.status, 404);
              assert.equal((await json(unknown)).message, 'Event 99999 not found');
              const bad = await send(url(e, { org: w.orgId }).replace(`/event/${w.event.id}/`, '/event/abc/'), w.secret);
              assert.equal(bad.status, 422);
              assert.match((await json(bad)).message, /^event_id: /);
            });

            test('a publishable key pinned to one event and one origin', async () => {
              const ok = await t().call(url(e), {
                key: w.pinned,
                method: e.method,
                body: e.body,
                headers: { Origin: 'https://shop.example' },
              });
              assert.equal(ok.status, 200);
              const otherEvent = await t().call(url(e, { event: w.plainEvent.id }), {
                key: w.pinned,
                method: e.method,
                body: e.body,
                headers: { Origin: 'https://shop.example' },
              });
              assert.equal(otherEvent.status, 403);
              assert.equal((await json(otherEvent)).message, 'This API key is not valid for this event');
              const badOrigin = await t().call(url(e), {
                key: w.pinned,
                method: e.method,
                body: e.body,
                headers: { Origin: 'https://evil.example' },
              });
              assert.equal(badOrigin.status, 403);
              assert.match(
                (await json(badOrigin)).message,
                /this site is not allowed to show these photos \(origin https:\/\/evil\.example is not on this key's allow-list\)/,
              );
            });
          }

          if (e.feature) {
            test(`${e.feature} switched off is 403`, async () => {
              const res = await send(url(e, { event: w.plainEvent.id }), w.secret);
              assert.equal(res.status, 403);
              assert.equal((await json(res)).message, `${e.feature} is switched off for this event`);
            });
          }

          if (e.badQuery) {
            test(`a bad query (${e.badQuery[0]}) is 422 naming ${e.badQuery[1]}`, async () => {
              const res = await send(url(e, { query: e.badQuery![0] }), w.secret);
              assert.equal(res.status, 422);
              const body = await json(res);
              assert.equal(body.data, null);
              assert.match(body.message, new RegExp(`^${e.badQuery![1]}: \\S`));
            });
          }

          if (e.pastEnd) {
            test('a page past the end is 200 with an empty list and the totals', async () => {
              const res = await send(url(e, { query: e.pastEnd }), w.secret);
              assert.equal(res.status, 200);
              const data = (await json<Record<string, unknown>>(res)).data;
              const list = (data.images ?? data.events ?? data.presigned_urls) as unknown[];
              assert.deepEqual(list, []);
              const p = data.pagination as { total: number; hasNextPage: boolean };
              assert.ok(p.total > 0, 'totals are kept');
              assert.equal(p.hasNextPage, false);
            });
          }

          if (e.method === 'POST') {
            test('malformed JSON is 400, wrong types 422', async () => {
              const bad = await t().call(url(e), {
                key: w.secret,
                method: 'POST',
                body: '{"method": "bib",',
                headers: { 'Content-Type': 'application/json' },
              });
              assert.equal(bad.status, 400);
              assert.match((await json(bad)).message, /not valid JSON/);
              const types = await send(url(e), w.secret, { method: 'bib', identifier: 5 });
              assert.equal(types.status, 422);
              assert.match((await json(types)).message, /^identifier: /);
              const method = await send(url(e), w.secret, { method: 'zip', identifier: '1' });
              assert.equal(method.status, 422);
              assert.match((await json(method)).message, /^method: /);
            });

            test('a JSON body over the 1 MiB limit is 413 before it is parsed; a wrong content type is 415', async () => {
              const ids = Array.from({ length: 40_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
              const huge = await t().call(url(e), {
                key: w.secret,
                method: 'POST',
                body: JSON.stringify({ method: 'image_ids', identifier: ids }),
                headers: { 'Content-Type': 'application/json' },
              });
              assert.equal(huge.status, 413);
              assert.match((await json(huge)).message, /larger than the limit of 1 MiB/);
              const form = await t().call(url(e), {
                key: w.secret,
                method: 'POST',
                body: 'method=bib&identifier=101',
                headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              });
              assert.equal(form.status, 415);
              assert.match((await json(form)).message, /application\/json/);
            });
          }
        });
      }
    });
  }

  describe('payloads', () => {
    const call = (path: string, key = w.secret) => w.h.call(`/api/v1/ext/${w.orgId}${path}`, { key });

    test('List Events: the org’s events; a publishable key pinned to one event sees only it', async () => {
      const all = await json<EventList>(await call('/events'));
      assert.deepEqual(all.data.events.map((e) => e.event_id).sort(), [w.event.id, w.plainEvent.id].sort());
      const pinned = await json<EventList>(
        await w.h.call(`/api/v1/ext/${w.orgId}/events`, { key: w.pinned, headers: { Origin: 'https://shop.example' } }),
      );
      assert.deepEqual(
        pinned.data.events.map((e) => e.event_id),
        [w.event.id],
      );
      assert.equal(pinned.data.pagination.total, 1);
    });

    test('Event Details: flags and extensions', async () => {
      const d = (await json<EventDetails>(await call(`/event/${w.event.id}/details`))).data;
      assert.equal(d.event_name, 'Spring 10K');
      assert.equal(d.bib_search, true);
      assert.equal(d.time_zone, 'Europe/Paris');
      assert.equal(d.image_count, w.imageIds.length);
      const off = (await json<EventDetails>(await call(`/event/${w.plainEvent.id}/details`))).data;
      assert.equal(off.timeline_search, false);
    });

    test('BIB search is case- and zero-insensitive; no match is 200 with an empty list', async () => {
      const hit = await json<ImagePage>(await call(`/event/${w.event.id}/bibs/101`));
      assert.equal(hit.message, 'Records for bib number 101');
      assert.deepEqual(hit.data.images.map((i) => i.image_id).sort(), [...w.bibs['101']!].sort());
      const zero = await json<ImagePage>(await call(`/event/${w.event.id}/bibs/0427`));
      assert.deepEqual(
        zero.data.images.map((i) => i.image_id),
        w.bibs['0427'],
      );
      const spaced = await json<ImagePage>(await call(`/event/${w.event.id}/bibs/${encodeURIComponent('04 27')}`));
      assert.deepEqual(
        spaced.data.images.map((i) => i.image_id),
        w.bibs['0427'],
      );
      const none = await call(`/event/${w.event.id}/bibs/999`);
      assert.equal(none.status, 200);
      const body = await json<ImagePage>(none);
      assert.deepEqual(body.data.images, []);
      assert.equal(body.data.pagination.currentPage, 0);
      const bad = await call(`/event/${w.event.id}/bibs/${encodeURIComponent('12$')}`);
      assert.equal(bad.status, 422);
      assert.equal((await json(bad)).message, 'bib: a bib has only letters and digits');
    });

    test('timeline days add up to the timed photos; images window is [from, to)', async () => {
      const days = (await json<TimelineDays>(await call(`/event/${w.event.id}/timeline/days`))).data.days;
      const total = days.reduce((n, d) => n + d.total, 0);
      assert.equal(total, w.imageIds.length - 1, 'the untimed photo is left out');
      for (const d of days)
        assert.equal(
          d.total,
          d.hours.reduce((n, h) => n + h.count, 0),
        );
      const from = Date.UTC(2026, 3, 12, 6) / 1000;
      const win = await json<ImagePage>(await call(`/event/${w.event.id}/timeline/images?from=${from}&to=${from + 3600}`));
      for (const img of win.data.images) {
        const t = Date.parse(img.captured_at!) / 1000;
        assert.ok(t >= from && t < from + 3600);
      }
      const missing = await call(`/event/${w.event.id}/timeline/images?from=${from}`);
      assert.equal(missing.status, 422);
      assert.match((await json(missing)).message, /^to: /);
    });

    test('Download Originals by bib through the matrix above returns signed links', async () => {
      const res = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/original-photos`, {
        key: w.publishable,
        body: { method: 'bib', identifier: '101' },
      });
      const d = (await json<DownloadOriginalsData>(res)).data;
      assert.equal(d.successful_count, 2);
      assert.ok(d.presigned_urls.every((u) => /\/files\/o\/[0-9a-f-]{36}\?exp=\d+&kid=[\w-]+&sig=[\w-]+$/.test(u.url)));
    });

    test('unknown routes are 404 in the envelope', async () => {
      const res = await w.h.call('/api/v1/ext/1/nothing-here', { key: w.secret });
      assert.equal(res.status, 404);
      assert.equal((await json(res)).responseType, 'error');
    });
  });
});
