import { baseUrl, expect, expectNoAxeViolations, test } from './support.ts';

test('the demo page shows the seeded photos through the drop-in script', async ({ page, problems }) => {
  await page.goto(`${baseUrl()}/`);
  const photos = page.locator('pf-gallery button.photo');
  await expect(photos.first()).toBeVisible();
  expect(await photos.count()).toBeGreaterThanOrEqual(32);
  const img = photos.first().locator('img');
  await expect(img).toHaveJSProperty('complete', true);
  expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  // The snippet on the page is the one a race organiser pastes: a plain classic <script>.
  expect(await page.locator('script[src$="/kit/photo-finish.js"]').count()).toBe(1);
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screenshots/demo-index-390.png' });
  expect(problems).toEqual([]);
});
