/// <reference lib="dom" />
// Gallery timings in headless Chromium against a real seeded server and the built kit (`npm run build` first):
//  1. time to first thumbnail on the demo page (drop-in script → first thumbnail decoded), unthrottled and on an
//     emulated phone on slow 4G (150 ms RTT, 1.6 Mbit/s down, CPU ×4), cache off, median of --runs;
//  2. a 100,000-photo event (rows inserted through the Store, reusing a few rendition blobs): frames dropped
//     while scrolling it at a steady fling speed (rAF timing), script/layout time (CDP Performance metrics),
//     DOM size, and the time until photos show after jumping to random places (a scrollbar drag).
//   node --import tsx bench/gallery-scroll.ts [--photos 100000] [--runs 3] [--seconds 6]
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright';
import { createApiKey } from '../server/services/keys.ts';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';
import { startApiFixture } from '../test/support/api-fixture.ts';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
  },
});
const PHOTOS = Number(values.photos);
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
if (!existsSync('dist/photo-finish.js')) {
  console.error('dist/photo-finish.js is missing: run `npm run build` first');
  process.exit(2);
}

// The kit as built now, served from memory: other builds may rewrite dist/ while this runs.
const KIT = readFileSync('dist/photo-finish.js');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${Math.round(n)} ms`;

console.log('seeding the demo event…');
const fixture = await startApiFixture({ photos: 24 });
const { store } = fixture.deps;
const demo = fixture.demo;

// ── a 100,000-photo event, through the Store, reusing the demo photos' rendition blobs ───────────────────
const t0 = performance.now();
const event = await store.events.create(demo.org_id, { name: 'Bench: 100k photos', time_zone: 'Europe/Paris' });
const key = (await createApiKey(store, demo.org_id, { kind: 'publishable', label: 'bench', eventIds: [event.id] })).key;
const sources = (await store.images.list(demo.event_id, { offset: 0, limit: 24 })).items;
const start = Date.UTC(2026, 10, 22, 7, 0, 0);
for (let i = 0; i < PHOTOS; i++) {
  const src = sources[i % sources.length]!;
  await store.images.insert({
    id: randomUUID(),
    event_id: event.id,
    content_hash: `bench-${i}`,
    original_name: `bench-${i}.jpg`,
    captured_at: start + i * 250,
    width: src.width,
    height: src.height,
    mime: src.mime,
    bytes: src.bytes,
    original_key: src.original_key,
    renditions: src.renditions,
  });
}
console.log(`built event ${event.id}: ${PHOTOS.toLocaleString('en')} photos in ${ms(performance.now() - t0)}`);

const browser = await chromium.launch({ executablePath: await findChromium(), headless: true, args: CHROMIUM_ARGS });
/** tsx keeps function names with a `__name` helper that page.evaluate callbacks do not carry: provide it. */
const KEEP_NAMES = 'globalThis.__name = (f) => f;';
const newContext = async (options: Parameters<typeof browser.newContext>[0]) => {
  const context = await browser.newContext(options);
  await context.addInitScript(KEEP_NAMES);
  await context.route('**/kit/photo-finish.js', (route) =>
    route.fulfill({ body: KIT, contentType: 'text/javascript', headers: { 'Cache-Control': 'no-store' } }),
  );
  return context;
};

/** Resolves with ms from navigation start to the first gallery thumbnail decoded and on screen. */
async function firstThumbnail(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const g = document.querySelector('pf-event > pf-gallery');
          const img = g?.shadowRoot?.querySelector<HTMLImageElement>('img.ready');
          if (img && img.complete && img.naturalWidth > 0) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

async function timeToFirstThumbnail(throttled: boolean) {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const context = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: throttled ? 3 : 1 });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    times.push(await firstThumbnail(page, `${fixture.url}/`));
    await context.close();
  }
  return times;
}

const local = await timeToFirstThumbnail(false);
const slow = await timeToFirstThumbnail(true);
console.log(`time to first thumbnail, demo page, unthrottled: median ${ms(median(local))} (${local.map(ms).join(', ')})`);
console.log(
  `time to first thumbnail, demo page, slow 4G + CPU x4, DPR 3: median ${ms(median(slow))} (${slow.map(ms).join(', ')})`,
);

// ── scrolling the 100,000-photo gallery ───────────────────────────────────────────────────────────────
const benchPage = `${fixture.url}/bench-100k.html`;
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<link rel="icon" href="data:,"><title>100k</title><script src="/kit/photo-finish.js"></script></head>
<body style="margin:0;font-family:system-ui"><main><h1>100,000 photos</h1>
<pf-event api="${fixture.url}" org="${demo.org_id}" event="${event.id}" key="${key}"><pf-gallery page-size="100"></pf-gallery></pf-event>
</main></body></html>`;

interface ScrollResult {
  frames: number;
  dropped: number;
  longest: number;
  over50: number;
  cells: number;
  scriptMs: number;
  layoutMs: number;
  pxPerSecond: number;
}

/** Scrolls the window at `speed` px per frame for SECONDS, timing every animation frame. */
async function scrollRun(page: Page, speed: number, gallery = true): Promise<ScrollResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<
      string,
      number
    >;
  const before = await metric();
  const r = await page.evaluate(
    ({ speed, seconds, gallery }) =>
      new Promise<{ frames: number; dropped: number; longest: number; over50: number; cells: number; px: number }>((resolve) => {
        const deltas: number[] = [];
        let last = performance.now();
        const startY = scrollY;
        const end = last + seconds * 1000;
        const step = (t: number) => {
          deltas.push(t - last);
          last = t;
          window.scrollBy(0, speed);
          if (t < end) requestAnimationFrame(step);
          else {
            const frame = 1000 / 60;
            const dropped = deltas.reduce((n, d) => n + Math.max(0, Math.round(d / frame) - 1), 0);
            const g = document.querySelector('pf-gallery');
            resolve({
              frames: deltas.length,
              dropped,
              longest: Math.max(...deltas),
              over50: deltas.filter((d) => d > 50).length,
              cells: gallery && g ? g.shadowRoot!.querySelectorAll('.cell').length : 0,
              px: scrollY - startY,
            });
          }
        };
        requestAnimationFrame((t) => {
          last = t;
          requestAnimationFrame(step);
        });
      }),
    { speed, seconds: SECONDS, gallery },
  );
  const after = await metric();
  return {
    frames: r.frames,
    dropped: r.dropped,
    longest: r.longest,
    over50: r.over50,
    cells: r.cells,
    scriptMs: (after.ScriptDuration! - before.ScriptDuration!) * 1000,
    layoutMs: (after.LayoutDuration! - before.LayoutDuration! + after.RecalcStyleDuration! - before.RecalcStyleDuration!) * 1000,
    pxPerSecond: r.px / SECONDS,
  };
}

/** Jumps to random places (like dragging the scrollbar) and times until every visible cell shows a photo. */
async function jumps(page: Page, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const frac = 0.05 + (0.9 * ((i * 7919) % 101)) / 100;
    out.push(
      await page.evaluate(
        (frac) =>
          new Promise<number>((resolve) => {
            const t = performance.now();
            window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * frac);
            const g = document.querySelector('pf-gallery')!;
            const check = () => {
              if (performance.now() - t > 20000) return resolve(NaN);
              const cells = [...g.shadowRoot!.querySelectorAll<HTMLElement>('.cell')].filter((c) => {
                const r = c.getBoundingClientRect();
                return r.bottom > 0 && r.top < innerHeight;
              });
              const shown = cells.length > 0 && cells.every((c) => c.querySelector('img.ready'));
              if (shown) resolve(performance.now() - t);
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }),
        frac,
      ),
    );
  }
  return out;
}

for (const viewport of [
  { width: 390, height: 844, name: 'phone 390x844' },
  { width: 1280, height: 800, name: 'desktop 1280x800' },
]) {
  const context = await newContext({ viewport });
  const page = await context.newPage();
  await page.route(benchPage, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  // The harness's own noise first: the same scroll loop on a page as tall, with nothing to render.
  await page.route(`${fixture.url}/bench-empty.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><link rel="icon" href="data:,"><div style="height:1500000px"></div>',
    }),
  );
  await page.goto(`${fixture.url}/bench-empty.html`);
  const idle = await scrollRun(page, 40, false);
  await page.goto(benchPage);
  await page.waitForFunction(() => document.querySelector('pf-gallery')?.shadowRoot?.querySelector('img.ready'));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.waitForTimeout(500);
  const slowScroll = await scrollRun(page, 20);
  const fling = await scrollRun(page, 80);
  const jumpTimes = await jumps(page, 8);
  console.log(
    `\n${PHOTOS.toLocaleString('en')}-photo gallery, ${viewport.name}: scroll height ${(height / 1e6).toFixed(2)} M px`,
  );
  for (const [name, r] of [
    ['empty page (harness noise), 40 px/frame', idle],
    ['gallery, 20 px/frame', slowScroll],
    ['gallery, 80 px/frame (fling)', fling],
  ] as const) {
    console.log(
      `  ${name.padEnd(42)} ${String(r.frames).padStart(4)} frames, ${String(r.dropped).padStart(3)} dropped (${((100 * r.dropped) / (r.frames + r.dropped)).toFixed(1)}%), ` +
        `longest ${ms(r.longest)}, >50 ms: ${r.over50}, ${Math.round(r.pxPerSecond)} px/s, ` +
        `script ${ms(r.scriptMs)}, style+layout ${ms(r.layoutMs)}, cells in DOM ${r.cells}`,
    );
  }
  console.log(
    `  jump to a random place → every visible photo shown: median ${ms(median(jumpTimes))}, max ${ms(Math.max(...jumpTimes))}`,
  );
  await context.close();
}

await browser.close();
await fixture.stop();
