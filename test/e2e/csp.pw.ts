/// <reference lib="dom" />
// The page served with the server's strict Content-Security-Policy (STRICT_CSP): no inline scripts or styles,
// no eval, same-origin only. Any violation is logged as a console error by the `problems` fixture.
import { STRICT_CSP } from '../../server/routes/static.ts';
import { baseUrl, expect, expectNoAxeViolations, phoneScreenshot, test } from './support.ts';
import { bibSearchByKeyboard, downloadOriginal, walkTimeline } from './flows.ts';

test('strict-CSP page: search, lightbox, timeline and download work with no CSP violation', async ({ page, problems }) => {
  const res = await page.goto(`${baseUrl()}/csp.html`);
  expect(res!.headers()['content-security-policy']).toBe(STRICT_CSP);
  const html = await res!.text();
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style|\sstyle=/);

  const gallery = page.locator('pf-event > pf-gallery');
  await expect(gallery.locator('button.photo').first()).toBeVisible();
  // The branded theme (themes/riverside.css) reached the widgets through custom properties.
  const accent = await page.locator('pf-bib-search [part=search-button]').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(accent).toBe('rgb(179, 63, 0)');
  // Icons survive minification: the magnifier's handle is a sibling of its circle, not swallowed by it.
  expect(await page.locator('pf-bib-search [part=search-button] svg > path').count()).toBe(1);

  await bibSearchByKeyboard(page, '0427');
  await walkTimeline(page);
  await downloadOriginal(page, 'pf-event > pf-gallery');
  await expectNoAxeViolations(page);
  await phoneScreenshot(page, 'demo-csp');
  expect(problems).toEqual([]);
});
