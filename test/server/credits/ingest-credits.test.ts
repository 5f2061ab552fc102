// The credits gate of the ingest pipeline over a real SQLite file: a metered organisation pays one credit per
// processed photo, exactly once even when two independent pipelines (two connections to the same file, as two
// processes) ingest the same photos at once; without credits a photo is stored, waits, is hidden from the public
// reads, and is processed (and charged) by processStoredPhoto once credits arrive.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ingestBatch, type BatchSource } from '../../../server/ingest/batch.ts';
import { processStoredPhoto } from '../../../server/ingest/stored.ts';
import { openDataDirStore } from '../../support/store.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { makeJpeg } from '../helpers/photos.ts';

const photos = async (n: number, seed: number): Promise<BatchSource[]> =>
  Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const data = await makeJpeg({ seed: seed + i, width: 320, height: 240 });
      return { name: `p${seed + i}.jpg`, read: async () => data };
    }),
  );

describe('credits gate in the ingest pipeline', () => {
  let h: Harness;
  let event: EventRow;
  let orgId: number;

  before(async () => {
    h = createHarness();
    const org = await h.deps.store.orgs.create('Metered club');
    orgId = org.id;
    event = await h.deps.store.events.create(org.id, { name: 'Metered race' });
    await h.deps.store.credits.updateAccount(org.id, { plan: 'payg' });
  });
  after(() => h.close());

  test('unlimited (the default) charges nothing', async () => {
    const free = await h.deps.store.orgs.create('Free club');
    const ev = await h.deps.store.events.create(free.id, { name: 'Free race' });
    const report = await ingestBatch(h.deps, ev, await photos(2, 100));
    assert.equal(report.added, 2);
    assert.equal(await h.deps.store.credits.balance(free.id), 0);
    assert.equal(await h.deps.store.images.count(ev.id), 2);
  });

  test('two pipelines on two connections ingesting the same photos at once charge each photo once', async () => {
    await h.deps.store.credits.append({ org_id: orgId, type: 'free_credits', delta: 100 });
    const other = openDataDirStore(h.dir);
    try {
      const sources = await photos(8, 200);
      // A second process: its own store connection, the same blob store.
      const second = { store: other, blobs: h.deps.blobs };
      const [a, b] = await Promise.all([
        ingestBatch(h.deps, event, sources, { concurrency: 4 }),
        ingestBatch(second, event, [...sources].reverse(), { concurrency: 4 }),
      ]);
      assert.equal(a.failed + b.failed, 0);
      assert.equal(a.added + b.added, 8, 'each photo added by exactly one of them');
      assert.equal(await h.deps.store.images.count(event.id), 8);
      assert.equal(await h.deps.store.credits.balance(orgId), 92);
      const usage = await h.deps.store.credits.transactions(orgId, { type: 'usage' }, { offset: 0, limit: 100 });
      assert.equal(usage.total, 8);
      assert.equal(new Set(usage.items.map((r) => r.image_id)).size, 8);
      assert.ok(
        usage.items.every((r) => r.delta === -1 && r.usage_kind === 'event_photo_indexing' && r.ref_event_id === event.id),
      );
    } finally {
      await other.close();
    }
  });

  test('out of credits: photos are stored and waiting, hidden, then processed and charged once credits arrive', async () => {
    const balance = await h.deps.store.credits.balance(orgId);
    await h.deps.store.credits.append({ org_id: orgId, type: 'refund', delta: -(balance - 2) });
    assert.equal(await h.deps.store.credits.balance(orgId), 2);
    const report = await ingestBatch(h.deps, event, await photos(5, 300), { concurrency: 3 });
    assert.equal(report.added, 5, 'every photo is received');
    const waiting = report.results.flatMap((r) => (r.status === 'added' && 'image_id' in r && r.waiting_credits ? [r] : []));
    assert.equal(waiting.length, 3);
    assert.equal(await h.deps.store.credits.balance(orgId), 0);
    assert.equal(await h.deps.store.images.count(event.id), 10, 'waiting photos are not counted');
    assert.equal(await h.deps.store.credits.countWaiting(orgId), 3);
    const id = waiting[0]!.image_id;
    const stored = await h.deps.store.images.getById(id);
    assert.equal(stored?.state, 'waiting_credits');
    assert.deepEqual(stored?.renditions, []);
    assert.ok(await h.deps.blobs.get(stored!.original_key), 'the original is stored');
    assert.equal(await h.deps.store.images.get(event.id, id), null, 'hidden from the public reads');
    // Nor picked up by a face backfill or an OCR re-run: they run when it is processed.
    assert.ok(!(await h.deps.store.faces.unscannedImageIds(event.id)).includes(id));
    assert.ok(!(await h.deps.store.bibs.photosToRead(event.id, { afterId: null, limit: 1000 })).some((p) => p.id === id));

    // Still no credits: it stays waiting, nothing charged.
    const still = await processStoredPhoto(h.deps, id);
    assert.equal(still.status === 'added' && still.waiting_credits, true);
    assert.equal(await h.deps.store.credits.balance(orgId), 0);

    await h.deps.store.credits.append({ org_id: orgId, type: 'admin_grant', delta: 10 });
    for (const r of waiting)
      if (r.status === 'added') assert.equal((await processStoredPhoto(h.deps, r.image_id)).status, 'added');
    assert.equal(await h.deps.store.credits.countWaiting(orgId), 0);
    assert.equal(await h.deps.store.images.count(event.id), 13);
    assert.equal(await h.deps.store.credits.balance(orgId), 7);
    const ready = await h.deps.store.images.get(event.id, id);
    assert.equal(ready?.state, 'ready');
    assert.ok(ready!.renditions.length >= 1, 'renditions were made');
    // Processing again is a duplicate and charges nothing.
    assert.equal((await processStoredPhoto(h.deps, id)).status, 'duplicate');
    assert.equal(await h.deps.store.credits.balance(orgId), 7);
  });
});
