// The widget flows in every participant's browser engine besides Chromium (which the Playwright e2e covers):
// Firefox ESR over WebDriver BiDi and WebKit (WebKitGTK) over W3C WebDriver, against one seeded real server.
//
//   npm run build && npm run test:browsers
//
// Needs Debian's firefox-esr, webkit2gtk-driver and xvfb (.ci/run installs them). Without them the suite
// skips and says why, except in CI (CI=true), where a missing browser fails.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApiFixture, type ApiFixture } from '../support/api-fixture.ts';
import { FACES_DIR, facesMissing } from '../support/face-dataset.ts';
import type { BrowserDriver } from './driver.ts';
import { findFirefox, launchFirefox } from './firefox.ts';
import { bibSearchFlow, checkoutFlow, galleryFlow, lightboxFlow, SELFIE, selfieFlow, type FlowContext } from './flows.ts';
import { findWebKit, launchWebKit } from './webkit.ts';

const root = resolve(import.meta.dirname, '../..');
const FACES = FACES_DIR;
// Under CI a missing dataset fails here (facesMissing throws) instead of skipping the selfie flows.
const hasFaces = !facesMissing() && existsSync(join(FACES, SELFIE.file));

if (!existsSync(join(root, 'dist', 'photo-finish.js')))
  throw new Error('dist/photo-finish.js is missing: run `npm run build` before the browser tests');

const engines: { name: 'firefox' | 'webkit'; missing: string | null; launch: () => Promise<BrowserDriver> }[] = [
  {
    name: 'firefox',
    missing: findFirefox() ? null : 'Firefox not found (apt-get install firefox-esr, or set FIREFOX_PATH)',
    launch: () => launchFirefox(findFirefox()!),
  },
  {
    name: 'webkit',
    missing: findWebKit() ? null : 'WebKitGTK WebDriver or Xvfb not found (apt-get install webkit2gtk-driver xvfb)',
    launch: () => launchWebKit(findWebKit()!),
  },
];

let fixture: ApiFixture;
const ctx = (): FlowContext => ({
  url: fixture.url,
  demo: fixture.demo,
  dataDir: fixture.dataDir,
  faces: hasFaces ? FACES : null,
});

before(async () => {
  const t0 = performance.now();
  fixture = await startApiFixture({ photos: 64 });
  console.log(`[browsers] seeded server ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});
after(async () => {
  await fixture?.stop();
});

// PF_BROWSERS=webkit (or firefox) runs one engine only.
const only = process.env.PF_BROWSERS?.split(',').map((s) => s.trim());
for (const engine of engines.filter((e) => !only || only.includes(e.name))) {
  if (engine.missing && process.env.CI) throw new Error(`${engine.name}: ${engine.missing}`);
  describe(engine.name, { skip: engine.missing ?? false }, () => {
    let b: BrowserDriver;
    before(async () => {
      const t0 = performance.now();
      b = await engine.launch();
      console.log(`[browsers] ${engine.name}: ${b.version}, started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });
    after(async () => {
      await b?.close();
    });

    it('gallery: thumbnails load, rows fit, scrolling renders the last photo', { timeout: 90_000 }, () => galleryFlow(b, ctx()));
    it('BIB search: typed BIB + Enter shows that runner’s photos', { timeout: 90_000 }, async () => {
      await bibSearchFlow(b, ctx());
    });
    it(
      'lightbox: click opens, arrows move, the page behind neither scrolls nor shows its scrollbar, Esc returns focus',
      {
        timeout: 90_000,
      },
      () => lightboxFlow(b, ctx()),
    );
    it(
      'selfie: a real face photo, analysed in the browser, finds that runner’s photos',
      {
        timeout: 180_000,
        skip: hasFaces ? false : `face dataset not found at ${FACES}`,
      },
      () => selfieFlow(b, ctx()),
    );
    it('checkout: select three, pay with the test gateway, download the ZIP and each original', { timeout: 120_000 }, () =>
      checkoutFlow(b, ctx()),
    );
  });
}
