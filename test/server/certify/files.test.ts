// Certificate files through the API: signed PNG/PDF downloads (real text in the PDF, the name's pixels in
// the PNG), the render cache (ETag, 304, regeneration when the template or the record changes, stale
// renders deleted), tampered and expired links, previews and uploaded backgrounds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { EventTemplate, ImportSummary, PublicCertificate } from '../../../core/api/certificates.ts';
import type { CertificateField } from '../../../core/certify.ts';
import { getBuiltinTemplate } from '../../../server/certify/templates/index.ts';
import { createSigner } from '../../../server/services/signing.ts';
import { band, createCertWorld, crop, dark, fileForm, pdfText, raw, type CertWorld } from './world.ts';
import { blobKeys, hasBlob } from '../helpers/blobs.ts';

const nameField = (): CertificateField => getBuiltinTemplate('classic')!.fields.find((f) => f.id === 'name')!;

describe('certificate files', () => {
  let w: CertWorld;
  const renders = async () =>
    (await blobKeys(w.h.deps.blobs, `certificates/${w.event.id}/renders/`)).map((k) => k.split('/').pop()!);
  const lookUp = async (bib: string) => {
    const r = await w.call<PublicCertificate>(w.pub(bib), { key: w.publishable });
    assert.equal(r.res.status, 200, r.body.message);
    return r.body.data;
  };
  const upload = async (csv: string) => {
    const r = await w.call<ImportSummary>(w.adm('/records'), { method: 'POST', body: fileForm('results.csv', csv) });
    assert.equal(r.res.status, 200, r.body.message);
    return r.body.data;
  };

  before(async () => {
    w = await createCertWorld();
    await w.call(w.adm('/template'), { method: 'PUT', body: { builtin: 'classic' } });
    await upload(
      'Bib,First Name,Last Name,Category,Chip Time,Place\n427,Zoë,Šťastná,F40,3:41:07,12\n12,Анна,Петрова,F35,3:02:00,5\n',
    );
    assert.equal((await w.call(w.adm('/publish'), { method: 'POST' })).res.status, 200);
  });
  after(() => w.h.close());

  test('PDF: attachment with a friendly name, real text with the runner, the event and the time', async () => {
    const d = await lookUp('427');
    const res = await w.file(d.pdf_url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="lakeside-marathon-2026-certificate-427.pdf"');
    assert.match(res.headers.get('cache-control') ?? '', /^private, max-age=3[56]\d\d$/);
    const pdf = new Uint8Array(await res.arrayBuffer());
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
    const text = await pdfText(pdf);
    assert.ok(text.includes('Zoë Šťastná'), text);
    assert.ok(text.includes('Lakeside Marathon 2026'), text);
    assert.ok(text.includes('3:41:07'), text);
    assert.ok(text.includes('11 October 2026'), text);
    const cyr = await pdfText(new Uint8Array(await (await w.file((await lookUp('12')).pdf_url)).arrayBuffer()));
    assert.ok(cyr.includes('Анна Петрова'), cyr);
    // rendered on a worker thread, not on the server's
    assert.deepEqual(w.h.deps.certificates.renderStats, { threads: 1, inProcess: false });
  });

  test('PNG: the name box holds the name (its pixels differ per runner), cached with an ETag, 304 when unchanged', async () => {
    const a = await lookUp('427');
    const res = await w.file(a.png_url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="lakeside-marathon-2026-certificate-427.png"');
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"cert-r\d+-t1-v1\.[\w-]+-[0-9a-f]{12}\.png"$/);
    const png = new Uint8Array(await res.arrayBuffer());
    const img = await raw(png);
    assert.deepEqual([img.width, img.height], [1123, 794]);
    const b = band(nameField());
    assert.ok(dark(img, b) > 500, `dark pixels in the name box: ${dark(img, b)}`);
    const other = await raw(new Uint8Array(await (await w.file((await lookUp('12')).png_url)).arrayBuffer()));
    assert.ok(dark(other, b) > 500);
    assert.notDeepEqual(crop(img, b), crop(other, b));
    // the rest of the page (the event line) is the same for both runners
    const eventBand = band(getBuiltinTemplate('classic')!.fields.find((f) => f.id === 'event')!);
    assert.deepEqual(crop(img, eventBand), crop(other, eventBand));

    // Cached: the same bytes and ETag again, no new render; 304 on If-None-Match (also with a fresh link)
    const before = (await renders()).length;
    const again = await w.file((await lookUp('427')).png_url);
    assert.equal(again.headers.get('etag'), etag);
    assert.ok(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(png)));
    assert.equal((await renders()).length, before);
    const cond = await w.file(a.png_url, { 'If-None-Match': etag });
    assert.equal(cond.status, 304);
    const head = await w.h.app.request(`http://127.0.0.1${new URL(a.png_url).pathname}${new URL(a.png_url).search}`, {
      method: 'HEAD',
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(png.length));
  });

  test('tampered, foreign and expired links are 403; a link to a record that went away is 404', async () => {
    const d = await lookUp('427');
    const u = new URL(d.png_url);
    const sig = u.searchParams.get('sig')!;
    const flipped = `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const cases = [
      d.png_url.replace(`sig=${sig}`, `sig=${flipped}`),
      d.png_url.replace('/427.png', '/12.png'),
      d.png_url.replace('.png?', '.pdf?'),
      d.png_url.replace(`/c/${w.event.id}/`, `/c/${w.other.id}/`),
      d.png_url.replace(/exp=\d+/, (m) => `exp=${Number(m.slice(4)) + 3600}`),
      `${u.origin}${u.pathname}`,
    ];
    for (const url of cases) {
      const r = await w.file(url);
      assert.equal(r.status, 403, url);
      const body = (await r.json()) as { responseType: string; message: string };
      assert.equal(body.responseType, 'error');
      assert.match(body.message, /signature does not match/);
    }
    const past = createSigner(['test-signing-key'], () => Date.now() - 2 * 3600_000);
    const path = `/files/c/${w.event.id}/427.png`;
    const expired = await w.file(`${path}?${past.sign(path)}`);
    assert.equal(expired.status, 403);
    assert.match(((await expired.json()) as { message: string }).message, /expired/);
    // not a certificate file name at all
    assert.equal((await w.file(`/files/c/${w.event.id}/..%2Fx.png?${w.h.deps.signer.sign(path)}`)).status, 404);
    // a valid link whose record was deleted since
    await w.call(w.adm('/records/77'), { method: 'PUT', body: { name: 'Gone Soon' } });
    const gone = await lookUp('77');
    await w.call(w.adm('/records/77'), { method: 'DELETE' });
    assert.equal((await w.file(gone.png_url)).status, 404);
    // unpublished: a link handed out before is refused too
    await w.call(w.adm('/unpublish'), { method: 'POST' });
    assert.equal((await w.file(d.png_url)).status, 403);
    await w.call(w.adm('/publish'), { method: 'POST' });
  });

  test('a template change regenerates: new cache key, different PNG bytes; the stale render is deleted', async () => {
    const oldRes = await w.file((await lookUp('427')).png_url);
    const oldTag = oldRes.headers.get('etag')!;
    const oldPng = Buffer.from(await oldRes.arrayBuffer());
    const put = await w.call<EventTemplate>(w.adm('/template'), {
      method: 'PUT',
      body: { builtin: 'classic', accent: '#1565c0' },
    });
    assert.equal(put.body.data.version, 2);
    const svc = w.h.deps.certificates;
    await svc.settled(w.event.id);
    // both formats of both runners were stale and are gone from the blob store
    assert.deepEqual(await renders(), []);
    const newRes = await w.file((await lookUp('427')).png_url);
    const newTag = newRes.headers.get('etag')!;
    assert.notEqual(newTag, oldTag);
    assert.match(newTag, /-t2-/);
    const newPng = Buffer.from(await newRes.arrayBuffer());
    assert.ok(!newPng.equals(oldPng));
    // the old ETag no longer validates
    assert.equal((await w.file((await lookUp('427')).png_url, { 'If-None-Match': oldTag })).status, 200);
    assert.equal((await renders()).length, 1);
  });

  test('a record change regenerates: new key and the new name in the PDF; an unchanged re-upload keeps the cache', async () => {
    const first = await w.file((await lookUp('427')).pdf_url);
    const tag = first.headers.get('etag')!;
    await upload('Bib,First Name,Last Name,Category,Chip Time,Place\n427,Zoë,Šťastná,F40,3:41:07,12\n');
    assert.equal((await w.file((await lookUp('427')).pdf_url)).headers.get('etag'), tag);
    const s = await upload('Bib,First Name,Last Name,Category,Chip Time,Place\n427,Zoé,Novák,F40,3:40:59,11\n');
    assert.equal(s.updated, 1);
    const res = await w.file((await lookUp('427')).pdf_url);
    assert.notEqual(res.headers.get('etag'), tag);
    assert.match(res.headers.get('etag')!, /-v2\./);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    assert.ok(text.includes('Zoé Novák'), text);
    assert.ok(text.includes('3:40:59'), text);
    assert.ok(!text.includes('Šťastná'), text);
    await w.h.deps.certificates.settled(w.event.id);
    assert.equal((await renders()).filter((n) => n.endsWith('.pdf')).length, 1);
  });

  test('an event rename changes every certificate (the event name is on it)', async () => {
    const before = (await w.file((await lookUp('12')).pdf_url)).headers.get('etag');
    await w.h.deps.store.events.update(w.event.id, { name: 'Lakeside Marathon 2026 (official)' });
    w.event = (await w.h.deps.store.events.get(w.event.id))!;
    const res = await w.file((await lookUp('12')).pdf_url);
    assert.notEqual(res.headers.get('etag'), before);
    assert.ok((await pdfText(new Uint8Array(await res.arrayBuffer()))).includes('Lakeside Marathon 2026 (official)'));
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="lakeside-marathon-2026-certificate-12.pdf"'); // the slug stays
  });

  test('preview: the sample record, a given BIB, or an unsaved template; nothing is cached', async () => {
    const count = (await renders()).length;
    const sample = await w.h.call(w.adm('/preview'), { key: w.secret });
    assert.equal(sample.status, 200);
    assert.equal(sample.headers.get('content-type'), 'image/png');
    assert.equal(sample.headers.get('cache-control'), 'no-store');
    const img = await raw(new Uint8Array(await sample.arrayBuffer()));
    assert.ok(dark(img, band(nameField())) > 500);
    const pdf = await w.h.call(w.adm('/preview?bib=12&format=pdf'), { key: w.secret });
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.ok((await pdfText(new Uint8Array(await pdf.arrayBuffer()))).includes('Анна Петрова'));
    const small = await w.h.call(w.adm('/preview?scale=0.5'), { key: w.secret });
    assert.equal((await sharp(Buffer.from(await small.arrayBuffer())).metadata()).width, 562);
    const modern = await w.h.call(w.adm('/preview'), { key: w.secret, method: 'POST', body: { builtin: 'modern' } });
    assert.equal(modern.status, 200);
    assert.equal((await sharp(Buffer.from(await modern.arrayBuffer())).metadata()).height, 1123);
    assert.equal((await w.call(w.adm('/preview?bib=999'))).res.status, 404);
    assert.equal((await w.call(w.adm('/preview?format=gif'))).res.status, 422);
    assert.equal((await w.call(w.adm('/preview?scale=9'))).res.status, 422);
    assert.equal((await w.call(w.adm('/preview'), { method: 'POST', body: { builtin: 'nope' } })).res.status, 422);
    assert.equal((await w.call<EventTemplate>(w.adm('/template'))).body.data.source, 'builtin:classic');
    assert.equal((await renders()).length, count);
  });

  test('background image: PNG/JPEG only, drawn under the text, a new template version; removing it restores the built-in', async () => {
    const red = await sharp({ create: { width: 600, height: 424, channels: 3, background: '#c00000' } })
      .jpeg()
      .toBuffer();
    const bad: [string, Uint8Array | string, RegExp][] = [
      ['bg.png', 'not an image', /not a readable PNG or JPEG/],
      [
        'bg.gif',
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
          .gif()
          .toBuffer(),
        /PNG or JPEG image, not gif/,
      ],
      ['bg.png', new Uint8Array(0), /empty/],
    ];
    for (const [name, data, re] of bad) {
      const r = await w.call(w.adm('/template/background'), { method: 'PUT', body: fileForm(name, data) });
      assert.equal(r.res.status, 422, name);
      assert.match(r.body.message, re);
    }
    const wrongType = await w.call(w.adm('/template/background'), { method: 'PUT', body: { file: 'x' } });
    assert.equal(wrongType.res.status, 415);
    const noTemplate = await w.call(w.adm('/template/background', w.other.id), { method: 'PUT', body: fileForm('bg.jpg', red) });
    assert.equal(noTemplate.res.status, 409);

    const v = (await w.call<EventTemplate>(w.adm('/template'))).body.data.version;
    const set = await w.call<EventTemplate>(w.adm('/template/background'), { method: 'PUT', body: fileForm('bg.jpg', red) });
    assert.equal(set.res.status, 200, set.body.message);
    assert.equal(set.body.data.version, v + 1);
    assert.equal(set.body.data.background_image, true);
    const bg = set.body.data.template.background;
    assert.ok(bg.kind === 'blob' && bg.key.startsWith(`certificates/${w.event.id}/backgrounds/`));
    const png = await raw(new Uint8Array(await (await w.file((await lookUp('427')).png_url)).arrayBuffer()));
    const px = [...png.data.subarray(0, 3)];
    assert.ok(px[0]! > 180 && px[1]! < 30 && px[2]! < 30, `corner pixel ${px}`);
    assert.ok(dark(png, band(nameField())) > 300);
    // a whole template JSON may name the event's own uploaded background
    const json = await w.call<EventTemplate>(w.adm('/template'), {
      method: 'PUT',
      body: { template: { ...set.body.data.template, name: 'Red' } },
    });
    assert.equal(json.res.status, 200, json.body.message);
    assert.equal(json.body.data.source, 'custom');
    const cleared = await w.call<EventTemplate>(w.adm('/template/background'), { method: 'DELETE' });
    assert.equal(cleared.body.data.template.background.kind, 'builtin');
    assert.equal(cleared.body.data.background_image, false);
    assert.equal(await hasBlob(w.h.deps.blobs, bg.key), false);
  });

  test('concurrent first downloads of one certificate render it once', async () => {
    await w.call(w.adm('/template'), { method: 'PUT', body: { builtin: 'modern' } });
    await w.h.deps.certificates.settled(w.event.id);
    const d = await lookUp('12');
    const all = await Promise.all(Array.from({ length: 6 }, () => w.file(d.png_url)));
    const tags = new Set(all.map((r) => r.headers.get('etag')));
    assert.equal(tags.size, 1);
    assert.ok(all.every((r) => r.status === 200));
    await Promise.all(all.map((r) => r.arrayBuffer()));
    assert.equal((await renders()).filter((n) => n.endsWith('.png')).length, 1);
  });
});
