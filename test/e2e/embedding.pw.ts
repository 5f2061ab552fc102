/// <reference lib="dom" />
// The snippets of docs/embedding.md, exactly as written there (only the server, organisation, event and key
// replaced), on pages of another origin: a static site, a site builder's embed-code block, and the iframe page with
// its auto-height listener. Each searches a BIB and sees the photos.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { baseUrl, demo, expect, test } from './support.ts';

/** The ```html block after `<!-- tested: name` in docs/embedding.md, made to point at the test server. */
function snippet(name: string): string {
  const doc = readFileSync('docs/embedding.md', 'utf8');
  const at = doc.indexOf(`<!-- tested: ${name} `);
  expect(at, `docs/embedding.md has the ${name} snippet`).toBeGreaterThan(0);
  const start = doc.indexOf('```html\n', at) + '```html\n'.length;
  const d = demo();
  return doc
    .slice(start, doc.indexOf('\n```', start))
    .replaceAll('https://photos.example.org', baseUrl())
    .replaceAll('pk_your_publishable_key', d.publishable_key)
    .replace(/org="\d+" event="\d+"/g, `org="${d.org_id}" event="${d.event_id}"`)
    .replace(/\/embed\/\d+\/\d+\?/g, `/embed/${d.org_id}/${d.event_id}?`);
}

/**
 * A page of another site (its own little server on another loopback port, as a club's website is another origin),
 * with `body` in the middle of its content; closed when the test ends.
 */
async function hostPage(page: Page, body: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Riverside Running Club</title><link rel="icon" href="data:,"></head>
    <body><header><h1>Riverside Running Club</h1></header><main><p>Find your race photos below.</p>${body}<p>After the embed.</p></main></body></html>`;
  const site = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  page.once('close', () => site.close());
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/photos.html`);
}

async function searchBib(root: { locator(selector: string): Locator }, bib: string) {
  const search = root.locator('pf-bib-search');
  await search.locator('[part=search-input]').fill(bib);
  await search.locator('[part=search-input]').press('Enter');
  await expect(search.locator('pf-gallery button.photo').first()).toBeVisible();
  await expect(search.locator('[part=summary]')).toHaveText(new RegExp(`^[1-9]\\d* photos? of BIB ${bib}$`));
}

test('static site: the drop-in snippet', async ({ page, problems }) => {
  await hostPage(page, snippet('static-site'));
  await searchBib(page, '0427');
  await expect(page.locator('pf-event > pf-gallery button.photo').first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('embed-code block: a classic script in the middle of the page, twice on one page', async ({ page, problems }) => {
  const code = snippet('embed-code');
  expect(code).not.toMatch(/type="module"|<script>|\son\w+=/); // no module script, no inline code
  // Two blocks with the same code (a builder's page with two embed blocks): one copy of the kit runs.
  await hostPage(page, `<div class="embed-block">${code}</div><div class="embed-block">${code}</div>`);
  await searchBib(page.locator('.embed-block').first(), '0427');
  await expect(page.locator('.embed-block').nth(1).locator('pf-event > pf-gallery button.photo').first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('iframe: the embed page under its own strict policy, sized by its height messages', async ({ page, problems }) => {
  const code = snippet('iframe');
  await hostPage(page, code);
  const frameEl = page.locator('iframe[title="Race photos"]');
  const frame = page.frameLocator('iframe[title="Race photos"]');
  await expect(frame.locator('pf-bib-search [part=search-input]')).toBeVisible();
  const height = () => frameEl.evaluate((f: HTMLIFrameElement) => f.getBoundingClientRect().height);
  // The frame is of another origin than the host page: ask the frame itself.
  const content = () =>
    page.frame({ url: /\/embed\// })!.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  // The listener sized the frame to its content (not the 800 px of the snippet).
  await expect.poll(async () => Math.abs((await height()) - (await content()))).toBeLessThanOrEqual(1);
  const before = await height();
  await searchBib(frame, '0427');
  // Results made the page taller: the frame followed.
  await expect.poll(height).toBeGreaterThan(before);
  await expect.poll(async () => Math.abs((await height()) - (await content()))).toBeLessThanOrEqual(1);
  expect(problems).toEqual([]);
});
