import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { AdminOrderDetail, GatewayName, Order } from '../../../core/checkout.ts';
import { gatewaysFor } from '../../../server/checkout/index.ts';
import { StripeGateway } from '../../../server/checkout/gateways/stripe.ts';
import { TestGateway } from '../../../server/checkout/gateways/test.ts';
import type { PaymentGateway } from '../../../server/checkout/gateways/types.ts';
import { json, testConfig } from '../../support/harness.ts';
import { created, FakeStripeApi, openShop, RETURN_URL, standardPlans, type Shop } from './support.ts';

const WEBHOOK_SECRET = 'whsec_test_photo_finish';
const SECRET_KEY = 'sk_test_photo_finish';

describe('checkout with Stripe (real SDK, Stripe API on a loopback server)', () => {
  let shop: Shop;
  let api: FakeStripeApi;
  // Only for signing test payloads, with the SDK's own helper.
  const signer = new Stripe('sk_test_unused');

  before(async () => {
    api = await new FakeStripeApi().start();
    shop = await openShop({
      gateways: new Map<GatewayName, PaymentGateway>([
        [
          'stripe',
          new StripeGateway({
            secretKey: SECRET_KEY,
            webhookSecret: WEBHOOK_SECRET,
            host: '127.0.0.1',
            port: api.port,
            protocol: 'http',
            maxNetworkRetries: 0,
          }),
        ],
        ['test', new TestGateway()],
      ]),
    });
    await standardPlans(shop, 'stripe');
  });
  after(async () => {
    await shop.h.close();
    await api.stop();
  });

  const event = (type: string, object: Record<string, unknown>, id = `evt_${Math.random().toString(36).slice(2)}`) =>
    JSON.stringify({
      id,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
    });
  const deliver = (payload: string, signature = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })) =>
    shop.h.call('/api/v1/webhooks/stripe', {
      method: 'POST',
      body: payload,
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    });
  const completed = (sessionId: string, pi: string, over: Record<string, unknown> = {}) => {
    const s = api.sessions.get(sessionId)!;
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: pi, ...over });
    return event('checkout.session.completed', { ...s });
  };
  const status = async (id: string) => (await shop.h.deps.store.checkout.getOrder(id))!.status;
  const statusChanges = async (id: string) =>
    (await shop.h.deps.store.checkout.orderEvents(id)).filter((e) => e.type === 'status').length;

  test('order creation sends the SDK request Stripe expects: amount, currency, metadata, URLs, idempotency', async () => {
    const ids = shop.imageIds.slice(0, 3);
    const c = await created(
      await shop.order({
        image_ids: ids,
        expected_amount: 1200,
        expected_currency: 'EUR',
        return_url: RETURN_URL,
        email: 'runner@example.org',
      }),
    );
    const call = api.calls.find((x) => x.method === 'POST' && x.path === '/v1/checkout/sessions')!;
    assert.ok(call, 'the SDK called POST /v1/checkout/sessions');
    assert.equal(call.headers.authorization, `Bearer ${SECRET_KEY}`);
    assert.equal(call.headers['idempotency-key'], `pf-order-${c.order.order_id}`);
    assert.match(String(call.headers['user-agent']), /^Stripe\/v1 NodeBindings\/23\.1\.0/);
    const f = call.form;
    assert.equal(f.get('mode'), 'payment');
    assert.equal(f.get('line_items[0][quantity]'), '3');
    assert.equal(f.get('line_items[0][price_data][unit_amount]'), '400');
    assert.equal(f.get('line_items[0][price_data][currency]'), 'eur');
    assert.equal(f.get('line_items[0][price_data][tax_behavior]'), 'inclusive');
    assert.match(f.get('line_items[0][price_data][product_data][name]')!, /Riverside Half Marathon 2026 — One photo/);
    assert.equal(f.get('line_items[1][quantity]'), null);
    assert.equal(f.get('metadata[order_id]'), c.order.order_id);
    assert.equal(f.get('metadata[event_id]'), String(shop.demo.event_id));
    assert.equal(f.get('payment_intent_data[metadata][order_id]'), c.order.order_id);
    assert.equal(f.get('client_reference_id'), c.order.order_id);
    assert.equal(f.get('customer_email'), 'runner@example.org');
    const success = new URL(f.get('success_url')!);
    assert.equal(success.searchParams.get('pf_order'), c.order.order_id);
    assert.equal(success.searchParams.get('pf_checkout'), 'success');
    assert.equal(new URL(f.get('cancel_url')!).searchParams.get('pf_checkout'), 'cancel');
    assert.match(c.order.checkout_url!, /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
  });

  test('a bad signature is 400 and changes nothing; a signed completion pays; a second delivery is applied once', async () => {
    const c = await created(await shop.order({ image_ids: shop.imageIds.slice(0, 2), return_url: RETURN_URL }));
    const session = (await shop.h.deps.store.checkout.getOrder(c.order.order_id))!.gateway_session!;
    const payload = completed(session, 'pi_paid_1');

    const forged = await deliver(payload, signer.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' }));
    assert.equal(forged.status, 400);
    assert.match((await json(forged)).message, /signature/i);
    const unsigned = await shop.h.call('/api/v1/webhooks/stripe', {
      method: 'POST',
      body: payload,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(unsigned.status, 400);
    const altered = await deliver(
      payload.replace('"amount_total":800', '"amount_total":1'),
      signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    );
    assert.equal(altered.status, 400, 'a body changed after signing is refused');
    assert.equal(await status(c.order.order_id), 'pending');
    const id = JSON.parse(payload).id as string;
    assert.equal(await shop.h.deps.store.checkout.hasGatewayEvent('stripe', id), false);

    const ok = await deliver(payload);
    assert.equal(ok.status, 200);
    assert.equal((await json<{ outcome: string }>(ok)).data.outcome, 'applied');
    assert.equal(await status(c.order.order_id), 'paid');
    const again = await deliver(payload);
    assert.equal(again.status, 200);
    assert.equal((await json<{ outcome: string }>(again)).data.outcome, 'duplicate');
    assert.equal(await statusChanges(c.order.order_id), 1);
    const order = (await shop.h.deps.store.checkout.getOrder(c.order.order_id))!;
    assert.equal(order.gateway_payment, 'pi_paid_1');

    const unlocked = await shop.ext('/original-photos', {
      body: { method: 'image_ids', identifier: shop.imageIds.slice(0, 2) },
      headers: { 'X-Order-Token': c.download_token },
    });
    assert.equal(unlocked.status, 200);

    // charge.refunded relocks the downloads.
    const refund = event('charge.refunded', {
      id: 'ch_1',
      object: 'charge',
      amount: 800,
      amount_refunded: 800,
      refunded: true,
      currency: 'eur',
      payment_intent: 'pi_paid_1',
      metadata: {},
    });
    assert.equal((await deliver(refund)).status, 200);
    assert.equal(await status(c.order.order_id), 'refunded');
    const relocked = await shop.ext('/original-photos', {
      body: { method: 'image_ids', identifier: shop.imageIds.slice(0, 2) },
      headers: { 'X-Order-Token': c.download_token },
    });
    assert.equal(relocked.status, 403);
  });

  test('out of order: a refund delivered before the completion wins; the late completion is logged, not unlocked', async () => {
    const c = await created(await shop.order({ image_ids: shop.imageIds.slice(2, 3), return_url: RETURN_URL }));
    const session = (await shop.h.deps.store.checkout.getOrder(c.order.order_id))!.gateway_session!;
    api.sessions.get(session)!.payment_intent = 'pi_early_refund';
    // The charge carries no order metadata: the order is found through the payment's Checkout Session.
    const refund = event('charge.refunded', {
      id: 'ch_2',
      object: 'charge',
      amount: 400,
      amount_refunded: 400,
      refunded: true,
      currency: 'eur',
      payment_intent: 'pi_early_refund',
      metadata: {},
    });
    const r = await deliver(refund);
    assert.equal(r.status, 200);
    assert.equal(await status(c.order.order_id), 'refunded');
    const lookup = api.calls.find((x) => x.method === 'GET' && x.path === '/v1/checkout/sessions');
    assert.equal(lookup?.query.get('payment_intent'), 'pi_early_refund');

    const late = await deliver(completed(session, 'pi_early_refund'));
    assert.equal(late.status, 200);
    assert.equal(await status(c.order.order_id), 'refunded');
    const log = await shop.h.deps.store.checkout.orderEvents(c.order.order_id);
    assert.match(log.at(-1)!.detail!, /payment confirmed after its refund/);
    const dl = await shop.ext('/original-photos', {
      body: { method: 'image_id', identifier: shop.imageIds[2] },
      headers: { 'X-Order-Token': c.download_token },
    });
    assert.equal(dl.status, 403);
  });

  test('a completion whose amount differs from the order is not unlocked', async () => {
    const c = await created(await shop.order({ image_ids: shop.imageIds.slice(3, 4), return_url: RETURN_URL }));
    const session = (await shop.h.deps.store.checkout.getOrder(c.order.order_id))!.gateway_session!;
    const r = await deliver(completed(session, 'pi_wrong_amount', { amount_total: 1 }));
    assert.equal(r.status, 200);
    assert.equal((await json<{ outcome: string }>(r)).data.outcome, 'mismatch');
    assert.equal(await status(c.order.order_id), 'pending');
  });

  test('recheck asks Stripe again (sessions.retrieve) and applies what it says', async () => {
    const c = await created(await shop.order({ image_ids: shop.imageIds.slice(4, 5), return_url: RETURN_URL }));
    const session = (await shop.h.deps.store.checkout.getOrder(c.order.order_id))!.gateway_session!;
    const headers = { 'X-Order-Token': c.download_token };
    const still = await json<Order>(await shop.ext(`/checkout/orders/${c.order.order_id}/recheck`, { method: 'POST', headers }));
    assert.equal(still.data.status, 'pending');
    Object.assign(api.sessions.get(session)!, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_recheck' });
    const now = await json<Order>(await shop.ext(`/checkout/orders/${c.order.order_id}/recheck`, { method: 'POST', headers }));
    assert.equal(now.data.status, 'paid');
    assert.ok(api.calls.some((x) => x.method === 'GET' && x.path === `/v1/checkout/sessions/${session}`));
    // The webhook that follows is a no-op.
    await deliver(completed(session, 'pi_recheck'));
    assert.equal(await statusChanges(c.order.order_id), 1);
  });

  test('an admin refund goes through Stripe (refunds.create, idempotent) and relocks', async () => {
    const c = await created(await shop.order({ image_ids: shop.imageIds.slice(5, 6), return_url: RETURN_URL }));
    const session = (await shop.h.deps.store.checkout.getOrder(c.order.order_id))!.gateway_session!;
    await deliver(completed(session, 'pi_admin_refund'));
    assert.equal(await status(c.order.order_id), 'paid');
    const res = await shop.admin(`/orders/${c.order.order_id}/refund`, { method: 'POST' });
    assert.equal(res.status, 200);
    const detail = await json<AdminOrderDetail>(res);
    assert.equal(detail.data.status, 'refunded');
    assert.equal(detail.data.refunded_amount, 400);
    const call = api.calls.find((x) => x.method === 'POST' && x.path === '/v1/refunds')!;
    assert.equal(call.form.get('payment_intent'), 'pi_admin_refund');
    assert.equal(call.headers['idempotency-key'], `pf-refund-${c.order.order_id}`);
    // Stripe's own charge.refunded for that refund changes nothing more.
    await deliver(
      event('charge.refunded', {
        id: 'ch_3',
        object: 'charge',
        amount: 400,
        amount_refunded: 400,
        refunded: true,
        currency: 'eur',
        payment_intent: 'pi_admin_refund',
        metadata: {},
      }),
    );
    const refunds = (await shop.h.deps.store.checkout.orderEvents(c.order.order_id)).filter(
      (e) => e.to_status === 'refunded' && e.type === 'status',
    );
    assert.equal(refunds.length, 1);
  });

  test('an expired session abandons its order; a partial refund is recorded and keeps the order paid', async () => {
    const a = await created(await shop.order({ image_ids: shop.imageIds.slice(0, 1), return_url: RETURN_URL }));
    const sa = (await shop.h.deps.store.checkout.getOrder(a.order.order_id))!.gateway_session!;
    Object.assign(api.sessions.get(sa)!, { status: 'expired' });
    assert.equal((await deliver(event('checkout.session.expired', { ...api.sessions.get(sa)! }))).status, 200);
    assert.equal(await status(a.order.order_id), 'abandoned');

    const b = await created(await shop.order({ image_ids: shop.imageIds.slice(0, 5), return_url: RETURN_URL }));
    const sb = (await shop.h.deps.store.checkout.getOrder(b.order.order_id))!.gateway_session!;
    await deliver(completed(sb, 'pi_partial'));
    const partial = {
      id: 'ch_4',
      object: 'charge',
      amount: 1500,
      amount_refunded: 500,
      refunded: false,
      currency: 'eur',
      payment_intent: 'pi_partial',
      metadata: {},
    };
    assert.equal((await deliver(event('charge.refunded', partial))).status, 200);
    const order = (await shop.h.deps.store.checkout.getOrder(b.order.order_id))!;
    assert.equal(order.status, 'paid');
    assert.equal(order.refunded_amount, 500);
    const money = (await shop.h.deps.store.checkout.orderEvents(b.order.order_id)).filter((e) => e.amount !== null);
    assert.deepEqual(
      money.map((e) => [e.type, e.amount]),
      [
        ['status', 1500],
        ['refund', 500],
      ],
    );
  });

  test('gateways from the environment: Stripe only with both secrets; the test gateway can be switched off', () => {
    const names = (env: Record<string, string>) => [...gatewaysFor(testConfig(tmpdir(), env).checkout).keys()];
    assert.deepEqual(names({}), ['test']);
    assert.deepEqual(names({ STRIPE_SECRET_KEY: SECRET_KEY }), ['test']);
    assert.deepEqual(names({ STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }), ['stripe', 'test']);
    assert.deepEqual(
      names({ STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, CHECKOUT_TEST_GATEWAY: 'off' }),
      ['stripe'],
    );
  });

  test('without Stripe configured the webhook endpoint is 404 and Stripe is not offered', async () => {
    const plain = await openShop({ photos: 1, gateways: new Map<GatewayName, PaymentGateway>([['test', new TestGateway()]]) });
    try {
      const res = await plain.h.call('/api/v1/webhooks/stripe', {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(res.status, 404);
      const s = await json<{ gateways_available: string[] }>(await plain.admin('/checkout'));
      assert.deepEqual(s.data.gateways_available, ['test']);
    } finally {
      await plain.h.close();
    }
  });
});
