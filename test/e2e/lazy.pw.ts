/// <reference lib="dom" />
// What a gallery page loads, and when: the lightbox's module after the first thumbnails (never competing with them),
// the French strings only on a French page and before the first French render (no flash of English).
import type { Page, Route } from '@playwright/test';
import { baseUrl, counter, demo, expect, test } from './support.ts';

function galleryPage(lang: string, pageSize = 12) {
  const d = demo();
  const base = baseUrl();
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Gallery</title><link rel="icon" href="data:,">
    <script src="${base}/kit/photo-finish.js"></script></head>
    <body><main><pf-event api="${base}" org="${d.org_id}" event="${d.event_id}" key="${d.publishable_key}">
    <pf-gallery page-size="${pageSize}"></pf-gallery></pf-event></main></body></html>`;
}

/** Holds the responses to `pattern` until `release()`; `asked` resolves with the first request's URL. */
async function hold(page: Page, pattern: RegExp) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let asked!: (url: string) => void;
  const askedP = new Promise<string>((r) => (asked = r));
  await page.route(pattern, async (route: Route) => {
    asked(route.request().url());
    await released;
    await route.continue();
  });
  return { release, asked: askedP };
}

test('a gallery page: the lightbox module comes after the first thumbnails; a tap meanwhile opens it when it lands', async ({
  page,
  problems,
}) => {
  const base = baseUrl();
  const french: string[] = [];
  const scripts: string[] = [];
  page.on('request', (r) => /\/kit\/esm\/chunks\/fr-[\w-]+\.js$/.test(r.url()) && french.push(r.url()));
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url().replace(`${base}/kit/`, '')));
  await page.route(`${base}/gallery-only.html`, (route) => route.fulfill({ contentType: 'text/html', body: galleryPage('en') }));
  const lightbox = await hold(page, /\/kit\/esm\/chunks\/pf-lightbox-[\w-]+\.js$/);
  await page.goto(`${base}/gallery-only.html`);
  const gallery = page.locator('pf-gallery');
  await expect(gallery.locator('button.photo').first()).toBeVisible();

  // Asked for only once every thumbnail on screen has loaded.
  await lightbox.asked;
  // (Below the fold, images start once these are in: only those on screen are checked.)
  const thumbs = await gallery
    .locator('img[part~=thumbnail]')
    .evaluateAll((imgs) =>
      imgs
        .filter((i) => i.getBoundingClientRect().top < innerHeight)
        .map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
    );
  expect(thumbs.length).toBeGreaterThan(0);
  expect(thumbs.every(Boolean)).toBe(true);
  expect(await page.evaluate(() => customElements.get('pf-lightbox') === undefined)).toBe(true);
  // Before the lightbox, a gallery page fetches the loader and one shared chunk, which defines both elements (their
  // entries only re-export it): no decorator runtime, no page password form, no grid layout, no Call to Action, no
  // other element's helpers.
  const named = scripts.map((u) => u.replace(/^(esm\/chunks\/[\w.-]+?)-[\w-]{8}\.js$/, '$1.js'));
  expect(named.filter((u) => !u.includes('lightbox')).sort()).toEqual(['esm/chunks/kit.js', 'photo-finish.js']);

  // A tap while the module is on its way; an arrow key meanwhile is not the gallery's to take.
  await gallery.locator('button.photo').first().click();
  await page.keyboard.press('ArrowRight');
  lightbox.release();
  const dialog = gallery.locator('pf-lightbox dialog');
  await expect(dialog).toBeVisible();
  await expect(counter(gallery)).toHaveText(/^1 \/ \d+$/);
  await page.keyboard.press('ArrowRight');
  await expect(counter(gallery)).toHaveText(/^2 \/ \d+$/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(gallery.locator('button.photo:focus')).toHaveAttribute('aria-label', /^Photo 2 of/);
  expect(french).toEqual([]);
  expect(problems).toEqual([]);
});

test('a French page: the French strings arrive before the first render, and only there', async ({ page, problems }) => {
  const base = baseUrl();
  await page.route(`${base}/galerie.html`, (route) => route.fulfill({ contentType: 'text/html', body: galleryPage('fr') }));
  const french = await hold(page, /\/kit\/esm\/chunks\/fr-[\w-]+\.js$/);
  await page.goto(`${base}/galerie.html`);
  await french.asked;
  // Defined, but holding its first render until its language is in: nothing English on screen.
  await page.waitForFunction(() => customElements.get('pf-gallery') !== undefined);
  expect(await page.locator('pf-gallery').evaluate((g) => g.shadowRoot?.textContent ?? '')).not.toMatch(/Loading|photos? of/i);
  french.release();
  await expect(page.locator('pf-gallery [part=grid]')).toHaveAttribute('aria-label', "Photos de l'événement");
  await expect(page.locator('pf-gallery button.photo').first()).toHaveAttribute('aria-label', /^Photo 1 (sur|de)/);
  expect(problems).toEqual([]);
});

test('the thumbnails on screen have the link to themselves: the next page and the images below come after', async ({
  page,
  problems,
}) => {
  const base = baseUrl();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.route(`${base}/first-paint.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: galleryPage('en', 24) }),
  );
  await page.goto(`${base}/first-paint.html`);
  const gallery = page.locator('pf-gallery');
  // The rest has loaded once the lightbox's module (fetched last, when idle) is defined.
  await page.waitForFunction(() => customElements.get('pf-lightbox') !== undefined);
  await page.waitForFunction(() => {
    const g = document.querySelector('pf-gallery')!;
    const imgs = [...g.shadowRoot!.querySelectorAll<HTMLImageElement>('img[part~=thumbnail]')];
    const page2 = performance.getEntriesByType('resource').some((e) => /\/images\?page=2&/.test(e.name));
    return page2 && imgs.length > 0 && imgs.every((i) => i.complete);
  });
  const t = await gallery.evaluate((g) => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const timing = (url: string) => entries.find((e) => e.name === url);
    const imgs = [...g.shadowRoot!.querySelectorAll<HTMLImageElement>('img[part~=thumbnail]')];
    const onScreen = imgs.filter((i) => i.getBoundingClientRect().top < innerHeight);
    const below = imgs.filter((i) => i.getBoundingClientRect().top >= innerHeight);
    const page2 = entries.find((e) => /\/images\?page=2&/.test(e.name));
    return {
      onScreen: onScreen.length,
      below: below.length,
      onScreenDone: Math.max(...onScreen.map((i) => timing(i.currentSrc)?.responseEnd ?? Infinity)),
      belowStart: Math.min(...below.map((i) => timing(i.currentSrc)?.startTime ?? -1)),
      page2Start: page2?.startTime ?? -1,
    };
  });
  expect(t.onScreen).toBeGreaterThan(4);
  expect(t.below).toBeGreaterThan(0);
  expect(t.belowStart).toBeGreaterThanOrEqual(t.onScreenDone);
  expect(t.page2Start).toBeGreaterThanOrEqual(t.onScreenDone);
  expect(problems).toEqual([]);
});

test('the first row on screen has the link first: the other thumbnails on screen start once it is in', async ({
  page,
  problems,
}) => {
  const base = baseUrl();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.route(`${base}/first-row.html`, (route) => route.fulfill({ contentType: 'text/html', body: galleryPage('en', 24) }));
  await page.goto(`${base}/first-row.html`);
  await page.waitForFunction(() => customElements.get('pf-lightbox') !== undefined);
  await page.waitForFunction(() => {
    const imgs = [
      ...document.querySelector('pf-gallery')!.shadowRoot!.querySelectorAll<HTMLImageElement>('img[part~=thumbnail]'),
    ];
    return imgs.filter((i) => i.getBoundingClientRect().top < innerHeight).length > 3 && imgs.every((i) => i.complete);
  });
  const t = await page.locator('pf-gallery').evaluate((g) => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const timing = (url: string) => entries.find((e) => e.name === url);
    const onScreen = [...g.shadowRoot!.querySelectorAll<HTMLImageElement>('img[part~=thumbnail]')].filter(
      (i) => i.getBoundingClientRect().top < innerHeight,
    );
    const top = Math.min(...onScreen.map((i) => i.getBoundingClientRect().top));
    const first = onScreen.filter((i) => i.getBoundingClientRect().top === top);
    const rest = onScreen.filter((i) => i.getBoundingClientRect().top > top);
    return {
      first: first.length,
      rest: rest.length,
      firstDone: Math.max(...first.map((i) => timing(i.currentSrc)?.responseEnd ?? Infinity)),
      restStart: Math.min(...rest.map((i) => timing(i.currentSrc)?.startTime ?? -1)),
      // Thumbnails sized for their cell: the rendition picked is at most twice the width the cell needs.
      oversized: onScreen.filter((i) => i.naturalWidth > 2 * i.getBoundingClientRect().width * devicePixelRatio).length,
    };
  });
  expect(t.first).toBeGreaterThan(0);
  expect(t.rest).toBeGreaterThan(0);
  expect(t.restStart).toBeGreaterThanOrEqual(t.firstDone);
  expect(t.oversized).toBe(0);
  expect(problems).toEqual([]);
});

test('an event with a page password: the form comes in a chunk of its own, and works', async ({ page, problems }) => {
  // (The form's behaviour is tested in test/widgets/event-settings.test.ts; here, that a page without a password
  // never fetches it, which the first test checks, and that a protected page does.)
  const base = baseUrl();
  await page.route(`${base}/protected.html`, (route) => route.fulfill({ contentType: 'text/html', body: galleryPage('en') }));
  await page.route(/\/api\/v1\/ext\/\d+\/event\/\d+\/details$/, async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { data: Record<string, unknown> };
    body.data.password_required = true;
    await route.fulfill({ response: res, json: body });
  });
  const form = page.waitForRequest(/\/kit\/esm\/chunks\/password-[\w-]+\.js$/);
  await page.goto(`${base}/protected.html`);
  await form;
  await expect(page.locator('pf-event [part=password]')).toBeVisible();
  await expect(page.getByLabel('Event password')).toBeVisible();
  expect(problems).toEqual([]);
});
