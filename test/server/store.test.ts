// The image store's read paths (SQLite, or PostgreSQL with PF_TEST_STORE=postgres): cached photo counts stay right across connections, bib lookups,
// id helpers, and pages that keep the gallery order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { NewImage } from '../../server/store/types.ts';
import type { Store } from '../../server/store/types.ts';
import { releaseDatabaseFor, TEST_STORE } from '../support/postgres.ts';
import { openTestStore } from '../support/store.ts';
import { listBuiltinTemplates } from '../../server/certify/templates/index.ts';
import { sidecarTag } from '../support/rows.ts';

const image = (eventId: number, i: number, capturedAt: number | null): NewImage => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  event_id: eventId,
  content_hash: `hash-${i}`,
  original_name: `p${i}.jpg`,
  captured_at: capturedAt,
  width: 100,
  height: 50,
  mime: 'image/jpeg',
  bytes: 10,
  original_key: `originals/${i}.jpg`,
  renditions: [
    { kind: 'preview', width: 1600, height: 800, format: 'jpeg', blob_key: `r/${i}/p.jpg`, bytes: 3, watermark_version: 0 },
    { kind: 'thumb', width: 640, height: 320, format: 'webp', blob_key: `r/${i}/640.webp`, bytes: 2, watermark_version: 0 },
    { kind: 'thumb', width: 320, height: 160, format: 'webp', blob_key: `r/${i}/320.webp`, bytes: 1, watermark_version: 0 },
  ],
});

describe(`image store (${TEST_STORE})`, () => {
  let dir: string;
  let a: Store;
  let b: Store;
  let eventId: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-store-'));
    a = openTestStore(dir);
    b = openTestStore(dir);
    const org = await a.orgs.create('Store');
    eventId = (await a.events.create(org.id, { name: 'Store event' })).id;
  });
  after(async () => {
    await a.close();
    await b.close();
    await releaseDatabaseFor(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  test('counts follow this connection’s writes and another connection’s commits', async () => {
    assert.equal(await a.images.count(eventId), 0);
    await a.images.insert(image(eventId, 1, 1000), [sidecarTag('7')]);
    assert.equal(await a.images.count(eventId), 1, 'own insert');
    await b.images.insert(image(eventId, 2, 500), [sidecarTag('7'), sidecarTag('8')]);
    assert.equal(await a.images.count(eventId), 2, 'a commit by another connection (a CLI ingest) is seen');
    await b.images.insert(image(eventId, 3, null), [sidecarTag('007')]);
    assert.equal((await a.images.list(eventId, { offset: 0, limit: 10 })).total, 3);
    await a.images.delete(eventId, image(eventId, 3, null).id);
    assert.equal(await a.images.count(eventId), 2, 'own delete');
    assert.equal(await b.images.count(eventId), 2);
    await a.images.insert(image(eventId, 3, null), [sidecarTag('007')]);
  });

  test('pages keep gallery order (time ascending, untimed last) with renditions narrowest first', async () => {
    const { items, total } = await a.images.list(eventId, { offset: 0, limit: 10 });
    assert.equal(total, 3);
    assert.deepEqual(
      items.map((i) => i.original_name),
      ['p2.jpg', 'p1.jpg', 'p3.jpg'],
    );
    assert.deepEqual(
      items[0]!.renditions.map((r) => r.width),
      [320, 640, 1600],
    );
    const second = await a.images.list(eventId, { offset: 1, limit: 1 });
    assert.deepEqual(
      second.items.map((i) => i.original_name),
      ['p1.jpg'],
    );
    assert.deepEqual((await a.images.list(eventId, { offset: 5, limit: 2 })).items, []);
  });

  test('bib lookups: any of several keys, each photo once, in gallery order; rejected tags do not match', async () => {
    const page = await a.images.listByBib(eventId, ['7', '8'], { offset: 0, limit: 10 });
    assert.equal(page.total, 3, 'photo 2 carries both 7 and 8 and counts once; photo 3 carries 007');
    assert.deepEqual(
      page.items.map((i) => i.original_name),
      ['p2.jpg', 'p1.jpg', 'p3.jpg'],
    );
    assert.deepEqual(await a.images.idsByBib(eventId, ['007', '7']), [
      image(eventId, 2, 0).id,
      image(eventId, 1, 0).id,
      image(eventId, 3, 0).id,
    ]);
    const [t] = (await a.bibs.listForImage(image(eventId, 1, 0).id)).filter((x) => x.bib === '7');
    await a.bibs.setStatus(image(eventId, 1, 0).id, t!.id, 'rejected');
    // Leading zeros match both ways: "7" also finds the tag "007".
    assert.deepEqual(await a.images.idsByBib(eventId, ['7']), [image(eventId, 2, 0).id, image(eventId, 3, 0).id]);
    assert.deepEqual(await a.images.listByBib(eventId, [], { offset: 0, limit: 5 }), { items: [], total: 0 });
  });

  test('existingIds keeps the order given and drops ids of other events; getById finds any event', async () => {
    const ids = [image(eventId, 3, 0).id, 'nope', image(eventId, 1, 0).id];
    assert.deepEqual(await a.images.existingIds(eventId, ids), [ids[0], ids[2]]);
    assert.deepEqual(await a.images.existingIds(eventId + 1, ids), []);
    assert.equal((await a.images.getById(ids[2]!))?.original_name, 'p1.jpg');
    assert.equal(await a.images.getById('nope'), null);
  });

  test('certificates are published when the flag is on and a template is stored, on every connection', async () => {
    assert.equal(await a.certificates.isPublished(eventId), false, 'nothing stored');
    await a.certificates.setPublished(eventId, true);
    assert.equal(await b.certificates.isPublished(eventId), false, 'the flag alone');
    const builtin = listBuiltinTemplates()[0]!;
    await a.certificates.putTemplate(eventId, builtin.template, builtin.id);
    assert.equal(await b.certificates.isPublished(eventId), true);
    assert.equal(await b.certificates.isPublished(eventId + 1), false, 'another event');
    await a.certificates.setPublished(eventId, false);
    assert.equal(await b.certificates.isPublished(eventId), false, 'unpublished');
  });
});
