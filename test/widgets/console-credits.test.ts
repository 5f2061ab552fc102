// The console's Credits area in Chromium against the real seeded server (same origin through the wtr proxy): the
// Credits tab, Billing & Transactions, Subscription, the four-step purchase through the test gateway, the operator
// page, locked products with their upgrade path, and photos waiting for credits in the processing view. The metered
// organisation is the demo's "Demo Timing Co" (Pay As You Go), whose owner is the demo owner, also a server operator.
// Each page passes axe; errors show in place.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { AdminEvent } from '../../core/api/admin.ts';
import type {
  BillingDetails,
  CreditsSummary,
  OperatorOrg,
  Payment,
  PaymentList,
  TransactionList,
} from '../../core/api/credits.ts';
import { ConsoleApi } from '../../console/api.ts';
import '../../console/main.ts';
import '../../console/pages/pfc-credits.ts';
import '../../console/pages/pfc-billing.ts';
import '../../console/pages/pfc-subscription.ts';
import '../../console/pages/pfc-purchase.ts';
import type { PfcPurchase } from '../../console/pages/pfc-purchase.ts';
import '../../console/pages/pfc-operator.ts';
import '../../console/pages/pfc-processing.ts';
import { fixtureInfo } from './fixture.ts';

const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
const $ = <T extends Element>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const button = (el: Element, label: string | RegExp) =>
  $$<HTMLButtonElement>(el, 'button').find((b) =>
    typeof label === 'string' ? b.textContent!.replace(/\s+/g, ' ').trim() === label : label.test(b.textContent!),
  )!;
async function until(fn: () => unknown, what: string, timeout = 15000) {
  await waitUntil(fn, what, { timeout });
}
function setValue(input: HTMLInputElement | HTMLSelectElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

let api: ConsoleApi;
let org: number;
const admin = (rest: string) => api.admin(org, rest);
const operator = (rest: string) => `/api/v1/operator/orgs/${org}${rest}`;
const summary = () => api.get<CreditsSummary>(admin('/credits'));
const isoDate = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  const { demo } = (await fixtureInfo()) as unknown as { demo: { owner_email: string; owner_password: string } };
  api = new ConsoleApi('');
  const session = await api.login(demo.owner_email, demo.owner_password);
  const metered: number[] = [];
  for (const o of session.orgs)
    if ((await api.get<CreditsSummary>(api.admin(o.org_id, '/credits'))).metered) metered.push(o.org_id);
  expect(metered.length, 'the demo seeds a metered organisation for the demo owner').to.be.greaterThan(0);
  org = metered[0]!;
  // A known start: Pay As You Go, no end, a cost per credit of 2 cents.
  await api.patch(operator('/plan'), { plan: 'payg', expires: null, cost_per_credit: 2, currency: 'USD' });
});

describe('console credits: the Credits tab', () => {
  it('shows the balance, the cost per credit behind Show/Hide, four months of usage and the ledger; passes axe', async () => {
    const s = await summary();
    const el = await fixture<HTMLElement>(html`<pfc-credits .api=${api} org=${org} access="owner"></pfc-credits>`);
    await until(() => $(el, '[data-balance]') && $(el, 'table[data-monthly]') && $(el, 'table[data-transactions]'), 'loaded');
    expect($(el, '[data-balance]')!.textContent!.replace(/\D/g, '')).to.equal(String(s.balance));
    expect($$(el, 'table[data-monthly] tbody tr')).to.have.length(4);
    // The demo's Free Credits row, by System or a user, with its date.
    const free = $(el, 'tr[data-type=free_credits]');
    expect(free, 'a Free Credits row').to.not.equal(null);
    expect(free!.textContent).to.contain('Free Credits');
    // Cost per credit: hidden until Show is pressed, then $0.02.
    expect($(el, '[data-cost]')!.textContent).to.not.contain('0.02');
    const toggle = button(el, 'Show');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await until(() => $(el, '[data-cost]')!.textContent!.includes('0.02'), 'shown');
    expect(button(el, 'Hide').getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
    // Filtered by type: only that type.
    setValue($<HTMLSelectElement>(el, '#tx-type')!, 'free_credits');
    await until(
      () => $$(el, 'table[data-transactions] tbody tr').every((r) => r.getAttribute('data-type') === 'free_credits'),
      'filtered',
    );
  });

  it('hides the cost per credit when it is not set', async () => {
    await api.patch(operator('/plan'), { cost_per_credit: null });
    try {
      const el = await fixture<HTMLElement>(html`<pfc-credits .api=${api} org=${org} access="owner"></pfc-credits>`);
      await until(() => $(el, '[data-balance]'), 'loaded');
      expect(text(el)).to.not.contain('Cost per credit');
    } finally {
      await api.patch(operator('/plan'), { cost_per_credit: 2, currency: 'USD' });
    }
  });
});

describe('console credits: in French', () => {
  it('the Credits tab and the purchase steps speak French when the page does', async () => {
    document.documentElement.lang = 'fr';
    try {
      const el = await fixture<HTMLElement>(html`<pfc-credits .api=${api} org=${org} access="owner"></pfc-credits>`);
      await until(() => text(el).includes('Crédits disponibles'), 'French');
      expect(text(el)).to.contain('Résumé mensuel d’utilisation');
      expect(text(el)).to.contain('Crédits gratuits');
      const buy = await fixture<HTMLElement>(html`<pfc-purchase .api=${api} org=${org} access="owner"></pfc-purchase>`);
      await until(() => text(buy).includes('Étape 1 : Forfait'), 'French steps');
      expect(text(buy)).to.contain('Ajouter des crédits');
      await expect(buy).to.be.accessible();
    } finally {
      document.documentElement.lang = 'en';
    }
  });
});

describe('console credits: the operator page', () => {
  it('grants and refunds credits for an organisation; a bad value is refused in place; passes axe', async () => {
    const before = (await summary()).balance;
    const el = await fixture<HTMLElement>(html`<pfc-operator .api=${api} org=${org} access="owner"></pfc-operator>`);
    await until(() => $(el, `tr[data-org="${org}"]`), 'organisations listed');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, `tr[data-org="${org}"] button`)!.click();
    await until(() => $(el, '#grant-form'), 'manage forms');
    // 0 credits: the server's message, in place.
    setValue($<HTMLInputElement>(el, '#grant-credits')!, '0');
    $<HTMLButtonElement>(el, '#grant-form button[type=submit]')!.click();
    await until(() => $(el, '#grant-form [role=alert]'), 'refused');
    expect($(el, '#grant-form [role=alert]')!.textContent).to.match(/at least 1/);
    setValue($<HTMLInputElement>(el, '#grant-credits')!, '50');
    setValue($<HTMLSelectElement>(el, '#grant-type')!, 'admin_grant');
    setValue($<HTMLInputElement>(el, '#grant-note')!, 'console test');
    $<HTMLButtonElement>(el, '#grant-form button[type=submit]')!.click();
    await until(() => text(el).includes('50 credits granted'), 'granted');
    expect((await summary()).balance).to.equal(before + 50);
    setValue($<HTMLInputElement>(el, '#refund-credits')!, '10');
    $<HTMLButtonElement>(el, '#refund-form button[type=submit]')!.click();
    await until(() => text(el).includes('10 credits refunded'), 'refunded');
    expect((await summary()).balance).to.equal(before + 40);
    const refunds = await api.get<TransactionList>(admin('/credits/transactions?type=refund'));
    expect(refunds.transactions[0]!.delta).to.equal(-10);
    await expect(el).to.be.accessible();
  });

  it('sets the plan, expiry and cost per credit', async () => {
    const el = await fixture<HTMLElement>(html`<pfc-operator .api=${api} org=${org} access="owner"></pfc-operator>`);
    await until(() => $(el, `tr[data-org="${org}"]`), 'organisations listed');
    $<HTMLButtonElement>(el, `tr[data-org="${org}"] button`)!.click();
    await until(() => $(el, '#plan-form'), 'plan form');
    setValue($<HTMLInputElement>(el, '#op-cost')!, '0.03');
    $<HTMLButtonElement>(el, '#plan-form button[type=submit]')!.click();
    await until(() => text(el).includes('plan saved'), 'saved');
    const orgs = await api.get<{ orgs: OperatorOrg[] }>('/api/v1/operator/orgs');
    expect(orgs.orgs.find((o) => o.org_id === org)!.cost_per_credit).to.deep.equal({ amount: 3, currency: 'USD' });
    await api.patch(operator('/plan'), { cost_per_credit: 2 });
  });
});

describe('console credits: subscription and locked products', () => {
  after(() => api.patch(operator('/plan'), { plan: 'payg', expires: null }));

  it('shows the plan and its badge: Expires in N days, N days remaining, Expired; passes axe', async () => {
    const cases: [number, string, RegExp][] = [
      [10, 'expires_soon', /^Expires in \d+ days$/],
      [100, 'remaining', /^\d+ days remaining$/],
      [-3, 'expired', /^Expired$/],
    ];
    for (const [days, kind, label] of cases) {
      await api.patch(operator('/plan'), { plan: 'pro', expires: isoDate(days) });
      const s = await summary();
      const el = await fixture<HTMLElement>(html`<pfc-subscription .api=${api} org=${org} access="owner"></pfc-subscription>`);
      await until(() => $(el, `[data-badge]`), 'badge');
      const badge = $(el, '[data-badge]')!;
      expect(badge.getAttribute('data-badge')).to.equal(kind);
      expect(badge.textContent!.trim()).to.match(label);
      if (kind !== 'expired') expect(badge.textContent).to.contain(String(s.subscription.badge!.days));
      expect($(el, '[data-plan]')!.textContent).to.contain('Pro');
      if (days === 10) await expect(el).to.be.accessible();
    }
  });

  it('on Pay As You Go: Certify is locked with the plan that unlocks it and the way to upgrade', async () => {
    await api.patch(operator('/plan'), { plan: 'payg', expires: null });
    const el = await fixture<HTMLElement>(html`<pfc-subscription .api=${api} org=${org} access="owner"></pfc-subscription>`);
    await until(() => $(el, 'tr[data-product=certify]'), 'products');
    const certify = $(el, 'tr[data-product=certify]')!;
    expect(certify.getAttribute('data-unlocked')).to.equal('false');
    expect(certify.textContent).to.contain('Locked');
    expect(certify.textContent).to.contain('Pro');
    expect(certify.querySelector('a')!.getAttribute('href')).to.equal('#/credits/buy?plan=pro');
    const checkout = $(el, 'tr[data-product=checkout]')!;
    expect(checkout.textContent).to.contain('Enterprise');
    await expect(el).to.be.accessible();
  });

  it('the shell shows a locked event tab in place of its page, with the upgrade path', async () => {
    const ev = await api.post<AdminEvent>(admin('/events'), { name: `locked test ${Date.now()}` });
    localStorage.setItem('pfc.org', String(org));
    location.hash = `#/events/${ev.event_id}/certificates`;
    try {
      const app = await fixture<HTMLElement>(html`<pfc-app></pfc-app>`);
      await until(() => $(app, '[data-locked=certify]'), 'locked panel', 20000);
      const panel = $(app, '[data-locked=certify]')!;
      expect(panel.textContent!.replace(/\s+/g, ' ')).to.contain('Certify is not included in the Pay As You Go plan');
      expect(panel.querySelector('a')!.getAttribute('href')).to.equal('#/credits/buy?plan=pro');
      const tab = $$<HTMLAnchorElement>(app, 'nav.tabs a').find((a) => a.textContent!.includes('Certificates'))!;
      expect(tab.textContent).to.contain('locked');
      expect($(app, 'pfc-certificates')).to.equal(null);
      await expect(app).to.be.accessible();
    } finally {
      location.hash = '';
      localStorage.removeItem('pfc.org');
    }
  });
});

describe('console credits: photos waiting for credits', () => {
  it('balance 0: uploaded photos wait, the processing view says why; a grant resumes them', async function () {
    this.timeout(120_000);
    const ev = await api.post<AdminEvent>(admin('/events'), { name: `waiting test ${Date.now()}` });
    const balance = (await summary()).balance;
    if (balance > 0) await api.post(operator('/refunds'), { credits: balance, note: 'empty for the test' });
    expect((await summary()).balance).to.equal(0);
    const form = new FormData();
    for (let i = 0; i < 2; i++) {
      const c = document.createElement('canvas');
      c.width = 320;
      c.height = 200;
      const g = c.getContext('2d')!;
      g.fillStyle = `hsl(${i * 120 + 30} 50% 50%)`;
      g.fillRect(0, 0, 320, 200);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/jpeg', 0.9));
      form.append('files', blob, `waiting-${i}.jpg`);
    }
    await api.post(admin(`/events/${ev.event_id}/photos`), form);
    await until(async () => (await summary()).waiting_photos >= 2, 'waiting', 30000);
    const event = await api.get<AdminEvent>(admin(`/events/${ev.event_id}`));
    const proc = await fixture<HTMLElement>(
      html`<pfc-processing .api=${api} org=${org} access="owner" .event=${event}></pfc-processing>`,
    );
    await until(() => $(proc, '[data-waiting]'), 'waiting section');
    expect($(proc, '[data-waiting]')!.getAttribute('data-waiting')).to.equal('2');
    expect(text(proc)).to.contain('Waiting for credits');
    expect(text(proc)).to.contain('waiting-0.jpg');
    await expect(proc).to.be.accessible();
    const credits = await fixture<HTMLElement>(html`<pfc-credits .api=${api} org=${org} access="owner"></pfc-credits>`);
    await until(() => text(credits).includes('Photos waiting for credits'), 'waiting on the Credits tab');
    // Credits arrive: the photos are processed and the waiting list empties.
    await api.post(operator('/credits'), { credits: 100, type: 'admin_grant' });
    await until(async () => (await summary()).waiting_photos === 0, 'resumed', 60000);
    await until(async () => (await api.get<AdminEvent>(admin(`/events/${ev.event_id}`))).image_count === 2, 'processed', 60000);
    const after = await fixture<HTMLElement>(
      html`<pfc-processing .api=${api} org=${org} access="owner" .event=${event}></pfc-processing>`,
    );
    await until(() => $(after, '[data-count=received]'), 'report');
    expect($(after, '[data-waiting]')).to.equal(null);
  });
});

describe('console credits: billing, purchase, invoice', () => {
  it('billing details: a bad country is refused in place, then saved; shipping address optional; passes axe', async () => {
    const el = await fixture<HTMLElement>(html`<pfc-billing .api=${api} org=${org} access="owner"></pfc-billing>`);
    await until(() => $(el, '#company'), 'form');
    await expect(el).to.be.accessible();
    setValue($<HTMLInputElement>(el, '#company')!, 'Demo Timing Co SAS');
    setValue($<HTMLInputElement>(el, '#email')!, 'billing@timing.example');
    setValue($<HTMLInputElement>(el, '#addr-line1')!, '3 rue du Stade');
    setValue($<HTMLInputElement>(el, '#addr-city')!, 'Lyon');
    setValue($<HTMLInputElement>(el, '#addr-postal_code')!, '69007');
    setValue($<HTMLInputElement>(el, '#addr-country')!, 'France');
    setValue($<HTMLInputElement>(el, '#tax_id')!, 'FR12345678901');
    $<HTMLButtonElement>(el, 'form button[type=submit]')!.click();
    await until(() => $(el, 'form [role=alert]'), 'refused');
    expect($(el, 'form [role=alert]')!.textContent).to.match(/country/);
    setValue($<HTMLInputElement>(el, '#addr-country')!, 'fr');
    $<HTMLInputElement>(el, 'input[name=shipping_on]')!.click();
    await until(() => $(el, '#ship-line1'), 'shipping fields');
    $<HTMLInputElement>(el, 'input[name=shipping_on]')!.click();
    await until(() => !$(el, '#ship-line1'), 'no shipping');
    $<HTMLButtonElement>(el, 'form button[type=submit]')!.click();
    await until(() => text(el).includes('Billing details saved.'), 'saved');
    const b = await api.get<BillingDetails>(admin('/billing'));
    expect(b.complete).to.equal(true);
    expect(b.address!.country).to.equal('FR');
    expect(b.shipping_address).to.equal(null);
  });

  it('buys 1,000 credits in four steps with the test gateway; the return shows the balance; the invoice is a PDF', async function () {
    this.timeout(120_000);
    const before = (await summary()).balance;
    let payUrl = '';
    // The server takes return URLs on its own origin only (the wtr page is on another one).
    const { url } = await fixtureInfo();
    const el = await fixture<PfcPurchase>(
      html`<pfc-purchase
        .api=${api}
        org=${org}
        access="owner"
        .returnUrl=${`${url}/console/#/credits/buy?returned=1`}
        .navigate=${(u: string) => (payUrl = u)}
      ></pfc-purchase>`,
    );
    await until(() => $(el, 'input[name=kind]'), 'plans');
    const current = () => $(el, 'li[aria-current=step]')!.getAttribute('data-step');
    expect(current()).to.equal('plan');
    // Nothing chosen: the problem in place.
    button(el, 'Next').click();
    await until(() => $(el, '.step-problem'), 'choose');
    expect(text(el)).to.contain('Choose what to buy.');
    await expect(el).to.be.accessible();
    // Pay As You Go is not subscribed to Pro: Pro is offered.
    expect($(el, 'input[name=kind][value=pro_subscription]')).to.not.equal(null);
    // Enterprise: a contact link, no Next.
    $<HTMLInputElement>(el, 'input[name=kind][value=enterprise]')!.click();
    await until(() => $(el, 'a[data-contact]'), 'contact link');
    expect(button(el, 'Next')).to.equal(undefined);
    $<HTMLInputElement>(el, 'input[name=kind][value=credits]')!.click();
    await el.updateComplete;
    button(el, 'Next').click();
    await until(() => current() === 'credits', 'step 2');
    const credits = $<HTMLInputElement>(el, '#credits')!;
    expect(el.shadowRoot!.activeElement?.id).to.equal('step-title');
    setValue(credits, '999');
    button(el, 'Next').click();
    await until(() => text(el).includes('Buy at least 1,000 credits.'), 'minimum');
    expect(credits.getAttribute('aria-invalid')).to.equal('true');
    setValue(credits, '1000');
    await el.updateComplete;
    expect(text(el)).to.contain('$20.00');
    button(el, 'Next').click();
    await until(() => current() === 'review', 'step 3');
    expect($(el, '[data-review]')!.textContent).to.contain('1,000');
    await expect(el).to.be.accessible();
    button(el, 'Continue to payment').click();
    await until(() => current() === 'payment', 'step 4');
    const pay = $<HTMLButtonElement>(el, 'button[data-pay]')!;
    expect(pay.textContent).to.contain('Pay $20.00');
    expect(pay.disabled, 'off until the Refund Policy is accepted').to.equal(true);
    $<HTMLInputElement>(el, '#refund-policy')!.click();
    await el.updateComplete;
    expect(pay.disabled).to.equal(false);
    await expect(el).to.be.accessible();
    pay.click();
    await until(() => payUrl !== '', 'sent to the gateway');
    expect(new URL(payUrl).pathname).to.match(/^\/pay\/credits\//);
    const pending = await api.get<PaymentList>(admin('/payments?status=pending'));
    const payment = pending.payments[0]!;
    expect(payment.credits).to.equal(1000);
    expect(payment.amount).to.equal(2000);

    // The gateway's page, Pay (as its form does), then the console's return.
    await fetch(payUrl, { method: 'POST', body: new URLSearchParams({ action: 'pay' }), mode: 'no-cors' });
    await until(async () => (await api.get<Payment>(admin(`/payments/${payment.payment_id}`))).status === 'completed', 'paid');
    const back = await fixture<PfcPurchase>(
      html`<pfc-purchase .api=${api} org=${org} access="owner" .query=${{ payment: payment.payment_id }}></pfc-purchase>`,
    );
    await until(() => $(back, '[data-outcome=completed]'), 'completed');
    expect(text(back)).to.contain('1,000 credits added');
    expect($(back, '[data-balance]')!.textContent!.replace(/\D/g, '')).to.equal(String(before + 1000));
    await expect(back).to.be.accessible();

    // Billing & Transactions: the payment completed, its invoice a real PDF; the year's ZIP holds it.
    const billing = await fixture<HTMLElement>(html`<pfc-billing .api=${api} org=${org} access="owner"></pfc-billing>`);
    await until(() => $(billing, `tr[data-payment="${payment.payment_id}"]`), 'payment listed');
    const row = () => $(billing, `tr[data-payment="${payment.payment_id}"]`)!;
    expect(row().getAttribute('data-status')).to.equal('completed');
    if (!row().querySelector('[data-invoice]')) {
      [...row().querySelectorAll('button')].find((b) => /Generate Invoice|Retry Invoice/.test(b.textContent!))!.click();
      await until(() => row().querySelector('[data-invoice]'), 'invoice issued');
    }
    const link = row().querySelector<HTMLAnchorElement>('a[data-invoice]')!;
    const pdf = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    expect(new TextDecoder().decode(pdf.slice(0, 5))).to.equal('%PDF-');
    button(billing, new RegExp(`Details\\s+${payment.payment_id}`)).click();
    await until(() => $<HTMLDialogElement>(billing, 'dialog')?.open, 'details');
    expect($(billing, 'dialog')!.textContent).to.contain('Add Credits');
    await expect(billing).to.be.accessible();
    button(billing, 'Close').click();
    const zip = new Uint8Array(await (await fetch($<HTMLAnchorElement>(billing, 'a[data-zip]')!.href)).arrayBuffer());
    expect([zip[0], zip[1]]).to.deep.equal([0x50, 0x4b]);
  });

  it('a payment left at the gateway shows Pending with Recheck', async () => {
    const started = await api.post<{ payment: Payment }>(admin('/payments'), {
      kind: 'credits',
      credits: 1000,
      accept_refund_policy: true,
      gateway: 'test',
    });
    const el = await fixture<HTMLElement>(html`<pfc-billing .api=${api} org=${org} access="owner"></pfc-billing>`);
    await until(() => $(el, `tr[data-payment="${started.payment.payment_id}"]`), 'listed');
    const row = $(el, `tr[data-payment="${started.payment.payment_id}"]`)!;
    expect(row.textContent).to.contain('Pending');
    const recheck = [...row.querySelectorAll('button')].find((b) => b.textContent!.includes('Recheck'))!;
    recheck.click();
    await until(() => text(el).includes('rechecked'), 'rechecked');
    expect(text(el)).to.contain('Pending');
  });
});
