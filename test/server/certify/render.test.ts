import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { type CertificateField, type CertificateRecord, type CertificateTemplate } from '../../../core/certify.ts';
import { FontRegistry, defaultFontRegistry } from '../../../server/certify/fonts/index.ts';
import { certificateCacheKey, layoutCertificate, layoutField, renderCertificate } from '../../../server/certify/render.ts';
import { getBuiltinTemplate, listBuiltinTemplates } from '../../../server/certify/templates/index.ts';

const ctx = { event_name: 'Lakeside Marathon 2025', event_date: '12 October 2025' };
const rec = (name: string, extra: Partial<CertificateRecord> = {}): CertificateRecord => ({
  bib: '1234',
  name,
  finish_time: '3:41:07',
  rank: 57,
  category: 'F40',
  extra: {},
  ...extra,
});

function classic(): CertificateTemplate {
  const t = getBuiltinTemplate('classic');
  assert.ok(t);
  return t;
}
const nameField = (t: CertificateTemplate): CertificateField => {
  const f = t.fields.find((x) => x.id === 'name');
  assert.ok(f);
  return f;
};

interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}
async function raw(png: Buffer | Uint8Array): Promise<Raw> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
/** The band a field's text occupies: its box width, from a cap height above to a descender below the baseline. */
const band = (f: CertificateField): Box => ({
  left: Math.floor(f.x),
  right: Math.ceil(f.x + f.width),
  top: Math.floor(f.y - f.size * 1.0),
  bottom: Math.ceil(f.y + f.size * 0.28),
});
function dark(img: Raw, b: Box, below = 110): number {
  let n = 0;
  for (let y = Math.max(0, b.top); y < Math.min(img.height, b.bottom); y++) {
    for (let x = Math.max(0, b.left); x < Math.min(img.width, b.right); x++) {
      const i = (y * img.width + x) * img.channels;
      const l = 0.299 * (img.data[i] ?? 0) + 0.587 * (img.data[i + 1] ?? 0) + 0.114 * (img.data[i + 2] ?? 0);
      if (l < below) n++;
    }
  }
  return n;
}
function crop(img: Raw, b: Box): Buffer {
  const rows: Buffer[] = [];
  for (let y = b.top; y < b.bottom; y++) {
    rows.push(img.data.subarray((y * img.width + b.left) * img.channels, (y * img.width + b.right) * img.channels));
  }
  return Buffer.concat(rows);
}
/** Leftmost and rightmost columns of a band with dark pixels. */
function inkExtent(img: Raw, b: Box): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let x = b.left; x < b.right; x++) {
    if (dark(img, { left: x, right: x + 1, top: b.top, bottom: b.bottom }) > 0) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return [lo, hi];
}

async function pdfDoc(pdf: Buffer) {
  return getDocument({ data: new Uint8Array(pdf), verbosity: 0, disableFontFace: true, useSystemFonts: false }).promise;
}
async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await pdfDoc(pdf);
  try {
    const page = await doc.getPage(1);
    const tc = await page.getTextContent();
    return tc.items.map((i) => ('str' in i ? i.str : '')).join('\n');
  } finally {
    await doc.destroy();
  }
}

describe('fonts', () => {
  test('families resolve by name, generic name and nearest weight; unknown → PT Sans', () => {
    const fonts = defaultFontRegistry();
    assert.equal(fonts.resolve('serif', 700).key, 'PT Serif/700/normal');
    assert.equal(fonts.resolve('PT Sans', 600).key, 'PT Sans/700/normal');
    assert.equal(fonts.resolve('pt sans', 300).key, 'PT Sans/400/normal');
    assert.equal(fonts.resolve('Playfair Display', 650).key, 'Playfair Display/700/normal');
    assert.equal(fonts.resolve('PT Serif', 400, true).key, 'PT Serif/400/italic');
    assert.equal(fonts.resolve('Comic Sans MS').family, 'PT Sans');
    const names = fonts.families().map((f) => f.family);
    for (const f of ['PT Serif', 'PT Sans', 'Playfair Display', 'Noto Sans SC']) assert.ok(names.includes(f), f);
  });

  test('every packaged font has Latin and Cyrillic; the CJK fallback has Chinese and kana', () => {
    const fonts = defaultFontRegistry();
    for (const fam of fonts.families()) {
      // the CJK face is a GB2312 subset: basic Latin and Cyrillic, no Central European accents
      const chars = fam.family === 'Noto Sans SC' ? 'AzéЖя张伟山田さくらカ' : 'AzéŠřŁЖяЁ';
      for (const w of fam.weights) {
        const face = fonts.resolve(fam.family, w);
        for (const ch of chars) assert.ok(face.font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0), `${face.key} ${ch}`);
      }
    }
  });

  test('per-glyph fallback: Latin stays in the field font, Han goes to Noto Sans SC', () => {
    const f = nameField(classic());
    const l = layoutField(f, 'Lee 李娜');
    assert.deepEqual(
      l.runs.map((r) => [r.text, r.face.family]),
      [
        ['Lee ', 'Playfair Display'],
        ['李娜', 'Noto Sans SC'],
      ],
    );
    assert.equal(l.missingGlyphs, false);
  });

  test('a registry can take an extra face', () => {
    const reg = new FontRegistry();
    const bytes = defaultFontRegistry().resolve('PT Serif', 700).bytes;
    reg.addFace({ family: 'Brand', weight: 700, bytes });
    assert.equal(reg.resolve('brand', 900).font.postscriptName, 'PTSerif-Bold');
  });
});

describe('layout', () => {
  test('alignment inside the box', () => {
    const base = { ...nameField(classic()), autoShrink: false };
    const left = layoutField({ ...base, align: 'left' }, 'Ann');
    const centre = layoutField({ ...base, align: 'center' }, 'Ann');
    const right = layoutField({ ...base, align: 'right' }, 'Ann');
    assert.equal(left.x, base.x);
    assert.ok(Math.abs(centre.x + centre.width / 2 - (base.x + base.width / 2)) < 1e-6);
    assert.ok(Math.abs(right.x + right.width - (base.x + base.width)) < 1e-6);
  });

  test('auto-shrink fits a long name in its box, down to minSize, then condenses', () => {
    const f = nameField(classic());
    const long = layoutField(f, 'Maximiliana Alexandrovna Konstantinopolskaya-Wolfeschlegelsteinhausen');
    assert.ok(long.shrunk);
    assert.ok(long.size < f.size && long.size >= f.minSize);
    assert.ok(long.x >= f.x - 1e-6 && long.x + long.width <= f.x + f.width + 1e-6);
    const huge = layoutField(f, 'Very Long Name '.repeat(30));
    assert.equal(huge.size, f.minSize);
    assert.ok(huge.scaleX < 1);
    assert.ok(huge.x >= f.x - 1e-6 && huge.x + huge.width <= f.x + f.width + 1e-6);
    const off = layoutField({ ...f, autoShrink: false }, 'Very Long Name '.repeat(3));
    assert.equal(off.size, f.size);
    assert.ok(off.width > f.width);
  });

  test('empty values leave fields out', () => {
    const ids = layoutCertificate(classic(), rec('', { rank: undefined }), { event_name: 'X' }).map((l) => l.field.id);
    assert.ok(!ids.includes('name'));
    assert.ok(!ids.includes('rank'));
    assert.ok(!ids.includes('rank_label')); // showIf: 'rank'
    assert.ok(ids.includes('time_label'));
    assert.ok(!ids.includes('date')); // {event_date} missing and hideIfEmpty
    assert.ok(ids.includes('event'));
  });
});

describe('PNG', () => {
  test('the name box has dark text pixels; an empty name leaves it blank; another name differs', async () => {
    const t = classic();
    const b = band(nameField(t));
    const withName = await raw(await renderCertificate(t, rec('Ann Lee'), ctx, 'png'));
    const empty = await raw(await renderCertificate(t, rec(''), ctx, 'png'));
    const other = await raw(await renderCertificate(t, rec('Bob Ray'), ctx, 'png'));
    assert.equal(withName.width, 1123);
    assert.equal(withName.height, 794);
    assert.ok(dark(withName, b) > 500, `dark pixels ${dark(withName, b)}`);
    assert.equal(dark(empty, b), 0);
    assert.ok(dark(other, b) > 500);
    assert.notDeepEqual(crop(withName, b), crop(other, b));
    // other fields are unchanged by the name
    const eventBand = band(t.fields.find((f) => f.id === 'event') as CertificateField);
    assert.deepEqual(crop(withName, eventBand), crop(empty, eventBand));
  });

  test('accented, Cyrillic and CJK names render glyphs', async () => {
    const t = classic();
    const b = band(nameField(t));
    for (const name of ['Zoë Šťastná-Nováková', 'Анна Петрова', '张伟', '山田さくら']) {
      const l = layoutField(nameField(t), name);
      assert.equal(l.missingGlyphs, false, name);
      const img = await raw(await renderCertificate(t, rec(name), ctx, 'png'));
      assert.ok(dark(img, b) > 300, `${name}: ${dark(img, b)} dark pixels`);
    }
  });

  test('a very long name stays inside its box', async () => {
    const t = classic();
    const f = nameField(t);
    const name = 'Maximiliana Alexandrovna Konstantinopolskaya-Wolfeschlegelsteinhausen';
    const img = await raw(await renderCertificate(t, rec(name), ctx, 'png'));
    const blank = await raw(await renderCertificate(t, rec(''), ctx, 'png'));
    const b = band(f);
    const [lo, hi] = inkExtent(img, b);
    assert.ok(lo >= f.x - 1 && hi <= f.x + f.width + 1, `ink ${lo}–${hi}, box ${f.x}–${f.x + f.width}`);
    // nothing changed outside the box on those rows
    const leftOf = { ...b, left: 0, right: Math.floor(f.x) - 1 };
    const rightOf = { ...b, left: Math.ceil(f.x + f.width) + 1, right: img.width };
    assert.deepEqual(crop(img, leftOf), crop(blank, leftOf));
    assert.deepEqual(crop(img, rightOf), crop(blank, rightOf));
  });

  test('a template change gives a different image; the same input the same bytes', async () => {
    const t = classic();
    const a = await renderCertificate(t, rec('Ann Lee'), ctx, 'png');
    const again = await renderCertificate(t, rec('Ann Lee'), ctx, 'png');
    assert.ok(a.equals(again), 'deterministic');
    const recoloured = getBuiltinTemplate('classic', { accent: '#2e7d32' });
    assert.ok(recoloured);
    const b = await renderCertificate(recoloured, rec('Ann Lee'), ctx, 'png');
    assert.ok(!a.equals(b));
    const moved = structuredClone(t);
    nameField(moved).y += 20;
    const c = await raw(await renderCertificate(moved, rec('Ann Lee'), ctx, 'png'));
    const ra = await raw(a);
    assert.notDeepEqual(crop(ra, band(nameField(t))), crop(c, band(nameField(t))));
  });

  test('scale renders more pixels', async () => {
    const t = getBuiltinTemplate('modern');
    assert.ok(t);
    const img = await raw(await renderCertificate(t, rec('Ann Lee'), ctx, 'png', { scale: 0.5 }));
    assert.equal(img.width, 397);
    assert.equal(img.height, 562);
  });

  test('a blob background is loaded, fitted and drawn under the text', async () => {
    const red = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c00000' } })
      .png()
      .toBuffer();
    const t: CertificateTemplate = { ...classic(), background: { kind: 'blob', key: 'bg/red.png', fit: 'cover' } };
    const keys: string[] = [];
    const png = await renderCertificate(t, rec('Ann Lee'), ctx, 'png', {
      loadBlob: async (k) => {
        keys.push(k);
        return red;
      },
    });
    assert.deepEqual(keys, ['bg/red.png']);
    const img = await raw(png);
    assert.deepEqual([...img.data.subarray(0, 3)], [0xc0, 0, 0]);
    await assert.rejects(renderCertificate(t, rec('Ann Lee'), ctx, 'png'), /loadBlob/);
    await assert.rejects(renderCertificate(t, rec('Ann Lee'), ctx, 'png', { loadBlob: async () => null }), /not found/);
  });

  test('every built-in template renders', async () => {
    const list = listBuiltinTemplates();
    assert.ok(list.length >= 2);
    for (const { id, template } of list) {
      const img = await raw(await renderCertificate(template, rec('Ann Lee'), ctx, 'png'));
      assert.equal(img.width, Math.round(template.width), id);
      assert.ok(dark(img, band(nameField(template))) > 300, id);
    }
  });
});

describe('PDF', () => {
  test('has real, extractable text: accented, Cyrillic and CJK names, placeholders filled', async () => {
    const t = classic();
    const names = ['Zoë Šťastná', 'Анна Петрова', '张伟'];
    for (const name of names) {
      const pdf = await renderCertificate(t, rec(name), ctx, 'pdf');
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      const text = await pdfText(pdf);
      const flat = text.replace(/\s+/g, '');
      assert.ok(flat.includes(name.replace(/\s+/g, '')), `${name} not in: ${text}`);
      assert.ok(text.includes('Lakeside Marathon 2025'));
      assert.ok(text.includes('3:41:07'));
      // subset fonts: far below the size of the fonts (the CJK face alone is 8 MB)
      assert.ok(pdf.length < 1_000_000, `${pdf.length} bytes`);
    }
  });

  test('the same input gives the same bytes; page size is the template size in points', async () => {
    const t = classic();
    const a = await renderCertificate(t, rec('Ann Lee'), ctx, 'pdf');
    const b = await renderCertificate(t, rec('Ann Lee'), ctx, 'pdf');
    assert.ok(a.equals(b));
    const doc = await pdfDoc(a);
    const page = await doc.getPage(1);
    const vp = page.getViewport({ scale: 1 });
    assert.ok(Math.abs(vp.width - t.width * 0.75) < 0.01);
    assert.ok(Math.abs(vp.height - t.height * 0.75) < 0.01);
    await doc.destroy();
  });

  test('drawn by pdf.js, the embedded glyphs sit where the PNG has them', async (tc) => {
    let canvasOk = true;
    try {
      await import('@napi-rs/canvas' as string);
    } catch {
      canvasOk = false;
    }
    if (!canvasOk) {
      tc.skip('@napi-rs/canvas (optional dependency of pdfjs-dist) is not installed');
      return;
    }
    const name = 'Zoë Петрова 张伟';
    // classic: Playfair Display + Noto Sans SC (CFF); modern: PT Sans (long-loca TrueType)
    for (const id of ['classic', 'modern']) {
      const t = getBuiltinTemplate(id);
      assert.ok(t);
      const png = await raw(await renderCertificate(t, rec(name), ctx, 'png'));
      const doc = await pdfDoc(await renderCertificate(t, rec(name), ctx, 'pdf'));
      try {
        const page = await doc.getPage(1);
        const viewport = page.getViewport({ scale: 96 / 72 });
        const factory = (
          doc as unknown as {
            canvasFactory: { create(w: number, h: number): { canvas: { toBuffer(m: string): Buffer }; context: unknown } };
          }
        ).canvasFactory;
        const { canvas, context } = factory.create(Math.round(viewport.width), Math.round(viewport.height));
        await page.render({ canvasContext: context, viewport, canvas } as unknown as Parameters<typeof page.render>[0]).promise;
        const drawn = await raw(canvas.toBuffer('image/png'));
        const b = band(nameField(t));
        // every glyph drawn (a broken font subset draws nothing or garbage): ink within 10% of the PNG's
        const inkPdf = dark(drawn, b);
        const inkPng = dark(png, b);
        assert.ok(Math.abs(inkPdf - inkPng) < inkPng * 0.1, `${id}: pdf ${inkPdf} vs png ${inkPng}`);
        const [lo1, hi1] = inkExtent(png, b);
        const [lo2, hi2] = inkExtent(drawn, b);
        assert.ok(Math.abs(lo1 - lo2) <= 2 && Math.abs(hi1 - hi2) <= 2, `${id}: png ${lo1}–${hi1}, pdf ${lo2}–${hi2}`);
      } finally {
        await doc.destroy();
      }
    }
  });
});

describe('cache key', () => {
  test('changes with template, record, format and context; safe as a file name', () => {
    const k = certificateCacheKey(3, 'a7f', 'png');
    assert.match(k, /^[A-Za-z0-9_.-]+$/);
    assert.equal(k, certificateCacheKey(3, 'a7f', 'png'));
    assert.notEqual(k, certificateCacheKey(4, 'a7f', 'png'));
    assert.notEqual(k, certificateCacheKey(3, 'a7g', 'png'));
    assert.notEqual(k, certificateCacheKey(3, 'a7f', 'pdf'));
    const c1 = certificateCacheKey(3, 'a7f', 'png', { context: { event_name: 'A' } });
    assert.notEqual(c1, certificateCacheKey(3, 'a7f', 'png', { context: { event_name: 'B' } }));
    assert.equal(c1, certificateCacheKey(3, 'a7f', 'png', { context: { event_name: 'A' } }));
    assert.match(certificateCacheKey('../x/y', 1), /^[A-Za-z0-9_.-]+$/);
  });
});
