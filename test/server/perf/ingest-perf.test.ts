// Ingest performance changes that must not change what is stored: the watermark overlay drawn once per event
// and size (as raw pixels) and blended in JS exactly as libvips composites it; no face stage while selfie search
// is off, and switching it on indexes the photos already there in the background.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { blendOverlay, renderRenditions } from '../../../server/ingest/renditions.ts';
import { eventOverlay, watermarkOverlay } from '../../../server/ingest/watermark.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { FaceRunner } from '../../../server/vision/face-runner.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { makeJpeg } from '../helpers/photos.ts';
import { FACE_PIPELINES } from '../../../core/models.ts';

describe('watermark overlay', () => {
  test('the JS blend draws what libvips composite draws (within one level)', async () => {
    const [w, h] = [240, 160];
    const photo = await sharp({
      create: { width: w, height: h, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
    })
      .raw()
      .toBuffer();
    const logo = await sharp({ create: { width: 90, height: 40, channels: 4, background: { r: 250, g: 20, b: 90, alpha: 0.7 } } })
      .png()
      .toBuffer();
    const mark = (await watermarkOverlay('© Test Photo', logo)!(w, h))!;
    assert.equal(mark.data.length, w * h * 4);
    assert.ok(
      mark.data.some((v, i) => i % 4 === 3 && v > 0 && v < 255),
      'partly transparent pixels',
    );
    const ref = await sharp(photo, { raw: { width: w, height: h, channels: 3 } })
      .composite([{ input: mark.data, raw: { width: w, height: h, channels: 4 } }])
      .raw()
      .toBuffer();
    const mine = Buffer.from(photo);
    blendOverlay(mine, 3, mark);
    const refChannels = ref.length / (w * h);
    let worst = 0;
    for (let i = 0; i < w * h; i++)
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(ref[i * refChannels + c]! - mine[i * 3 + c]!));
    assert.ok(worst <= 1, `largest difference ${worst}`);
    assert.notDeepEqual(mine, photo, 'the watermark is drawn');
  });

  test('drawn once per event, watermark version and size; the image blob read only then', async () => {
    const logo = await sharp({ create: { width: 60, height: 30, channels: 4, background: '#fff8' } })
      .png()
      .toBuffer();
    let reads = 0;
    const blobs = { get: async () => (reads++, logo) };
    const event = { id: 7, watermark_version: 1, watermark_text: 'Club', watermark_image: 'watermarks/7/a.png' };
    const a = await eventOverlay(event, blobs)!(320, 200);
    const b = await eventOverlay(event, blobs)!(320, 200);
    assert.equal(a, b);
    assert.equal(reads, 1);
    await eventOverlay(event, blobs)!(200, 320);
    assert.equal(reads, 2, 'another size is another overlay');
    const c = await eventOverlay({ ...event, watermark_version: 2 }, blobs)!(320, 200);
    assert.notEqual(c, a);
    assert.equal(reads, 3, 'a new watermark version draws again');
    const other = { get: async () => (reads++, logo) };
    await eventOverlay(event, other)!(320, 200);
    assert.equal(reads, 4, 'another blob store keeps its own overlays');
    assert.equal(eventOverlay({ ...event, watermark_text: null, watermark_image: null }, blobs), null);
  });

  test('renditions with the kept overlay equal renditions with a freshly drawn one', async () => {
    const jpeg = await makeJpeg({ seed: 5, width: 2000, height: 1500 });
    const fresh = watermarkOverlay('Fresh', null)!;
    const kept = eventOverlay(
      { id: 1, watermark_version: 0, watermark_text: 'Fresh', watermark_image: null },
      { get: async () => null },
    )!;
    const x = await renderRenditions('i', sharp(jpeg).rotate(), { width: 2000, height: 1500 }, fresh);
    const y = await renderRenditions('i', sharp(jpeg).rotate(), { width: 2000, height: 1500 }, kept);
    assert.deepEqual(
      x.map((r) => [r.kind, r.width, r.height, r.data.length]),
      y.map((r) => [r.kind, r.width, r.height, r.data.length]),
    );
    assert.deepEqual(
      x.map((r) => [r.kind, r.width]),
      [
        ['thumb', 320],
        ['thumb', 640],
        ['preview', 1600],
      ],
    );
  });

  test('a grey photo still gets its watermark (libvips path)', async () => {
    const grey = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#777' } })
      .greyscale()
      .jpeg()
      .toBuffer();
    const plain = await renderRenditions('g', sharp(grey).rotate(), { width: 800, height: 600 }, null);
    const marked = await renderRenditions('g', sharp(grey).rotate(), { width: 800, height: 600 }, watermarkOverlay('MARK', null));
    assert.notDeepEqual(marked.at(-1)!.data, plain.at(-1)!.data);
  });
});

describe('stages follow the event flags', () => {
  let h: Harness;
  let calls = 0;
  const runner: FaceRunner = {
    backend: 'cpu' as unknown as FaceRunner['backend'],
    pipeline: FACE_PIPELINES.default,
    async indexPhotoFaces() {
      calls++;
      const embedding = new Float32Array(512).fill(0);
      embedding[0] = 1;
      return [{ box: [1, 1, 40, 40], score: 0.9, embedding, sharpness: 50, quality: 1 }];
    },
    async embedSelfie() {
      return { ok: false, reason: 'no_face' } as Awaited<ReturnType<FaceRunner['embedSelfie']>>;
    },
  };
  before(() => {
    h = createHarness({ faces: { runner: async () => runner } });
  });
  after(() => h?.close());

  test('no face stage while selfie search is off; switching it on indexes the photos already there', async () => {
    const org = await h.deps.store.orgs.create('Flags club');
    const key = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    const off0 = await h.deps.store.events.create(org.id, { name: 'No selfies' });
    const off = (await h.deps.store.events.update(off0.id, { flags: { ...off0.flags, selfie_search: false } }))!;
    assert.equal(off.flags.selfie_search, false);
    for (const seed of [1, 2, 3]) {
      const r = await ingestPhoto(h.deps, off, { name: `p${seed}.jpg`, data: await makeJpeg({ seed }) });
      assert.equal(r.status, 'added');
      assert.ok(r.status === 'added' && r.faces === undefined && !r.warning);
    }
    assert.equal(calls, 0, 'no face stage ran');
    assert.deepEqual(await h.deps.store.faces.stats(off.id), { images: 3, scanned: 0, faces: 0 });

    const on = await h.deps.store.events.create(org.id, { name: 'Selfies' });
    const r = await ingestPhoto(h.deps, on, { name: 'q.jpg', data: await makeJpeg({ seed: 9 }) });
    assert.ok(r.status === 'added' && r.faces === 1);
    assert.equal(calls, 1);

    const res = await h.call(`/api/v1/admin/${org.id}/events/${off.id}`, {
      method: 'PATCH',
      key,
      body: { flags: { selfie_search: true } },
    });
    assert.equal(res.status, 200, await res.clone().text());
    // The PATCH queued a faces.index job per photo: wait for the queue.
    await h.deps.jobs.idle('faces.index');
    assert.deepEqual(await h.deps.store.faces.stats(off.id), { images: 3, scanned: 3, faces: 3 });
    assert.equal(calls, 4, 'each photo indexed once');
  });
});
