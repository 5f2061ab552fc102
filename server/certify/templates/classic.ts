/**
 * "Classic": A4 landscape on warm paper, a double gold border with corner ornaments, a laurel
 * wreath with a star above a Playfair Display title, serif body text.
 */
import type { CertificateTemplateInput } from '../../../core/certify.ts';
import { diamond, laurelBranch, mix, n, star } from './svg.ts';

export const CLASSIC_ACCENT = '#a07d2e';
const INK = '#1d2b45';

export function classicBackground(w: number, h: number, accent = CLASSIC_ACCENT): string {
  const u = Math.min(w / 1123, h / 794);
  const m1 = 26 * u;
  const m2 = 38 * u;
  const faint = mix(accent, '#fbf7ec', 0.55);
  const corner = (x: number, y: number, sx: 1 | -1, sy: 1 | -1) => {
    const s = u;
    return `<g transform="translate(${n(x)} ${n(y)}) scale(${n(sx * s)} ${n(sy * s)})">
<path d="M0 0 L64 0 M0 0 L0 64" stroke="${accent}" stroke-width="2.2" fill="none"/>
<path d="M10 10 Q44 12 54 34 Q32 26 10 10 Z M10 10 Q12 44 34 54 Q26 32 10 10 Z" fill="${accent}" opacity="0.85"/>
<circle cx="10" cy="10" r="5" fill="${accent}"/>
<circle cx="70" cy="0" r="2.6" fill="${accent}"/><circle cx="0" cy="70" r="2.6" fill="${accent}"/>
</g>`;
  };
  const cx = w / 2;
  const wreathY = 132 * u;
  const wreathR = 62 * u;
  const ruleY = 432 * u;
  const sigY = 700 * u;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="0 0 ${n(w)} ${n(h)}">
<defs>
<radialGradient id="paper" cx="50%" cy="45%" r="75%">
<stop offset="0" stop-color="#fffdf6"/><stop offset="0.7" stop-color="#f8f1df"/><stop offset="1" stop-color="#eee2c3"/>
</radialGradient>
<pattern id="guilloche" width="${n(24 * u)}" height="${n(24 * u)}" patternUnits="userSpaceOnUse">
<circle cx="${n(12 * u)}" cy="${n(12 * u)}" r="${n(10 * u)}" fill="none" stroke="${faint}" stroke-width="${n(0.7 * u)}" opacity="0.6"/>
</pattern>
</defs>
<rect width="100%" height="100%" fill="url(#paper)"/>
<rect x="${n(m1)}" y="${n(m1)}" width="${n(w - 2 * m1)}" height="${n(h - 2 * m1)}" fill="url(#guilloche)"/>
<rect x="${n(m1)}" y="${n(m1)}" width="${n(w - 2 * m1)}" height="${n(h - 2 * m1)}" fill="none" stroke="${accent}" stroke-width="${n(4 * u)}"/>
<rect x="${n(m2)}" y="${n(m2)}" width="${n(w - 2 * m2)}" height="${n(h - 2 * m2)}" fill="url(#paper)" stroke="${accent}" stroke-width="${n(1.2 * u)}"/>
${corner(m2 + 8 * u, m2 + 8 * u, 1, 1)}
${corner(w - m2 - 8 * u, m2 + 8 * u, -1, 1)}
${corner(m2 + 8 * u, h - m2 - 8 * u, 1, -1)}
${corner(w - m2 - 8 * u, h - m2 - 8 * u, -1, -1)}
${laurelBranch(cx, wreathY, wreathR, 1, accent)}
${laurelBranch(cx, wreathY, wreathR, -1, accent)}
${star(cx, wreathY - 4 * u, 26 * u, INK)}
<path d="M${n(cx - 300 * u)} ${n(ruleY)} L${n(cx - 14 * u)} ${n(ruleY)} M${n(cx + 14 * u)} ${n(ruleY)} L${n(cx + 300 * u)} ${n(ruleY)}" stroke="${accent}" stroke-width="${n(1.4 * u)}"/>
${diamond(cx, ruleY, 16 * u, 16 * u, accent)}
${diamond(cx - 300 * u, ruleY, 6 * u, 6 * u, accent)}${diamond(cx + 300 * u, ruleY, 6 * u, 6 * u, accent)}
<path d="M${n(cx - 390 * u)} ${n(sigY)} L${n(cx - 150 * u)} ${n(sigY)} M${n(cx + 150 * u)} ${n(sigY)} L${n(cx + 390 * u)} ${n(sigY)}" stroke="${INK}" stroke-width="${n(1 * u)}" opacity="0.7"/>
<path d="M${n(cx - 130 * u)} ${n(560 * u)} L${n(cx - 130 * u)} ${n(650 * u)} M${n(cx + 130 * u)} ${n(560 * u)} L${n(cx + 130 * u)} ${n(650 * u)}" stroke="${accent}" stroke-width="${n(1 * u)}" opacity="0.6"/>
</svg>`;
}

/** Field layout of the classic template (A4 landscape, 1123 × 794 px). */
export const CLASSIC_TEMPLATE: CertificateTemplateInput = {
  id: 'builtin:classic',
  name: 'Classic',
  width: 1123,
  height: 794,
  background: { kind: 'builtin', name: 'classic' },
  fields: [
    {
      id: 'title',
      source: { text: 'Certificate of Achievement' },
      x: 161.5,
      y: 268,
      width: 800,
      align: 'center',
      font: 'Playfair Display',
      size: 46,
      weight: 700,
      color: INK,
      minSize: 24,
    },
    {
      id: 'intro',
      source: { text: 'This is to certify that' },
      x: 161.5,
      y: 322,
      width: 800,
      align: 'center',
      font: 'PT Serif',
      size: 21,
      italic: true,
      color: '#4a4a4a',
    },
    {
      id: 'name',
      source: { column: 'name' },
      x: 131.5,
      y: 410,
      width: 860,
      align: 'center',
      font: 'Playfair Display',
      size: 62,
      weight: 700,
      color: INK,
      minSize: 22,
    },
    {
      id: 'completed',
      source: { text: 'has successfully completed' },
      x: 161.5,
      y: 480,
      width: 800,
      align: 'center',
      font: 'PT Serif',
      size: 21,
      italic: true,
      color: '#4a4a4a',
    },
    {
      id: 'event',
      source: { text: '{event}' },
      x: 131.5,
      y: 528,
      width: 860,
      align: 'center',
      font: 'PT Serif',
      size: 32,
      weight: 700,
      color: INK,
      minSize: 16,
    },
    {
      id: 'time_label',
      source: { text: 'Finish time' },
      x: 441.5,
      y: 584,
      width: 240,
      align: 'center',
      font: 'PT Sans',
      size: 13,
      weight: 700,
      color: CLASSIC_ACCENT,
      uppercase: true,
      letterSpacing: 0.18,
      showIf: 'finish_time',
    },
    {
      id: 'time',
      source: { column: 'finish_time' },
      x: 441.5,
      y: 628,
      width: 240,
      align: 'center',
      font: 'Playfair Display',
      size: 34,
      weight: 700,
      color: INK,
      minSize: 16,
    },
    {
      id: 'rank_label',
      source: { text: 'Overall place' },
      x: 181.5,
      y: 584,
      width: 240,
      align: 'center',
      font: 'PT Sans',
      size: 13,
      weight: 700,
      color: CLASSIC_ACCENT,
      uppercase: true,
      letterSpacing: 0.18,
      showIf: 'rank',
    },
    {
      id: 'rank',
      source: { column: 'rank' },
      x: 181.5,
      y: 628,
      width: 240,
      align: 'center',
      font: 'Playfair Display',
      size: 34,
      weight: 700,
      color: INK,
      minSize: 16,
    },
    {
      id: 'category_label',
      source: { text: 'Category' },
      x: 701.5,
      y: 584,
      width: 240,
      align: 'center',
      font: 'PT Sans',
      size: 13,
      weight: 700,
      color: CLASSIC_ACCENT,
      uppercase: true,
      letterSpacing: 0.18,
      showIf: 'category',
    },
    {
      id: 'category',
      source: { column: 'category' },
      x: 701.5,
      y: 628,
      width: 240,
      align: 'center',
      font: 'Playfair Display',
      size: 34,
      weight: 700,
      color: INK,
      minSize: 14,
    },
    {
      id: 'bib',
      source: { text: 'Bib {bib}' },
      x: 441.5,
      y: 706,
      width: 240,
      align: 'center',
      font: 'PT Sans',
      size: 18,
      color: '#555555',
      hideIfEmpty: true,
    },
    {
      id: 'date',
      source: { text: '{event_date}' },
      x: 171.5,
      y: 690,
      width: 240,
      align: 'center',
      font: 'PT Serif',
      size: 18,
      color: INK,
      hideIfEmpty: true,
    },
    {
      id: 'date_label',
      source: { text: 'Date' },
      x: 171.5,
      y: 722,
      width: 240,
      align: 'center',
      font: 'PT Sans',
      size: 12,
      weight: 700,
      color: CLASSIC_ACCENT,
      uppercase: true,
      letterSpacing: 0.18,
    },
    {
      id: 'signature_label',
      source: { text: 'Race director' },
      x: 711.5,
      y: 722,
      width: 240,
      align: 'center',
      font: 'PT Sans',
      size: 12,
      weight: 700,
      color: CLASSIC_ACCENT,
      uppercase: true,
      letterSpacing: 0.18,
    },
  ],
};
