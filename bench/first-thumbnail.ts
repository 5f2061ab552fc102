/// <reference lib="dom" />
// Time to the first thumbnail of a gallery-only page (the drop-in script, pf-event + pf-gallery) against its anchor:
// a vanilla page that fetches the first page of photos and puts the thumbnails in <img> tags. Headless Chromium,
// an emulated phone (390×844, DPR 3) on slow 4G (150 ms RTT, 1.6 Mbit/s down, CPU ×4), cache off, against a real
// seeded server and the built kit (`npm run build` first). Prints both medians and the ratio (goal ≤ 1.3×).
//   node --import tsx bench/first-thumbnail.ts [--runs 5]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';
import { startApiFixture } from '../test/support/api-fixture.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
if (!existsSync('dist/photo-finish.js')) {
  console.error('dist/photo-finish.js is missing: run `npm run build` first');
  process.exit(2);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${Math.round(n)} ms`;

console.log('seeding the demo event…');
const fixture = await startApiFixture({ photos: 24 });
const { org_id: org, event_id: event, publishable_key: key } = fixture.demo;
const base = fixture.url;
const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">';

const pages: Record<string, string> = {
  kit: `${head}<script src="${base}/kit/photo-finish.js"></script></head><body>
    <pf-event api="${base}" org="${org}" event="${event}" key="${key}"><pf-gallery></pf-gallery></pf-event></body></html>`,
  // The anchor: what any page must do at least (one API request, then the thumbnails), in the same layout width.
  vanilla: `${head}<style>img{width:48%;height:auto}</style></head><body><script>
    fetch(${JSON.stringify(`${base}/api/v1/ext/${org}/event/${event}/images?page=1&page_size=32`)},
      { headers: { 'X-API-Key': ${JSON.stringify(key)} } })
      .then((r) => r.json())
      .then((j) => { for (const p of j.data.images) { const i = new Image(); i.src = p.thumbnail_url; i.className = 't';
        i.sizes = '48vw'; i.srcset = p.renditions.filter((r) => r.url !== p.img_url).map((r) => r.url + ' ' + r.width + 'w').join(', ');
        document.body.append(i); } });
  </script></body></html>`,
};

const browser = await chromium.launch({ executablePath: await findChromium(), headless: true, args: CHROMIUM_ARGS });

async function firstThumbnail(page: Page, which: string): Promise<number> {
  await page.goto(`${base}/bench-${which}.html`, { waitUntil: 'commit' });
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const img =
            document.querySelector<HTMLImageElement>('img.t') ??
            document.querySelector('pf-gallery')?.shadowRoot?.querySelector<HTMLImageElement>('img.ready');
          if (img && img.complete && img.naturalWidth > 0) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

async function run(which: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  // tsx keeps function names with a `__name` helper that page.evaluate callbacks do not carry: provide it.
  await context.addInitScript('globalThis.__name = (f) => f;');
  await context.route(`${base}/bench-${which}.html`, (route) => route.fulfill({ contentType: 'text/html', body: pages[which] }));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const t = await firstThumbnail(page, which);
  await context.close();
  return t;
}

const times: Record<string, number[]> = { kit: [], vanilla: [] };
// Interleaved, so that a busy moment of the machine weighs on both.
for (let r = 0; r < RUNS; r++) for (const which of ['vanilla', 'kit']) times[which]!.push(await run(which));
const k = median(times.kit!);
const v = median(times.vanilla!);
console.log(`first thumbnail, vanilla fetch-then-<img> page: median ${ms(v)} (${times.vanilla!.map(ms).join(', ')})`);
console.log(`first thumbnail, pf-event + pf-gallery (drop-in): median ${ms(k)} (${times.kit!.map(ms).join(', ')})`);
console.log(
  `ratio ${(k / v).toFixed(2)}× (goal ≤ 1.3×); load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await browser.close();
await fixture.stop();
