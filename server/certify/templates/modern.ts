/**
 * "Modern": A4 portrait, a slanted colour band with a big FINISHER headline, sans type, a stats row
 * and a chequered finish-line strip at the foot.
 */
import type { CertificateTemplateInput } from '../../../core/certify.ts';
import { mix, n } from './svg.ts';

export const MODERN_ACCENT = '#e4572e';
const INK = '#1b1f24';

export function modernBackground(w: number, h: number, accent = MODERN_ACCENT): string {
  const u = Math.min(w / 794, h / 1123);
  const dark = mix(accent, '#000000', 0.28);
  const light = mix(accent, '#ffffff', 0.82);
  const bandL = 420 * u;
  const bandR = 340 * u;
  const sq = 14 * u;
  const stripY = h - 64 * u;
  const circles = [
    [w * 0.86, 70 * u, 150 * u, 0.1],
    [w * 0.97, 250 * u, 90 * u, 0.08],
    [w * 0.7, 300 * u, 40 * u, 0.1],
  ]
    .map(([x, y, r, o]) => `<circle cx="${n(x ?? 0)}" cy="${n(y ?? 0)}" r="${n(r ?? 0)}" fill="#ffffff" opacity="${o}"/>`)
    .join('');
  const colX = [64 * u, 294 * u, 524 * u];
  const dividers = [279 * u, 509 * u]
    .map((x) => `<path d="M${n(x)} ${n(690 * u)} L${n(x)} ${n(800 * u)}" stroke="${light}" stroke-width="${n(2 * u)}"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="0 0 ${n(w)} ${n(h)}">
<defs>
<linearGradient id="band" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="${accent}"/><stop offset="1" stop-color="${dark}"/>
</linearGradient>
<pattern id="chequer" width="${n(sq * 2)}" height="${n(sq * 2)}" patternUnits="userSpaceOnUse" y="${n(stripY)}">
<rect width="${n(sq)}" height="${n(sq)}" fill="${INK}"/><rect x="${n(sq)}" y="${n(sq)}" width="${n(sq)}" height="${n(sq)}" fill="${INK}"/>
</pattern>
</defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<polygon points="0,0 ${n(w)},0 ${n(w)},${n(bandR + 22 * u)} 0,${n(bandL + 22 * u)}" fill="${accent}" opacity="0.25"/>
<polygon points="0,0 ${n(w)},0 ${n(w)},${n(bandR)} 0,${n(bandL)}" fill="url(#band)"/>
${circles}
<rect x="${n(64 * u)}" y="${n(118 * u)}" width="${n(56 * u)}" height="${n(5 * u)}" fill="#ffffff"/>
<rect x="${n(colX[0] ?? 0)}" y="${n(650 * u)}" width="${n(w - 128 * u)}" height="${n(1.5 * u)}" fill="${light}"/>
${dividers}
<rect x="${n(colX[0] ?? 0)}" y="${n(840 * u)}" width="${n(w - 128 * u)}" height="${n(1.5 * u)}" fill="${light}"/>
<rect x="0" y="${n(stripY)}" width="${n(w)}" height="${n(sq * 2)}" fill="url(#chequer)"/>
<rect x="0" y="${n(stripY + sq * 2)}" width="${n(w)}" height="${n(h - stripY - sq * 2)}" fill="${accent}"/>
</svg>`;
}

/** Field layout of the modern template (A4 portrait, 794 × 1123 px). */
export const MODERN_TEMPLATE: CertificateTemplateInput = {
  id: 'builtin:modern',
  name: 'Modern',
  width: 794,
  height: 1123,
  background: { kind: 'builtin', name: 'modern' },
  fields: [
    {
      id: 'event',
      source: { text: '{event}' },
      x: 64,
      y: 100,
      width: 600,
      align: 'left',
      font: 'PT Sans',
      size: 22,
      weight: 700,
      color: '#ffffff',
      uppercase: true,
      letterSpacing: 0.12,
      minSize: 12,
    },
    {
      id: 'title',
      source: { text: 'Finisher' },
      x: 58,
      y: 236,
      width: 672,
      align: 'left',
      font: 'PT Sans',
      size: 118,
      weight: 700,
      color: '#ffffff',
      uppercase: true,
      letterSpacing: 0.02,
      minSize: 40,
    },
    {
      id: 'date',
      source: { text: '{event_date}' },
      x: 64,
      y: 290,
      width: 500,
      align: 'left',
      font: 'PT Sans',
      size: 24,
      color: '#fff1ec',
      hideIfEmpty: true,
    },
    {
      id: 'name',
      source: { column: 'name' },
      x: 64,
      y: 540,
      width: 666,
      align: 'left',
      font: 'PT Sans',
      size: 64,
      weight: 700,
      color: INK,
      minSize: 22,
    },
    {
      id: 'bib',
      source: { text: 'Bib {bib}' },
      x: 64,
      y: 592,
      width: 666,
      align: 'left',
      font: 'PT Sans',
      size: 24,
      color: '#6b7280',
      hideIfEmpty: true,
    },
    {
      id: 'time_label',
      source: { text: 'Time' },
      x: 64,
      y: 718,
      width: 200,
      align: 'left',
      font: 'PT Sans',
      size: 15,
      weight: 700,
      color: MODERN_ACCENT,
      uppercase: true,
      letterSpacing: 0.16,
      showIf: 'finish_time',
    },
    {
      id: 'time',
      source: { column: 'finish_time' },
      x: 64,
      y: 776,
      width: 200,
      align: 'left',
      font: 'PT Sans',
      size: 44,
      weight: 700,
      color: INK,
      minSize: 18,
    },
    {
      id: 'rank_label',
      source: { text: 'Place' },
      x: 294,
      y: 718,
      width: 200,
      align: 'left',
      font: 'PT Sans',
      size: 15,
      weight: 700,
      color: MODERN_ACCENT,
      uppercase: true,
      letterSpacing: 0.16,
      showIf: 'rank',
    },
    {
      id: 'rank',
      source: { column: 'rank' },
      x: 294,
      y: 776,
      width: 200,
      align: 'left',
      font: 'PT Sans',
      size: 44,
      weight: 700,
      color: INK,
      minSize: 18,
    },
    {
      id: 'category_label',
      source: { text: 'Category' },
      x: 524,
      y: 718,
      width: 206,
      align: 'left',
      font: 'PT Sans',
      size: 15,
      weight: 700,
      color: MODERN_ACCENT,
      uppercase: true,
      letterSpacing: 0.16,
      showIf: 'category',
    },
    {
      id: 'category',
      source: { column: 'category' },
      x: 524,
      y: 776,
      width: 206,
      align: 'left',
      font: 'PT Sans',
      size: 44,
      weight: 700,
      color: INK,
      minSize: 14,
    },
    {
      id: 'message',
      source: { text: 'Congratulations on crossing the finish line.' },
      x: 64,
      y: 920,
      width: 666,
      align: 'left',
      font: 'PT Serif',
      size: 26,
      italic: true,
      color: '#374151',
      minSize: 14,
    },
    {
      id: 'location',
      source: { text: '{event_location}' },
      x: 64,
      y: 962,
      width: 666,
      align: 'left',
      font: 'PT Sans',
      size: 20,
      color: '#6b7280',
      hideIfEmpty: true,
    },
  ],
};
