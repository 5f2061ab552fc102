// DELETE /api/v1/admin/{org}/events/{event}?confirm={event}: a real app over a real store and blob folder,
// served on loopback. The demo event (real JPEGs through the ingest pipeline, real faces found by the face models,
// bibs, a published certificate with rendered files, a video) is deleted: every row and file of it goes, another
// event keeps everything; a missing or wrong confirm, a viewer, an unknown event and paid orders are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../core/api/auth.ts';
import { blobKeys } from './helpers/blobs.ts';
import { ingestPhoto } from '../../server/ingest/pipeline.ts';
import { seedDemo, type DemoInfo } from '../../server/seed/demo.ts';
import { createApiKey } from '../../server/services/keys.ts';
import type { RunningServer } from '../../server/serve.ts';
import { getFaceRunner } from '../../server/vision/face-runner.ts';
import { createHarness, type Envelope, type Harness } from '../support/harness.ts';
import { created, openShop, RETURN_URL, standardPlans, type Shop } from './checkout/support.ts';
import { Browser, PASSWORD } from './console/support.ts';
import { FACES_DIR, MODELS_DIR, needsDataset } from './face/dataset.ts';
import { makeJpeg } from './helpers/photos.ts';
import { sql } from '../support/sql.ts';

/** Every (table, rows) of the database that names the event in an `event_id` column, plus the event row. */
async function rowsOf(h: Harness, eventId: number): Promise<Record<string, number>> {
  const db = sql(h.deps.store);
  const out: Record<string, number> = {};
  for (const t of await db.tablesWithColumn('event_id')) {
    const n = Number((await db.value(`SELECT count(*) FROM "${t}" WHERE event_id = ?`, eventId)) ?? 0);
    if (n) out[t] = n;
  }
  const ev = Number(await db.value('SELECT count(*) FROM events WHERE id = ?', eventId));
  if (ev) out.events = ev;
  return out;
}

describe('deleting an event', needsDataset, () => {
  let h: Harness;
  let server: RunningServer;
  let demo: DemoInfo;
  let otherId: number;
  const browsers = {} as Record<Role, Browser>;
  let doomedKeys: string[] = [];
  let otherBlobs: string[] = [];
  const admin = (eventId: number, suffix = '') => `/api/v1/admin/${demo.org_id}/events/${eventId}${suffix}`;
  const api = async <T = unknown>(path: string, init: RequestInit & { key?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.key) headers.set('X-API-Key', init.key);
    const res = await fetch(server.url + path, { ...init, headers });
    return { status: res.status, body: (await res.json()) as Envelope<T> };
  };

  before(async () => {
    h = createHarness({ faces: { runner: () => getFaceRunner(MODELS_DIR) } });
    ({ info: demo } = await seedDemo({
      store: h.deps.store,
      blobs: h.deps.blobs,
      certificates: h.deps.certificates,
      dataDir: h.dir,
      baseUrl: 'http://127.0.0.1',
      count: 6,
      faces: h.deps.faces,
      facePhotos: FACES_DIR,
      video: h.deps.video,
    }));
    const other = await h.deps.store.events.create(demo.org_id, { name: 'Trail 25K' });
    otherId = other.id;
    for (const seed of [1, 2]) {
      const res = await ingestPhoto(h.deps, other, { name: `trail-${seed}.jpg`, data: await makeJpeg({ seed }) });
      assert.equal(res.status, 'added');
    }
    for (const role of ['owner', 'admin', 'photographer', 'viewer'] as const) {
      await h.deps.auth.createUser({
        orgId: demo.org_id,
        email: `${role}@club.example`,
        password: PASSWORD,
        name: role,
        role,
        eventIds: role === 'photographer' ? [demo.event_id] : null,
      });
    }
    server = await h.listen();
    for (const role of ['owner', 'admin', 'photographer', 'viewer'] as const) {
      browsers[role] = new Browser(server.url);
      assert.equal((await browsers[role].login(`${role}@club.example`)).status, 200);
    }
  });
  after(() => h?.close());

  test('the demo event has photos, faces, bibs, a published certificate with its files and a video', async () => {
    const rows = await rowsOf(h, demo.event_id);
    for (const t of ['images', 'faces', 'face_versions', 'bib_tags', 'certificate_templates', 'certificate_records'])
      assert.ok(rows[t], `${t} rows of the demo event: ${JSON.stringify(rows)}`);
    assert.ok(rows.videos, 'a demo video');
    // A certificate rendered once, so its file is in the blob folder.
    const bib = (await sql(h.deps.store).value<string>(
      'SELECT bib FROM certificate_records WHERE event_id = ? LIMIT 1',
      demo.event_id,
    ))!;
    const cert = await api<{ png_url: string }>(`/api/v1/ext/${demo.org_id}/event/${demo.event_id}/certificates/${bib}`, {
      key: demo.publishable_key,
    });
    assert.equal(cert.status, 200, cert.body.message);
    const png = await fetch(cert.body.data.png_url.replace(/^https?:\/\/[^/]+/, server.url));
    assert.equal(png.status, 200);
    await png.arrayBuffer();
    const otherImages = (await sql(h.deps.store).all<{ id: string }>('SELECT id FROM images WHERE event_id = ?', otherId)).map(
      (r) => r.id,
    );
    otherBlobs = (await blobKeys(h.deps.blobs)).filter((k) => otherImages.some((id) => k.includes(id)));
    assert.equal(otherBlobs.length, 2 * 4, 'an original and three renditions per photo of the other event');
    doomedKeys = (await blobKeys(h.deps.blobs)).filter((k) => !otherBlobs.includes(k));
    assert.ok(doomedKeys.some((k) => k.startsWith('originals/')));
    assert.ok(doomedKeys.some((k) => k.startsWith('renditions/')));
    assert.ok(doomedKeys.some((k) => k.startsWith('videos/')));
    assert.ok(
      doomedKeys.some((k) => k.startsWith(`certificates/${demo.event_id}/renders/`)),
      doomedKeys.join(' '),
    );
  });

  test('without confirm, or with another id, it is 400 and nothing is deleted', async () => {
    const none = await api(admin(demo.event_id), { method: 'DELETE', key: demo.secret_key });
    assert.equal(none.status, 400);
    assert.match(none.body.message, new RegExp(`confirm=${demo.event_id}`));
    const wrong = await api(admin(demo.event_id, `?confirm=${otherId}`), { method: 'DELETE', key: demo.secret_key });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.message, /nothing was deleted/);
    const byName = await browsers.owner.json(admin(demo.event_id, '?confirm=Riverside'), { method: 'DELETE' });
    assert.equal(byName.status, 400);
    assert.ok((await rowsOf(h, demo.event_id)).images);
  });

  test('a viewer or a photographer gets 403; without the CSRF token too', async () => {
    for (const role of ['viewer', 'photographer'] as const) {
      const r = await browsers[role].json(admin(demo.event_id, `?confirm=${demo.event_id}`), { method: 'DELETE' });
      assert.equal(r.status, 403, role);
    }
    const noCsrf = await browsers.owner.json(admin(demo.event_id, `?confirm=${demo.event_id}`), {
      method: 'DELETE',
      csrf: false,
    });
    assert.equal(noCsrf.status, 403);
    assert.ok((await rowsOf(h, demo.event_id)).images);
  });

  test('a failure half-way through leaves every row and file in place', async () => {
    const before_ = await rowsOf(h, demo.event_id);
    const files = (await blobKeys(h.deps.blobs)).length;
    const restore = await sql(h.deps.store).failDeletes('videos', 'disk on fire');
    try {
      const r = await api(admin(demo.event_id, `?confirm=${demo.event_id}`), { method: 'DELETE', key: demo.secret_key });
      assert.equal(r.status, 500);
    } finally {
      await restore();
    }
    assert.deepEqual(await rowsOf(h, demo.event_id), before_);
    assert.equal((await blobKeys(h.deps.blobs)).length, files);
  });

  test('an unknown event is 404', async () => {
    const r = await browsers.owner.json(admin(999_999, '?confirm=999999'), { method: 'DELETE' });
    assert.equal(r.status, 404);
  });

  test('an admin deletes it: every row and file goes, it is 404 through ext and admin, the other event is untouched', async () => {
    const scoped = await createApiKey(h.deps.store, demo.org_id, { kind: 'publishable', eventIds: [demo.event_id] });
    const both = await createApiKey(h.deps.store, demo.org_id, { kind: 'publishable', eventIds: [demo.event_id, otherId] });
    const otherRows = await rowsOf(h, otherId);

    const r = await browsers.admin.json<{ event_id: number }>(admin(demo.event_id, `?confirm=${demo.event_id}`), {
      method: 'DELETE',
    });
    assert.equal(r.status, 200, r.body.message);
    assert.equal(r.body.message, 'Event deleted');
    assert.deepEqual(r.body.data, { event_id: demo.event_id });

    assert.deepEqual(await rowsOf(h, demo.event_id), {}, 'no row names the event');
    assert.deepEqual((await blobKeys(h.deps.blobs)).sort(), [...otherBlobs].sort(), "only the other event's files are left");
    assert.deepEqual(await sql(h.deps.store).foreignKeyProblems(), []);

    const ext = await api(`/api/v1/ext/${demo.org_id}/event/${demo.event_id}/images`, { key: demo.publishable_key });
    assert.equal(ext.status, 404);
    const settings = await api(admin(demo.event_id), { key: demo.secret_key });
    assert.equal(settings.status, 404);
    const again = await api(admin(demo.event_id, `?confirm=${demo.event_id}`), { method: 'DELETE', key: demo.secret_key });
    assert.equal(again.status, 404);

    // The other event keeps its rows, files and photos.
    assert.deepEqual(await rowsOf(h, otherId), otherRows);
    const images = await api<unknown[]>(`/api/v1/ext/${demo.org_id}/event/${otherId}/images`, { key: demo.secret_key });
    assert.equal(images.status, 200);

    // Scopes lose the event and are never widened to every event.
    const scopes = await sql(h.deps.store).all(
      'SELECT id, event_ids FROM api_keys WHERE id IN (?, ?) ORDER BY id',
      scoped.row.id,
      both.row.id,
    );
    assert.deepEqual(
      (scopes as { id: number; event_ids: string }[]).map((s) => JSON.parse(s.event_ids) as number[]),
      [[], [otherId]],
    );
    const photographer = await sql(h.deps.store).value(
      `SELECT m.event_ids FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?`,
      'photographer@club.example',
    );
    assert.equal(photographer, '[]');
  });
});

describe('deleting an event with orders', () => {
  let shop: Shop;
  before(async () => {
    shop = await openShop({ photos: 3 });
    await standardPlans(shop);
  });
  after(() => shop?.h.close());
  const del = () =>
    shop.h.call(`/api/v1/admin/${shop.demo.org_id}/events/${shop.demo.event_id}?confirm=${shop.demo.event_id}`, {
      key: shop.demo.secret_key,
      method: 'DELETE',
    });

  test('a paid order is 409 (archive instead) and the receipt keeps working', async () => {
    const pending = await created(
      await shop.order({ image_ids: shop.imageIds.slice(0, 1), expected_amount: 400, return_url: RETURN_URL }),
    );
    const c = await created(
      await shop.order({ image_ids: shop.imageIds.slice(1, 2), expected_amount: 400, return_url: RETURN_URL }),
    );
    const payPath = new URL(c.order.checkout_url!).pathname;
    const paid = await shop.h.call(payPath, {
      method: 'POST',
      body: new URLSearchParams({ action: 'pay' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(paid.status, 303);

    const res = await del();
    assert.equal(res.status, 409);
    const body = (await res.json()) as Envelope<unknown>;
    assert.match(body.message, /1 paid order.*Archive it instead/s);
    const view = await shop.ext(`/checkout/orders/${c.order.order_id}`, { headers: { 'X-Order-Token': c.download_token } });
    assert.equal(view.status, 200, 'the receipt still works');
    const unpaid = await shop.ext(`/checkout/orders/${pending.order.order_id}`, {
      headers: { 'X-Order-Token': pending.download_token },
    });
    assert.equal(unpaid.status, 200, 'nothing was deleted: the unpaid order is there too');
    assert.ok((await shop.h.deps.store.images.count(shop.demo.event_id)) > 0);
  });

  test('with only unpaid orders (pending, abandoned) the event is deleted, orders and plans included', async () => {
    const unsold = await openShop({ photos: 2 });
    try {
      await standardPlans(unsold);
      const order = (n: number) =>
        unsold.order({ image_ids: unsold.imageIds.slice(n, n + 1), expected_amount: 400, return_url: RETURN_URL });
      await created(await order(0));
      const c = await created(await order(1));
      const cancel = await unsold.h.call(new URL(c.order.checkout_url!).pathname, {
        method: 'POST',
        body: new URLSearchParams({ action: 'cancel' }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(cancel.status, 303);
      const { org_id, event_id, secret_key } = unsold.demo;
      const r = await unsold.h.call(`/api/v1/admin/${org_id}/events/${event_id}?confirm=${event_id}`, {
        key: secret_key,
        method: 'DELETE',
      });
      assert.equal(r.status, 200);
      assert.deepEqual(await rowsOf(unsold.h, event_id), {});
      const db = sql(unsold.h.deps.store);
      assert.equal(Number(await db.value('SELECT count(*) FROM order_images')), 0);
      assert.deepEqual(await db.foreignKeyProblems(), []);
    } finally {
      await unsold.h.close();
    }
  });
});
