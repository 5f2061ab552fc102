// Analytics: counted on the server from the API calls (searches by method and their hits, downloads) and from what
// the page reports (visits, shares), per UTC day and source; no cookie set, nothing about the visitor stored; the
// admin API and the chart page (SVG drawn on the server, CSP-safe).
import assert from 'node:assert/strict';
import { sql } from '../../support/sql.ts';
import { after, before, describe, test } from 'node:test';
import type { AnalyticsData } from '../../../core/api/analytics.ts';
import { utcDay } from '../../../server/services/analytics.ts';
import { json } from '../../support/harness.ts';
import { createWorld, type World } from '../helpers/world.ts';

describe('analytics', () => {
  let w: World;
  before(async () => {
    w = await createWorld({}, 5);
    await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}`, {
      key: w.secret,
      method: 'PATCH',
      body: { flags: { name_search: true } },
    });
    await w.h.deps.store.certificates.upsertRecords(w.event.id, [{ bib: '101', name: 'Ada Lovelace', extra: {} }]);
  });
  after(() => w.h.close());

  const ext = (path: string, opts: { source?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}${path}`, {
      key: w.publishable,
      body: opts.body,
      headers: { ...(opts.source ? { 'X-PF-Source': opts.source } : {}), ...opts.headers },
    });
  const report = async (query = '') =>
    (
      await json<AnalyticsData>(
        await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/analytics${query}`, { key: w.secret }),
      )
    ).data;

  test('visits, shares, searches with hit rate, downloads: by day and source; no cookie', async () => {
    const responses = [
      await ext('/analytics', { body: { type: 'visit', source: 'qr' } }),
      await ext('/analytics', { body: { type: 'visit', source: 'QR' } }),
      await ext('/analytics', { body: { type: 'visit' } }),
      await ext('/analytics', { body: { type: 'share' }, source: 'qr' }),
      await ext('/bibs/101', { source: 'qr' }),
      await ext('/bibs/101?page=2', { source: 'qr' }),
      await ext('/bibs/999'),
      await ext('/names?q=ada', { source: 'qr' }),
      await ext('/names?q=zorro'),
      await ext('/timeline/images?from=0&to=32503680000'),
      await ext('/download-all', { body: { bib: '101' }, source: 'qr' }),
      await ext('/original-photos', { body: { method: 'image_id', identifier: w.imageIds[0] } }),
    ];
    for (const r of responses) {
      assert.equal(r.status, 200, r.url);
      assert.equal(r.headers.get('set-cookie'), null);
    }
    const { body } = { body: await responses[0]!.json() };
    assert.deepEqual((body as { data: unknown }).data, { recorded: true });

    const d = await report();
    const today = utcDay();
    assert.equal(d.to, today);
    assert.equal(d.days.length, 30);
    const t = d.totals;
    assert.equal(t.visits, 3);
    assert.equal(t.shares, 1);
    assert.deepEqual(t.searches.bib, { searches: 2, hits: 1, hit_rate: 0.5 });
    assert.deepEqual(t.searches.name, { searches: 2, hits: 1, hit_rate: 0.5 });
    assert.deepEqual(t.searches.timeline, { searches: 1, hits: 1, hit_rate: 1 });
    assert.deepEqual(t.searches.selfie, { searches: 0, hits: 0, hit_rate: null });
    assert.equal(t.downloads, 2);
    assert.equal(t.downloaded_photos, 3);
    const qr = d.sources.find((s) => s.source === 'qr')!;
    assert.equal(qr.visits, 2);
    assert.equal(qr.shares, 1);
    assert.equal(qr.searches.bib.searches, 1);
    assert.equal(qr.downloads, 1);
    const direct = d.sources.find((s) => s.source === 'direct')!;
    assert.equal(direct.visits, 1);
    const day = d.days.find((x) => x.date === today)!;
    assert.equal(day.visits, 3);
    // Nothing about a person is stored: the table holds counters only.
    const cols = await sql(w.h.deps.store).columnsOf('analytics_daily');
    assert.deepEqual(cols, ['event_id', 'day', 'source', 'metric', 'count']);
  });

  test('a visit reported by the hosted page is not counted twice; odd sources become "other"', async () => {
    const before = (await report()).totals.visits;
    await ext('/analytics', {
      body: { type: 'visit' },
      headers: { Referer: `http://127.0.0.1/e/${w.orgId}/spring-10k?source=qr` },
    });
    assert.equal((await report()).totals.visits, before);
    await ext('/analytics', { body: { type: 'visit', source: '<script>' } });
    assert.equal((await report()).sources.find((s) => s.source === 'other')?.visits, 1);
    assert.equal((await ext('/analytics', { body: { type: 'click' } })).status, 422);
  });

  test('a search never waits for its count: counts are written together, one upsert per counter', async () => {
    const day = utcDay();
    const stored = async () =>
      (await w.h.deps.store.eventPage.analytics(w.event.id, day, day))
        .filter((r) => r.source === 'batch' && r.metric === 'search_bib')
        .reduce((n, r) => n + r.count, 0);
    const before = await stored();
    const eventPage = w.h.deps.store.eventPage;
    const count = eventPage.count.bind(eventPage);
    let upserts = 0;
    eventPage.count = (...args) => {
      upserts++;
      return count(...args);
    };
    try {
      for (let i = 0; i < 20; i++) assert.equal((await ext('/bibs/101', { source: 'batch' })).status, 200);
      assert.equal(await stored(), before, 'not written by the searches themselves');
      // Written within a second without anything asking (the timer); waited for on state.
      while ((await stored()) < before + 20) await new Promise((r) => setImmediate(r));
      assert.equal(await stored(), before + 20);
      assert.equal(upserts, 2, 'one upsert for the 20 searches, one for their 20 hits');
      // A report writes what is still held before it reads.
      for (let i = 0; i < 3; i++) await ext('/bibs/999', { source: 'batch' });
      assert.equal((await report()).sources.find((s) => s.source === 'batch')?.searches.bib.searches, before + 23);
    } finally {
      eventPage.count = count;
    }
  });

  test('checkout conversion from the orders of the event', async () => {
    const insert = (...values: unknown[]) =>
      sql(w.h.deps.store).run(
        `INSERT INTO orders (id, event_id, org_id, status, amount, currency, tax_inclusive, lines, selection_kind, image_count,
           gateway, return_url, idempotency_hash, request_hash, token_hash, token_sealed, paid_at)
         VALUES (?, ?, ?, ?, 500, 'EUR', 1, '[]', 'bib', 1, 'test', 'https://x.example', ?, 'r', ?, 's', ?)`,
        ...values,
      );
    await insert('o1', w.event.id, w.orgId, 'paid', 'i1', 't1', new Date().toISOString());
    await insert('o2', w.event.id, w.orgId, 'pending', 'i2', 't2', null);
    const t = (await report()).totals;
    assert.equal(t.orders, 2);
    assert.equal(t.paid, 1);
    assert.equal(t.conversion, Math.round((1 / t.visits) * 1000) / 1000);
  });

  test('range: from/to in UTC days, 422 when reversed or over a year', async () => {
    const d = await report('?from=2026-01-01&to=2026-01-03');
    assert.deepEqual(
      d.days.map((x) => x.date),
      ['2026-01-01', '2026-01-02', '2026-01-03'],
    );
    assert.equal(d.totals.visits, 0);
    for (const q of ['?from=2026-01-03&to=2026-01-01', '?from=2020-01-01&to=2026-01-01', '?from=yesterday']) {
      const res = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/analytics${q}`, { key: w.secret });
      assert.equal(res.status, 422, q);
    }
    const pk = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/analytics`, { key: w.publishable });
    assert.equal(pk.status, 403);
  });

  test('the chart page: HTML with an SVG drawn on the server, no script, a strict CSP', async () => {
    const res = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/analytics/chart`, { key: w.secret });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
    const html = await res.text();
    assert.match(html, /<svg[^>]*role="img"/);
    assert.equal((html.match(/<rect /g) ?? []).length >= 30 * 3, true);
    assert.doesNotMatch(html, /<script|style=|<style/);
    assert.match(html, /<th scope="row">qr<\/th><td>2<\/td>/);
  });
});
