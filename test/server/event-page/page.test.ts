// The hosted event page: shell (name, date, location, cover, og:/Twitter tags, ?photo= preview), visibility rules,
// the automatic page key, visits counted by source, and the event QR code (decoded from the PNG with jsQR).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import type { AnalyticsData } from '../../../core/api/analytics.ts';
import type { ImagePage } from '../../../core/index.ts';
import { PAGE_KEY_LABEL } from '../../../server/services/event-page.ts';
import { json } from '../../support/harness.ts';
import { createWorld, type World } from '../helpers/world.ts';

const meta = (html: string, attr: 'property' | 'name', key: string) =>
  new RegExp(`<meta ${attr}="${key}" content="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

// jsqr is CommonJS: under Node's ESM loader its function is the default export's `default`.
const jsQR = jsQRModule.default;

/** Decodes a QR code PNG with jsQR from sharp's raw RGBA pixels. */
async function decodeQr(png: Buffer): Promise<string | null> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ?? null;
}

describe('hosted event page', () => {
  let w: World;
  const base = 'http://127.0.0.1';
  before(async () => {
    w = await createWorld({}, 3);
    await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}`, {
      key: w.secret,
      method: 'PATCH',
      body: { location: 'Lyon, France', watermark_text: 'demo' },
    });
    await w.h.deps.renditions.idle();
  });
  after(() => w.h.close());

  const page = (path = '', headers: Record<string, string> = {}) => w.h.call(`/e/${w.orgId}/spring-10k${path}`, { headers });
  const admin = (body: unknown) =>
    w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}`, { key: w.secret, method: 'PATCH', body });

  test('the shell: name, date, location, the kit with one search box and the gallery, strict CSP', async () => {
    const res = await page();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy')!, /script-src 'self'/);
    const html = await res.text();
    assert.match(html, /<h1>Spring 10K<\/h1>/);
    assert.match(html, /12 April 2026 · Lyon, France/);
    assert.equal(meta(html, 'property', 'og:title'), 'Spring 10K — photos');
    assert.equal(meta(html, 'property', 'og:url'), `${base}/e/${w.orgId}/spring-10k`);
    assert.equal(meta(html, 'name', 'twitter:card'), 'summary');
    assert.equal(meta(html, 'name', 'robots'), null);
    assert.match(html, /<pf-event api="http:\/\/127\.0\.0\.1" org="\d+" event="\d+" key="pk_page_[\w-]+">/);
    assert.equal((html.match(/<pf-(bib-search|finder)>/g) ?? []).length, 1, 'one search box');
    assert.match(html, /<pf-gallery><\/pf-gallery>/);
    assert.doesNotMatch(html, /<script>|style=/);
    assert.equal((await w.h.call('/e/assets/page.css')).headers.get('content-type'), 'text/css; charset=utf-8');
    // The page is also found by event id.
    assert.equal((await w.h.call(`/e/${w.orgId}/${w.event.id}`)).status, 200);
    assert.equal((await w.h.call(`/e/${w.orgId}/no-such-race`)).status, 404);
  });

  test('?photo= previews that photo: og:image is its watermarked preview', async () => {
    const images = (await json<ImagePage>(await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/images`, { key: w.secret })))
      .data.images;
    const html = await (await page(`?photo=${images[1]!.image_id}`)).text();
    const og = meta(html, 'property', 'og:image')!;
    assert.equal(og, images[1]!.img_url);
    assert.match(og, /preview-1600-w1\.jpg$/);
    assert.equal(meta(html, 'name', 'twitter:image'), og);
    assert.equal(meta(html, 'name', 'twitter:card'), 'summary_large_image');
    assert.equal(meta(html, 'property', 'og:url'), `${base}/e/${w.orgId}/spring-10k?photo=${images[1]!.image_id}`);
    const file = await w.h.call(new URL(og).pathname);
    assert.equal(file.headers.get('content-type'), 'image/jpeg');
    // An id that is not a photo of the event previews nothing.
    const other = await (await page('?photo=3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f')).text();
    assert.equal(meta(other, 'property', 'og:image'), null);
  });

  test('the page key reads the API from the page origin only, and is made once per organisation', async () => {
    const html = await (await page()).text();
    const key = /key="(pk_page_[\w-]+)"/.exec(html)![1]!;
    const ok = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/details`, { key, headers: { Origin: base } });
    assert.equal(ok.status, 200);
    const elsewhere = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/details`, {
      key,
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(elsewhere.status, 403);
    await page();
    const keys = (await w.h.deps.store.keys.listForOrg(w.orgId)).filter((k) => k.label === PAGE_KEY_LABEL);
    assert.equal(keys.length, 1);
    assert.deepEqual(keys[0]!.origins, [base]);
    // Deleted by the organiser: the next page view makes it again.
    await w.h.deps.store.keys.delete(w.orgId, keys[0]!.id);
    const again = /key="(pk_page_[\w-]+)"/.exec(await (await page()).text())![1];
    assert.equal(again, key);
  });

  test('visibility: unlisted and password pages carry noindex; password pages preview no photo; drafts show a notice; private is 404', async () => {
    await admin({ visibility: 'unlisted' });
    assert.equal(meta(await (await page()).text(), 'name', 'robots'), 'noindex');
    await admin({ visibility: 'public', page_password: 'open-sesame' });
    const images = (await json<ImagePage>(await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/images`, { key: w.secret })))
      .data.images;
    const locked = await (await page(`?photo=${images[0]!.image_id}`)).text();
    assert.equal(meta(locked, 'name', 'robots'), 'noindex');
    assert.equal(meta(locked, 'property', 'og:image'), null);
    await admin({ page_password: null, status: 'draft' });
    const draft = await (await page()).text();
    assert.match(draft, /not published yet/);
    assert.doesNotMatch(draft, /<pf-event|pk_page_/);
    await admin({ status: 'active', visibility: 'private' });
    assert.equal((await page()).status, 404);
    assert.equal((await page('/qr.png')).status, 404);
    await admin({ visibility: 'public' });
  });

  test('visits are counted by source: qr, referrer, direct', async () => {
    const before = (
      await json<AnalyticsData>(await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/analytics`, { key: w.secret }))
    ).data;
    const count = (d: AnalyticsData, s: string) => d.sources.find((x) => x.source === s)?.visits ?? 0;
    await page('?source=qr');
    await page('', { Referer: 'https://news.example/article' });
    await page('', { Referer: `${base}/e/${w.orgId}/spring-10k` });
    const after = (
      await json<AnalyticsData>(await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/analytics`, { key: w.secret }))
    ).data;
    assert.equal(count(after, 'qr') - count(before, 'qr'), 1);
    assert.equal(count(after, 'referrer') - count(before, 'referrer'), 1);
    assert.equal(count(after, 'direct') - count(before, 'direct'), 1);
  });

  test('QR code: the PNG decodes to the page link with source=qr; size, colours, logo; unreadable colours 422', async () => {
    const res = await page('/qr.png');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await res.arrayBuffer());
    assert.equal((await sharp(png).metadata()).width, 512);
    assert.equal(await decodeQr(png), `${base}/e/${w.orgId}/spring-10k?source=qr`);

    const styled = Buffer.from(
      await (await page('/qr.png?size=300&fg=1a237e&bg=%23fff8e1&margin=2&source=qr-medal')).arrayBuffer(),
    );
    assert.equal((await sharp(styled).metadata()).width, 300);
    assert.equal(await decodeQr(styled), `${base}/e/${w.orgId}/spring-10k?source=qr-medal`);
    const { data } = await sharp(styled).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([...data.subarray(0, 3)], [0xff, 0xf8, 0xe1], 'the background colour');

    const svg = await page('/qr.svg?fg=000&bg=fff');
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    const svgText = await svg.text();
    assert.match(svgText, /^<svg [^>]*width="512"/);
    assert.equal(await decodeQr(await sharp(Buffer.from(svgText)).png().toBuffer()), `${base}/e/${w.orgId}/spring-10k?source=qr`);

    // With a logo (the cover) in the middle, error correction H still reads it.
    const cover = new FormData();
    const img = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#e53935' } })
      .png()
      .toBuffer();
    cover.append('file', new Blob([new Uint8Array(img)], { type: 'image/png' }), 'cover.png');
    await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/cover`, { key: w.secret, method: 'PUT', body: cover });
    const withLogo = Buffer.from(await (await page('/qr.png?logo=cover')).arrayBuffer());
    assert.equal(await decodeQr(withLogo), `${base}/e/${w.orgId}/spring-10k?source=qr`);
    const mid = await sharp(withLogo).extract({ left: 246, top: 246, width: 20, height: 20 }).raw().toBuffer();
    assert.ok(mid[0]! > 200 && mid[1]! < 100, 'the logo is drawn in the middle');

    for (const q of [
      '?fg=ffffff&bg=000000',
      '?fg=777777&bg=888888',
      '?size=20',
      '?fg=blue',
      '?logo=watermark',
      '?source=Bad Source',
    ]) {
      const bad = await page(`/qr.png${q}`);
      assert.equal(bad.status, 422, q);
    }
  });
});
