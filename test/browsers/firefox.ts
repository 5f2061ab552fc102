/// <reference lib="dom" />
// Firefox ESR (Debian's firefox-esr) driven over WebDriver BiDi by puppeteer-core: headless, a fresh profile
// puppeteer makes in a temp folder, loopback only.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type ElementHandle, type KeyInput, type Page } from 'puppeteer-core';
import {
  installProblemWatch,
  pageCall,
  poll,
  resolveDeep,
  takeProblemsInPage,
  type BrowserDriver,
  type Deep,
  type Key,
} from './driver.ts';

export const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

export function findFirefox(): string | null {
  const list = process.env.FIREFOX_PATH ? [process.env.FIREFOX_PATH] : FIREFOX_CANDIDATES;
  return list.find((p) => existsSync(p)) ?? null;
}

export async function launchFirefox(executablePath: string, viewport = { width: 1280, height: 900 }): Promise<BrowserDriver> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocol: 'webDriverBiDi',
    defaultViewport: viewport,
    extraPrefsFirefox: {
      // Nothing leaves the machine: no updates, telemetry, captive-portal or remote-settings checks.
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'browser.safebrowsing.update.enabled': false,
      'services.settings.server': 'http://127.0.0.1:9/',
      'network.proxy.allow_hijacking_localhost': false,
      // Downloads go to the profile's folder without asking (the checkout's links are fetched, never saved).
      'browser.download.useDownloadDir': true,
    },
  });
  const page: Page = (await browser.pages())[0] ?? (await browser.newPage());
  // The first tab keeps Firefox's own window size without this (1366×682 headless).
  await page.setViewport(viewport);
  const early: string[] = [];
  page.on('pageerror', (e) => early.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  page.on('console', (m) => m.type() === 'error' && early.push(`console: ${m.text()}`));
  const version = (await browser.version()).replace('/', ' ');

  /** The element at `path`, once it is there. */
  const handle = (path: Deep): Promise<ElementHandle<Element>> =>
    poll(`firefox: ${path.join(' >>> ')}`, async () => {
      const h = await page.evaluateHandle(pageCall(resolveDeep, [path]));
      const el = h.asElement() as ElementHandle<Element> | null;
      if (!el) await h.dispose();
      return el;
    });

  return {
    name: 'firefox',
    version,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
      await page.evaluate(pageCall(installProblemWatch, []));
    },
    async run(fn, ...args) {
      return (await page.evaluate(pageCall(fn as (...a: never[]) => unknown, args))) as never;
    },
    async click(path) {
      const el = await handle(path);
      try {
        await el.click();
      } finally {
        await el.dispose();
      }
    },
    async type(path, text) {
      const el = await handle(path);
      try {
        await el.focus();
        await page.keyboard.type(text);
      } finally {
        await el.dispose();
      }
    },
    async press(key: Key) {
      await page.keyboard.press(key as KeyInput);
    },
    async upload(path, file) {
      const el = (await handle(path)) as ElementHandle<HTMLInputElement>;
      try {
        await el.uploadFile(file);
      } finally {
        await el.dispose();
      }
    },
    async wheel(x, y, dy) {
      await page.mouse.move(x, y);
      await page.mouse.wheel({ deltaY: dy });
    },
    async screenshot(file) {
      await page.screenshot({ path: file as `${string}.png` });
    },
    async takeProblems() {
      const inPage = (await page.evaluate(pageCall(takeProblemsInPage, []))) as string[];
      const all = [...early.splice(0), ...inPage];
      return [...new Set(all)];
    },
    async close() {
      await browser.close();
    },
  };
}
