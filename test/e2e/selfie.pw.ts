/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Selfie search on the demo pages: a real face photo from the dataset, analysed in the browser by the built
// selfie worker, finds the demo photos that person was pasted into; the upload is only the 112×112 crop.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { baseUrl, demo, expect, expectNoAxeViolations, test } from './support.ts';
import { FACES_DIR, facesMissing } from '../support/face-dataset.ts';

const FACES = FACES_DIR;
// Under CI a missing dataset fails this file (facesMissing throws) instead of skipping the selfie flows.
const missing = facesMissing();
/** A photograph of the person that is not the one pasted into the demo scenes. */
const SELFIE = { person: 'obama', file: 'obama/obama_podium.jpg' };

interface Part {
  name: string;
  filename: string | null;
  type: string | null;
  body: number[];
}

/**
 * Chromium does not hand a multipart body with Blob parts to Playwright (`postDataBuffer()` is empty), so
 * the parts are read where the page hands them to the network: a wrapper around `fetch` records every part
 * of a POST to …/faces, bytes included. The size on the wire is the request's Content-Length.
 */
async function recordFaceUploads(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __pfUploads: Part[][] };
    w.__pfUploads = [];
    const real = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (init?.method === 'POST' && /\/faces(\?|$)/.test(url) && init.body instanceof FormData) {
        const parts: Part[] = [];
        for (const [name, v] of init.body.entries()) {
          parts.push(
            typeof v === 'string'
              ? { name, filename: null, type: null, body: [...new TextEncoder().encode(v)] }
              : { name, filename: v.name, type: v.type, body: [...new Uint8Array(await v.arrayBuffer())] },
          );
        }
        w.__pfUploads.push(parts);
      }
      return real(input, init);
    };
  });
  return () => page.evaluate(() => (window as unknown as { __pfUploads: Part[][] }).__pfUploads);
}

/**
 * Failed responses of the selfie flow (API calls, the worker, onnxruntime, the models) and every other problem
 * except other files' failed loads (those belong to the page's other parts and their own tests).
 */
function watchSelfieFlow(page: Page, problems: string[]) {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && /\/faces|\/selfie-worker\.js|\/kit\/ort\/|\/kit\/models\//.test(r.url()))
      failed.push(`${r.status()} ${r.url()}`);
  });
  return () => [...failed, ...problems.filter((p) => !p.startsWith('console: Failed to load resource'))];
}

const pngSize = (b: Buffer) => ({
  png: b.subarray(1, 4).toString('ascii') === 'PNG',
  width: b.readUInt32BE(16),
  height: b.readUInt32BE(20),
});

async function api<T>(page: Page, path: string): Promise<T> {
  const d = demo();
  const res = await page.request.get(`${baseUrl()}/api/v1/ext/${d.org_id}/event/${d.event_id}${path}`, {
    headers: { 'X-API-Key': d.secret_key },
  });
  expect(res.status(), path).toBe(200);
  return ((await res.json()) as { data: T }).data;
}

test('onnxruntime is only in the selfie worker: never in the drop-in script or the ES modules', () => {
  const dist = join(import.meta.dirname, '..', '..', 'dist');
  const ort = /InferenceSession|wasmBinary|ort-wasm-simd-threaded\.mjs/;
  const files = [
    'photo-finish.js',
    ...readdirSync(join(dist, 'esm'), { recursive: true, encoding: 'utf8' }).map((f) => join('esm', f)),
  ];
  for (const f of files.filter((n) => n.endsWith('.js'))) expect(ort.test(readFileSync(join(dist, f), 'utf8')), f).toBe(false);
  expect(ort.test(readFileSync(join(dist, 'selfie-worker.js'), 'utf8'))).toBe(true);
  for (const f of [
    'ort/ort-wasm-simd-threaded.wasm',
    'ort/ort-wasm-simd-threaded.wasm.gz',
    'ort/ort-wasm-simd-threaded.mjs',
    'selfie-worker.js.gz',
  ]) {
    expect(existsSync(join(dist, f)), f).toBe(true);
  }
});

test.describe('selfie search', () => {
  test.skip(!!missing, missing ?? '');

  test('finds the demo photos of the person; only the aligned 112×112 PNG is uploaded; a refresh re-reads the result', async ({
    page,
    problems,
  }) => {
    test.setTimeout(120_000);
    const pasted = demo().faces?.find((f) => f.person === SELFIE.person);
    expect(pasted, 'the e2e seed pastes dataset faces on runners').toBeTruthy();
    expect(pasted!.file).not.toBe(SELFIE.file);
    const original = readFileSync(join(FACES, SELFIE.file));

    const uploaded = await recordFaceUploads(page);
    const trouble = watchSelfieFlow(page, problems);
    const uploads: Request[] = [];
    const reads: string[] = [];
    page.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (req.method() === 'POST' && path.endsWith('/faces')) uploads.push(req);
      if (req.method() === 'GET' && /\/faces\/[0-9a-f-]{36}$/.test(path)) reads.push(path);
    });

    await page.goto(`${baseUrl()}/`);
    // The demo pages search through pf-finder: the selfie search is its Selfie tab.
    await page.locator('pf-finder').getByRole('tab', { name: 'Selfie' }).click();
    const el = page.locator('pf-selfie-search');
    await expect(el.getByRole('button', { name: 'Choose a photo' })).toBeDisabled();
    await el.getByRole('checkbox').check();
    await el.locator('input#file').setInputFiles(join(FACES, SELFIE.file));
    await expect(el.locator('[part~="preview"] img')).toBeVisible({ timeout: 60_000 });
    expect(uploads).toHaveLength(0); // nothing is sent before the user confirms
    await el.getByRole('button', { name: 'Find my photos' }).click();
    await expect(el.locator('[part~="summary"]')).toContainText(/\d+ photos? found/, { timeout: 30_000 });

    // The upload: one part `file`, a 112×112 PNG of a few KB, plus the request_id; never the original photo.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.headers()['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const sent = await uploaded();
    expect(sent).toHaveLength(1);
    const parts = sent[0]!;
    expect(parts.map((p) => p.name).sort()).toEqual(['file', 'request_id']);
    const file = parts.find((p) => p.name === 'file')!;
    expect(file.type).toBe('image/png');
    const png = Buffer.from(file.body);
    expect(pngSize(png)).toEqual({ png: true, width: 112, height: 112 });
    expect(png.length).toBeLessThan(60_000);
    expect(png.includes(original.subarray(0, 1024))).toBe(false);
    const onWire = Number((await uploads[0]!.allHeaders())['content-length']);
    console.log(
      `selfie upload: ${onWire} bytes on the wire (crop PNG ${png.length} B; the original photo is ${original.length} B)`,
    );
    expect(onWire).toBeGreaterThan(png.length);
    expect(onWire).toBeLessThan(png.length + 1024);

    // The results: every demo photo of that runner (by its bib), and nothing else.
    const requestId = new URL(page.url()).searchParams.get('selfie');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(el.locator('[part~="request-id"] code')).toHaveText(requestId!);
    const result = await api<{ images: { image_id: string; confidence: number }[] }>(page, `/faces/${requestId}?page_size=100`);
    const withBib = await api<{ images: { image_id: string }[] }>(page, `/bibs/${pasted!.bib}?page_size=100`);
    const found = result.images.map((i) => i.image_id).sort();
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(withBib.images.map((i) => i.image_id).sort());
    const photos = el.locator('pf-gallery button.photo');
    await expect(photos).toHaveCount(found.length);
    await expect(el.locator('pf-gallery [part~="confidence"]').first()).toContainText('%');
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'test-results/screenshots/selfie-results.png' });

    // "Not me" hides a photo, and the server drops it from the stored search.
    const notMe = page.waitForResponse((r) => r.url().endsWith(`/faces/${requestId}/not-me`));
    await el.locator('pf-gallery [part~="hide"]').first().click();
    await expect(photos).toHaveCount(found.length - 1);
    expect((await notMe).status()).toBe(200);
    const left = found.length - 1;

    // A refresh shows the stored result again (without that photo), read with GET, without a new upload.
    await page.reload();
    if (left > 0) await expect(el.locator('[part~="summary"]')).toContainText(`${left} photo`);
    await expect(el.locator('pf-gallery button.photo')).toHaveCount(left);
    expect(uploads).toHaveLength(1);
    expect(reads.some((p) => p.endsWith(`/faces/${requestId}`))).toBe(true);
    expect(trouble()).toEqual([]);
  });

  test('works under the strict CSP of csp.html (same-origin worker, no blob: worker)', async ({ page, problems }) => {
    test.setTimeout(120_000);
    const trouble = watchSelfieFlow(page, problems);
    await page.goto(`${baseUrl()}/csp.html`);
    // The demo pages search through pf-finder: the selfie search is its Selfie tab.
    await page.locator('pf-finder').getByRole('tab', { name: 'Selfie' }).click();
    const el = page.locator('pf-selfie-search');
    await el.getByRole('checkbox').check();
    await el.locator('input#file').setInputFiles(join(FACES, SELFIE.file));
    await el.getByRole('button', { name: 'Find my photos' }).click({ timeout: 60_000 });
    await expect(el.locator('[part~="summary"]')).toContainText(/\d+ photos? found/, { timeout: 30_000 });
    await expect(el.locator('pf-gallery button.photo').first()).toBeVisible();
    // The selfie flow needs no CSP exception: no worker-src, script-src, connect-src or img-src violation.
    // (Inline style attributes are pf-gallery's business, checked by its own tests.)
    expect(trouble().filter((p) => !/style-src-attr|inline style/.test(p))).toEqual([]);
  });

  for (const embed of ['drop-in script', 'ES modules'] as const) {
    test(`works embedded on another origin (the usual partner site), ${embed}: the worker starts through a blob: module`, async ({
      page,
      problems,
    }) => {
      await partnerPage(page, problems, embed);
    });
  }

  async function partnerPage(page: Page, problems: string[], embed: 'drop-in script' | 'ES modules') {
    test.setTimeout(120_000);
    const d = demo();
    // The partner's page on its own origin (another port): the kit, the API and the worker's files come from the photo server.
    const script =
      embed === 'drop-in script'
        ? `<script src="${baseUrl()}/kit/photo-finish.js" defer></script>`
        : `<script type="module" src="${baseUrl()}/kit/esm/index.js"></script>`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Partner</title>
      ${script}</head><body><main>
      <pf-event api="${baseUrl()}" org="${d.org_id}" event="${d.event_id}" key="${d.publishable_key}">
      <pf-selfie-search></pf-selfie-search></pf-event></main></body></html>`;
    const server = createServer((_, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const partner = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(new URL(partner).origin).not.toBe(new URL(baseUrl()).origin);
    try {
      const trouble = watchSelfieFlow(page, problems);
      await page.goto(`${partner}/race.html`);
      const el = page.locator('pf-selfie-search');
      await el.getByRole('checkbox').check();
      await el.locator('input#file').setInputFiles(join(FACES, SELFIE.file));
      await el.getByRole('button', { name: 'Find my photos' }).click({ timeout: 60_000 });
      await expect(el.locator('[part~="summary"]')).toContainText(/\d+ photos? found/, { timeout: 30_000 });
      expect(trouble()).toEqual([]);
    } finally {
      server.close();
    }
  }

  test('a photo without a face is refused on the device, with guidance, and nothing is uploaded', async ({ page, problems }) => {
    test.setTimeout(90_000);
    const trouble = watchSelfieFlow(page, problems);
    let uploads = 0;
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname.endsWith('/faces')) uploads++;
    });
    await page.goto(`${baseUrl()}/`);
    // The demo pages search through pf-finder: the selfie search is its Selfie tab.
    await page.locator('pf-finder').getByRole('tab', { name: 'Selfie' }).click();
    const el = page.locator('pf-selfie-search');
    await el.getByRole('checkbox').check();
    // A demo photo's thumbnail without a face: plain sky and road, decoded here like any selfie.
    const blank = await page.evaluate(async () => {
      const c = new OffscreenCanvas(640, 480);
      const g = c.getContext('2d')!;
      g.fillStyle = '#8ec5fc';
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#4a4a4f';
      g.fillRect(0, 300, 640, 180);
      const b = await c.convertToBlob({ type: 'image/jpeg' });
      return [...new Uint8Array(await b.arrayBuffer())];
    });
    await el.locator('input#file').setInputFiles({ name: 'road.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(blank) });
    await expect(el.locator('[part~="refusal"]')).toContainText('No face was found', { timeout: 60_000 });
    expect(uploads).toBe(0);
    expect(trouble()).toEqual([]);
  });
});
