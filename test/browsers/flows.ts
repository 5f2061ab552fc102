/// <reference lib="dom" />
// The widget flows every participant's browser must run: gallery, BIB search, lightbox (with the page's scroll
// locked behind it), selfie search and checkout. Written once against BrowserDriver, run in Firefox and WebKit
// by browsers.test.ts. Each page-side function is sent as source text: it uses only its arguments.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoInfo } from '../../server/seed/demo.ts';
import { installProblemWatch, type BrowserDriver, type Deep } from './driver.ts';

export interface FlowContext {
  url: string;
  demo: DemoInfo;
  dataDir: string;
  /** The face dataset (selfie flow), or null when it is not on this machine. */
  faces: string | null;
}

/**
 * Polls `fn` in the page until it returns a truthy value (which is returned): waiting on the page's state, with
 * a generous deadline for a busy machine. `what` names the state in the failure.
 */
export async function waitFor<A extends unknown[], R>(
  b: BrowserDriver,
  what: string,
  fn: (...args: A) => R,
  args: A,
  timeoutMs = 30_000,
): Promise<NonNullable<Awaited<R>>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await b.run(fn, ...args);
    if (last) return last as NonNullable<Awaited<R>>;
    if (Date.now() > deadline) throw new Error(`${b.name}: timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const waitText = (b: BrowserDriver, path: Deep, re: RegExp, timeoutMs = 30_000) =>
  waitFor(
    b,
    `${path.join(' >>> ')} to read ${re}`,
    (p: readonly string[], src: string, flags: string) => {
      let root: Document | ShadowRoot = document;
      let el: Element | null = null;
      for (const step of p) {
        const m = / @(\d+)$/.exec(step);
        el = m ? (root.querySelectorAll(step.slice(0, m.index))[Number(m[1])] ?? null) : root.querySelector(step);
        if (!el) return null;
        if (el.shadowRoot) root = el.shadowRoot;
      }
      const text = el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      return new RegExp(src, flags).test(text) ? text : null;
    },
    [path, re.source, re.flags],
    timeoutMs,
  );

/** Page-side: how many `sel` match in the shadow root of the gallery at `path`, counting only loaded images. */
function loadedPhotos(path: readonly string[]): number {
  let root: Document | ShadowRoot = document;
  let el: Element | null = null;
  for (const step of path) {
    el = root.querySelector(step);
    if (!el) return 0;
    if (el.shadowRoot) root = el.shadowRoot;
  }
  const imgs = [...(el?.shadowRoot?.querySelectorAll<HTMLImageElement>('button.photo img') ?? [])];
  return imgs.filter((i) => i.complete && i.naturalWidth > 0).length;
}

/** A screenshot of the viewport into test-results/browsers/ (kept by CI as a record of how each engine draws it). */
export async function shot(b: BrowserDriver, name: string) {
  mkdirSync('test-results/browsers', { recursive: true });
  await b.screenshot(`test-results/browsers/${b.name}-${name}.png`);
}

async function noProblems(b: BrowserDriver, allow: RegExp[] = []) {
  const problems = (await b.takeProblems()).filter((p) => !allow.some((re) => re.test(p)));
  assert.deepEqual(problems, [], `${b.name}: errors on the page`);
}

async function api<T>(ctx: FlowContext, path: string, event = ctx.demo.event_id): Promise<T> {
  const res = await fetch(`${ctx.url}/api/v1/ext/${ctx.demo.org_id}/event/${event}${path}`, {
    headers: { 'X-API-Key': ctx.demo.secret_key },
  });
  assert.equal(res.status, 200, path);
  return ((await res.json()) as { data: T }).data;
}

const ALL = ['pf-event > pf-gallery'] as const;

// ── gallery ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The event's gallery: thumbnails load, rows fit the page width, scrolling renders the last photo. */
export async function galleryFlow(b: BrowserDriver, ctx: FlowContext) {
  await b.goto(`${ctx.url}/`);
  await waitFor(b, 'the first thumbnails to load', loadedPhotos, [ALL], 30_000);
  const total = (await api<{ pagination: { total: number } }>(ctx, '/images?page_size=1')).pagination.total;
  assert.ok(total > 20, `the demo event has photos (${total})`);
  await waitFor(
    b,
    `the gallery to count ${total} photos`,
    (n: number) => (document.querySelector('pf-event > pf-gallery') as unknown as { count: number | null }).count === n,
    [total],
  );

  // Justified rows: every rendered cell lies inside the gallery, and the page has no sideways scroll.
  const geometry = await b.run(() => {
    const g = document.querySelector('pf-event > pf-gallery')!;
    const box = g.getBoundingClientRect();
    const cells = [...g.shadowRoot!.querySelectorAll('button.photo')].map((c) => c.getBoundingClientRect());
    return {
      outside: cells.filter((r) => r.left < box.left - 1 || r.right > box.right + 1).length,
      cells: cells.length,
      sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      rowFill: (() => {
        const top = Math.min(...cells.map((r) => r.top));
        const row = cells.filter((r) => Math.abs(r.top - top) < 2);
        return (Math.max(...row.map((r) => r.right)) - Math.min(...row.map((r) => r.left))) / box.width;
      })(),
    };
  });
  assert.ok(geometry.cells > 0);
  assert.equal(geometry.outside, 0, `${b.name}: cells outside the gallery`);
  assert.ok(geometry.sideways <= 0, `${b.name}: the page scrolls sideways by ${geometry.sideways}px`);
  assert.ok(geometry.rowFill > 0.97, `${b.name}: the first row fills the width (${geometry.rowFill})`);
  await b.run(() => document.querySelector('pf-event > pf-gallery')!.scrollIntoView());
  await shot(b, 'gallery');

  // Virtualised: the last photo is only rendered once the page is scrolled to it.
  const last = `Photo ${total} of ${total}`;
  await b.run(() => document.querySelector('pf-event > pf-gallery')!.scrollIntoView({ block: 'end' }));
  await waitFor(
    b,
    `"${last}" to render and load after scrolling`,
    (label: string) => {
      const g = document.querySelector('pf-event > pf-gallery')!;
      const cell = [...g.shadowRoot!.querySelectorAll('button.photo')].find((c) =>
        c.getAttribute('aria-label')?.startsWith(label),
      );
      const img = cell?.querySelector('img');
      return !!img && img.complete && img.naturalWidth > 0;
    },
    [last],
  );
  await noProblems(b);
}

// ── BIB search + lightbox ───────────────────────────────────────────────────────────────────────────────────

const BIB = '0427';
/** The demo page searches through pf-finder: its BIB tab is a pf-bib-search in the finder's shadow root. */
const BIB_EL = ['pf-finder', 'pf-bib-search'] as const;
const RESULTS = [...BIB_EL, 'pf-gallery'] as const;
const LIGHTBOX = [...RESULTS, 'pf-lightbox'] as const;

/** Types a BIB, presses Enter: the summary and the photos of that runner. Returns the number of photos. */
export async function bibSearchFlow(b: BrowserDriver, ctx: FlowContext): Promise<number> {
  await b.goto(`${ctx.url}/`);
  await b.type([...BIB_EL, 'input[part=search-input]'], BIB);
  await b.press('Enter');
  const summary = await waitText(b, [...BIB_EL, '[part=summary]'], new RegExp(`^\\d+ photos? of BIB ${BIB}$`));
  const n = Number(summary.split(' ')[0]);
  const expected = await api<{ pagination: { total: number } }>(ctx, `/bibs/${BIB}?page_size=1`);
  assert.equal(n, expected.pagination.total, `${b.name}: the summary counts the server's photos of ${BIB}`);
  await waitFor(
    b,
    'the result thumbnails to load',
    (want: number) => {
      const g = document
        .querySelector('pf-finder')
        ?.shadowRoot?.querySelector('pf-bib-search')
        ?.shadowRoot?.querySelector('pf-gallery');
      const imgs = [...(g?.shadowRoot?.querySelectorAll<HTMLImageElement>('button.photo img') ?? [])];
      const count = (g as unknown as { count: number | null } | null)?.count;
      return count === want && imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    [n],
  );
  const url = await b.run(() => location.search);
  assert.equal(new URLSearchParams(url).get('bib'), BIB);
  await shot(b, 'bib-search');
  await noProblems(b);
  return n;
}

/** Page-side: the page's scroll state and how it looks (scrollbar gutter, overflow of the root). */
function scrollState() {
  const root = document.documentElement;
  const w = window as unknown as { __pfScrolls?: number };
  return {
    y: Math.round(scrollY),
    scrollbar: innerWidth - root.clientWidth,
    scrolls: w.__pfScrolls ?? 0,
    wheels: (window as unknown as { __pfWheels?: number }).__pfWheels ?? 0,
    bodyLeft: Math.round(document.body.getBoundingClientRect().left),
    bodyWidth: Math.round(document.body.getBoundingClientRect().width),
  };
}

/**
 * Opens a BIB result in the lightbox with a click: the counter, the arrow keys, the page behind neither
 * scrolls (a mouse wheel over the photo) nor shows its scrollbar, and Esc gives the focus back to the
 * thumbnail with the page where it was. Then the same wheel does scroll the page (the control).
 */
export async function lightboxFlow(b: BrowserDriver, ctx: FlowContext) {
  await b.goto(`${ctx.url}/?bib=${BIB}`);
  const total = Number(
    (await waitText(b, [...BIB_EL, '[part=summary]'], new RegExp(`^\\d+ photos? of BIB ${BIB}$`))).split(' ')[0],
  );
  assert.ok(total >= 2, `${BIB} has at least two photos (${total})`);
  // Scrolled a little, so that "the page stays where it was" means something.
  await b.run(() => {
    const w = window as unknown as { __pfScrolls: number; __pfWheels: number };
    w.__pfScrolls = 0;
    w.__pfWheels = 0;
    addEventListener('scroll', () => w.__pfScrolls++, { passive: true });
    addEventListener('wheel', () => w.__pfWheels++, { passive: true, capture: true });
    scrollTo(0, 120);
  });
  await waitFor(b, 'the page to scroll to 120', () => Math.round(scrollY) === 120, []);
  const before = await b.run(scrollState);
  // Firefox on Linux draws a classic scrollbar that takes room (12 px): the case the lock must hide.
  if (b.name === 'firefox') assert.ok(before.scrollbar > 0, `firefox: a page scrollbar takes room (${before.scrollbar} px)`);

  await b.click([...RESULTS, 'button.photo @0']);
  await waitFor(
    b,
    'the lightbox to open',
    (p: readonly string[]) => {
      const lb = p
        .slice(1)
        .reduce<Element | null | undefined>((el, sel) => el?.shadowRoot?.querySelector(sel), document.querySelector(p[0]!));
      return !!lb?.shadowRoot?.querySelector('dialog')?.open;
    },
    [LIGHTBOX],
  );
  await waitText(b, [...LIGHTBOX, '.counter [aria-hidden]'], new RegExp(`^1 / ${total}$`));
  const open = await b.run(scrollState);
  await shot(b, 'lightbox');
  // What a participant sees: no page scrollbar beside the viewer, and the page has not moved or reflowed.
  assert.equal(open.scrollbar, 0, `${b.name}: the page's scrollbar shows beside the open lightbox`);
  assert.equal(open.y, before.y, `${b.name}: the page moved when the lightbox opened`);
  assert.deepEqual([open.bodyLeft, open.bodyWidth], [before.bodyLeft, before.bodyWidth], `${b.name}: the page reflowed`);

  // A wheel turn over the photo and one at the right edge (where the page's scrollbar was), and PageDown:
  // the page behind does not scroll.
  const scrollsBefore = open.scrolls;
  const width = await b.run(() => innerWidth);
  await b.wheel(640, 450, 600);
  await waitFor(b, 'the wheel event', (n: number) => ((window as unknown as { __pfWheels?: number }).__pfWheels ?? 0) > n, [
    open.wheels,
  ]);
  await b.wheel(width - 4, 450, 600);
  await b.press('PageDown');
  // More round trips through the page (the viewer moves on) before looking at the scroll position again.
  await b.press('ArrowRight');
  await waitText(b, [...LIGHTBOX, '.counter [aria-hidden]'], new RegExp(`^2 / ${total}$`));
  const after = await b.run(scrollState);
  assert.equal(after.y, before.y, `${b.name}: the page behind the lightbox scrolled (${before.y} → ${after.y})`);
  assert.equal(after.scrolls, scrollsBefore, `${b.name}: scroll events behind the lightbox`);

  await b.press('Escape');
  await waitFor(
    b,
    'the lightbox to close',
    (p: readonly string[]) => {
      const lb = p
        .slice(1)
        .reduce<Element | null | undefined>((el, sel) => el?.shadowRoot?.querySelector(sel), document.querySelector(p[0]!));
      return lb?.shadowRoot?.querySelector('dialog')?.open === false;
    },
    [LIGHTBOX],
  );
  const focus = await b.run(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a?.getAttribute('aria-label') ?? a?.tagName ?? '';
  });
  assert.match(focus, /^Photo 2 of/, `${b.name}: the focus goes back to the thumbnail of the photo shown last`);
  const closed = await b.run(scrollState);
  assert.equal(closed.y, before.y, `${b.name}: the page is where it was`);
  assert.equal(closed.scrollbar, before.scrollbar, `${b.name}: the page's scrollbar is back`);

  // The control: with the lightbox closed, the same wheel scrolls the page.
  await b.wheel(640, 450, 300);
  await waitFor(b, 'the page to scroll under the wheel', (y: number) => Math.round(scrollY) > y, [before.y]);
  await noProblems(b);
}

// ── selfie ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A photograph of a person the seed pasted on a runner (not the same picture). */
export const SELFIE = { person: 'obama', file: 'obama/obama_podium.jpg' };
const SELFIE_EL = ['pf-finder', 'pf-selfie-search'] as const;

/**
 * A real face photo, analysed in the browser by the selfie worker (onnxruntime-web, WebAssembly), finds the
 * demo photos of the runner that face was pasted on.
 */
export async function selfieFlow(b: BrowserDriver, ctx: FlowContext) {
  assert.ok(ctx.faces, 'face dataset');
  const pasted = ctx.demo.faces?.find((f) => f.person === SELFIE.person);
  assert.ok(pasted, 'the seed pastes dataset faces on runners');
  await b.goto(`${ctx.url}/`);
  // The selfie search is pf-finder's Selfie tab; its code loads when the tab opens.
  await b.click(['pf-finder', '[aria-controls=panel-selfie]']);
  await waitFor(
    b,
    'the selfie search to render',
    () =>
      !!document
        .querySelector('pf-finder')
        ?.shadowRoot?.querySelector('pf-selfie-search')
        ?.shadowRoot?.querySelector('input[type=checkbox]'),
    [],
  );
  await b.click([...SELFIE_EL, 'input[type=checkbox]']);
  await waitFor(
    b,
    'the file button to enable',
    () => {
      const btn = document
        .querySelector('pf-finder')!
        .shadowRoot!.querySelector('pf-selfie-search')!
        .shadowRoot!.querySelector<HTMLButtonElement>('[part~=file-button]');
      return !!btn && !btn.disabled;
    },
    [],
  );
  await b.upload([...SELFIE_EL, 'input#file'], join(ctx.faces!, SELFIE.file));
  // Face detection, alignment and the crop run in the worker: the first run loads the runtime and the models.
  await waitFor(
    b,
    'the face crop preview (or a refusal)',
    () => {
      const r = document.querySelector('pf-finder')!.shadowRoot!.querySelector('pf-selfie-search')!.shadowRoot!;
      const img = r.querySelector<HTMLImageElement>('[part~=preview] img');
      const bad = r.querySelector('[part~=refusal], [part~=error]');
      if (bad) return `refused: ${bad.textContent!.trim()}`;
      return img && img.complete && img.naturalWidth === 112 ? 'preview' : null;
    },
    [],
    90_000,
  ).then((state) => assert.equal(state, 'preview', `${b.name}: ${state}`));
  await b.click([...SELFIE_EL, '[part~=search-button]']);
  const summary = await waitText(b, [...SELFIE_EL, '[part~=summary]'], /\d+ photos? found/, 60_000);
  const withBib = await api<{ images: { image_id: string }[] }>(ctx, `/bibs/${pasted.bib}?page_size=100`);
  assert.equal(Number(/(\d+) photos? found/.exec(summary)![1]), withBib.images.length, `${b.name}: ${summary}`);
  const requestId = new URLSearchParams(await b.run(() => location.search)).get('selfie');
  assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
  const result = await api<{ images: { image_id: string }[] }>(ctx, `/faces/${requestId}?page_size=100`);
  assert.deepEqual(
    result.images.map((i) => i.image_id).sort(),
    withBib.images.map((i) => i.image_id).sort(),
    `${b.name}: the selfie finds exactly the photos of runner ${pasted.bib}`,
  );
  await waitFor(
    b,
    'the found photos to show',
    (n: number) => {
      const g = document
        .querySelector('pf-finder')!
        .shadowRoot!.querySelector('pf-selfie-search')!
        .shadowRoot!.querySelector('pf-gallery');
      return g?.shadowRoot?.querySelectorAll('button.photo').length === n;
    },
    [withBib.images.length],
  );
  await shot(b, 'selfie');
  await noProblems(b);
}

// ── checkout ────────────────────────────────────────────────────────────────────────────────────────────────

const SHOP_GALLERY = ['pf-event > pf-gallery'] as const;
const CHECKOUT = ['pf-checkout-button'] as const;

/**
 * Page-side: records what the kit hands to the browser's download manager (anchors with `download` that it
 * clicks) instead of saving files, with the bytes of blob: downloads. Nothing else of the page changes.
 */
function recordDownloads() {
  const w = window as unknown as { __pfDownloads: { href: string; name: string; bytes?: number[] }[] };
  w.__pfDownloads = [];
  // The blob behind each object URL, read directly: the demo pages' CSP (connect-src 'self') refuses fetch(blob:).
  const blobs = new Map<string, Blob>();
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob | MediaSource) => {
    const url = createObjectURL(obj);
    if (obj instanceof Blob) blobs.set(url, obj);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (!this.hasAttribute('download')) return click.call(this);
    const entry: { href: string; name: string; bytes?: number[] } = { href: this.href, name: this.download };
    w.__pfDownloads.push(entry);
    const blob = blobs.get(this.href);
    if (blob) void blob.arrayBuffer().then((b) => (entry.bytes = [...new Uint8Array(b)]));
  };
}

function originalFile(dataDir: string, imageId: string): Buffer {
  const dir = join(dataDir, 'blobs', 'originals');
  const name = readdirSync(dir).find((f) => f.startsWith(`${imageId}.`));
  assert.ok(name, `an original for ${imageId}`);
  return readFileSync(join(dir, name));
}

/** Select three photos, buy them through the test gateway, come back paid, download the ZIP and each original. */
export async function checkoutFlow(b: BrowserDriver, ctx: FlowContext) {
  const shop = ctx.demo.shop_event_id;
  assert.ok(shop, 'the fixture seeds the demo shop');
  await b.goto(`${ctx.url}/shop.html`);
  await waitFor(
    b,
    'the photo checkboxes',
    () => {
      const g = document.querySelector('pf-event > pf-gallery')?.shadowRoot;
      return (g?.querySelectorAll('[part~=select] input').length ?? 0) >= 3;
    },
    [],
  );
  await waitText(b, [...CHECKOUT, '[part~=summary]'], /€4\.00 per photo/);
  for (let i = 0; i < 3; i++) await b.click([...SHOP_GALLERY, `[part~=select] input @${i}`]);
  await waitText(b, [...CHECKOUT, '[part~=summary]'], /3 photos: €12\.00/);
  await waitText(b, [...CHECKOUT, '[part~=button]'], /^Buy for €12\.00$/);
  await shot(b, 'shop-selected');
  await b.click([...CHECKOUT, '[part~=button]']);

  // The gateway's hosted page (a plain server page), then back to the shop.
  await waitFor(
    b,
    'the test payment page',
    () => /\/pay\/test\/pft_/.test(location.pathname) && document.readyState === 'complete',
    [],
    30_000,
  );
  assert.match((await b.run(() => document.querySelector('tfoot')?.textContent ?? '')) ?? '', /€12\.00/);
  await b.click(['button[value=pay]']);
  await waitFor(
    b,
    'the shop page, paid',
    () => /pf_checkout=success/.test(location.search) && document.readyState === 'complete',
    [],
    30_000,
  );
  await b.run(installProblemWatch);
  await waitText(b, [...CHECKOUT, '[part~=downloads]'], /Thank you! Your photos are ready\./);
  await shot(b, 'shop-paid');

  const orderId = new URLSearchParams(await b.run(() => location.search)).get('pf_order')!;
  const token = await b.run(
    (id: string) =>
      (JSON.parse(localStorage.getItem('photo-finish:orders') ?? '[]') as { orderId: string; token: string }[]).find(
        (o) => o.orderId === id,
      )?.token ?? null,
    orderId,
  );
  assert.ok(token, `${b.name}: the browser kept the order's token`);
  const res = await fetch(`${ctx.url}/api/v1/ext/${ctx.demo.org_id}/event/${shop}/checkout/orders/${orderId}`, {
    headers: { 'X-API-Key': ctx.demo.shop_publishable_key!, 'X-Order-Token': token },
  });
  const order = ((await res.json()) as { data: { status: string; image_ids: string[] } }).data;
  assert.equal(order.status, 'paid');
  assert.equal(order.image_ids.length, 3);

  // Download all (ZIP): the kit hands the browser the order's signed ZIP link.
  await b.run(recordDownloads);
  await b.click([...CHECKOUT, '[part~=zip]']);
  await waitText(b, [...CHECKOUT, '[part~=status]'], /Your ZIP download has started\./);
  const zip = await b.run(() => (window as unknown as { __pfDownloads: { href: string }[] }).__pfDownloads.map((d) => d.href));
  assert.equal(zip.length, 1);
  const zipRes = await fetch(zip[0]!);
  assert.equal(zipRes.status, 200, `${b.name}: the ZIP link works`);
  assert.equal(
    Buffer.from(await zipRes.arrayBuffer())
      .subarray(0, 2)
      .toString('latin1'),
    'PK',
  );

  // One by one: each original fetched by the page and saved as a blob, byte for byte the bought originals.
  await b.run(() => ((window as unknown as { __pfDownloads: unknown[] }).__pfDownloads.length = 0));
  await b.click([...CHECKOUT, '[part~=one-by-one]']);
  await waitText(b, [...CHECKOUT, '[part~=status]'], /3 photos saved\./);
  const files = await waitFor(
    b,
    'the three saved files',
    () => {
      const d = (window as unknown as { __pfDownloads: { name: string; bytes?: number[] }[] }).__pfDownloads;
      return d.length === 3 && d.every((f) => f.bytes) ? d : null;
    },
    [],
  );
  const got = files.map((f) => Buffer.from(f.bytes!));
  const want = order.image_ids.map((id) => originalFile(ctx.dataDir, id));
  const key = (x: Buffer) => `${x.length}:${x.subarray(0, 64).toString('hex')}:${x.subarray(-64).toString('hex')}`;
  assert.deepEqual(got.map(key).sort(), want.map(key).sort(), `${b.name}: the saved files are the originals`);
  for (const g of got) assert.ok(want.some((w) => w.equals(g)));
  await noProblems(b);
}
