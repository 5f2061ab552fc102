// Credits, plans and billing over real HTTP and a real SQLite file: plan gating names the plan, purchases through the
// test gateway credit once however often the pay page is submitted, invoices are numbered without gaps, the operator
// grants and refunds (Refund rows), waiting photos resume and become searchable, month boundaries follow the
// organisation's time zone, and bad input is a 4xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionInfo } from '../../../core/api/auth.ts';
import { BillingRequest } from '../../../core/api/credits.ts';
import type {
  BillingDetails,
  CreditsSummary,
  LedgerWrite,
  MonthlyUsage,
  Payment,
  PaymentList,
  PurchaseOptions,
  PurchaseStarted,
  TransactionList,
  WaitingPhotoList,
} from '../../../core/api/credits.ts';
import { ingestBatch, type BatchSource } from '../../../server/ingest/batch.ts';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createConsoleWorld, PASSWORD, type Browser, type ConsoleWorld } from '../console/support.ts';
import { makeJpeg } from '../helpers/photos.ts';

const BILLING = {
  company: 'Timing Co',
  email: 'billing@timing.example',
  address: { line1: '1 Finish Line', city: 'Lyon', postal_code: '69001', country: 'fr' },
  tax_id: 'FR123',
};

describe('credits API', () => {
  let w: ConsoleWorld;
  let owner: Browser;
  let operator: Browser;
  let orgId: number;
  const api = (path: string) => `/api/v1/admin/${orgId}${path}`;

  before(async () => {
    w = await createConsoleWorld();
    orgId = w.orgId;
    owner = w.browser();
    assert.equal((await owner.login(w.users.owner.email)).status, 200);
    const u = await w.h.deps.store.auth.createUser({
      email: 'op@server.example',
      name: 'Olga Operator',
      password_hash: await hashPassword(PASSWORD),
    });
    await w.h.deps.store.credits.addOperator(u.id);
    operator = w.browser();
    const s = await operator.login('op@server.example');
    assert.equal(s.status, 200);
    assert.equal((s.body.data as SessionInfo).operator, true);
  });
  after(() => w.close());

  const setPlan = async (body: Record<string, unknown>, org = orgId) => {
    const r = await operator.json(`/api/v1/operator/orgs/${org}/plan`, { method: 'PATCH', json: body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r;
  };

  test('the default plan is unlimited: nothing metered, every product unlocked', async () => {
    const r = await owner.json<CreditsSummary>(api('/credits'));
    assert.equal(r.status, 200);
    assert.equal(r.body.data.plan, 'unlimited');
    assert.equal(r.body.data.metered, false);
    assert.equal(r.body.data.balance, 0);
    assert.equal(r.body.data.cost_per_credit, null);
    assert.ok(r.body.data.products.every((p) => p.unlocked));
    assert.equal((await owner.json(api(`/events/${w.event.id}/certificates/template`))).status !== 403, true);
    const owners = await owner.json<SessionInfo>('/api/v1/auth/session');
    assert.equal(owners.body.data.operator, false);
  });

  test('gating: a product the plan lacks is 403 naming the plan that unlocks it', async () => {
    await setPlan({ plan: 'payg' });
    const cert = await owner.json(api(`/events/${w.event.id}/certificates/template`));
    assert.equal(cert.status, 403);
    assert.match(cert.body.message, /Certify is not included in the Pay As You Go plan: upgrade to Pro/);
    const plans = await owner.json(api(`/events/${w.event.id}/plans`));
    assert.equal(plans.status, 403);
    assert.match(plans.body.message, /Checkout .*upgrade to Enterprise/);
    const videos = await w.h.call(api(`/events/${w.event.id}/videos`), { key: w.secret });
    assert.equal(videos.status, 403);
    assert.match((await videos.json()).message, /Video .*Pro/);
    const secretKey = await owner.json(api('/keys'), { method: 'POST', json: { kind: 'secret' } });
    assert.equal(secretKey.status, 403);
    assert.match(secretKey.body.message, /API keys \(Developer Zone\) .*Enterprise/);
    const publishable = await owner.json(api('/keys'), { method: 'POST', json: { kind: 'publishable' } });
    assert.equal(publishable.status, 201, 'publishable keys (embedding) are on every plan');
    const pk = (publishable.body.data as { key: string }).key;
    const extCheckout = await w.h.call(`/api/v1/ext/${orgId}/event/${w.event.id}/checkout`, { key: pk });
    assert.equal(extCheckout.status, 403);
    assert.match((await extCheckout.json()).message, /Enterprise/);
    const summary = await owner.json<CreditsSummary>(api('/credits'));
    assert.deepEqual(
      summary.body.data.products.filter((p) => p.unlocked).map((p) => p.product),
      [],
    );

    await setPlan({ plan: 'pro', expires: '2099-12-31' });
    assert.notEqual((await owner.json(api(`/events/${w.event.id}/certificates/template`))).status, 403);
    const stillLocked = await owner.json(api(`/events/${w.event.id}/plans`));
    assert.equal(stillLocked.status, 403);
    assert.match(stillLocked.body.message, /not included in the Pro plan: upgrade to Enterprise/);
    // An expired Pro unlocks no more than Pay As You Go.
    await setPlan({ expires: '2020-01-31' });
    const expired = await owner.json<CreditsSummary>(api('/credits'));
    assert.equal(expired.body.data.subscription.badge?.label, 'Expired');
    assert.equal((await owner.json(api(`/events/${w.event.id}/certificates/template`))).status, 403);
    await setPlan({ plan: 'enterprise', expires: null });
    assert.notEqual((await owner.json(api(`/events/${w.event.id}/plans`))).status, 403);
    await setPlan({ plan: 'payg' });
  });

  test('Trial: the events are private to publishable keys, and the first Trial brings its Free Credits once', async () => {
    const org = await w.h.deps.store.orgs.create('Trial Runners');
    const ev = await w.h.deps.store.events.create(org.id, { name: 'Trial 10K' });
    const pk = (await createApiKey(w.h.deps.store, org.id, { kind: 'publishable', label: 'site' })).key;
    const sk = (await createApiKey(w.h.deps.store, org.id, { kind: 'secret', label: 'own' })).key;
    const details = (key: string) => w.h.call(`/api/v1/ext/${org.id}/event/${ev.id}/details`, { key });
    const listed = async (key: string) =>
      ((await (await w.h.call(`/api/v1/ext/${org.id}/events`, { key })).json()) as { data: { events: unknown[] } }).data.events
        .length;
    assert.equal((await details(pk)).status, 200, 'unlimited: public');
    assert.equal(await listed(pk), 1);

    await setPlan({ plan: 'trial' }, org.id);
    const hidden = await details(pk);
    assert.equal(hidden.status, 404);
    assert.match(((await hidden.json()) as { message: string }).message, new RegExp(`Event ${ev.id} not found`));
    assert.equal((await w.h.call(`/api/v1/ext/${org.id}/event/${ev.id}/images`, { key: pk })).status, 404);
    assert.equal(await listed(pk), 0);
    assert.equal((await details(sk)).status, 200, "the organiser's own secret key still reads it");
    assert.equal(await listed(sk), 1);
    const free = async () =>
      (await w.h.deps.store.credits.transactions(org.id, { type: 'free_credits' }, { offset: 0, limit: 10 })).items;
    assert.deepEqual(
      (await free()).map((t) => [t.delta, t.note]),
      [[500, 'Trial']],
    );
    assert.equal(await w.h.deps.store.credits.balance(org.id), 500);

    // Back and forth: the Trial's credits come once per organisation.
    await setPlan({ plan: 'payg' }, org.id);
    assert.equal((await details(pk)).status, 200, 'Pay As You Go: public again');
    await setPlan({ plan: 'trial' }, org.id);
    assert.equal((await free()).length, 1);
    assert.equal(await w.h.deps.store.credits.balance(org.id), 500);
    await setPlan({ plan: 'payg' }, org.id);
  });

  test('buy 1,000 credits through the test gateway: credited once however often the pay page is submitted', async () => {
    const opts = await owner.json<PurchaseOptions>(api('/payments/options'));
    assert.equal(opts.body.data.min_credits, 1000);
    assert.equal(opts.body.data.pro.offered, true);
    assert.deepEqual(opts.body.data.price_per_credit, { amount: 2, currency: 'USD' });

    const few = await owner.json(api('/payments'), {
      method: 'POST',
      json: { kind: 'credits', credits: 999, accept_refund_policy: true },
    });
    assert.equal(few.status, 422);
    assert.match(few.body.message, /at least 1,000/);
    const noPolicy = await owner.json(api('/payments'), { method: 'POST', json: { kind: 'credits', credits: 1000 } });
    assert.equal(noPolicy.status, 422);
    assert.match(noPolicy.body.message, /accept_refund_policy/);

    const before = (await owner.json<CreditsSummary>(api('/credits'))).body.data.balance;
    const start = await owner.json<PurchaseStarted>(api('/payments'), {
      method: 'POST',
      json: { kind: 'credits', credits: 1000, accept_refund_policy: true, return_url: `${w.base}/console/#/credits` },
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { payment, pay_url } = start.body.data;
    assert.equal(payment.status, 'pending');
    assert.equal(payment.amount, 2000);
    assert.equal(payment.credits, 1000);
    const page = await fetch(pay_url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Pay \$20\.00/);

    const pay = () =>
      fetch(pay_url, {
        method: 'POST',
        body: new URLSearchParams({ action: 'pay' }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
    const first = await pay();
    assert.equal(first.status, 303);
    const back = new URL(first.headers.get('location')!);
    assert.equal(back.searchParams.get('pf_checkout'), 'success');
    assert.equal(back.searchParams.get('pf_payment'), payment.payment_id);
    await Promise.all([pay(), pay(), pay()]);
    const after = await owner.json<CreditsSummary>(api('/credits'));
    assert.equal(after.body.data.balance, before + 1000);
    const purchases = await owner.json<TransactionList>(api('/credits/transactions?type=purchase'));
    assert.equal(purchases.body.data.transactions.filter((t) => t.payment_id === payment.payment_id).length, 1);
    const row = purchases.body.data.transactions[0]!;
    assert.equal(row.type_label, 'Purchase');
    assert.equal(row.delta, 1000);
    assert.equal(row.actor, 'owner');

    const done = await owner.json<Payment>(api(`/payments/${payment.payment_id}`));
    assert.equal(done.body.data.status_label, 'Completed');
    // No billing details yet: the invoice waits, and says why.
    assert.equal(done.body.data.invoice, null);
    assert.match(done.body.data.invoice_error ?? '', /Billing details are missing/);
    const noBilling = await owner.json(api(`/payments/${payment.payment_id}/invoice`), { method: 'POST' });
    assert.equal(noBilling.status, 409);

    const billing = await owner.json<BillingDetails>(api('/billing'), { method: 'PUT', json: BILLING });
    assert.equal(billing.status, 200);
    assert.equal(billing.body.data.address?.country, 'FR');
    assert.equal(billing.body.data.complete, true);
    const issued = await owner.json<Payment>(api(`/payments/${payment.payment_id}/invoice`), { method: 'POST' });
    assert.equal(issued.status, 200);
    assert.match(issued.body.data.invoice!.number, /^INV-\d{6}$/);
    assert.equal(issued.body.data.invoice_error, null);
    const pdf = await owner.fetch(issued.body.data.invoice!.url);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.headers.get('content-disposition')!, /INV-\d{6}\.pdf/);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const year = new Date().getUTCFullYear();
    const zip = await owner.fetch(api(`/invoices/${year}.zip`));
    assert.equal(zip.status, 200);
    assert.equal(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
      'PK',
    );
    assert.equal((await owner.json(api(`/invoices/1999.zip`))).status, 404);

    const list = await owner.json<PaymentList>(api('/payments'));
    assert.equal(list.body.data.payments[0]!.payment_id, payment.payment_id);
    const recheck = await owner.json(api(`/payments/${payment.payment_id}/recheck`), { method: 'POST' });
    assert.equal(recheck.status, 409, 'a completed payment is not rechecked');
  });

  test('Pro Subscription: 365 days and its included credits; a custom payment adds no credits; a failed payment nothing', async () => {
    const pro = await owner.json<PurchaseStarted>(api('/payments'), {
      method: 'POST',
      json: { kind: 'pro_subscription', credits: 0, accept_refund_policy: true },
    });
    assert.equal(pro.status, 201, JSON.stringify(pro.body));
    assert.equal(pro.body.data.payment.pro_days, 365);
    const balance = (await owner.json<CreditsSummary>(api('/credits'))).body.data.balance;
    const submit = (url: string, action: string) =>
      fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ action }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
    assert.equal((await submit(pro.body.data.pay_url, 'pay')).status, 303);
    const s = (await owner.json<CreditsSummary>(api('/credits'))).body.data;
    assert.equal(s.plan, 'pro');
    assert.equal(s.balance, balance + pro.body.data.payment.credits);
    assert.equal(s.subscription.badge?.kind, 'remaining');
    assert.ok(s.subscription.badge!.days >= 364 && s.subscription.badge!.days <= 366);
    assert.match(s.subscription.badge!.label, /^\d+ days remaining$/);
    const again = await owner.json(api('/payments'), {
      method: 'POST',
      json: { kind: 'pro_subscription', accept_refund_policy: true },
    });
    assert.equal(again.status, 409, 'Pro is not offered while subscribed');

    const custom = await owner.json<PurchaseStarted>(api('/payments'), {
      method: 'POST',
      json: { kind: 'custom', amount: 12345, description: 'Onboarding', accept_refund_policy: true },
    });
    assert.equal(custom.status, 201);
    assert.equal((await submit(custom.body.data.pay_url, 'pay')).status, 303);
    assert.equal((await owner.json<CreditsSummary>(api('/credits'))).body.data.balance, s.balance);

    const failing = await owner.json<PurchaseStarted>(api('/payments'), {
      method: 'POST',
      json: { kind: 'credits', credits: 5, accept_refund_policy: true },
    });
    assert.equal((await submit(failing.body.data.pay_url, 'fail')).status, 303);
    const failed = await owner.json<Payment>(api(`/payments/${failing.body.data.payment.payment_id}`));
    assert.equal(failed.body.data.status_label, 'Failed');
    assert.equal(
      (await owner.json<CreditsSummary>(api('/credits'))).body.data.balance,
      s.balance,
      'a failed payment adds nothing',
    );
    // The money arriving after all (a retried card) completes it, and credits it once.
    assert.equal((await submit(failing.body.data.pay_url, 'pay')).status, 303);
    assert.equal((await submit(failing.body.data.pay_url, 'pay')).status, 303);
    assert.equal((await owner.json<CreditsSummary>(api('/credits'))).body.data.balance, s.balance + 5);
  });

  test('invoice numbers have no gaps, also when issued at once and when one attempt fails', async () => {
    const other = await w.h.deps.store.orgs.create('Second org');
    await w.h.deps.credits.setPlan(other.id, { plan: 'payg' });
    const payments: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await w.h.deps.credits.startPurchase(other.id, null, { kind: 'credits', credits: 1000 }, w.base);
      const row = (await w.h.deps.store.credits.getPayment(p.payment.payment_id))!;
      await w.h.deps.credits.testAction(row, 'pay');
      payments.push(p.payment.payment_id);
    }
    // No billing details: every attempt fails and takes no number.
    for (const id of payments)
      await assert.rejects(w.h.deps.credits.generateInvoice(other.id, id), /Billing details are missing/);
    await w.h.deps.credits.putBilling(other.id, BillingRequest.parse(BILLING));
    const issued = await Promise.all(payments.map((id) => w.h.deps.credits.generateInvoice(other.id, id)));
    assert.equal(new Set(issued.map((p) => p.invoice!.number)).size, payments.length);
    // Every invoice of the server (both organisations): one sequence, 1..n.
    const numbers = (
      await Promise.all(
        [orgId, other.id].map(async (o) => (await w.h.deps.credits.payments(o, { page: 1, page_size: 100 })).payments),
      )
    )
      .flat()
      .flatMap((p) => (p.invoice ? [Number(p.invoice.number.slice(4))] : []))
      .sort((a, b) => a - b);
    assert.ok(numbers.length >= payments.length + 1);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
      `invoice numbers are 1..n without gaps: ${numbers.join(',')}`,
    );
    // Generating again keeps the number.
    const again = await w.h.deps.credits.generateInvoice(other.id, payments[0]!);
    assert.equal(again.invoice!.number, issued[0]!.invoice!.number);
  });

  test('operator: grant and refund write Admin Grant and Refund rows; others get 403; bad input is 4xx', async () => {
    const base = `/api/v1/operator/orgs/${orgId}`;
    const balance = (await owner.json<CreditsSummary>(api('/credits'))).body.data.balance;
    const grant = await operator.json<LedgerWrite>(`${base}/credits`, {
      method: 'POST',
      json: { credits: 50, type: 'free_credits', note: 'welcome' },
    });
    assert.equal(grant.status, 201);
    assert.equal(grant.body.data.transaction.type_label, 'Free Credits');
    assert.equal(grant.body.data.balance, balance + 50);
    const refund = await operator.json<LedgerWrite>(`${base}/refunds`, {
      method: 'POST',
      json: { credits: 20, note: 'goodwill' },
    });
    assert.equal(refund.status, 201);
    assert.equal(refund.body.data.transaction.type, 'refund');
    assert.equal(refund.body.data.transaction.type_label, 'Refund');
    assert.equal(refund.body.data.transaction.delta, -20);
    assert.equal(refund.body.data.transaction.actor, 'Olga Operator');
    assert.equal(refund.body.data.balance, balance + 30);
    const refunds = await owner.json<TransactionList>(api('/credits/transactions?type=refund'));
    assert.equal(refunds.body.data.transactions[0]!.transaction_id, refund.body.data.transaction.transaction_id);

    assert.equal((await operator.json(`${base}/refunds`, { method: 'POST', json: { credits: 10_000_000 } })).status, 409);
    assert.equal((await operator.json(`${base}/credits`, { method: 'POST', json: { credits: 0 } })).status, 422);
    assert.equal(
      (await operator.json(`${base}/credits`, { method: 'POST', json: { credits: 5, type: 'purchase' } })).status,
      422,
    );
    assert.equal((await operator.json(`${base}/plan`, { method: 'PATCH', json: {} })).status, 422);
    assert.equal((await operator.json(`${base}/plan`, { method: 'PATCH', json: { plan: 'gold' } })).status, 422);
    assert.equal((await operator.json(`${base}/plan`, { method: 'PATCH', json: { expires: '2026-02-30' } })).status, 422);
    assert.equal(
      (await operator.json(`/api/v1/operator/orgs/99999/credits`, { method: 'POST', json: { credits: 5 } })).status,
      404,
    );
    const noCsrf = await operator.json(`${base}/credits`, { method: 'POST', json: { credits: 5 }, csrf: false });
    assert.equal(noCsrf.status, 403);
    const notOperator = await owner.json(`${base}/credits`, { method: 'POST', json: { credits: 5 } });
    assert.equal(notOperator.status, 403);
    assert.match(notOperator.body.message, /server operators/);
    assert.equal((await w.h.call(`${base}/credits`, { method: 'POST', body: { credits: 5 } })).status, 401);
    const list = await operator.json<{ orgs: { org_id: number }[] }>('/api/v1/operator/orgs');
    assert.ok(list.body.data.orgs.some((o) => o.org_id === orgId));
  });

  test('bad input on the admin routes is 4xx in the envelope', async () => {
    assert.equal((await owner.json(api('/credits/transactions?type=bogus'))).status, 422);
    assert.equal((await owner.json(api('/credits/transactions?page_size=1000'))).status, 422);
    assert.equal((await owner.json(api('/billing'), { method: 'PUT', json: { company: 'x' } })).status, 422);
    assert.equal((await owner.json(api('/billing'), { method: 'PUT', json: { ...BILLING, time_zone: '+02:00' } })).status, 422);
    assert.equal(
      (await owner.json(api('/payments'), { method: 'POST', json: { kind: 'custom', accept_refund_policy: true } })).status,
      422,
    );
    assert.equal(
      (
        await owner.json(api('/payments'), {
          method: 'POST',
          json: { kind: 'credits', credits: 1000, accept_refund_policy: true, return_url: 'https://evil.example/' },
        })
      ).status,
      403,
    );
    assert.equal((await owner.json(api('/payments/crp_doesnotexist'))).status, 404);
    assert.equal((await owner.json(api('/payments/nope'))).status, 422);
    const viewer = w.browser();
    await viewer.login(w.users.viewer.email);
    assert.equal((await viewer.json(api('/credits'))).status, 200);
    assert.equal((await viewer.json(api('/billing'), { method: 'PUT', json: BILLING })).status, 403);
    assert.equal((await w.h.call(`/api/v1/admin/${w.foreign.orgId}/credits`, { key: w.secret })).status, 403);
    assert.equal((await fetch(`${w.base}/pay/credits/pfcr_unknown`)).status, 404);
  });

  test('month boundaries follow the organisation time zone', async () => {
    const org = await w.h.deps.store.orgs.create('Auckland org');
    await w.h.deps.credits.setPlan(org.id, { plan: 'payg', time_zone: 'America/New_York' });
    const add = (created_at: string, delta: number, type: 'usage' | 'admin_grant' = 'usage') =>
      w.h.deps.store.credits.append({
        org_id: org.id,
        type,
        delta,
        created_at,
        ...(type === 'usage' ? { usage_kind: 'event_photo_indexing' } : {}),
      });
    // 2026-12-01T03:00Z is still 30 November, 22:00, in New York; 05:00Z is 1 December, midnight.
    await add('2026-12-01T03:00:00.000Z', -3);
    await add('2026-12-01T05:00:00.000Z', -5);
    await add('2026-09-01T03:59:59.000Z', -7); // 31 August in New York: outside the four months
    await add('2026-09-01T04:00:00.000Z', -11); // 1 September, midnight EDT
    await add('2026-10-15T12:00:00.000Z', 100, 'admin_grant');
    const u = await w.h.deps.credits.monthlyUsage(org.id, Date.parse('2026-12-15T12:00:00Z'));
    assert.equal(u.time_zone, 'America/New_York');
    assert.deepEqual(
      u.months.map((m) => [m.month, m.photo_processing, m.added]),
      [
        ['2026-12', 5, 0],
        ['2026-11', 3, 0],
        ['2026-10', 0, 100],
        ['2026-09', 11, 0],
      ],
    );
    assert.equal(u.months[0]!.from, '2026-12-01T05:00:00.000Z');
    assert.equal(u.months[3]!.from, '2026-09-01T04:00:00.000Z');
    const http = await owner.json<MonthlyUsage>(api('/credits/usage/monthly'));
    assert.equal(http.status, 200);
    assert.equal(http.body.data.months.length, 4);
  });

  test('balance 0: photos are stored and waiting, hidden; a grant resumes them and they become searchable', async () => {
    const org = await w.h.deps.store.orgs.create('Waiting club');
    const event: EventRow = await w.h.deps.store.events.create(org.id, { name: 'Waiting race' });
    await w.h.deps.credits.setPlan(org.id, { plan: 'payg' });
    const pk = (await createApiKey(w.h.deps.store, org.id, { kind: 'publishable' })).key;
    const sk = (await createApiKey(w.h.deps.store, org.id, { kind: 'secret' })).key;
    const sources: BatchSource[] = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const data = await makeJpeg({ seed: 700 + i, width: 320, height: 240 });
        return { name: `w${i}.jpg`, read: async () => data };
      }),
    );
    const report = await ingestBatch(w.h.deps, event, sources, {
      sidecar: { bibs: new Map(sources.map((s, i) => [s.name, [`${40 + i}`]])), problems: [], rows: 3 },
    });
    assert.equal(report.added, 3);
    const ext = (path: string) => w.h.call(`/api/v1/ext/${org.id}/event/${event.id}${path}`, { key: pk });
    const images = async () =>
      ((await (await ext('/images')).json()) as { data: { pagination: { total: number } } }).data.pagination.total;
    assert.equal(await images(), 0, 'waiting photos are not in the public API');
    const byBib = async (bib: string) =>
      ((await (await ext(`/bibs/${bib}`)).json()) as { data: { pagination: { total: number } } }).data.pagination.total;
    assert.equal(await byBib('40'), 0, 'nor in searches');
    const waiting = await w.h.call(`/api/v1/admin/${org.id}/credits/waiting`, { key: sk });
    const wl = ((await waiting.json()) as { data: WaitingPhotoList }).data;
    assert.equal(wl.pagination.total, 3);
    assert.match(wl.photos[0]!.reason, /Waiting for credits/);
    assert.equal(
      ((await w.h.call(`/api/v1/admin/${org.id}/credits`, { key: sk }).then((r) => r.json())) as { data: CreditsSummary }).data
        .waiting_photos,
      3,
    );

    const grant = await operator.json<LedgerWrite>(`/api/v1/operator/orgs/${org.id}/credits`, {
      method: 'POST',
      json: { credits: 2 },
    });
    assert.equal(grant.body.data.resumed, 3);
    await w.h.deps.credits.idle();
    assert.equal(await images(), 2, 'two photos processed with two credits');
    assert.equal(await w.h.deps.store.credits.countWaiting(org.id), 1);
    await operator.json(`/api/v1/operator/orgs/${org.id}/credits`, { method: 'POST', json: { credits: 5 } });
    await w.h.deps.credits.idle();
    assert.equal(await images(), 3);
    for (const bib of ['40', '41', '42']) assert.equal(await byBib(bib), 1, `the sidecar bib ${bib} finds its photo`);
    assert.equal(await w.h.deps.store.credits.balance(org.id), 4);
    const usage = await w.h.deps.store.credits.transactions(org.id, { type: 'usage' }, { offset: 0, limit: 10 });
    assert.equal(usage.total, 3);
  });
});
