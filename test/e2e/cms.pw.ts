/// <reference lib="dom" />
// The widgets inside a busy third-party CMS layout with aggressive global CSS (see demo/cms.css).
import { baseUrl, expect, expectNoAxeViolations, phoneScreenshot, test } from './support.ts';
import { bibSearchByKeyboard, walkTimeline } from './flows.ts';

test('CMS page: the widgets keep their look and work under hostile CSS; the sidebar timeline joins by event-ref', async ({
  page,
  problems,
}) => {
  await page.goto(`${baseUrl()}/cms.html`);
  const gallery = page.locator('pf-event > pf-gallery');
  await expect(gallery.locator('button.photo').first()).toBeVisible();

  // The page forces upper case, 62.5 % root font size, line-height 0.95 and content-box everywhere:
  // none of it reaches inside the widgets.
  const label = page.locator('pf-bib-search label');
  const style = await label.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      transform: s.textTransform,
      size: parseFloat(s.fontSize),
      lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize),
    };
  });
  expect(style).toEqual({ transform: 'none', size: 16, lineHeight: 1.5 });
  const input = page.locator('pf-bib-search [part=search-input]');
  expect(await input.evaluate((el) => getComputedStyle(el).boxSizing)).toBe('border-box');
  // Thumbnails stay inside their cells (the page sets img { max-width: none; border; padding }).
  const cell = await gallery.locator('.cell').first().boundingBox();
  const img = await gallery.locator('.cell img').first().boundingBox();
  expect(img).toEqual(cell);
  // The grid fills the article column, no overflow.
  const box = await page.locator('.wp-block-html').boundingBox();
  const grid = await gallery.locator('[part=grid]').boundingBox();
  expect(grid!.x + grid!.width).toBeLessThanOrEqual(box!.x + box!.width);

  await bibSearchByKeyboard(page, '0427');
  await walkTimeline(page, '#race-timeline');
  await expectNoAxeViolations(page);
  await phoneScreenshot(page, 'demo-cms');
  expect(problems).toEqual([]);
});
