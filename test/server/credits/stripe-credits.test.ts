// A credits purchase paid with Stripe (the real SDK against a loopback Stripe API): the Checkout Session carries the
// payment id, a signed webhook completes it, and however many times Stripe delivers it (the same event again, or
// another event about the same session) the ledger gets one Purchase row; a recheck asks Stripe and applies once too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { CreditsSummary, PurchaseStarted, TransactionList } from '../../../core/api/credits.ts';
import type { GatewayName } from '../../../core/checkout.ts';
import { StripeGateway } from '../../../server/checkout/gateways/stripe.ts';
import { TestGateway } from '../../../server/checkout/gateways/test.ts';
import type { PaymentGateway } from '../../../server/checkout/gateways/types.ts';
import { FakeStripeApi } from '../checkout/support.ts';
import { createConsoleWorld, type Browser, type ConsoleWorld } from '../console/support.ts';

const WEBHOOK_SECRET = 'whsec_test_credits';

describe('credits purchases through Stripe', () => {
  let w: ConsoleWorld;
  let api: FakeStripeApi;
  let owner: Browser;
  const signer = new Stripe('sk_test_unused');

  before(async () => {
    api = await new FakeStripeApi().start();
    w = await createConsoleWorld({
      gateways: new Map<GatewayName, PaymentGateway>([
        [
          'stripe',
          new StripeGateway({
            secretKey: 'sk_test_credits',
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
    await w.h.deps.credits.setPlan(w.orgId, { plan: 'payg' });
    owner = w.browser();
    await owner.login(w.users.owner.email);
  });
  after(async () => {
    await w.close();
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
  const deliver = (payload: string, secret = WEBHOOK_SECRET) =>
    fetch(`${w.base}/api/v1/webhooks/stripe`, {
      method: 'POST',
      body: payload,
      headers: {
        'Content-Type': 'application/json',
        'Stripe-Signature': signer.webhooks.generateTestHeaderString({ payload, secret }),
      },
    });
  const balance = async () => (await owner.json<CreditsSummary>(`/api/v1/admin/${w.orgId}/credits`)).body.data.balance;

  test('webhook replays credit the ledger once', async () => {
    const start = await owner.json<PurchaseStarted>(`/api/v1/admin/${w.orgId}/payments`, {
      method: 'POST',
      json: { kind: 'credits', credits: 1000, gateway: 'stripe', accept_refund_policy: true },
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { payment, pay_url } = start.body.data;
    assert.match(pay_url, /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const call = api.calls.find((c) => c.method === 'POST' && c.path === '/v1/checkout/sessions')!;
    assert.equal(call.form.get('metadata[order_id]'), payment.payment_id);
    assert.equal(call.form.get('line_items[0][price_data][unit_amount]'), '2000');
    assert.equal(new URL(call.form.get('success_url')!).searchParams.get('pf_payment'), payment.payment_id);

    const session = (await w.h.deps.store.credits.getPayment(payment.payment_id))!.gateway_session!;
    const s = api.sessions.get(session)!;
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_credits_1' });
    const before = await balance();

    const forged = await deliver(event('checkout.session.completed', { ...s }), 'whsec_wrong');
    assert.equal(forged.status, 400);
    assert.equal(await balance(), before);

    const payload = event('checkout.session.completed', { ...s });
    const first = await deliver(payload);
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { data: { outcome: string } }).data.outcome, 'applied');
    const replays = await Promise.all([deliver(payload), deliver(payload)]);
    for (const r of replays) assert.equal(((await r.json()) as { data: { outcome: string } }).data.outcome, 'duplicate');
    const other = await deliver(event('checkout.session.async_payment_succeeded', { ...s }));
    assert.equal(other.status, 200);
    assert.equal(((await other.json()) as { data: { outcome: string } }).data.outcome, 'unchanged');
    const recheck = await owner.json(`/api/v1/admin/${w.orgId}/payments/${payment.payment_id}/recheck`, { method: 'POST' });
    assert.equal(recheck.status, 409, 'completed: nothing to recheck');

    assert.equal(await balance(), before + 1000);
    const rows = await owner.json<TransactionList>(`/api/v1/admin/${w.orgId}/credits/transactions?type=purchase`);
    assert.equal(rows.body.data.transactions.filter((t) => t.payment_id === payment.payment_id).length, 1);
  });

  test('a pending Stripe payment is completed by Recheck, once', async () => {
    const start = await owner.json<PurchaseStarted>(`/api/v1/admin/${w.orgId}/payments`, {
      method: 'POST',
      json: { kind: 'credits', credits: 1500, gateway: 'stripe', accept_refund_policy: true },
    });
    const id = start.body.data.payment.payment_id;
    const session = (await w.h.deps.store.credits.getPayment(id))!.gateway_session!;
    const before = await balance();
    const pending = await owner.json<{ status: string }>(`/api/v1/admin/${w.orgId}/payments/${id}/recheck`, { method: 'POST' });
    assert.equal(pending.body.data.status, 'pending');
    Object.assign(api.sessions.get(session)!, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_credits_2' });
    const done = await owner.json<{ status: string }>(`/api/v1/admin/${w.orgId}/payments/${id}/recheck`, { method: 'POST' });
    assert.equal(done.body.data.status, 'completed');
    assert.equal(await balance(), before + 1500);
    // The webhook arriving after the recheck changes nothing.
    const late = await deliver(event('checkout.session.completed', { ...api.sessions.get(session)! }));
    assert.equal(((await late.json()) as { data: { outcome: string } }).data.outcome, 'unchanged');
    assert.equal(await balance(), before + 1500);
  });
});
