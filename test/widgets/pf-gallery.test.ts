import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ImageItem, ImagePage } from '../../core/api/models.ts';
import type { PfSelectionChangeDetail } from '../../widgets/events.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import type { PfLightbox } from '../../widgets/pf-lightbox/pf-lightbox.ts';
import { deepActive, demoEvent, fixtureInfo, makeEvent, shadowFind, uploadDemoPhotos } from './fixture.ts';

const photos = (g: PfGallery) => [...g.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.photo')];
// The lightbox is rendered once its module is in (fetched when idle after the first thumbnails, or on first use).
const lightboxOf = (g: PfGallery) => g.shadowRoot!.querySelector('pf-lightbox') as PfLightbox;
const dialogOf = (g: PfGallery) => lightboxOf(g)?.shadowRoot?.querySelector('dialog') ?? null;
const counter = (g: PfGallery) => lightboxOf(g).shadowRoot!.querySelector('.counter [aria-hidden]')!.textContent!.trim();

async function mountGallery(attrs = '', opts: { lang?: string } = {}) {
  const root = await demoEvent(html``, opts);
  root.innerHTML = `<pf-gallery ${attrs}></pf-gallery>`;
  const gallery = root.querySelector('pf-gallery')!;
  await waitUntil(() => photos(gallery).length > 0, 'no photos rendered', { timeout: 10000 });
  return { root, gallery };
}

/** A result set of `total` photos made from the server's real photos (the `loader` API: any result set). */
async function repeatingLoader(total: number, extra: Partial<ImageItem> = {}) {
  const { url, demo } = await fixtureInfo();
  const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/images?page_size=20`, {
    headers: { 'X-API-Key': demo.publishable_key },
  });
  const real = ((await res.json()) as { data: ImagePage }).data.images;
  const calls: number[] = [];
  const loader = async (page: number, size: number): Promise<ImagePage> => {
    calls.push(page);
    const start = (page - 1) * size;
    const images = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, k) => ({
      ...real[(start + k) % real.length]!,
      image_id: `00000000-0000-4000-8000-${String(start + k).padStart(12, '0')}`,
      ...extra,
    }));
    const totalPages = Math.ceil(total / size);
    return {
      images,
      pagination: {
        total,
        currentPage: page,
        totalPages,
        hasNextPage: page < totalPages,
        hasPreviousPage: page > 1,
        page_size: size,
      },
    };
  };
  return { loader, calls };
}

describe('pf-gallery', () => {
  before(() => setViewport({ width: 1000, height: 800 }));
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('shows the seeded photos with srcset, exact sizes and known dimensions, and passes axe', async () => {
    const { gallery } = await mountGallery('page-size="12"');
    const img = photos(gallery)[0]!.querySelector('img')!;
    expect(img.getAttribute('width')).to.equal('1600');
    expect(img.getAttribute('height')).to.equal('1067');
    // Rendition names carry the watermark version when the event has one (`thumb-320-w1.webp`).
    expect(img.getAttribute('srcset')).to.match(/thumb-320(-w\d+)?\.webp 320w, .*thumb-640(-w\d+)?\.webp 640w/);
    expect(img.getAttribute('sizes')).to.match(/^\d+px$/);
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'thumbnail did not load', { timeout: 10000 });
    // The scroll height covers the whole result set (40 photos), before all pages are loaded.
    const canvas = gallery.shadowRoot!.querySelector<HTMLElement>('[part=grid]')!;
    expect(canvas.getBoundingClientRect().height).to.be.greaterThan(400);
    expect(photos(gallery)[0]!.getAttribute('aria-label')).to.match(/^Photo 1 of 40, taken at /);
    await expect(gallery).to.be.accessible();
  });

  it('loads further pages as they scroll into view', async () => {
    const { gallery } = await mountGallery('page-size="8" layout="grid"');
    const results: number[] = [];
    gallery.addEventListener('pf-results', (e) => results.push(e.detail.loaded));
    gallery.scrollIntoView({ block: 'end' });
    window.scrollTo(0, document.documentElement.scrollHeight);
    await waitUntil(() => gallery.loadedImages.length === 40, 'later pages never loaded', { timeout: 10000 });
    // Pages may all arrive before the listener is attached on a fast run; when events came, the last says 40.
    if (results.length) expect(results.at(-1)).to.equal(40);
    window.scrollTo(0, 0);
  });

  it('keeps only the visible rows in the DOM for 100,000 photos and loads the pages where you jump', async () => {
    const { loader, calls } = await repeatingLoader(100_000);
    const root = await demoEvent(html``);
    root.innerHTML = `<pf-gallery page-size="50"></pf-gallery>`;
    const gallery = root.querySelector('pf-gallery')!;
    gallery.loader = loader;
    await waitUntil(() => photos(gallery).length > 0, 'no photos', { timeout: 10000 });
    const canvas = gallery.shadowRoot!.querySelector<HTMLElement>('[part=grid]')!;
    const height = canvas.getBoundingClientRect().height;
    expect(height).to.be.greaterThan(1_000_000);
    expect(gallery.shadowRoot!.querySelectorAll('.cell').length).to.be.lessThan(150);
    // Jump to the middle: the cells there render (placeholders first), and only the pages there load.
    window.scrollTo(0, canvas.getBoundingClientRect().top + window.scrollY + height / 2);
    await waitUntil(
      () => photos(gallery).some((b) => /^Photo 5\d,\d{3} of 100,000/.test(b.getAttribute('aria-label')!)),
      'middle photos never shown',
      { timeout: 10000 },
    );
    expect(gallery.shadowRoot!.querySelectorAll('.cell').length).to.be.lessThan(150);
    expect(calls.length).to.be.lessThan(8);
    window.scrollTo(0, 0);
  });

  it('moves between photos with the arrow keys, opens the lightbox with Enter and returns focus on Esc', async () => {
    const { gallery } = await mountGallery('page-size="40"');
    photos(gallery)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => deepActive()?.getAttribute('aria-label')?.startsWith('Photo 2 of 40'), 'ArrowRight did not move');
    await sendKeys({ press: 'End' });
    await waitUntil(() => deepActive()?.getAttribute('aria-label')?.startsWith('Photo 40 of 40'), 'End did not move');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => deepActive()?.getAttribute('aria-label')?.startsWith('Photo 1 of 40'), 'Home did not move');
    // Only one photo is in the tab order.
    expect(photos(gallery).filter((b) => b.tabIndex === 0)).to.have.length(1);

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open');
    expect(counter(gallery)).to.equal('1 / 40');
    expect(location.search).to.match(/photo=[0-9a-f-]{36}&photo_at=0/);
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => counter(gallery) === '3 / 40', 'ArrowRight in the lightbox');
    expect(lightboxOf(gallery).shadowRoot!.querySelector('.counter')!.getAttribute('aria-live')).to.equal('polite');
    await sendKeys({ press: 'End' });
    await waitUntil(() => counter(gallery) === '40 / 40', 'End in the lightbox');
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => counter(gallery) === '2 / 40', 'Home in the lightbox');
    await expect(lightboxOf(gallery)).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(gallery)?.open, 'Esc did not close');
    await waitUntil(() => deepActive()?.getAttribute('aria-label')?.startsWith('Photo 2 of 40'), 'focus not returned to photo 2');
    expect(location.search).to.equal('');
  });

  it("lets the page style the lightbox's parts through the gallery (pf-gallery::part(lightbox-…))", async () => {
    const style = document.head.appendChild(document.createElement('style'));
    style.textContent = 'pf-gallery::part(lightbox-counter) { color: rgb(1, 2, 3); }';
    try {
      const { gallery } = await mountGallery('page-size="12"');
      await gallery.open(0);
      const el = lightboxOf(gallery).shadowRoot!.querySelector('[part=lightbox-counter]')!;
      expect(getComputedStyle(el).color).to.equal('rgb(1, 2, 3)');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !dialogOf(gallery)?.open, 'Esc did not close');
    } finally {
      style.remove();
    }
  });

  it('locks the page scroll while the lightbox is open: PageDown does not scroll the page behind', async () => {
    const { root, gallery } = await mountGallery('page-size="40"');
    const spacer = root.appendChild(document.createElement('div'));
    spacer.style.height = '3000px';
    scrollTo(0, 200);
    photos(gallery)[0]!.click();
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open');
    await sendKeys({ press: 'PageDown' });
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => counter(gallery) === '2 / 40', 'ArrowRight in the lightbox');
    expect(Math.round(scrollY)).to.equal(200);
    expect(getComputedStyle(document.documentElement).overflowY).to.equal('hidden');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(gallery)?.open, 'Esc did not close');
    expect(getComputedStyle(document.documentElement).overflowY).to.equal('visible');
    // Removed while open (a page that swaps its content): the page is unlocked too.
    photos(gallery)[0]!.click();
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open again');
    gallery.remove();
    expect(getComputedStyle(document.documentElement).overflowY).to.equal('visible');
    spacer.remove();
    scrollTo(0, 0);
  });

  it('fires pf-select, and a cancelled pf-select keeps the lightbox closed', async () => {
    const { root, gallery } = await mountGallery('page-size="4"');
    setTimeout(() => photos(gallery)[2]!.click());
    const ev = await oneEvent(root, 'pf-select');
    expect(ev.detail.index).to.equal(2);
    expect(ev.detail.image.image_id).to.match(/^[0-9a-f-]{36}$/);
    lightboxOf(gallery).close();
    let cancelled = false;
    root.addEventListener('pf-select', (e) => ((cancelled = true), e.preventDefault()), { once: true });
    photos(gallery)[1]!.click();
    // The photo is loaded: the click decides in its own task (no timer to wait for).
    expect(cancelled).to.equal(true);
    await lightboxOf(gallery).updateComplete;
    expect(dialogOf(gallery)?.open ?? false).to.equal(false);
  });

  it('is ready for keys as soon as it opens: an arrow pressed right after the tap moves the viewer, not the gallery', async () => {
    const { gallery } = await mountGallery('page-size="40"');
    await waitUntil(() => lightboxOf(gallery), 'the lightbox module was not fetched after the thumbnails');
    await lightboxOf(gallery).updateComplete;
    const first = photos(gallery)[0]!;
    first.focus();
    // The tap and the key in one task, as a slow phone delivers them: nothing rendered in between.
    first.click();
    expect(dialogOf(gallery)?.open, 'the dialog opens in the same task').to.equal(true);
    deepActive()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await waitUntil(() => counter(gallery) === '2 / 40', 'the arrow did not reach the viewer');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(gallery)?.open, 'Esc did not close');
    await waitUntil(() => deepActive()?.getAttribute('aria-label')?.startsWith('Photo 2 of 40'), 'focus not on photo 2');
  });

  it('zooms on double-tap (loading the large image then), swipes to the next photo and pinches', async () => {
    // A phone-sized viewport: the fitted photo uses the 640-px rendition; zooming needs the large one.
    await setViewport({ width: 390, height: 740 });
    // Photo 26 was never shown large in this page (Chromium would reuse a cached larger rendition).
    const { gallery } = await mountGallery('page-size="40"');
    await gallery.open(25);
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open');
    const lb = lightboxOf(gallery);
    const stage = lb.shadowRoot!.querySelector<HTMLElement>('.stage')!;
    const r = stage.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const pointer = (type: string, id: number, x: number, y: number) =>
      stage.dispatchEvent(
        new PointerEvent(type, {
          pointerId: id,
          pointerType: 'touch',
          clientX: x,
          clientY: y,
          bubbles: true,
          isPrimary: id === 1,
        }),
      );
    const tap = (x: number, y: number) => {
      pointer('pointerdown', 1, x, y);
      pointer('pointerup', 1, x, y);
    };
    const main = () => lb.shadowRoot!.querySelector<HTMLImageElement>('.slide.cur img.main')!;
    const item = gallery.loadedImages[25]!;
    await waitUntil(
      () => main().complete && main().currentSrc.includes('thumb-640'),
      'fitted image is not the 640-px rendition',
      {
        timeout: 5000,
      },
    ).catch(() => {
      throw new Error(`fitted: ${main().currentSrc} ${main().sizes} dpr ${devicePixelRatio} ${innerWidth}`);
    });
    tap(cx, cy);
    tap(cx, cy);
    await waitUntil(
      () => main().getAttribute('src') === item.img_url && !main().hasAttribute('srcset'),
      'large image not loaded on zoom',
      {
        timeout: 10000,
      },
    );
    expect(lb.shadowRoot!.querySelector('.stage')!.classList.contains('zoomed')).to.equal(true);
    tap(cx, cy);
    tap(cx, cy);
    await waitUntil(() => lb.shadowRoot!.querySelector('.stage')!.classList.contains('zoomable'), 'double-tap did not zoom out');

    // Swipe left → next photo.
    pointer('pointerdown', 1, cx + 100, cy);
    for (let x = cx + 80; x >= cx - 200; x -= 40) pointer('pointermove', 1, x, cy);
    pointer('pointerup', 1, cx - 200, cy);
    await waitUntil(() => counter(gallery) === '27 / 40', 'swipe did not move to photo 27', { timeout: 3000 });

    // Pinch out with two fingers → zoomed.
    pointer('pointerdown', 1, cx - 20, cy);
    pointer('pointerdown', 2, cx + 20, cy);
    pointer('pointermove', 1, cx - 120, cy);
    pointer('pointermove', 2, cx + 120, cy);
    pointer('pointerup', 1, cx - 120, cy);
    pointer('pointerup', 2, cx + 120, cy);
    await waitUntil(() => lb.shadowRoot!.querySelector('.stage')!.classList.contains('zoomed'), 'pinch did not zoom');
    lb.close();
    await setViewport({ width: 1000, height: 800 });
  });

  it('downloads the original from the lightbox (free downloads) and fires pf-download', async () => {
    const { root, gallery } = await mountGallery('page-size="4"');
    photos(gallery)[1]!.click();
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open');
    const button = [...lightboxOf(gallery).shadowRoot!.querySelectorAll<HTMLButtonElement>('[part=lightbox-button]')].find((b) =>
      b.textContent!.includes('Download'),
    )!;
    setTimeout(() => button.click());
    const ev = await oneEvent(root, 'pf-download');
    expect(ev.detail).to.include({ ok: true, count: 1, method: 'image_id', identifier: gallery.loadedImages[1]!.image_id });
    await waitUntil(() => lightboxOf(gallery).shadowRoot!.querySelector('.foot')!.textContent!.includes('downloaded'));
    lightboxOf(gallery).close();
  });

  it('says why when the originals are for sale, before and after asking the server', async () => {
    const ev = await makeEvent({ free_downloads: false });
    await uploadDemoPhotos(ev.event_id, 2);
    const root = await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key });
    const gallery = root.querySelector('pf-gallery')!;
    await waitUntil(() => photos(gallery).length === 2, 'no photos', { timeout: 10000 });
    photos(gallery)[0]!.click();
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open');
    const download = () =>
      [...lightboxOf(gallery).shadowRoot!.querySelectorAll<HTMLButtonElement>('[part=lightbox-button]')].find((b) =>
        b.textContent!.includes('Download'),
      )!;
    // No order: the element knows from the event details that originals are sold.
    setTimeout(() => download().click());
    let ev1 = await oneEvent(root, 'pf-download');
    expect(ev1.detail).to.include({ ok: false, count: 0 });
    expect(ev1.detail.reason).to.contain('for sale');
    expect(lightboxOf(gallery).shadowRoot!.querySelector('.foot')!.textContent).to.contain('for sale');
    // An order token that unlocks nothing: the server refuses, and its reason is shown.
    root.setAttribute('order-token', 'not-a-paid-order');
    await (root as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    setTimeout(() => download().click());
    ev1 = await oneEvent(root, 'pf-download');
    expect(ev1.detail.ok).to.equal(false);
    expect(ev1.detail.status).to.equal(403);
    expect(ev1.detail.reason!.length).to.be.greaterThan(5);
    expect(lightboxOf(gallery).shadowRoot!.querySelector('.foot')!.textContent).to.contain(ev1.detail.reason!);
    await expect(lightboxOf(gallery)).to.be.accessible();
    lightboxOf(gallery).close();
  });

  it('shares a link that keeps the photo id (copy-link fallback without the Web Share API)', async () => {
    const { gallery } = await mountGallery('page-size="6"');
    photos(gallery)[3]!.click();
    await waitUntil(() => dialogOf(gallery)?.open, 'lightbox did not open');
    const lb = lightboxOf(gallery);
    const share = [...lb.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part=lightbox-button]')].find((b) =>
      b.textContent!.includes('Share'),
    )!;
    share.click();
    const id = gallery.loadedImages[3]!.image_id;
    // Headless Chromium has no share sheet; the clipboard may be refused: then the link is shown to copy.
    await waitUntil(
      () => /Link copied|Copy this link/.test(lb.shadowRoot!.querySelector('.foot')!.textContent!),
      'no share feedback',
    );
    const shown = lb.shadowRoot!.querySelector<HTMLInputElement>('.foot input');
    const link = shown ? shown.value : await navigator.clipboard.readText().catch(() => '');
    if (link) expect(new URL(link).searchParams.get('photo')).to.equal(id);
    lb.close();
  });

  it('selection mode: checkboxes fire pf-selection-change with the selected ids', async () => {
    const { root, gallery } = await mountGallery('page-size="6" selectable');
    const boxes = gallery.shadowRoot!.querySelectorAll<HTMLInputElement>('[part=select] input');
    expect(boxes.length).to.be.greaterThan(2);
    setTimeout(() => boxes[0]!.click());
    let ev = (await oneEvent(root, 'pf-selection-change')) as CustomEvent<PfSelectionChangeDetail>;
    expect(ev.detail.imageIds).to.deep.equal([gallery.loadedImages[0]!.image_id]);
    setTimeout(() => boxes[2]!.click());
    ev = await oneEvent(root, 'pf-selection-change');
    expect(ev.detail.imageIds).to.have.length(2);
    expect(gallery.selectedIds).to.deep.equal(ev.detail.imageIds);
    await expect(gallery).to.be.accessible();
  });

  it('shows confidence badges and hides a photo on "Not me" (pf-hide, cancelable)', async () => {
    const { loader } = await repeatingLoader(5, { confidence: 93.4 });
    const root = await demoEvent(html``);
    root.innerHTML = `<pf-gallery hideable method="selfie"></pf-gallery>`;
    const gallery = root.querySelector('pf-gallery')!;
    gallery.loader = loader;
    await waitUntil(() => photos(gallery).length === 5, 'no photos', { timeout: 10000 });
    expect(gallery.shadowRoot!.querySelector('[part=confidence]')!.textContent).to.contain('93%');
    const hideButtons = () => gallery.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part=hide]');
    root.addEventListener('pf-hide', (e) => e.preventDefault(), { once: true });
    hideButtons()[0]!.click();
    expect(photos(gallery)).to.have.length(5);
    setTimeout(() => hideButtons()[1]!.click());
    const ev = await oneEvent(root, 'pf-hide');
    expect(ev.detail.index).to.equal(1);
    await waitUntil(() => photos(gallery).length === 4, 'photo not hidden');
    expect(gallery.count).to.equal(4);
    expect(photos(gallery)[1]!.getAttribute('aria-label')).to.match(/^Photo 2 of 4/);
    await expect(gallery).to.be.accessible();
  });

  it('says why each photo matched (face, bib, both) in English and French, accessibly', async () => {
    for (const [lang, words] of [
      ['en', ['Face', 'Bib', 'Face + bib', 'Found by']],
      ['fr', ['Visage', 'Dossard', 'Visage + dossard', 'Trouvée par']],
    ] as const) {
      const base = await repeatingLoader(3, { confidence: 81 });
      const reasons = ['face', 'bib', 'both'] as const;
      const loader = async (page: number, size: number) => {
        const p = await base.loader(page, size);
        return { ...p, images: p.images.map((i, k) => ({ ...i, match: reasons[k % 3], match_confidence: 0.9 })) };
      };
      const root = await demoEvent(html``, { lang });
      root.innerHTML = `<pf-gallery hideable method="selfie"></pf-gallery>`;
      const gallery = root.querySelector('pf-gallery')!;
      gallery.loader = loader;
      await waitUntil(() => photos(gallery).length === 3, 'no photos', { timeout: 10000 });
      const badges = [...gallery.shadowRoot!.querySelectorAll<HTMLElement>('[part=match]')];
      expect(badges.map((b) => b.dataset.match)).to.deep.equal(['face', 'bib', 'both']);
      expect(badges.map((b) => b.textContent!.replace(words[3], '').trim())).to.deep.equal(words.slice(0, 3));
      expect(badges[0]!.querySelector('.sr-only')!.textContent).to.contain(words[3]);
      await expect(gallery).to.be.accessible();
      root.remove();
    }
  });

  it('shows no reason badge on results that do not say why (a plain gallery)', async () => {
    const { gallery } = await mountGallery('page-size="12"');
    expect(gallery.shadowRoot!.querySelector('[part=match]')).to.equal(null);
  });

  it('paging="button" shows a Load more button that loads the next page', async () => {
    const { gallery } = await mountGallery('page-size="12" paging="button"');
    expect(photos(gallery)).to.have.length(12);
    (await shadowFind<HTMLButtonElement>(gallery, '[part=load-more]')).click();
    await waitUntil(() => gallery.loadedImages.length === 24, 'second page never came', { timeout: 10000 });
    await waitUntil(() => photos(gallery).length > 12, 'second page not rendered');
    expect(gallery.shadowRoot!.querySelector('[part=status]')!.textContent).to.contain('24 of 40 photos shown');
  });

  it('shows a wrong key as an error in place with a retry', async () => {
    const root = await demoEvent(html`<pf-gallery></pf-gallery>`, { key: 'pk_wrong' });
    const gallery = root.querySelector('pf-gallery')!;
    const error = await shadowFind(gallery, '[part=error]', 'error');
    expect(error.textContent).to.contain('Invalid API key');
    expect(gallery.shadowRoot!.querySelector('[part=retry]')).not.to.equal(null);
    await expect(gallery).to.be.accessible();
  });

  it('speaks French when the page or the element says lang="fr"', async () => {
    const { gallery } = await mountGallery('page-size="4"', { lang: 'fr' });
    expect(photos(gallery)[0]!.getAttribute('aria-label')).to.match(/^Photo 1 sur 40, prise à /);
    expect(gallery.shadowRoot!.querySelector('[part=grid]')!.getAttribute('aria-label')).to.equal("Photos de l'événement");
    gallery.setAttribute('lang', 'en');
    await waitUntil(() => photos(gallery)[0]!.getAttribute('aria-label')!.startsWith('Photo 1 of 40'), 'lang change not applied');
  });

  it('opens the photo a shared link names (?photo=…&photo_at=…)', async () => {
    const { url, demo } = await fixtureInfo();
    const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/images?page=2&page_size=10`, {
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const target = ((await res.json()) as { data: ImagePage }).data.images[3]!;
    history.replaceState(null, '', `?photo=${target.image_id}&photo_at=13`);
    const { gallery } = await mountGallery('page-size="8"');
    await waitUntil(() => dialogOf(gallery)?.open, 'shared photo did not open', { timeout: 10000 });
    expect(counter(gallery)).to.equal('14 / 40');
    lightboxOf(gallery).close();
  });
});
