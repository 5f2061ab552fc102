// The store's transaction guarantees under concurrency, on the engine the tests run on (SQLite, or PostgreSQL with
// PF_TEST_STORE=postgres): several store connections (separate pools on PostgreSQL) race on the same rows. An ingest
// insert is all or nothing and lands once; an order transition or webhook applies once; an upload moves once; an
// idempotent order is created once; `photo-finish migrate` run by several processes at once applies each migration once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { NewOrder } from '../../server/store/checkout-types.ts';
import { PG_MIGRATIONS } from '../../server/store/postgres/migrations/index.ts';
import { MIGRATIONS } from '../../server/store/sqlite/migrations/index.ts';
import type { NewImage, Store } from '../../server/store/types.ts';
import { runCli } from './helpers/cli.ts';
import { freshTestDatabase, onPostgres, releaseDatabaseFor, TEST_STORE } from '../support/postgres.ts';
import { sql } from '../support/sql.ts';
import { openTestStore } from '../support/store.ts';
import { sidecarTag } from '../support/rows.ts';

const CONNECTIONS = 4;

const image = (eventId: number, i: number): NewImage => ({
  id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
  event_id: eventId,
  content_hash: `race-${i}`,
  original_name: `race-${i}.jpg`,
  captured_at: 1_700_000_000_000 + i,
  width: 100,
  height: 50,
  mime: 'image/jpeg',
  bytes: 10,
  original_key: `originals/race-${i}.jpg`,
  renditions: [
    { kind: 'thumb', width: 320, height: 160, format: 'webp', blob_key: `r/${i}/320.webp`, bytes: 1, watermark_version: 0 },
  ],
});
const face = (bytes: number) => ({
  box: [1, 2, 3, 4] as [number, number, number, number],
  score: 0.9,
  sharpness: null,
  embedding: new Uint8Array(bytes),
});

describe(`store concurrency (${TEST_STORE})`, () => {
  let dir: string;
  let stores: Store[];
  let eventId: number;
  let orgId: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-race-'));
    stores = Array.from({ length: CONNECTIONS }, () => openTestStore(dir));
    orgId = (await stores[0]!.orgs.create('Race club')).id;
    eventId = (await stores[0]!.events.create(orgId, { name: 'Race 10K' })).id;
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await releaseDatabaseFor(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the same photo inserted by every connection at once lands once, with its rows once', async () => {
    const results = await Promise.all(stores.map((s) => s.images.insert(image(eventId, 1), [sidecarTag('42')], [face(516)])));
    assert.equal(results.filter(Boolean).length, 1, `exactly one insert wins: ${JSON.stringify(results)}`);
    const db = sql(stores[0]!);
    assert.equal(Number(await db.value('SELECT count(*) FROM images WHERE content_hash = ?', 'race-1')), 1);
    assert.equal(Number(await db.value('SELECT count(*) FROM renditions WHERE image_id = ?', image(eventId, 1).id)), 1);
    assert.equal(Number(await db.value('SELECT count(*) FROM bib_tags WHERE image_id = ?', image(eventId, 1).id)), 1);
    assert.equal(Number(await db.value('SELECT count(*) FROM faces WHERE image_id = ?', image(eventId, 1).id)), 1);
    assert.equal(await stores[1]!.faces.version(eventId), 1, 'the face version moved once');
  });

  test('an insert that fails half-way (a bad face row) leaves nothing: no image, rendition, tag or scan', async () => {
    await assert.rejects(
      stores[0]!.images.insert(image(eventId, 2), [sidecarTag('7')], [face(516), face(3)], {
        state: 'read',
        reads: 1,
        error: null,
      }),
    );
    const id = image(eventId, 2).id;
    const db = sql(stores[1]!);
    for (const table of ['renditions', 'bib_tags', 'faces', 'face_scans', 'bib_scans'])
      assert.equal(Number(await db.value(`SELECT count(*) FROM ${table} WHERE image_id = ?`, id)), 0, table);
    assert.equal(await stores[1]!.images.get(eventId, id), null);
    assert.equal(
      await stores[2]!.images.insert(image(eventId, 2), [sidecarTag('7')], [face(516)]),
      true,
      'the same photo goes in afterwards',
    );
  });

  const newOrder = (n: number): NewOrder => ({
    id: `ord_race_${n}`,
    event_id: eventId,
    org_id: orgId,
    amount: 500,
    currency: 'EUR',
    tax_inclusive: true,
    lines: [],
    selection_kind: 'image_ids',
    selection_value: null,
    image_count: 1,
    gateway: 'test',
    email: null,
    return_url: 'https://shop.example/done',
    idempotency_hash: `idem-${n}`,
    request_hash: `req-${n}`,
    token_hash: `tok-${n}`,
    token_sealed: 'sealed',
  });

  test('an idempotent order requested on every connection at once is created once', async () => {
    const made = await Promise.all(stores.map((s) => s.checkout.createOrder(newOrder(1), [image(eventId, 1).id], 'api')));
    assert.equal(made.filter((m) => m.created).length, 1);
    assert.deepEqual(new Set(made.map((m) => m.order.id)), new Set(['ord_race_1']));
    const events = await stores[0]!.checkout.orderEvents('ord_race_1');
    assert.equal(events.filter((e) => e.type === 'created').length, 1);
  });

  test('one webhook delivered to every connection at once applies once; the others are duplicates', async () => {
    const deliveries = [...stores, ...stores].map((s) =>
      s.checkout.transition({
        orderId: 'ord_race_1',
        from: ['pending'],
        to: 'paid',
        source: 'webhook:test',
        amount: 500,
        gatewayEvent: { gateway: 'test', id: 'evt_paid_1', type: 'checkout.completed' },
      }),
    );
    const outcomes = (await Promise.all(deliveries)).map((r) => r.outcome).sort();
    assert.deepEqual(outcomes, ['applied', ...Array(deliveries.length - 1).fill('duplicate')]);
    const events = await stores[3]!.checkout.orderEvents('ord_race_1');
    assert.equal(events.filter((e) => e.type === 'status').length, 1, 'one status change logged');
    assert.equal((await stores[2]!.checkout.getOrder('ord_race_1'))!.status, 'paid');
  });

  test('different webhooks racing to move the same order: one applies, the others are logged as ignored', async () => {
    // Several rounds, so the reads of the racers really overlap.
    for (let round = 0; round < 8; round++) {
      const orderId = `ord_race_${100 + round}`;
      await stores[0]!.checkout.createOrder(newOrder(100 + round), [], 'api');
      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) =>
          stores[i % CONNECTIONS]!.checkout.transition({
            orderId,
            from: ['pending'],
            to: 'paid',
            source: 'webhook:test',
            amount: 500,
            gatewayEvent: { gateway: 'test', id: `evt_${round}_${id}`, type: 'checkout.completed' },
          }),
        ),
      );
      assert.deepEqual(results.map((r) => r.outcome).sort(), ['applied', ...Array(5).fill('unchanged')], `round ${round}`);
      const events = await stores[1]!.checkout.orderEvents(orderId);
      assert.equal(events.filter((e) => e.type === 'status').length, 1, 'the payment is counted once');
      assert.equal(events.filter((e) => e.type === 'ignored').length, 5);
    }
  });

  test('a refund note delivered twice at once is recorded once', async () => {
    const notes = await Promise.all(
      stores.map((s) =>
        s.checkout.note('ord_race_1', {
          source: 'webhook:test',
          detail: 'partial refund',
          type: 'refund',
          amount: -100,
          refundedAmount: 100,
          gatewayEvent: { gateway: 'test', id: 'evt_refund_1', type: 'charge.refunded' },
        }),
      ),
    );
    assert.equal(notes.filter(Boolean).length, 1);
    const events = await stores[0]!.checkout.orderEvents('ord_race_1');
    assert.equal(events.filter((e) => e.type === 'refund').length, 1);
  });

  test('an upload moved from waiting to processing by every worker at once moves once', async () => {
    await stores[0]!.uploads.create({
      id: 'upload-race-1',
      org_id: orgId,
      event_id: eventId,
      user_id: null,
      key_id: null,
      file_name: 'a.jpg',
      file_type: 'image/jpeg',
      size: 10,
    });
    assert.equal(await stores[0]!.uploads.transition('upload-race-1', ['receiving'], 'waiting'), true);
    const moved = await Promise.all(stores.map((s) => s.uploads.transition('upload-race-1', ['waiting'], 'processing')));
    assert.equal(moved.filter(Boolean).length, 1);
  });

  test('a bib tag added from every connection at once is one row', async () => {
    const id = image(eventId, 1).id;
    const rows = await Promise.all(stores.map((s) => s.bibs.add(id, { ...sidecarTag('99'), source: 'manual' })));
    assert.equal(new Set(rows.map((r) => r.id)).size, 1);
    assert.equal((await stores[0]!.bibs.listForImage(id)).filter((t) => t.bib === '99').length, 1);
  });
});

test(`photo-finish migrate run by several processes at once applies each migration once (${TEST_STORE})`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-migrate-'));
  try {
    const env: Record<string, string> = { DATA_DIR: dataDir, ...(onPostgres ? { DATABASE_URL: freshTestDatabase() } : {}) };
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['migrate', '--json'], env)));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const applied = runs.flatMap((r) => (JSON.parse(r.stdout) as { applied: number[] }).applied).sort((a, b) => a - b);
    const versions = (onPostgres ? PG_MIGRATIONS : MIGRATIONS).map((m) => m.version).sort((a, b) => a - b);
    assert.deepEqual(applied, versions, 'every migration applied by exactly one process');
    const again = await runCli(['migrate'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to apply: the schema is up to date/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('both engines have the same migrations, version for version', () => {
  assert.deepEqual(
    PG_MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
    MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
    'a migration without its PostgreSQL twin (server/store/postgres/migrations) or the reverse',
  );
});
