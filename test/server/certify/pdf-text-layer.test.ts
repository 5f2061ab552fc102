import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { FontRegistry } from '../../../server/certify/fonts/index.ts';
import { renderCertificate } from '../../../server/certify/render.ts';

async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, disableFontFace: true, useSystemFonts: false })
    .promise;
  try {
    const tc = await (await doc.getPage(1)).getTextContent();
    return tc.items.map((i) => ('str' in i ? i.str : '')).join('');
  } finally {
    await doc.destroy();
  }
}

const ctx = { event_name: 'Lakeside 10K' };
const template = (font: string) => ({
  name: 'T',
  width: 1123,
  height: 794,
  background: { kind: 'builtin' as const, name: 'plain' },
  fields: [{ id: 'name', source: { text: '{name}' }, x: 20, y: 100, width: 1080, size: 24, font }],
});

// Each pair: an earlier certificate whose text holds a composite glyph built from the later one's character
// (`"` is two `'`, `”` holds `’` in PT Sans, Playfair's `’` holds `,`), then the certificate that is checked.
const cases: [font: string, earlier: string, later: string][] = [
  ['PT Sans', 'Say "hi"', "O'Brien"],
  ['PT Sans', '“Zoë”', 'D’Arcy'],
  ['PT Serif', 'Say "hi"', "O'Brien"],
  ['Playfair Display', 'Say "hi"', "O'Brien"],
  ['Playfair Display', 'D’Arcy', 'Smith, Jo'],
];

describe('PDF text layer after earlier renders in the same process', () => {
  for (const [font, earlier, later] of cases) {
    for (const format of ['png', 'pdf'] as const) {
      test(`${font}: "${later}" extracts as typed after a ${format} of ${JSON.stringify(earlier)}`, async () => {
        const fonts = new FontRegistry(); // its own parsed fonts: no glyph cached by another test
        await renderCertificate(template(font), { bib: '1', name: earlier }, ctx, format, { fonts });
        const text = await pdfText(await renderCertificate(template(font), { bib: '2', name: later }, ctx, 'pdf', { fonts }));
        assert.equal(text, later);
      });
    }
  }
});
