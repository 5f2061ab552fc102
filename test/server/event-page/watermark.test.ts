// Watermarks on every rendition a browser can fetch without paying (thumbnails included), and the background
// re-render after a watermark change: the old renditions keep being served until the new ones are stored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { AdminEvent } from '../../../core/api/admin.ts';
import type { ImagePage } from '../../../core/index.ts';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { makeJpeg } from '../helpers/photos.ts';

/** A blob store whose writes of new renditions wait until `release()` (to observe the state before the swap). */
class GatedBlobs extends LocalBlobStore {
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  held = 0;
  private onHeld: (() => void) | null = null;
  /** Resolves once a write is held (the refresh reached the swap point). */
  waitHeld() {
    return this.held > 0 ? Promise.resolve() : new Promise<void>((r) => (this.onHeld = r));
  }
  hold() {
    this.gate = new Promise((r) => (this.open = r));
  }
  release() {
    this.open?.();
    this.gate = null;
  }
  override async put(key: string, data: Buffer) {
    if (this.gate && /-w\d+\./.test(key)) {
      this.held++;
      this.onHeld?.();
      await this.gate;
    }
    return super.put(key, data);
  }
}

/** Mean absolute difference per channel between two same-size regions of two images (0–255). */
async function regionDiff(a: Buffer, b: Buffer, region: { left: number; top: number; width: number; height: number }) {
  const raw = async (img: Buffer) => await sharp(img).extract(region).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([raw(a), raw(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

describe('watermarks on thumbnails and the background re-render', () => {
  let h: Harness;
  let blobs: GatedBlobs;
  let blobDir: string;
  let orgId: number;
  let secret: string;
  let plainEventId: number;
  let markedEventId: number;
  let pk: string;
  const photo = () => makeJpeg({ seed: 41, width: 1200, height: 800 });
  const logo = () =>
    sharp({ create: { width: 400, height: 200, channels: 4, background: { r: 255, g: 0, b: 255, alpha: 1 } } })
      .png()
      .toBuffer();

  before(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'pf-blobs-'));
    blobs = new GatedBlobs(blobDir);
    h = createHarness({ blobs });
    const { store } = h.deps;
    orgId = (await store.orgs.create('Club')).id;
    secret = (await createApiKey(store, orgId, { kind: 'secret' })).key;
    pk = (await createApiKey(store, orgId, { kind: 'publishable' })).key;
    plainEventId = (await store.events.create(orgId, { name: 'Plain' })).id;
    markedEventId = (await store.events.create(orgId, { name: 'Marked' })).id;
  });
  after(async () => {
    await h.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const putWatermark = async (eventId: number) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await logo())], { type: 'image/png' }), 'logo.png');
    const res = await h.call(`/api/v1/admin/${orgId}/events/${eventId}/watermark`, { key: secret, method: 'PUT', body: form });
    assert.equal(res.status, 200);
    return (await json<AdminEvent>(res)).data;
  };
  const images = async (eventId: number) =>
    (await json<ImagePage>(await h.call(`/api/v1/ext/${orgId}/event/${eventId}/images`, { key: pk }))).data.images;
  const fetchFile = async (url: string) => {
    const res = await h.call(new URL(url).pathname);
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };
  const thumb320 = (img: ImagePage['images'][number]) => img.renditions.find((r) => r.width === 320)!.url;

  test('a thumbnail of a watermarked event differs from the unwatermarked one in the watermark area only', async () => {
    await putWatermark(markedEventId);
    const marked = (await h.deps.store.events.get(markedEventId))!;
    const plain = (await h.deps.store.events.get(plainEventId))!;
    assert.equal((await ingestPhoto(h.deps, plain, { name: 'a.jpg', data: await photo() })).status, 'added');
    assert.equal((await ingestPhoto(h.deps, marked, { name: 'a.jpg', data: await photo() })).status, 'added');
    const [p] = await images(plainEventId);
    const [m] = await images(markedEventId);
    assert.match(thumb320(m!), /thumb-320-w1\.webp$/);
    const a = (await fetchFile(thumb320(p!))).body;
    const b = (await fetchFile(thumb320(m!))).body;
    // The logo sits bottom right (a quarter of the width, a margin of 1/40): 320×213 thumbnail → ~80 px wide.
    const markArea = await regionDiff(a, b, { left: 240, top: 175, width: 64, height: 25 });
    const clearArea = await regionDiff(a, b, { left: 10, top: 10, width: 100, height: 60 });
    assert.ok(markArea > 40, `watermark area differs (${markArea.toFixed(1)})`);
    assert.ok(clearArea < 4, `the rest is the same photo (${clearArea.toFixed(1)})`);
    // Every free rendition carries it: the 640 thumbnail and the preview too.
    for (const r of m!.renditions) assert.match(r.url, /-w1\.(webp|jpg)$/);
  });

  test('changing the watermark re-renders in the background; old files are served until the new ones are stored', async () => {
    const event = (await h.deps.store.events.get(plainEventId))!;
    for (let i = 0; i < 2; i++)
      await ingestPhoto(h.deps, event, { name: `b${i}.jpg`, data: await makeJpeg({ seed: 60 + i, width: 900, height: 600 }) });
    const before = await images(plainEventId);
    assert.equal(before.length, 3);
    const oldUrls = before.flatMap((i) => i.renditions.map((r) => r.url));

    blobs.hold();
    const settings = await putWatermark(plainEventId);
    assert.equal(settings.renditions_pending, 3);
    await blobs.waitHeld();
    // While the new files are being written the gallery keeps the old ones, and they are served.
    const during = await images(plainEventId);
    assert.deepEqual(
      during.flatMap((i) => i.renditions.map((r) => r.url)),
      oldUrls,
    );
    for (const url of oldUrls) assert.equal((await fetchFile(url)).status, 200, url);

    blobs.release();
    await h.deps.renditions.idle();
    const settled = (await json<AdminEvent>(await h.call(`/api/v1/admin/${orgId}/events/${plainEventId}`, { key: secret }))).data;
    assert.equal(settled.renditions_pending, 0);
    const afterImgs = await images(plainEventId);
    for (const img of afterImgs)
      for (const r of img.renditions) {
        assert.match(r.url, /-w1\.(webp|jpg)$/);
        assert.equal((await fetchFile(r.url)).status, 200);
      }
    // The old files are gone once replaced.
    for (const url of oldUrls) assert.equal((await fetchFile(url)).status, 404, url);

    // A text watermark change is another version; removing the image is one more.
    const patched = await h.call(`/api/v1/admin/${orgId}/events/${plainEventId}`, {
      key: secret,
      method: 'PATCH',
      body: { watermark_text: 'photo-finish' },
    });
    assert.equal(patched.status, 200);
    await h.deps.renditions.idle();
    for (const img of await images(plainEventId)) for (const r of img.renditions) assert.match(r.url, /-w2\.(webp|jpg)$/);
  });

  test('after a restart, stale renditions are found and refreshed (resume)', async () => {
    const event = (await h.deps.store.events.get(markedEventId))!;
    // Simulate an interrupted pass: the event moved to a new version that no rendition has yet.
    await h.deps.store.events.update(event.id, { watermark_version: event.watermark_version + 1 });
    assert.deepEqual(await h.deps.store.eventPage.eventsWithStale(), [markedEventId]);
    await h.deps.renditions.resume();
    await h.deps.renditions.idle();
    assert.deepEqual(await h.deps.store.eventPage.eventsWithStale(), []);
  });
});
