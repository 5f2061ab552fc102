// Organiser input that would break rendering is refused up front (422), renders stay within their budget, and a
// render that fails anyway is a clear error; file names of any script download (RFC 6266 filename*).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CERTIFICATE_MAX_PIXELS, type CertificateTemplate } from '../../../core/certify.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { contentDisposition } from '../../../server/http/content-disposition.ts';
import { json } from '../../support/harness.ts';
import { createCertWorld, fileForm, pdfText, type CertWorld } from '../certify/world.ts';
import { peakRss, resetPeak } from '../helpers/memory.ts';
import { makeJpeg } from '../helpers/photos.ts';

const MIB = 1024 * 1024;

describe('watermark text and event names are checked for what the renderer can draw', () => {
  let w: CertWorld;
  before(async () => (w = await createCertWorld()));
  after(() => w.h.close());
  const admin = (path: string) => `/api/v1/admin/${w.orgId}${path}`;

  test('a watermark text with a control character is 422 naming the field, the character and its position', async () => {
    for (const bad of ['Photo\u0007Finish', 'two\nlines', 'del\u007f', 'c1\u0085', 'lone \ud800 surrogate']) {
      const res = await w.h.call(admin(`/events/${w.event.id}`), {
        key: w.secret,
        method: 'PATCH',
        body: { watermark_text: bad },
      });
      assert.equal(res.status, 422, JSON.stringify(bad));
      assert.match(
        (await json(res)).message,
        /^watermark_text: contains (the control character|a lone surrogate) U\+[0-9A-F]{4} at position \d+/,
      );
    }
    const created = await w.h.call(admin('/events'), { key: w.secret, body: { name: 'Bell\u0007 Run' } });
    assert.equal(created.status, 422);
    assert.match((await json(created)).message, /^name: contains the control character U\+0007 at position 5/);
    // Any script, emoji and typographic punctuation is fine.
    const good = await w.h.call(admin(`/events/${w.event.id}`), {
      key: w.secret,
      method: 'PATCH',
      body: { watermark_text: '© Zoë’s «photos» 中文 🏃' },
    });
    assert.equal(good.status, 200);
  });

  test('a watermark stored before the check no longer breaks the ingest of the event photos', async () => {
    const event = await w.h.deps.store.events.update(w.event.id, { watermark_text: 'bad\u0007mark' });
    assert.ok(event);
    const res = await ingestPhoto(w.h.deps, event, { name: 'wm.jpg', data: await makeJpeg({ seed: 42 }), bibs: [] });
    assert.equal(res.status, 'added', JSON.stringify(res));
  });
});

describe('certificate templates: page size capped, renders within budget, failures are clear', () => {
  let w: CertWorld;
  before(async () => {
    w = await createCertWorld();
    const csv = "bib,name,finish_time\n101,Seán O'Brien,3:41:07\n中1,李 O’Neil,2:59:59\n";
    const up = await w.call(w.adm('/records'), { method: 'POST', body: fileForm('results.csv', csv) });
    assert.equal(up.res.status, 200, up.body.message);
  });
  after(() => w.h.close());

  const custom = (width: number, height: number): CertificateTemplate => ({
    name: 'Poster',
    width,
    height,
    background: { kind: 'builtin', name: 'plain' },
    fields: [
      { id: 'name', source: { column: 'name' }, x: 100, y: height / 2, width: width - 200, size: 120 } as never,
      {
        id: 'time',
        source: { text: 'Finished in {finish_time}' },
        x: 100,
        y: height / 2 + 200,
        width: width - 200,
        size: 80,
      } as never,
    ],
  });

  test('a 10000 × 10000 template, a side over 4000 px or a page over 9 MP is 422 with the limit', async () => {
    for (const [wd, ht, re] of [
      [10000, 10000, /template\.width: must be at most 4000 px/],
      [4001, 1000, /template\.width: must be at most 4000 px/],
      [4000, 4000, /template\.width: the page is 4000 × 4000 px \(16 MP\): at most 9 MP/],
    ] as const) {
      const r = await w.call(w.adm('/template'), { method: 'PUT', body: { template: custom(wd, ht) } });
      assert.equal(r.res.status, 422, `${wd}×${ht}`);
      assert.match(r.body.message, re);
    }
    const text = await w.call(w.adm('/template'), {
      method: 'PUT',
      body: { template: { ...custom(1123, 794), fields: [{ ...custom(1123, 794).fields[1]!, source: { text: 'x\u0000y' } }] } },
    });
    assert.equal(text.res.status, 422);
    assert.match(text.body.message, /source\.text: contains the control character U\+0000/);
  });

  test('the largest page allowed (A4 at 300 dpi, 3508 × 2480) renders as PNG and PDF within the budget', async () => {
    assert.ok(3508 * 2480 <= CERTIFICATE_MAX_PIXELS);
    const put = await w.call(w.adm('/template'), { method: 'PUT', body: { template: custom(3508, 2480) } });
    assert.equal(put.res.status, 200, put.body.message);
    for (const format of ['png', 'pdf'] as const) {
      const base = resetPeak(process.pid);
      const t0 = performance.now();
      const res = await w.h.call(`${w.adm('/preview')}?format=${format}&bib=101`, { key: w.secret });
      const ms = performance.now() - t0;
      const bytes = new Uint8Array(await res.arrayBuffer());
      const growth = peakRss(process.pid) - base;
      console.log(
        `3508 × 2480 ${format}: ${Math.round(ms)} ms, +${(growth / MIB).toFixed(0)} MB, ${(bytes.length / MIB).toFixed(1)} MB`,
      );
      assert.equal(res.status, 200);
      // Budget: well under a minute on a busy 2-core machine (seconds when idle) and 600 MB.
      assert.ok(ms < 45_000, `${format} took ${Math.round(ms)} ms`);
      assert.ok(growth < 600 * MIB, `${format} grew memory by ${(growth / MIB).toFixed(0)} MB`);
    }
    const big = await w.call(`${w.adm('/preview')}?format=png&scale=3`);
    assert.equal(big.res.status, 422);
    assert.match(big.body.message, /^scale: a 3508 × 2480 px page is at most 1\.\d+ times its size/);
  });

  test('a template stored before the cap is a clear 422 for the preview and the participant, never a 500', async () => {
    await w.h.deps.store.certificates.putTemplate(w.event.id, custom(10000, 10000), 'custom');
    const preview = await w.call(`${w.adm('/preview')}?format=pdf`);
    assert.equal(preview.res.status, 422);
    assert.match(preview.body.message, /template is too large to render: the page is 10000 × 10000 px: at most 4000 px a side/);
    // Published, the participant's download answers the same message.
    await w.h.deps.store.certificates.putTemplate(w.event.id, custom(1123, 794), 'custom');
    assert.equal((await w.call(w.adm('/publish'), { method: 'POST' })).res.status, 200);
    const look = await w.call<{ png_url: string }>(w.pub('101'), { key: w.publishable });
    await w.h.deps.store.certificates.putTemplate(w.event.id, custom(10000, 10000), 'custom');
    const file = await w.file(look.body.data.png_url);
    assert.equal(file.status, 422);
    assert.match(((await file.json()) as { message: string }).message, /template is too large to render/);
    await w.h.deps.store.certificates.putTemplate(w.event.id, custom(1123, 794), 'custom');
  });

  test('a certificate for BIB 中1 downloads: Content-Disposition carries the name as filename* (RFC 6266/5987)', async () => {
    await w.call(w.adm('/publish'), { method: 'POST' });
    const look = await w.call<{ png_url: string; pdf_url: string; pdf_filename: string }>(w.pub('中1'), { key: w.publishable });
    assert.equal(look.res.status, 200, look.body.message);
    for (const url of [look.body.data.png_url, look.body.data.pdf_url]) {
      const res = await w.file(url);
      assert.equal(res.status, 200, url);
      const cd = res.headers.get('content-disposition')!;
      assert.match(
        cd,
        /^attachment; filename="lakeside-marathon-2026-certificate-_1\.(png|pdf)"; filename\*=UTF-8''lakeside-marathon-2026-certificate-%E4%B8%AD1\.(png|pdf)$/,
      );
      assert.ok((await res.arrayBuffer()).byteLength > 1000);
    }
    assert.equal(look.body.data.pdf_filename, 'lakeside-marathon-2026-certificate-中1.pdf');
  });

  test('contentDisposition: ASCII names stay plain; quotes, backslashes and percent signs never break the header', () => {
    assert.equal(contentDisposition('attachment', 'a.jpg'), 'attachment; filename="a.jpg"');
    assert.equal(
      contentDisposition('inline', `it's "x" 100%\\.pdf`),
      `inline; filename="it's _x_ 100__.pdf"; filename*=UTF-8''it%27s%20%22x%22%20100%25%5C.pdf`,
    );
  });

  test('the PDF text layer: apostrophes and quotes in every font come out as typed, never as a control character', async () => {
    const fonts = ['PT Sans', 'PT Serif', 'Playfair Display'];
    const fields = fonts.flatMap((font, i) =>
      [400, 700].flatMap((weight, j) =>
        [false, true].map((italic, k) => ({
          id: `f${i}${j}${k}`,
          source: { text: `O'Brien d’Arc ‘q’ "Zoë" {name}` },
          x: 20,
          y: 40 + (i * 4 + j * 2 + k) * 40,
          width: 1080,
          size: 18,
          font,
          weight,
          italic,
        })),
      ),
    );
    const template = { name: 'Fonts', width: 1123, height: 794, background: { kind: 'builtin', name: 'plain' }, fields };
    assert.equal((await w.call(w.adm('/template'), { method: 'PUT', body: { template } })).res.status, 200);
    const res = await w.h.call(`${w.adm('/preview')}?format=pdf&bib=101`, { key: w.secret });
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/, JSON.stringify(text));
    // pdf.js may split a line into items at a space: compare with whitespace folded.
    const flat = text.replace(/\s+/g, ' ');
    assert.equal(flat.split(`O'Brien d’Arc ‘q’ "Zoë" Seán O'Brien`).length - 1, fields.length, flat);
  });
});
