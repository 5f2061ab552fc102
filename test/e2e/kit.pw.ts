/// <reference lib="dom" />
// Distribution: two copies of the drop-in script on one page, every ES module entry of the exports map, the
// custom-elements manifest, and the size budget of the drop-in script.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { baseUrl, demo, expect, test } from './support.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, string | Record<string, string>> };
const elements = readdirSync('widgets', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name.startsWith('pf-') && existsSync(`widgets/${d.name}/${d.name}.ts`))
  .map((d) => d.name);

test('two copies of the kit on one page: the second warns and the widgets still work', async ({ page, problems, warnings }) => {
  const d = demo();
  const base = baseUrl();
  await page.route(`${base}/two-copies.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two plugins</title><link rel="icon" href="data:,">
        <script src="${base}/kit/photo-finish.js"></script>
        <script src="${base}/kit/photo-finish.js?plugin=2"></script></head>
        <body><main><pf-event api="${base}" org="${d.org_id}" event="${d.event_id}" key="${d.publishable_key}">
        <pf-gallery></pf-gallery></pf-event></main></body></html>`,
    }),
  );
  await page.goto(`${base}/two-copies.html`);
  await expect(page.locator('pf-gallery button.photo').first()).toBeVisible();
  expect(warnings.filter((w) => w.includes('second copy of the kit'))).toHaveLength(1);
  expect(problems).toEqual([]);
});

test('drop-in loader on another origin: loads only the elements on the page, and those inserted later', async ({
  page,
  problems,
}) => {
  const d = demo();
  const base = baseUrl();
  // The page is on another origin than the kit and the API (as a club's own website is): its own little server
  // on another loopback port.
  const markup = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Club</title><link rel="icon" href="data:,">
    <script src="${base}/kit/photo-finish.js" defer></script></head>
    <body><main><pf-event id="ev" api="${base}" org="${d.org_id}" event="${d.event_id}" key="${d.publishable_key}">
    <pf-gallery></pf-gallery></pf-event></main></body></html>`;
  const site = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(markup));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const club = `http://127.0.0.1:${(site.address() as AddressInfo).port}/photos.html`;
  // The modules fetched, by name (`chunks/kit.js` for chunks/kit-<hash>.js).
  const modules: string[] = [];
  page.on(
    'request',
    (r) =>
      r.url().includes('/kit/esm/') &&
      modules.push(new URL(r.url()).pathname.replace('/kit/esm/', '').replace(/^(chunks\/[\w.-]+?)-[\w-]{8}\.js$/, '$1.js')),
  );
  try {
    await page.goto(club);
    await expect(page.locator('pf-gallery button.photo').first()).toBeVisible();
    // pf-event and pf-gallery are defined by the shared chunk (their entries only re-export it, and are not fetched).
    expect(modules[0]).toBe('chunks/kit.js');
    expect(modules.filter((m) => m === 'pf-event.js' || m === 'pf-gallery.js')).toEqual([]);
    expect(await page.evaluate(() => !!customElements.get('pf-timeline'))).toBe(false);

    // An element inserted later (a single-page app's next view) is defined when it appears.
    await page.evaluate(() => {
      const t = document.createElement('pf-timeline');
      t.setAttribute('event-ref', 'ev');
      document.querySelector('main')!.append(t);
    });
    await expect(page.locator('pf-timeline [part=bar]').first()).toBeVisible();
    expect(modules).toContain('chunks/pf-timeline.js');
    expect(modules.filter((m) => m.includes('selfie'))).toEqual([]);
    // PhotoFinish.load() gives the whole kit's exports.
    const kit = await page.evaluate(async () => {
      const g = window as unknown as { PhotoFinish: { load(): Promise<Record<string, unknown>> } };
      return typeof (await g.PhotoFinish.load()).ApiClient;
    });
    expect(kit).toBe('function');
  } finally {
    site.close();
  }
  expect(problems).toEqual([]);
});

test('every ES module entry point loads and registers its element', async ({ page, problems }) => {
  // A blank page of the server's origin (with an icon, so the browser asks for no /favicon.ico).
  await page.route(`${baseUrl()}/blank.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>ESM</title><link rel="icon" href="data:,">' }),
  );
  await page.goto(`${baseUrl()}/blank.html`);
  expect(elements).toEqual(expect.arrayContaining(['pf-event', 'pf-gallery', 'pf-bib-search', 'pf-timeline']));
  for (const name of elements) {
    // The exports map resolves `photo-finish/<name>` to dist/esm/<name>.js (one pattern for every element).
    const target = (pkg.exports['./pf-*'] as Record<string, string>).default!.replace('*', name.slice(3));
    expect(existsSync(target), target).toBe(true);
    const defined = await page.evaluate(
      async ([url, tag]) => {
        await import(url!);
        return !!customElements.get(tag!);
      },
      [`${baseUrl()}/kit/esm/${name}.js`, name],
    );
    expect(defined, name).toBe(true);
  }
  expect(existsSync((pkg.exports['.'] as Record<string, string>).default!)).toBe(true);
  expect(problems).toEqual([]);
});

test('custom-elements.json documents every element with its attributes, events and parts', async () => {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as {
    modules: { declarations?: { tagName?: string; attributes?: unknown[]; events?: unknown[]; cssParts?: unknown[] }[] }[];
  };
  const tags = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
  for (const name of ['pf-event', 'pf-gallery', 'pf-lightbox', 'pf-bib-search', 'pf-finder', 'pf-timeline']) {
    const d = tags.find((t) => t.tagName === name);
    expect(d, name).toBeTruthy();
    expect(d!.attributes?.length, `${name} attributes`).toBeGreaterThan(0);
  }
  const gallery = tags.find((t) => t.tagName === 'pf-gallery')!;
  expect(gallery.events!.length).toBeGreaterThanOrEqual(6);
  expect(gallery.cssParts!.length).toBeGreaterThanOrEqual(10);
});

test('the drop-in script (the loader) stays under 45 KB gzip and carries no ONNX runtime', async () => {
  const js = readFileSync('dist/photo-finish.js');
  const gz = gzipSync(js, { level: 9 }).length;
  expect(gz).toBeLessThan(45 * 1024);
  // The ONNX runtime (and the models) load lazily in the selfie worker, from their own files: its code is not here.
  const text = js.toString('utf8');
  expect(/InferenceSession/.exec(text)?.[0]).toBeUndefined();
  expect(/\beval\(|new Function\(/.exec(text)?.[0]).toBeUndefined();
});

test('themes/auto.css carries exactly the tokens of dark.css and high-contrast.css in its media blocks', async () => {
  const decls = (css: string) => [...css.matchAll(/(--pf-[\w-]+|color-scheme):\s*([^;]+);/g)].map((m) => `${m[1]}: ${m[2]}`);
  const auto = readFileSync('themes/auto.css', 'utf8');
  const block = (media: string) =>
    auto.slice(auto.indexOf('{', auto.indexOf(media)) + 1, auto.indexOf('\n}\n', auto.indexOf(media)));
  expect(decls(block('(prefers-color-scheme: dark)'))).toEqual(decls(readFileSync('themes/dark.css', 'utf8')));
  expect(decls(block('(prefers-contrast: more)'))).toEqual(decls(readFileSync('themes/high-contrast.css', 'utf8')));
  for (const f of readdirSync('themes')) expect(readFileSync(`themes/${f}`, 'utf8'), f).not.toMatch(/^@import/m);
});

test('docs/elements.md names every attribute, event, part and CSS property the manifest has', async () => {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as {
    modules: { declarations?: { tagName?: string; [k: string]: unknown }[] }[];
  };
  const doc = readFileSync('docs/elements.md', 'utf8');
  const missing: string[] = [];
  for (const d of manifest.modules.flatMap((m) => m.declarations ?? [])) {
    if (!['pf-event', 'pf-gallery', 'pf-lightbox', 'pf-bib-search', 'pf-finder', 'pf-timeline'].includes(d.tagName ?? ''))
      continue;
    if (!doc.includes(`<${d.tagName}>`)) missing.push(d.tagName!);
    for (const kind of ['attributes', 'events', 'cssParts', 'cssProperties'] as const) {
      for (const item of (d[kind] ?? []) as { name: string }[]) {
        if (item.name !== 'lang' && !doc.includes(`\`${item.name}\``)) missing.push(`${d.tagName} ${kind} ${item.name}`);
      }
    }
  }
  expect(missing).toEqual([]);
});
