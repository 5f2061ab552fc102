/// <reference lib="dom" />
// The plain demo page: the README's snippet (drop-in <script> + elements) on a plain HTML page.
import { readFileSync } from 'node:fs';
import { bibSearchByKeyboard, downloadOriginal, walkTimeline } from './flows.ts';
import { baseUrl, counter, expect, expectNoAxeViolations, phoneScreenshot, test } from './support.ts';

test('plain page: the README snippet, BIB search by keyboard, timeline, download, axe, no errors', async ({ page, problems }) => {
  await page.goto(`${baseUrl()}/`);
  // The snippet on the page is the one a race organiser pastes: a plain classic <script>.
  expect(await page.locator('script[src$="/kit/photo-finish.js"]').count()).toBe(1);
  const photos = page.locator('pf-event > pf-gallery button.photo');
  await expect(photos.first()).toBeVisible();
  const img = photos.first().locator('img');
  await expect(img).toHaveJSProperty('complete', true);
  expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);

  await bibSearchByKeyboard(page, '0427');
  expect(new URL(page.url()).searchParams.get('bib')).toBe('0427');
  await walkTimeline(page);
  await downloadOriginal(page, 'pf-event > pf-gallery');
  await expectNoAxeViolations(page);
  await phoneScreenshot(page, 'demo-index');
  expect(problems).toEqual([]);
});

test('a shared link opens the same results and photo', async ({ page, problems }) => {
  await page.goto(`${baseUrl()}/?bib=0427`);
  const results = page.locator('pf-bib-search pf-gallery');
  await expect(results.locator('button.photo').nth(1)).toBeVisible();
  await results.locator('button.photo').nth(1).click();
  // The link names the photo once it shows (the lightbox's module may still be on its way at the click).
  await expect(results.locator('pf-lightbox dialog')).toBeVisible();
  const link = page.url();
  expect(new URL(link).searchParams.get('photo_at')).toBe('1');
  const other = await page.context().newPage();
  await other.goto(link);
  const shared = other.locator('pf-bib-search pf-gallery');
  await expect(shared.locator('pf-lightbox dialog')).toBeVisible();
  await expect(counter(shared)).toHaveText(/^2 \/ \d+$/);
  expect(problems).toEqual([]);
});

test('the page is the README snippet, character for character', async ({ page }) => {
  const readme = readFileSync('README.md', 'utf8');
  const snippet = /<!-- embed-snippet -->\s*```html\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet, 'README.md has a ```html block after <!-- embed-snippet -->').toBeTruthy();
  const page1 = readFileSync('demo/index.html', 'utf8');
  const onPage = /<!-- photo-finish: paste from here -->\n([\s\S]*?)\s*<!-- photo-finish: to here -->/.exec(page1)![1]!;
  const norm = (s: string) =>
    s
      .replaceAll('{{BASE_URL}}', 'https://photos.example.org')
      .replaceAll('{{ORG_ID}}', '1')
      .replaceAll('{{EVENT_ID}}', '1')
      .replaceAll('{{PUBLISHABLE_KEY}}', 'pk_your_publishable_key')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
  expect(norm(onPage)).toBe(norm(snippet!));
  void page;
});

test.describe('in dark mode (themes/auto.css follows the system)', () => {
  test.use({ colorScheme: 'dark' });
  test('the plain page turns dark and still passes axe', async ({ page, problems }) => {
    await page.goto(`${baseUrl()}/?bib=0427`);
    await expect(page.locator('pf-bib-search pf-gallery button.photo').first()).toBeVisible();
    await expect(page.locator('pf-timeline [part=bar]').first()).toBeVisible();
    const bg = await page
      .locator('pf-bib-search')
      .evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.root')!).backgroundColor);
    expect(bg).toBe('rgb(18, 18, 20)');
    await expectNoAxeViolations(page);
    await phoneScreenshot(page, 'demo-index-dark');
    expect(problems).toEqual([]);
  });
});

test('pf-finder on a phone: search by name, choose among runners of that name, download all', async ({ page, problems }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${baseUrl()}/`);
  const finder = page.locator('pf-finder');
  // The first screen shows one search box, with a tab per search.
  await expect(finder.getByRole('tab')).toHaveText(['BIB number', 'Name', 'Selfie']);
  await finder.getByRole('tab', { name: 'Name' }).click();
  await finder.getByLabel('Your name').fill('zoe martin');
  const runners = finder.locator('[part~=runner]');
  await expect(runners).toHaveCount(2);
  await runners.filter({ hasText: '0427' }).click();
  // The tab panel shown (hidden panels are not in the accessibility tree).
  const panel = finder.getByRole('tabpanel');
  await expect(panel.locator('[part=summary]')).toHaveText(/^\d+ photos of Zoë Martin \(BIB 0427\)$/);
  await expect(panel.locator('pf-gallery button.photo').first()).toBeVisible();
  // The certificate on the page follows the BIB found by name.
  await expect(page.locator('pf-certificate [part~=preview]')).toBeVisible();
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download all my photos' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);
  await expectNoAxeViolations(page);
  await phoneScreenshot(page, 'demo-finder-name');
  expect(problems).toEqual([]);
});
