/// <reference lib="dom" />
// User flows shared by the demo-page specs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { counter, dataDir, expect, focused, tabTo } from './support.ts';

/** Searches a BIB and opens a result in the lightbox using the keyboard only. */
export async function bibSearchByKeyboard(page: Page, bib: string) {
  await tabTo(page, (f) => f.part === 'search-input');
  await page.keyboard.type(bib);
  await page.keyboard.press('Enter');
  const results = page.locator('pf-bib-search pf-gallery');
  await expect(results.locator('button.photo').first()).toBeVisible();
  await expect(page.locator('pf-bib-search [part=summary]')).toHaveText(new RegExp(`^\\d+ photos? of BIB ${bib}$`));
  const total = Number((await page.locator('pf-bib-search [part=summary]').textContent())!.split(' ')[0]);
  await tabTo(page, (f) => f.part === 'photo' && f.label.startsWith('Photo 1 of'));
  await page.keyboard.press('Enter');
  const dialog = results.locator('pf-lightbox dialog');
  await expect(dialog).toBeVisible();
  await expect(counter(results)).toHaveText(`1 / ${total}`);
  if (total > 1) {
    await page.keyboard.press('ArrowRight');
    await expect(counter(results)).toHaveText(`2 / ${total}`);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // Focus is back on the thumbnail of the photo last shown (waited for: the gallery may render that cell first).
  await expect
    .poll(() => focused(page))
    .toMatchObject({ part: 'photo', label: expect.stringMatching(total > 1 ? /^Photo 2 of/ : /^Photo 1 of/) });
  return total;
}

/** Walks the timeline: arrow keys across the bars, Enter shows an hour, Later moves on. */
export async function walkTimeline(page: Page, timelineSelector = 'pf-timeline') {
  const timeline = page.locator(timelineSelector);
  const bars = timeline.locator('[part=bar]:not([disabled])');
  await expect(bars.first()).toBeVisible();
  const labels = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!));
  expect(labels.length).toBeGreaterThan(1);
  await bars.first().focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await focused(page)).label).toBe(labels[1]);
  await page.keyboard.press('Enter');
  const count = Number(/: (\d+) photos?$/.exec(labels[1]!)![1]);
  const gallery = timeline.locator('pf-gallery');
  await expect.poll(() => gallery.evaluate((g) => (g as HTMLElement & { count: number | null }).count)).toBe(count);
  await expect(timeline.locator('[part=window] [role=status]')).toContainText(`${count} photo`);
  await timeline.locator('[part=later]').click();
  const next = Number(/: (\d+) photos?$/.exec(labels[2] ?? labels[1]!)![1]);
  await expect.poll(() => gallery.evaluate((g) => (g as HTMLElement & { count: number | null }).count)).toBe(next);
  expect(new URL(page.url()).searchParams.get('time')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00Z$/);
}

/** Downloads a photo's original from the lightbox; asserts the file is the original JPEG, byte for byte. */
export async function downloadOriginal(page: Page, gallerySelector: string) {
  const gallery = page.locator(gallerySelector).first();
  await gallery.locator('button.photo').first().click();
  const dialog = gallery.locator('pf-lightbox dialog');
  await expect(dialog).toBeVisible();
  const imageId = new URL(page.url()).searchParams.get('photo')!;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    gallery.locator('pf-lightbox [part=lightbox-button]', { hasText: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${imageId}.jpg`);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  const original = readFileSync(join(dataDir(), 'blobs', 'originals', `${imageId}.jpg`));
  expect(bytes.equals(original)).toBe(true);
  await expect(gallery.locator('pf-lightbox .foot')).toContainText('Original photo downloaded.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}
