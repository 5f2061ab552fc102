// Download Originals (spec §3.12) and the signed original route: methods, paging, entitlements,
// per-item failures, signatures (tampered, expired, rotated keys), file headers and Range.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DownloadOriginalsData } from '../../core/index.ts';
import { createApp } from '../../server/app.ts';
import { SOLD_PHOTO } from '../../server/services/downloads.ts';
import type { EntitlementSource } from '../../server/services/entitlements.ts';
import type { SelfieResults } from '../../server/services/selfie-results.ts';
import { createSigner } from '../../server/services/signing.ts';
import type { EventRow } from '../../server/store/types.ts';
import { json } from '../support/harness.ts';
import { createWorld, type World } from './helpers/world.ts';

const SEARCH_ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

/** The selfie-search side, as the face area provides it: stored results by request_id. */
class StoredSearches implements SelfieResults {
  readonly results = new Map<string, string[]>();
  async imageIds(eventId: number, requestId: string) {
    return this.results.get(`${eventId}:${requestId}`) ?? null;
  }
}

/** Paid orders, as the checkout area provides them: a token unlocks a set of photos. */
class PaidOrders implements EntitlementSource {
  readonly orders = new Map<string, Set<string>>();
  async unlocked(_event: EventRow, ids: string[], token: string) {
    const paid = this.orders.get(token) ?? new Set();
    return new Set(ids.filter((id) => paid.has(id)));
  }
}

describe('Download Originals and signed original files', () => {
  let w: World;
  const searches = new StoredSearches();
  const orders = new PaidOrders();
  let sold: EventRow;
  let soldIds: string[];

  before(async () => {
    w = await createWorld({ selfieResults: searches, entitlementSources: [orders] }, 7);
    searches.results.set(`${w.event.id}:${SEARCH_ID}`, [w.imageIds[3]!, w.imageIds[1]!, 'not-an-image-of-this-event']);
    // A second event whose originals are sold: same photos ingested again.
    sold = await w.h.deps.store.events
      .update((await w.h.deps.store.events.create(w.orgId, { name: 'Sold race' })).id, { free_downloads: false })
      .then((e) => e!);
    const { ingestPhoto } = await import('../../server/ingest/pipeline.ts');
    const { makeJpeg } = await import('./helpers/photos.ts');
    soldIds = [];
    for (let i = 0; i < 3; i++) {
      const r = await ingestPhoto(w.h.deps, sold, { name: `s${i}.jpg`, data: await makeJpeg({ seed: 500 + i }), bibs: ['77'] });
      assert.equal(r.status, 'added');
      soldIds.push(r.status === 'added' ? r.image_id : '');
    }
    orders.orders.set('order-token-1', new Set([soldIds[0]!, soldIds[2]!]));
  });
  after(() => w.h.close());

  const post = (body: unknown, opts: { query?: string; key?: string; headers?: Record<string, string>; event?: number } = {}) =>
    w.h.call(`/api/v1/ext/${w.orgId}/event/${opts.event ?? w.event.id}/original-photos${opts.query ? `?${opts.query}` : ''}`, {
      key: opts.key ?? w.publishable,
      body,
      headers: opts.headers,
    });

  describe('methods', () => {
    test('image_id: one link, identifier echoed, file name {image_id}.jpg', async () => {
      const res = await post({ method: 'image_id', identifier: w.imageIds[0] });
      assert.equal(res.status, 200);
      const body = await json<DownloadOriginalsData>(res);
      assert.equal(body.message, '1 download link, valid for 60 minutes');
      const d = body.data;
      assert.equal(d.identifier, w.imageIds[0]);
      assert.equal(d.total_images, 1);
      assert.equal(d.successful_count, 1);
      assert.equal(d.failed_count, 0);
      assert.equal(d.message, null);
      assert.equal(d.presigned_urls[0]!.filename, `${w.imageIds[0]}.jpg`);
      assert.deepEqual(d.pagination, {
        total: 1,
        currentPage: 1,
        totalPages: 1,
        hasNextPage: false,
        hasPreviousPage: false,
        page_size: 30,
      });
    });

    test('image_id unknown is 400', async () => {
      const res = await post({ method: 'image_id', identifier: 'a0000000-0000-4000-8000-000000000000' });
      assert.equal(res.status, 400);
      assert.match((await json(res)).message, /not found in this event/);
    });

    test('image_ids: unknown ids go to failed_urls, identifier is null; all unknown is 400', async () => {
      const res = await post({ method: 'image_ids', identifier: [w.imageIds[2], 'nope', w.imageIds[4], w.imageIds[2]] });
      const d = (await json<DownloadOriginalsData>(res)).data;
      assert.equal(d.identifier, null);
      assert.equal(d.total_images, 3, 'repeated ids count once');
      assert.equal(d.successful_count, 2);
      assert.deepEqual(d.failed_urls, [{ image_id: 'nope', error: 'Image not found in this event', path: null }]);
      const none = await post({ method: 'image_ids', identifier: ['x', 'y'] });
      assert.equal(none.status, 400);
      assert.equal((await json(none)).message, 'None of the image_ids is a photo of this event');
      const empty = await post({ method: 'image_ids', identifier: [] });
      assert.equal(empty.status, 422);
      assert.equal((await json(empty)).message, 'identifier: must be a non-empty array of image ids');
    });

    test('bib: every photo of the bib, paged; an unknown bib is 200 with an explanation', async () => {
      const p1 = (await json<DownloadOriginalsData>(await post({ method: 'bib', identifier: '101' }, { query: 'page_size=1' })))
        .data;
      const p2 = (
        await json<DownloadOriginalsData>(await post({ method: 'bib', identifier: '101' }, { query: 'page=2&page_size=1' }))
      ).data;
      assert.equal(p1.pagination.total, 2);
      assert.equal(p1.pagination.hasNextPage, true);
      assert.equal(p2.pagination.hasPreviousPage, true);
      const got = [p1, p2].flatMap((d) => d.presigned_urls.map((u) => u.filename.replace('.jpg', '')));
      assert.deepEqual(got.sort(), [...w.bibs['101']!].sort());
      const none = await post({ method: 'bib', identifier: '999' });
      assert.equal(none.status, 200);
      const body = await json<DownloadOriginalsData>(none);
      assert.equal(body.message, 'No images found for bib number 999');
      assert.equal(body.data.message, 'No images found for bib number 999');
      assert.deepEqual(body.data.presigned_urls, []);
      assert.equal(body.data.identifier, '999');
      const bad = await post({ method: 'bib', identifier: '12#' });
      assert.equal(bad.status, 422);
      assert.equal((await json(bad)).message, 'identifier: a bib has only letters and digits');
    });

    test('selfie: the stored search’s photos that exist in the event; unknown request_id 404', async () => {
      const d = (await json<DownloadOriginalsData>(await post({ method: 'selfie', identifier: SEARCH_ID }))).data;
      assert.equal(d.identifier, SEARCH_ID);
      assert.deepEqual(
        d.presigned_urls.map((u) => u.filename),
        [`${w.imageIds[3]}.jpg`, `${w.imageIds[1]}.jpg`],
        'in the order of the search',
      );
      const unknown = await post({ method: 'selfie', identifier: 'b0000000-0000-4000-8000-000000000000' });
      assert.equal(unknown.status, 404);
      assert.match((await json(unknown)).message, /^Unknown request_id/);
      const notUuid = await post({ method: 'selfie', identifier: 'abc' });
      assert.equal(notUuid.status, 422);
    });

    test('selfie with no face-search area configured: every request_id is unknown (404)', async () => {
      const app = createApp({ ...w.h.deps, selfieResults: undefined });
      const res = await app.request(`/api/v1/ext/${w.orgId}/event/${w.event.id}/original-photos`, {
        method: 'POST',
        headers: { 'X-API-Key': w.secret, 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'selfie', identifier: SEARCH_ID }),
      });
      assert.equal(res.status, 404);
    });

    test('selfie_search off is 403 for method selfie; image_id still works on that event', async () => {
      const res = await post({ method: 'selfie', identifier: SEARCH_ID }, { event: w.plainEvent.id, key: w.secret });
      assert.equal(res.status, 403);
      assert.equal((await json(res)).message, 'selfie_search is switched off for this event');
    });

    test('an original missing from storage is a per-item failure with its path', async () => {
      const img = (await w.h.deps.store.images.get(w.event.id, w.imageIds[5]!))!;
      await w.h.deps.blobs.delete(img.original_key);
      const d = (
        await json<DownloadOriginalsData>(await post({ method: 'image_ids', identifier: [w.imageIds[5], w.imageIds[6]] }))
      ).data;
      assert.equal(d.successful_count, 1);
      assert.deepEqual(d.failed_urls, [
        { image_id: w.imageIds[5], error: 'Failed to generate URL: the original file is missing', path: img.original_key },
      ]);
    });
  });

  describe('events that sell their originals', () => {
    const soldPost = (body: unknown, headers?: Record<string, string>) =>
      post(body, { event: sold.id, headers, key: w.publishable });

    test('no order token: 403 saying to buy first', async () => {
      const res = await soldPost({ method: 'bib', identifier: '77' });
      assert.equal(res.status, 403);
      assert.match((await json(res)).message, /^Originals of this event are sold: buy the photos first.*X-Order-Token/);
    });

    test('a token that unlocks some: those get links, the rest fail with the reason', async () => {
      const res = await soldPost({ method: 'bib', identifier: '77' }, { 'X-Order-Token': 'order-token-1' });
      assert.equal(res.status, 200);
      const d = (await json<DownloadOriginalsData>(res)).data;
      assert.equal(d.successful_count, 2);
      assert.deepEqual(d.failed_urls, [{ image_id: soldIds[1], error: SOLD_PHOTO, path: null }]);
    });

    test('the token may travel in the body as order_token', async () => {
      const d = (
        await json<DownloadOriginalsData>(
          await soldPost({ method: 'image_id', identifier: soldIds[0], order_token: 'order-token-1' }),
        )
      ).data;
      assert.equal(d.successful_count, 1);
    });

    test('a token that unlocks none of them is 403', async () => {
      const res = await soldPost({ method: 'image_id', identifier: soldIds[1] }, { 'X-Order-Token': 'order-token-1' });
      assert.equal(res.status, 403);
      assert.equal((await json(res)).message, 'This order token does not unlock any of these photos: buy them first');
    });
  });

  describe('the signed original route', () => {
    let link: string;
    let img: { id: string; original_key: string; content_hash: string };

    before(async () => {
      const d = (await json<DownloadOriginalsData>(await post({ method: 'image_id', identifier: w.imageIds[0] }))).data;
      link = new URL(d.presigned_urls[0]!.url).pathname + new URL(d.presigned_urls[0]!.url).search;
      img = (await w.h.deps.store.images.get(w.event.id, w.imageIds[0]!))!;
    });

    test('serves the untouched original: private, attachment, ETag = content hash', async () => {
      const res = await w.h.app.request(link);
      assert.equal(res.status, 200);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.deepEqual(bytes, await w.h.deps.blobs.get(img.original_key));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), img.content_hash);
      assert.equal(res.headers.get('content-type'), 'image/jpeg');
      assert.equal(res.headers.get('etag'), `"${img.content_hash}"`);
      assert.match(res.headers.get('cache-control')!, /^private, max-age=\d+$/);
      assert.equal(res.headers.get('content-disposition'), `attachment; filename="${img.id}.jpg"`);
      const again = await w.h.app.request(link, { headers: { 'If-None-Match': `"${img.content_hash}"` } });
      assert.equal(again.status, 304);
    });

    test('Range: 206 with Content-Range; an impossible range 416', async () => {
      const res = await w.h.app.request(link, { headers: { Range: 'bytes=0-99' } });
      assert.equal(res.status, 206);
      assert.equal((await res.arrayBuffer()).byteLength, 100);
      assert.match(res.headers.get('content-range')!, /^bytes 0-99\/\d+$/);
      const bad = await w.h.app.request(link, { headers: { Range: 'bytes=99999999-' } });
      assert.equal(bad.status, 416);
    });

    test('a tampered signature, path or expiry is 403 in the envelope', async () => {
      const u = new URL(`http://x${link}`);
      const sig = u.searchParams.get('sig')!;
      const flipped = new URL(u);
      flipped.searchParams.set('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
      const otherPath = new URL(u);
      otherPath.pathname = `/files/o/${w.imageIds[1]}`;
      const later = new URL(u);
      later.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600));
      const unsigned = new URL(u);
      unsigned.search = '';
      for (const bad of [flipped, otherPath, later, unsigned]) {
        const res = await w.h.app.request(bad.pathname + bad.search);
        assert.equal(res.status, 403, bad.toString());
        const body = await json(res);
        assert.equal(body.responseType, 'error');
        assert.match(body.message, /^Invalid download link/);
      }
    });

    test('an expired link is 403', async () => {
      const past = createSigner(['test-signing-key'], () => Date.now() - 2 * 3600_000);
      const path = `/files/o/${img.id}`;
      const res = await w.h.app.request(`${path}?${past.sign(path)}`);
      assert.equal(res.status, 403);
      assert.match((await json(res)).message, /has expired/);
    });

    test('key rotation: an old key still verifies while listed, and fails once removed', async () => {
      const path = `/files/o/${img.id}`;
      const oldLink = `${path}?${createSigner(['old-key']).sign(path)}`;
      const rotated = createApp({ ...w.h.deps, signer: createSigner(['new-key', 'old-key']) });
      assert.equal((await rotated.request(oldLink)).status, 200);
      const newLink = `${path}?${createSigner(['new-key', 'old-key']).sign(path)}`;
      const kid = (q: string) => new URLSearchParams(q.split('?')[1]).get('kid');
      assert.equal(kid(newLink), kid(`?${createSigner(['new-key']).sign(path)}`), 'the first key signs');
      const removed = createApp({ ...w.h.deps, signer: createSigner(['new-key']) });
      assert.equal((await removed.request(oldLink)).status, 403);
      assert.equal((await removed.request(newLink)).status, 200);
    });

    test('over a real server the link works as given, including HEAD', async () => {
      const server = await w.h.listen();
      const res = await fetch(`${server.url}/api/v1/ext/${w.orgId}/event/${w.event.id}/original-photos`, {
        method: 'POST',
        headers: { 'X-API-Key': w.publishable, 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'image_id', identifier: w.imageIds[2] }),
      });
      const d = (await json<DownloadOriginalsData>(res)).data;
      assert.ok(d.presigned_urls[0]!.url.startsWith(server.url));
      const file = await fetch(d.presigned_urls[0]!.url);
      assert.equal(file.status, 200);
      assert.ok((await file.arrayBuffer()).byteLength > 1000);
      const head = await fetch(d.presigned_urls[0]!.url, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.ok(Number(head.headers.get('content-length')) > 1000);
    });

    test('a deleted photo’s link is 404', async () => {
      const path = `/files/o/a0000000-0000-4000-8000-000000000000`;
      const res = await w.h.app.request(`${path}?${w.h.deps.signer.sign(path)}`);
      assert.equal(res.status, 404);
    });
  });
});
