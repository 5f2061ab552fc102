// A refund relocks every link at once: per-photo original links from Download Originals and from the receipt are
// checked against the order when used, not only when handed out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DownloadOriginalsData } from '../../../core/index.ts';
import { json } from '../../support/harness.ts';
import { created, openShop, RETURN_URL, standardPlans, type Shop } from '../checkout/support.ts';

let shop: Shop;
before(async () => {
  shop = await openShop({ photos: 3 });
  await standardPlans(shop);
});
after(() => shop.h.close());

const get = (url: string) => {
  const u = new URL(url);
  return shop.h.call(u.pathname + u.search);
};

test('original links of a paid order work until the refund, then answer 403 at once', async () => {
  const ids = shop.imageIds.slice(0, 2);
  const c = await created(await shop.order({ image_ids: ids, return_url: RETURN_URL }));
  const pay = await shop.h.call(new URL(c.order.checkout_url!).pathname, {
    method: 'POST',
    body: 'action=pay',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(pay.status, 303);

  const dl = await shop.ext('/original-photos', {
    body: { method: 'image_ids', identifier: ids },
    headers: { 'X-Order-Token': c.download_token },
  });
  assert.equal(dl.status, 200);
  const links = (await json<DownloadOriginalsData>(dl)).data.presigned_urls.map((p) => p.url);
  assert.equal(links.length, 2);
  assert.ok(
    links.every((l) => /[?&]grant=[0-9a-f]{64}&exp=/.test(l)),
    'a sold photo link names its order',
  );
  assert.ok(
    links.every((l) => !l.includes(c.download_token)),
    'never the token itself',
  );
  const receipt = await shop.h.call(`/orders/${c.order.order_id}/receipt?token=${encodeURIComponent(c.download_token)}`);
  assert.equal(receipt.status, 200);
  const receiptLinks = [...(await receipt.text()).matchAll(/href="([^"]*\/files\/o\/[^"]+)"/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  );
  assert.equal(receiptLinks.length, 2);
  for (const l of [...links, ...receiptLinks]) assert.equal((await get(l)).status, 200, l);

  assert.equal((await shop.admin(`/orders/${c.order.order_id}/refund`, { method: 'POST' })).status, 200);
  for (const l of [...links, ...receiptLinks]) {
    const res = await get(l);
    assert.equal(res.status, 403, l);
    assert.match((await json(res)).message, /no longer unlocks this photo/);
  }
});

test('a sold photo link without its order, or with another grant, is refused; the grant is covered by the signature', async () => {
  const ids = shop.imageIds.slice(2, 3);
  const c = await created(await shop.order({ image_ids: ids, return_url: RETURN_URL }));
  await shop.h.call(new URL(c.order.checkout_url!).pathname, {
    method: 'POST',
    body: 'action=pay',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const dl = await shop.ext('/original-photos', {
    body: { method: 'image_ids', identifier: ids },
    headers: { 'X-Order-Token': c.download_token },
  });
  const link = new URL((await json<DownloadOriginalsData>(dl)).data.presigned_urls[0]!.url);
  assert.equal((await get(link.href)).status, 200);
  const swapped = new URL(link);
  swapped.searchParams.set('grant', 'f'.repeat(64));
  assert.equal((await get(swapped.href)).status, 403);
  const dropped = new URL(link);
  dropped.searchParams.delete('grant');
  assert.equal((await get(dropped.href)).status, 403);
  // A link signed without a grant (as for a free event) is refused for a photo of a sold event.
  const path = `/files/o/${ids[0]}`;
  const res = await shop.h.call(`${path}?${shop.h.deps.signer.sign(path)}`);
  assert.equal(res.status, 403);
  assert.match((await json(res)).message, /Originals of this event are sold/);
});
