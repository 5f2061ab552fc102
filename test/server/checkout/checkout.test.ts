import assert from 'node:assert/strict';
import { sql } from '../../support/sql.ts';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type {
  AdminOrderDetail,
  AdminOrderList,
  CheckoutInfo,
  Order,
  Plan,
  Quote,
  TransactionList,
} from '../../../core/checkout.ts';
import type { DownloadOriginalsData } from '../../../core/index.ts';
import { json } from '../../support/harness.ts';
import { created, openShop, RETURN_URL, standardPlans, unzip, type Shop } from './support.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('checkout with the test gateway', () => {
  let shop: Shop;
  before(async () => {
    // Face search on: "all my photos" by a selfie search's request_id reads the stored searches through it.
    shop = await openShop({ faces: true });
  });
  after(() => shop.h.close());

  test('plans: created with a secret key, validated, one currency per event; publishable keys refused', async () => {
    const asPublic = await shop.admin('/plans', { key: shop.demo.publishable_key });
    assert.equal(asPublic.status, 403);
    const noQty = await shop.admin('/plans', { body: { name: 'Bundle', kind: 'bundle', price: 1000, currency: 'EUR' } });
    assert.equal(noQty.status, 422);
    assert.match((await json(noQty)).message, /quantity: a bundle needs quantity/);
    const float = await shop.admin('/plans', { body: { name: 'One', kind: 'single', price: 4.5, currency: 'EUR' } });
    assert.equal(float.status, 422);
    assert.match((await json(float)).message, /price: must be a whole number of minor units/);
    // Checkout cannot be switched on before a plan is published.
    const early = await shop.admin('/checkout', { method: 'PATCH', body: { gateway: 'test', enabled: true } });
    assert.equal(early.status, 409);
    const stripe = await shop.admin('/checkout', { method: 'PATCH', body: { gateway: 'stripe' } });
    assert.equal(stripe.status, 409, 'Stripe is not offered without its env configuration');

    await standardPlans(shop);
    const usd = await shop.admin('/plans', { body: { name: 'Dollar photo', kind: 'single', price: 500, currency: 'USD' } });
    assert.equal(usd.status, 409);
    const list = await json<{ plans: Plan[] }>(await shop.admin('/plans'));
    assert.deepEqual(
      list.data.plans.map((p) => [p.kind, p.quantity, p.price, p.currency, p.tax_inclusive, p.status]),
      [
        ['single', 1, 400, 'EUR', true, 'published'],
        ['bundle', 5, 1500, 'EUR', true, 'published'],
        ['all', null, 1900, 'EUR', true, 'published'],
      ],
    );
    const info = await json<CheckoutInfo>(await shop.ext('/checkout'));
    assert.equal(info.data.enabled, true);
    assert.equal(info.data.gateway, 'test');
    assert.equal(info.data.plans.length, 3);
  });

  test('the server prices a selection: cheapest mix of singles and bundles; "all" only for a BIB', async () => {
    const quote = async (body: unknown) => json<Quote>(await shop.ext('/checkout/quote', { body }));
    const three = await quote({ image_ids: shop.imageIds.slice(0, 3) });
    assert.equal(three.data.amount, 1200);
    assert.deepEqual(
      three.data.lines.map((l) => [l.kind, l.quantity]),
      [['single', 3]],
    );
    const four = await quote({ image_ids: shop.imageIds.slice(0, 4) });
    assert.equal(four.data.amount, 1500, 'a bundle of 5 is cheaper than 4 singles');
    const six = await quote({ image_ids: shop.imageIds.slice(0, 6) });
    assert.equal(six.data.amount, 1900);
    assert.deepEqual(
      six.data.lines.map((l) => [l.kind, l.quantity]),
      [
        ['bundle', 1],
        ['single', 1],
      ],
    );
    const runner = (await shop.h.deps.store.bibs.listForImage(shop.imageIds[0]!))[0]!.bib;
    const byBib = await quote({ bib: runner });
    assert.ok(byBib.data.image_count >= 1);
    assert.ok(byBib.data.amount <= 1900);
    const dup = await quote({ image_ids: [shop.imageIds[0], shop.imageIds[0]] });
    assert.equal(dup.data.image_count, 1, 'duplicates count once');
  });

  test('"all my photos" of a selfie search: priced, bought and downloaded by its request_id', async () => {
    // A stored selfie search (the real face store and FaceService), as POST …/faces leaves it.
    const requestId = randomUUID();
    const hits = shop.imageIds.slice(0, 4).map((image_id, i) => ({ image_id, score: 0.9 - i / 10 }));
    await shop.h.deps.store.faces.createSearch(
      { request_id: requestId, event_id: shop.demo.event_id, source: 'vector', threshold: 0.5, embedding: null },
      hits,
    );
    const quote = await json<Quote>(await shop.ext('/checkout/quote', { body: { request_id: requestId } }));
    assert.equal(quote.data.image_count, 4);
    assert.equal(quote.data.amount, 1500, 'a bundle of 5 (15.00) is cheaper than "all" (19.00) for 4 photos');
    const unknown = await shop.ext('/checkout/quote', { body: { request_id: randomUUID() } });
    assert.equal(unknown.status, 404);

    const c = await created(await shop.order({ request_id: requestId, expected_amount: 1500, return_url: RETURN_URL }));
    assert.deepEqual(c.order.selection, { kind: 'selfie', value: requestId });
    assert.deepEqual(c.order.image_ids, shop.imageIds.slice(0, 4));
    const pay = await shop.h.call(new URL(c.order.checkout_url!).pathname, {
      method: 'POST',
      body: 'action=pay',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(pay.status, 303);
    const dl = await json<DownloadOriginalsData>(
      await shop.ext('/original-photos', {
        body: { method: 'selfie', identifier: requestId },
        headers: { 'X-Order-Token': c.download_token },
      }),
    );
    assert.equal(dl.data.successful_count, 4);
    assert.equal((await shop.admin(`/orders/${c.order.order_id}/refund`, { method: 'POST' })).status, 200);
  });

  test('a tampered price, a price field, a photo of another event, a missing Idempotency-Key are refused; nothing is created', async () => {
    const before = (await shop.h.deps.store.checkout.listOrders(shop.demo.event_id, {}, { offset: 0, limit: 100 })).total;
    const ids = shop.imageIds.slice(0, 3);
    const tampered = await shop.order({ image_ids: ids, expected_amount: 1, expected_currency: 'EUR', return_url: RETURN_URL });
    assert.equal(tampered.status, 409);
    assert.match((await json(tampered)).message, /Price mismatch: this selection costs 1200 EUR/);
    const priceField = await shop.order({ image_ids: ids, amount: 1, return_url: RETURN_URL });
    assert.equal(priceField.status, 422, 'there is no field to set a price');
    const foreign = await shop.order({ image_ids: [ids[0], shop.foreignImageId], return_url: RETURN_URL });
    assert.equal(foreign.status, 400);
    assert.match((await json(foreign)).message, new RegExp(`Not photos of this event: ${shop.foreignImageId}`));
    const noKey = await shop.h.call(`/api/v1/ext/${shop.demo.org_id}/event/${shop.demo.event_id}/checkout/orders`, {
      key: shop.demo.publishable_key,
      body: { image_ids: ids, return_url: RETURN_URL },
    });
    assert.equal(noKey.status, 400);
    assert.match((await json(noKey)).message, /Idempotency-Key/);
    const ftp = await shop.order({ image_ids: ids, return_url: 'ftp://runner.example/' });
    assert.equal(ftp.status, 422);
    const after = (await shop.h.deps.store.checkout.listOrders(shop.demo.event_id, {}, { offset: 0, limit: 100 })).total;
    assert.equal(after, before);
  });

  test('a double click (same Idempotency-Key) makes one order with one token; the key cannot be reused for another order', async () => {
    const body = { image_ids: shop.imageIds.slice(0, 2), expected_amount: 800, expected_currency: 'EUR', return_url: RETURN_URL };
    const [a, b] = await Promise.all([shop.order(body, 'double-click-key-1'), shop.order(body, 'double-click-key-1')]);
    const [ca, cb] = [await created(a), await created(b)];
    assert.equal(ca.order.order_id, cb.order.order_id);
    assert.equal(ca.download_token, cb.download_token);
    assert.equal(ca.order.checkout_url, cb.order.checkout_url);
    const again = await created(await shop.order(body, 'double-click-key-1'));
    assert.equal(again.download_token, ca.download_token);
    const rows = await shop.h.deps.store.checkout.listOrders(shop.demo.event_id, {}, { offset: 0, limit: 100 });
    assert.equal(rows.items.filter((o) => o.id === ca.order.order_id).length, 1);
    // The token is stored only as a hash.
    const raw = await sql(shop.h.deps.store).get('SELECT * FROM orders WHERE id = ?', ca.order.order_id);
    assert.ok(!JSON.stringify(raw).includes(ca.download_token));
    const reused = await shop.order(
      { ...body, image_ids: shop.imageIds.slice(0, 1), expected_amount: 400 },
      'double-click-key-1',
    );
    assert.equal(reused.status, 409);
  });

  test('pay on the hosted test page → paid; the token unlocks exactly the bought originals, the ZIP and the receipt', async () => {
    const ids = shop.imageIds.slice(1, 4);
    const c = await created(await shop.order({ image_ids: ids, expected_amount: 1200, return_url: RETURN_URL }));
    assert.equal(c.order.status, 'pending');
    assert.match(c.order.checkout_url!, /^http:\/\/127\.0\.0\.1\/pay\/test\/pft_/);
    const headers = { 'X-Order-Token': c.download_token, 'Content-Type': 'application/json' };

    // Nothing is unlocked before the payment.
    const early = await shop.ext('/original-photos', { body: { method: 'image_ids', identifier: ids }, headers });
    assert.equal(early.status, 403);

    const payPath = new URL(c.order.checkout_url!).pathname;
    const page = await shop.h.call(payPath);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /name="action" value="pay">Pay €12\.00</);
    assert.match(html, /value="fail"/);
    assert.match(html, /value="cancel"/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);

    const form = new URLSearchParams({ action: 'pay' }).toString();
    const post = () =>
      shop.h.call(payPath, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const paid = await post();
    assert.equal(paid.status, 303);
    const back = new URL(paid.headers.get('location')!);
    assert.equal(back.origin + back.pathname, 'https://runner.example/photos');
    assert.equal(back.searchParams.get('lang'), 'en');
    assert.equal(back.searchParams.get('pf_order'), c.order.order_id);
    assert.equal(back.searchParams.get('pf_checkout'), 'success');
    assert.equal((await post()).status, 303, 'a double submit is harmless');

    const view = await json<Order>(await shop.ext(`/checkout/orders/${c.order.order_id}`, { headers }));
    assert.equal(view.data.status, 'paid');
    assert.ok(view.data.paid_at);
    assert.equal(view.data.checkout_url, null);
    assert.deepEqual(view.data.image_ids, ids);
    assert.match(view.data.zip_url!, /\/orders\/.+\/photos\.zip\?exp=\d+&kid=.+&sig=/);

    // The download endpoint honours the token, for these photos only.
    const dl = await json<DownloadOriginalsData>(
      await shop.ext('/original-photos', { body: { method: 'image_ids', identifier: [...ids, shop.imageIds[0]] }, headers }),
    );
    assert.equal(dl.data.successful_count, 3);
    assert.deepEqual(
      dl.data.failed_urls.map((f) => f.image_id),
      [shop.imageIds[0]],
    );
    const one = await shop.h.call(
      new URL(dl.data.presigned_urls[0]!.url).pathname + new URL(dl.data.presigned_urls[0]!.url).search,
    );
    assert.equal(one.status, 200);

    // The ZIP: every bought original, byte for byte.
    const zipUrl = new URL(view.data.zip_url!);
    const zipRes = await shop.h.call(zipUrl.pathname + zipUrl.search);
    assert.equal(zipRes.status, 200);
    assert.equal(zipRes.headers.get('content-type'), 'application/zip');
    assert.match(zipRes.headers.get('content-disposition')!, /attachment; filename="photos-PF-[0-9A-F]{8}\.zip"/);
    const zipBuf = Buffer.from(await zipRes.arrayBuffer());
    assert.equal(Number(zipRes.headers.get('content-length')), zipBuf.length, 'Content-Length is exact');
    const files = await unzip(zipBuf);
    const originals = await shop.h.deps.store.images.getMany(shop.demo.event_id, ids);
    assert.equal(files.size, 3);
    for (const img of originals) assert.equal(sha(files.get(img.original_name)!), img.content_hash, img.original_name);
    const tamperedZip = await shop.h.call(zipUrl.pathname + zipUrl.search.replace(/sig=./, 'sig=A'));
    assert.equal(tamperedZip.status, 403);

    // Receipt: with the token only.
    const receipt = await shop.h.call(new URL(c.receipt_url).pathname + new URL(c.receipt_url).search);
    assert.equal(receipt.status, 200);
    const rhtml = await receipt.text();
    assert.match(rhtml, /Paid on/);
    assert.match(rhtml, /Download all \(ZIP, 3 photos\)/);
    // Each photo link names its order (checked again on use: a refund relocks it).
    assert.equal((rhtml.match(/\/files\/o\/[0-9a-f-]{36}\?grant=[0-9a-f]{64}&amp;exp=/g) ?? []).length, 3);
    const wrong = await shop.h.call(`/orders/${c.order.order_id}/receipt?token=pfo_wrong`);
    assert.equal(wrong.status, 404);

    // Another order's token or a wrong token does not open this order.
    const notMine = await shop.ext(`/checkout/orders/${c.order.order_id}`, { headers: { 'X-Order-Token': 'pfo_nope' } });
    assert.equal(notMine.status, 403);
    assert.equal((await shop.ext(`/checkout/orders/${c.order.order_id}`)).status, 401);

    // Every change is recorded with time and source, the double submit once.
    const detail = await json<AdminOrderDetail>(await shop.admin(`/orders/${c.order.order_id}`));
    const changes = detail.data.events.map((e) => [e.type, e.to_status, e.source]);
    assert.deepEqual(changes, [
      ['created', 'pending', `api:key ${(await shop.h.deps.store.keys.findByHash(hashOf(shop.demo.publishable_key)))!.id}`],
      ['session', null, changes[1]![2]],
      ['status', 'paid', 'test-gateway'],
    ]);
    assert.ok(detail.data.events.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.at)));
  });

  test('cancel → abandoned and fail → failed, nothing unlocked; a refund relocks a paid order', async () => {
    const settle = async (action: string) => {
      const c = await created(await shop.order({ image_ids: shop.imageIds.slice(0, 1), return_url: RETURN_URL }));
      const res = await shop.h.call(new URL(c.order.checkout_url!).pathname, {
        method: 'POST',
        body: `action=${action}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 303);
      return { c, back: new URL(res.headers.get('location')!) };
    };
    const cancelled = await settle('cancel');
    assert.equal(cancelled.back.searchParams.get('pf_checkout'), 'cancel');
    assert.equal((await shop.h.deps.store.checkout.getOrder(cancelled.c.order.order_id))!.status, 'abandoned');
    const failed = await settle('fail');
    assert.equal((await shop.h.deps.store.checkout.getOrder(failed.c.order.order_id))!.status, 'failed');
    const dl = await shop.ext('/original-photos', {
      body: { method: 'image_ids', identifier: shop.imageIds.slice(0, 1) },
      headers: { 'X-Order-Token': failed.c.download_token },
    });
    assert.equal(dl.status, 403);

    const paid = await settle('pay');
    const headers = { 'X-Order-Token': paid.c.download_token };
    const view = await json<Order>(await shop.ext(`/checkout/orders/${paid.c.order.order_id}`, { headers }));
    assert.equal(view.data.status, 'paid');
    const refund = await shop.admin(`/orders/${paid.c.order.order_id}/refund`, { method: 'POST' });
    assert.equal(refund.status, 200);
    assert.equal((await json<AdminOrderDetail>(refund)).data.status, 'refunded');
    const again = await shop.admin(`/orders/${paid.c.order.order_id}/refund`, { method: 'POST' });
    assert.equal(again.status, 409);
    const relocked = await shop.ext('/original-photos', {
      body: { method: 'image_ids', identifier: shop.imageIds.slice(0, 1) },
      headers,
    });
    assert.equal(relocked.status, 403);
    const zip = new URL(view.data.zip_url!);
    assert.equal((await shop.h.call(zip.pathname + zip.search)).status, 403, 'a ZIP link made before the refund no longer works');
  });

  test('admin: orders with totals per event, and the transactions', async () => {
    const list = await json<AdminOrderList>(await shop.admin('/orders?page_size=100'));
    const t = list.data.totals;
    assert.equal(t.orders, list.data.orders.length);
    assert.equal(t.by_status.paid, 1);
    assert.equal(t.by_status.refunded, 2);
    assert.equal(t.by_status.failed, 1);
    assert.equal(t.by_status.abandoned, 1);
    assert.deepEqual(t.money, [
      { currency: 'EUR', gross: 3100, refunded: 1900, net: 1200, paid_orders: 3, average_order_value: 1033 },
    ]);
    const paidOnly = await json<AdminOrderList>(await shop.admin('/orders?status=paid'));
    assert.deepEqual(
      paidOnly.data.orders.map((o) => o.status),
      ['paid'],
    );
    const tx = await json<TransactionList>(await shop.admin('/transactions'));
    assert.deepEqual(
      tx.data.transactions.map((x) => [x.kind, x.amount]),
      [
        ['refund', 400],
        ['payment', 400],
        ['payment', 1200],
        ['refund', 1500],
        ['payment', 1500],
      ],
    );
    assert.equal((await shop.admin('/orders?status=lost')).status, 422);
  });

  test('a test payment page expires after a day: the order is abandoned, paying is refused', async () => {
    const c = await created(await shop.order({ image_ids: shop.imageIds.slice(0, 1), return_url: RETURN_URL }));
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000).toISOString();
    await sql(shop.h.deps.store).run('UPDATE orders SET created_at = ? WHERE id = ?', twoDaysAgo, c.order.order_id);
    const path = new URL(c.order.checkout_url!).pathname;
    const pay = await shop.h.call(path, {
      method: 'POST',
      body: 'action=pay',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(pay.status, 410);
    assert.equal((await shop.h.deps.store.checkout.getOrder(c.order.order_id))!.status, 'abandoned');
    const page = await (await shop.h.call(path)).text();
    assert.match(page, /This order is abandoned/);
    assert.doesNotMatch(page, /value="pay"/);
  });

  test('a free event sells nothing; an order for it is refused', async () => {
    await shop.h.deps.store.events.update(shop.demo.event_id, { free_downloads: true });
    try {
      const res = await shop.order({ image_ids: shop.imageIds.slice(0, 1), return_url: RETURN_URL });
      assert.equal(res.status, 409);
      assert.equal((await json<CheckoutInfo>(await shop.ext('/checkout'))).data.enabled, false);
    } finally {
      await shop.h.deps.store.events.update(shop.demo.event_id, { free_downloads: false });
    }
  });

  test('archiving the last published plan switches checkout off; orders keep their price', async () => {
    const { data } = await json<{ plans: Plan[] }>(await shop.admin('/plans'));
    for (const p of data.plans) assert.equal((await shop.admin(`/plans/${p.plan_id}`, { method: 'DELETE' })).status, 200);
    const settings = await json<{ enabled: boolean }>(await shop.admin('/checkout'));
    assert.equal(settings.data.enabled, false);
    assert.equal((await shop.order({ image_ids: shop.imageIds.slice(0, 1), return_url: RETURN_URL })).status, 409);
    const orders = await json<AdminOrderList>(await shop.admin('/orders?status=paid'));
    assert.equal(orders.data.orders[0]!.amount, 1200);
    // The old /event/{id} admin prefix still answers, marked deprecated, pointing at its successor.
    const alias = await shop.h.call(`/api/v1/admin/${shop.demo.org_id}/event/${shop.demo.event_id}/plans`, {
      key: shop.demo.secret_key,
    });
    assert.equal(alias.status, 200);
    assert.equal(alias.headers.get('deprecation'), 'true');
    assert.match(alias.headers.get('link') ?? '', new RegExp(`/events/${shop.demo.event_id}/plans>; rel="successor-version"`));
    assert.ok((await json<{ plans: Plan[] }>(alias)).data.plans.every((p) => p.status === 'archived'));
  });
});

function hashOf(key: string) {
  return createHash('sha256').update(key).digest('hex');
}
