import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/index.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import { fixtureInfo } from './fixture.ts';

const photos = (g: PfGallery) => [...g.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.photo')];

describe('pf-event + pf-gallery against the real API', () => {
  it('shows the seeded photos with srcset and known dimensions, and loads more pages', async () => {
    const { url, demo } = await fixtureInfo();
    const root = await fixture(
      html`<pf-event api=${url} org=${demo.org_id} event=${demo.event_id} key=${demo.publishable_key}>
        <pf-gallery page-size="12"></pf-gallery>
      </pf-event>`,
    );
    const gallery = root.querySelector('pf-gallery')!;
    await waitUntil(() => photos(gallery).length >= 12, 'first page never rendered', { timeout: 10000 });
    const img = photos(gallery)[0]!.querySelector('img')!;
    expect(img.getAttribute('width')).to.equal('1600');
    expect(img.getAttribute('srcset')).to.match(/thumb-320\.webp 320w, .*thumb-640\.webp 640w/);
    expect(img.loading).to.equal('lazy');
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'thumbnail did not load');
    gallery.shadowRoot!.querySelector<HTMLButtonElement>('[part=load-more]')?.click();
    await waitUntil(() => photos(gallery).length >= 24, 'second page never came', { timeout: 10000 });
    await expect(gallery).to.be.accessible();
  });

  it('fires pf-select with the photo when one is activated', async () => {
    const { url, demo } = await fixtureInfo();
    const root = await fixture(
      html`<pf-event api=${url} org=${demo.org_id} event=${demo.event_id} key=${demo.publishable_key}>
        <pf-gallery page-size="4"></pf-gallery>
      </pf-event>`,
    );
    const gallery = root.querySelector('pf-gallery')!;
    await waitUntil(() => photos(gallery).length >= 4, 'no photos', { timeout: 10000 });
    setTimeout(() => photos(gallery)[2]!.click());
    const ev = (await oneEvent(root, 'pf-select')) as CustomEvent<{ index: number; image: { image_id: string } }>;
    expect(ev.detail.index).to.equal(2);
    expect(ev.detail.image.image_id).to.match(/^[0-9a-f-]{36}$/);
  });

  it('shows a wrong key as an error in place with a retry', async () => {
    const { url, demo } = await fixtureInfo();
    const root = await fixture(
      html`<pf-event api=${url} org=${demo.org_id} event=${demo.event_id} key="pk_wrong">
        <pf-gallery></pf-gallery>
      </pf-event>`,
    );
    const gallery = root.querySelector('pf-gallery')!;
    await waitUntil(() => gallery.shadowRoot!.querySelector('.error'), 'no error shown', { timeout: 10000 });
    expect(gallery.shadowRoot!.querySelector('.error')!.textContent).to.contain('Invalid API key');
    expect(gallery.shadowRoot!.querySelector('[part=retry]')).not.to.equal(null);
  });
});
