/// <reference lib="dom" />
// The hosted event page on a phone (390×844): the first screen shows the event and one search box (pf-finder); a
// name search leads to the runner's photos and "download all" gives a ZIP of all of them; a shared photo link
// previews that photo (og:image = its watermarked preview); the first load is measured.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { unzip } from '../server/checkout/support.ts';
import { baseUrl, demo, expect, test } from './support.ts';

test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

const pagePath = () => `/e/${demo().org_id}/riverside-half-marathon-2026`;

/** The first load as the network saw it: requests and bytes on the wire (compressed), through the DevTools protocol. */
async function measureFirstLoad(page: Page, url: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map<string, { url: string; type: string; bytes: number }>();
  cdp.on('Network.requestWillBeSent', (e) =>
    requests.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', bytes: 0 }),
  );
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'networkidle' });
  const ms = Date.now() - t0;
  await cdp.detach();
  const list = [...requests.values()];
  const byType: Record<string, { requests: number; bytes: number }> = {};
  for (const r of list) {
    const t = (byType[r.type] ??= { requests: 0, bytes: 0 });
    t.requests++;
    t.bytes += r.bytes;
  }
  return { requests: list.length, bytes: list.reduce((n, r) => n + r.bytes, 0), ms, byType, list };
}

test('first screen: the event and one search box (pf-finder); the first load is measured', async ({ page, problems }) => {
  const load = await measureFirstLoad(page, `${baseUrl()}${pagePath()}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/event-page-first-load.json', JSON.stringify(load, null, 2));
  console.log(
    `event page first load (390×844, cache off): ${load.requests} requests, ${(load.bytes / 1024).toFixed(1)} KiB on the wire, network idle after ${load.ms} ms; ` +
      Object.entries(load.byType)
        .map(([t, v]) => `${t} ${v.requests}/${(v.bytes / 1024).toFixed(1)} KiB`)
        .join(', '),
  );

  await expect(page.locator('h1')).toHaveText('Riverside Half Marathon 2026');
  await expect(page.locator('.pf-page-facts')).toHaveText('22 November 2026');
  // One search box (pf-finder: BIB, name and selfie as tabs), within the first screen.
  const finder = page.locator('pf-finder');
  await expect(finder).toHaveCount(1);
  await expect(finder.getByRole('tab')).toHaveText(['BIB number', 'Name', 'Selfie']);
  const input = finder.locator('[part=search-input]').first();
  await expect(input).toBeVisible();
  const box = (await input.boundingBox())!;
  expect(box.y + box.height).toBeLessThan(844);
  expect(problems).toEqual([]);
});

test('search by name, choose the runner, download all: the ZIP holds every photo found', async ({ page, problems }) => {
  await page.goto(`${baseUrl()}${pagePath()}`);
  const finder = page.locator('pf-finder');
  await finder.getByRole('tab', { name: 'Name' }).click();
  // The demo results hold "Zoë Martin" twice (two runners of one name): typed without the accent.
  await finder.getByLabel('Your name').fill('zoe martin');
  const runners = finder.locator('[part~=runner]');
  await expect(runners).toHaveCount(2);
  await runners.filter({ hasText: '0427' }).click();
  const panel = finder.getByRole('tabpanel');
  const summary = panel.locator('[part=summary]');
  await expect(summary).toHaveText(/^\d+ photos? of Zoë Martin \(BIB 0427\)$/);
  const found = Number((await summary.textContent())!.split(' ')[0]);
  expect(found).toBeGreaterThan(0);

  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download all my photos' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('riverside-half-marathon-2026_0427.zip');
  const files = await unzip(readFileSync((await file.path())!));
  expect(files.size).toBe(found);
  for (const [name, bytes] of files) {
    expect(name).toMatch(/^riverside-half-marathon-2026_0427_\d{6}(_\d+)?\.jpg$|^riverside-half-marathon-2026_0427_n\d{4}\.jpg$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  }
  expect(problems).toEqual([]);
});

test('a shared photo link previews that photo: og:image is its watermarked preview', async ({ page, context, problems }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  // Desktop Chromium has no share sheet here: make sure the lightbox copies the link.
  await page.addInitScript(() => Object.defineProperty(navigator, 'share', { value: undefined }));
  await page.goto(`${baseUrl()}${pagePath()}`);
  const gallery = page.locator('pf-event > pf-gallery');
  await gallery.locator('button.photo').first().click();
  const dialog = gallery.locator('pf-lightbox dialog');
  await expect(dialog).toBeVisible();
  await gallery.locator('pf-lightbox [part=lightbox-button]', { hasText: 'Share' }).click();
  await expect(gallery.locator('pf-lightbox [part=lightbox-status]')).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const shared = new URL(link);
  expect(shared.pathname).toBe(pagePath());
  const imageId = shared.searchParams.get('photo')!;
  expect(imageId).toMatch(/^[0-9a-f-]{36}$/);

  // What a chat app's preview bot reads: the page's og:image, without running any script.
  const html = await (await page.request.get(link)).text();
  const og = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
  expect(og).toMatch(new RegExp(`/files/r/renditions/${imageId}/preview-1600(-w\\d+)?\\.jpg$`));
  expect(/<meta name="twitter:card" content="([^"]+)"/.exec(html)?.[1]).toBe('summary_large_image');
  const image = await page.request.get(og!);
  expect(image.status()).toBe(200);
  expect(image.headers()['content-type']).toBe('image/jpeg');

  // The link opens that photo.
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.locator('pf-event > pf-gallery pf-lightbox dialog')).toBeVisible();
  await other.close();
  expect(problems).toEqual([]);
});

test('the QR code on the page link decodes to the page with source=qr', async ({ page }) => {
  const res = await page.request.get(`${baseUrl()}${pagePath()}/qr.svg`);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain(`<title>${baseUrl()}${pagePath()}?source=qr</title>`);
});
