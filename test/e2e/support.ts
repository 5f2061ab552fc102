/// <reference lib="dom" />
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { DemoInfo } from '../../server/seed/demo.ts';

export const baseUrl = () => process.env.PF_E2E_URL!;
export const demo = () => JSON.parse(process.env.PF_E2E_DEMO!) as DemoInfo;
export const dataDir = () => process.env.PF_E2E_DATA_DIR!;

/** Collects console errors, page errors and CSP violations; each test asserts there were none. */
export const test = base.extend<{ problems: string[]; warnings: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Chromium's console line for a failed load has no URL: name it.
    page.on('response', (r) => r.status() >= 400 && problems.push(`http ${r.status()}: ${r.request().method()} ${r.url()}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await use(problems);
  },
  warnings: async ({ page }, use) => {
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await use(warnings);
  },
});
export { expect };

/** Signs in to the console as the demo's owner and waits for the Events page. */
export async function signInAsOwner(page: Page) {
  const d = demo() as DemoInfo & { owner_email: string; owner_password: string };
  await page.goto(`${baseUrl()}/console/`);
  await page.getByLabel('Email').fill(d.owner_email);
  await page.getByLabel('Password').fill(d.owner_password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible();
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
}

/** A phone-sized (390×844) screenshot of the page into test-results/screenshots/ (viewport and full page). */
export async function phoneScreenshot(page: Page, name: string) {
  mkdirSync('test-results/screenshots', { recursive: true });
  const before = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await settled(page);
  await page.screenshot({ path: `test-results/screenshots/${name}-390.png` });
  // The galleries render only what is near the viewport: for the whole page, make the viewport that tall.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 390, height: Math.min(height, 12000) });
  await settled(page);
  await page.screenshot({ path: `test-results/screenshots/${name}-390-full.png` });
  if (before) await page.setViewportSize(before);
}

/**
 * Waits until the page has laid out after a resize (two animation frames) and every image in it, shadow roots
 * included, has loaded: state, not time.
 */
async function settled(page: Page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => {
    const imgs: HTMLImageElement[] = [];
    const walk = (root: Document | ShadowRoot) => {
      imgs.push(...root.querySelectorAll('img'));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return imgs.every((i) => i.complete);
  });
}

/** What has keyboard focus, looking through shadow roots: its part attribute and accessible label. */
export function focused(page: Page) {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return { part: a?.getAttribute('part') ?? '', label: a?.getAttribute('aria-label') ?? a?.textContent?.trim() ?? '' };
  });
}

/** Presses Tab until `match` holds for the focused element (at most `max` times). */
export async function tabTo(page: Page, match: (f: { part: string; label: string }) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    if (match(await focused(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(page))})`);
}

/** The lightbox counter ("3 / 40") of the gallery `g`. */
export const counter = (g: Locator) => g.locator('pf-lightbox .counter [aria-hidden]');
