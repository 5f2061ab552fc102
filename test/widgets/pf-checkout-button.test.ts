import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widgets/index.ts';
import type { CheckoutInfo, Order, Plan } from '../../core/checkout.ts';
import type { PfCheckoutButton, PfCheckoutDetail } from '../../widgets/pf-checkout-button/pf-checkout-button.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import { savedOrders } from '../../widgets/pf-checkout-button/orders.ts';
import { fixtureInfo, type Fixture } from './fixture.ts';

type ShopFixture = Fixture & { demo: Fixture['demo'] & { shop_event_id: number; shop_publishable_key: string } };
const shop = async () => (await fixtureInfo()) as ShopFixture;

const root = (b: PfCheckoutButton) => b.shadowRoot!;
const text = (b: PfCheckoutButton) => root(b).textContent!.replace(/\s+/g, ' ').trim();
const part = <T extends Element = HTMLElement>(b: PfCheckoutButton, name: string) =>
  root(b).querySelector<T>(`[part~="${name}"]`);

async function api<T>(path: string, init: RequestInit & { key: string }): Promise<T> {
  const { url } = await shop();
  const res = await fetch(url + path, {
    ...init,
    headers: { 'X-API-Key': init.key, 'Content-Type': 'application/json', ...init.headers },
  });
  const body = (await res.json()) as { data: T; message: string };
  if (!res.ok) throw new Error(body.message);
  return body.data;
}

function setReturnParams(params: Record<string, string | null>) {
  const u = new URL(location.href);
  for (const [k, v] of Object.entries(params)) {
    if (v === null) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  history.replaceState(null, '', u);
}

async function shopPage(extra = html``) {
  const { url, demo } = await shop();
  const el = await fixture(
    html`<pf-event api=${url} org=${demo.org_id} event=${demo.shop_event_id} key=${demo.shop_publishable_key}>
      <pf-gallery id="shop-gallery" selectable layout="grid" page-size="12"></pf-gallery>
      <pf-checkout-button for="shop-gallery"></pf-checkout-button>
      ${extra}
    </pf-event>`,
  );
  return {
    el,
    gallery: el.querySelector<PfGallery>('pf-gallery')!,
    button: el.querySelector<PfCheckoutButton>('pf-checkout-button')!,
  };
}

const checkboxes = (g: PfGallery) => [...g.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="select"] input')];

/** Buys the first `n` photos of the shop through the button; returns the order the server made. */
async function buyThrough(button: PfCheckoutButton, gallery: PfGallery, n: number) {
  await waitUntil(() => checkboxes(gallery).length >= n, 'gallery never showed checkboxes', { timeout: 10000 });
  for (const box of checkboxes(gallery).slice(0, n)) box.click();
  await waitUntil(
    () => part<HTMLButtonElement>(button, 'button') && !part<HTMLButtonElement>(button, 'button')!.disabled,
    'never priced',
    { timeout: 10000 },
  );
  let detail: PfCheckoutDetail | null = null;
  button.addEventListener('pf-checkout', (e) => {
    detail = e.detail;
    e.preventDefault(); // stay on the test page instead of opening the payment page
  });
  part<HTMLButtonElement>(button, 'button')!.click();
  await waitUntil(() => detail, 'no pf-checkout redirect', { timeout: 10000 });
  return detail! as PfCheckoutDetail;
}

describe('pf-checkout-button against the real API (demo photo shop, test gateway)', () => {
  afterEach(() => setReturnParams({ pf_order: null, pf_checkout: null }));

  it('prices the gallery selection on the server and starts one order with that price', async () => {
    const { button, gallery } = await shopPage();
    await waitUntil(() => text(button).includes('per photo'), 'no hint', { timeout: 10000 });
    expect(text(button)).to.contain('Select photos to buy them: €4.00 per photo.');
    expect(part<HTMLButtonElement>(button, 'button')!.disabled).to.equal(true);
    await expect(button).to.be.accessible();

    const d = await buyThrough(button, gallery, 3);
    expect(text(button)).to.match(/3 photos: €12\.00 tax included/);
    expect(d.step).to.equal('redirect');
    expect(d.amount).to.equal(1200);
    expect(d.currency).to.equal('EUR');
    expect(d.checkoutUrl).to.match(/\/pay\/test\/pft_/);
    const saved = savedOrders.all().find((o) => o.orderId === d.orderId)!;
    expect(saved.token).to.match(/^pfo_/);
    const { demo } = await shop();
    const order = await api<Order>(`/api/v1/ext/${demo.org_id}/event/${demo.shop_event_id}/checkout/orders/${d.orderId}`, {
      key: demo.shop_publishable_key,
      headers: { 'X-Order-Token': saved.token },
    });
    expect(order.status).to.equal('pending');
    expect(order.image_ids).to.have.length(3);
  });

  it('after paying on the hosted page, shows the downloads; the gallery may then download originals too', async () => {
    const first = await shopPage();
    const d = await buyThrough(first.button, first.gallery, 2);
    // Pay on the test gateway's page, as the buyer would.
    // (A cross-origin form post: the answer is opaque; the gateway's 303 leads back to this page.)
    await fetch(d.checkoutUrl!, { method: 'POST', body: new URLSearchParams({ action: 'pay' }), mode: 'no-cors' });
    setReturnParams({ pf_order: d.orderId, pf_checkout: 'success' });
    const { button, el } = await shopPage();
    await waitUntil(() => part(button, 'downloads'), 'no downloads after paying', { timeout: 10000 });
    expect(text(button)).to.contain('Thank you! Your photos are ready.');
    expect(text(button)).to.match(/Order PF-[0-9A-F]{8} · €8\.00 · 2 photos/);
    expect(part<HTMLAnchorElement>(button, 'receipt')!.href).to.match(/\/orders\/.+\/receipt\?token=pfo_/);
    const client = (el as HTMLElement & { contextValue?: { client: { orderToken: string | null } } }).contextValue!.client;
    expect(client.orderToken).to.match(/^pfo_/);
    await expect(button).to.be.accessible();
  });

  it('a cancelled payment says nothing was charged and offers to try again', async () => {
    const first = await shopPage();
    const d = await buyThrough(first.button, first.gallery, 1);
    await fetch(d.checkoutUrl!, { method: 'POST', body: new URLSearchParams({ action: 'cancel' }), mode: 'no-cors' });
    setReturnParams({ pf_order: d.orderId, pf_checkout: 'cancel' });
    const { button } = await shopPage();
    await waitUntil(() => text(button).includes('Payment cancelled'), 'no cancel message', { timeout: 10000 });
    expect(part(button, 'status')!.getAttribute('role')).to.equal('status');
    part<HTMLButtonElement>(button, 'retry')!.click();
    await waitUntil(() => part(button, 'button'), 'no buy button again');
  });

  it('sells all photos of a BIB, in French when the page is French', async () => {
    const { url, demo } = await shop();
    const info = await api<CheckoutInfo>(`/api/v1/ext/${demo.org_id}/event/${demo.shop_event_id}/checkout`, {
      key: demo.shop_publishable_key,
    });
    expect(info.enabled).to.equal(true);
    const images = await api<{ images: { image_id: string }[] }>(
      `/api/v1/ext/${demo.org_id}/event/${demo.shop_event_id}/images?page_size=1`,
      {
        key: demo.shop_publishable_key,
      },
    );
    const photo = await api<{ bibs: { bib: string }[] }>(
      `/api/v1/admin/${demo.org_id}/events/${demo.shop_event_id}/photos/${images.images[0]!.image_id}`,
      {
        key: demo.secret_key,
      },
    );
    const bib = photo.bibs[0]!.bib;
    const el = await fixture(
      html`<div lang="fr">
        <pf-event api=${url} org=${demo.org_id} event=${demo.shop_event_id} key=${demo.shop_publishable_key}>
          <pf-checkout-button bib=${bib}></pf-checkout-button>
        </pf-event>
      </div>`,
    );
    const button = el.querySelector<PfCheckoutButton>('pf-checkout-button')!;
    await waitUntil(() => text(button).includes('Acheter pour'), 'no French price', { timeout: 10000 });
    expect(text(button)).to.contain(`Toutes les photos du dossard ${bib}`);
    expect(part(button, 'button')!.textContent).to.match(/Acheter pour \d+,\d\d\s€/);
    await expect(button).to.be.accessible();
  });

  it('after a BIB search next to it, offers all photos of that BIB', async () => {
    const { url, demo } = await shop();
    const el = await fixture(
      html`<pf-event api=${url} org=${demo.org_id} event=${demo.shop_event_id} key=${demo.shop_publishable_key}>
        <pf-bib-search no-url></pf-bib-search>
        <pf-checkout-button></pf-checkout-button>
      </pf-event>`,
    );
    const button = el.querySelector<PfCheckoutButton>('pf-checkout-button')!;
    const search = el.querySelector('pf-bib-search')!;
    await waitUntil(() => text(button).includes('per photo'), 'no hint', { timeout: 10000 });
    const images = await api<{ images: { image_id: string }[] }>(
      `/api/v1/ext/${demo.org_id}/event/${demo.shop_event_id}/images?page_size=1`,
      {
        key: demo.shop_publishable_key,
      },
    );
    const photo = await api<{ bibs: { bib: string }[] }>(
      `/api/v1/admin/${demo.org_id}/events/${demo.shop_event_id}/photos/${images.images[0]!.image_id}`,
      {
        key: demo.secret_key,
      },
    );
    const bib = photo.bibs[0]!.bib;
    await waitUntil(() => (search as HTMLElement & { search?: unknown }).search, 'pf-bib-search not ready');
    (search as HTMLElement & { search(raw: string): boolean }).search(bib);
    await waitUntil(() => text(button).includes(`All photos of BIB ${bib}`), 'the search was not offered', { timeout: 10000 });
    await waitUntil(() => part(button, 'button')?.textContent?.includes('Buy for'), 'not priced', { timeout: 10000 });
  });

  it('when the price changes between the quote and the order, refuses and shows the new price', async () => {
    const { demo } = await shop();
    const { button, gallery } = await shopPage();
    await waitUntil(() => checkboxes(gallery).length > 0, 'no gallery', { timeout: 10000 });
    checkboxes(gallery)[0]!.click();
    await waitUntil(() => part(button, 'button')?.textContent?.includes('€4.00'), 'no price', { timeout: 10000 });
    const plans = await api<{ plans: Plan[] }>(`/api/v1/admin/${demo.org_id}/events/${demo.shop_event_id}/plans`, {
      key: demo.secret_key,
    });
    const single = plans.plans.find((p) => p.kind === 'single')!;
    const patch = (price: number) =>
      api<Plan>(`/api/v1/admin/${demo.org_id}/events/${demo.shop_event_id}/plans/${single.plan_id}`, {
        key: demo.secret_key,
        method: 'PATCH',
        body: JSON.stringify({ price }),
      });
    await patch(450);
    try {
      let redirected = false;
      button.addEventListener('pf-checkout', () => (redirected = true));
      part<HTMLButtonElement>(button, 'button')!.click();
      await waitUntil(() => text(button).includes('The price has changed'), 'no price-changed notice', { timeout: 10000 });
      await waitUntil(() => part(button, 'button')?.textContent?.includes('€4.50'), 'new price not shown', { timeout: 10000 });
      expect(redirected).to.equal(false);
    } finally {
      await patch(single.price);
    }
  });

  it('on a free event it says the originals are free and offers nothing to buy', async () => {
    const { url, demo } = await shop();
    const el = await fixture(
      html`<pf-event api=${url} org=${demo.org_id} event=${demo.event_id} key=${demo.publishable_key}>
        <pf-checkout-button></pf-checkout-button>
      </pf-event>`,
    );
    const button = el.querySelector<PfCheckoutButton>('pf-checkout-button')!;
    await waitUntil(() => part(button, 'unavailable'), 'no notice', { timeout: 10000 });
    expect(text(button)).to.contain('free to download');
    expect(part(button, 'button')).to.equal(null);
  });
});
