import { z } from 'zod';
import type { BlobStore } from '../blobs/types.ts';
import { unprocessable } from '../http/errors.ts';
import type { EventRow } from '../store/types.ts';

/**
 * The event QR code (`/e/{org_id}/{slug}/qr.svg|png`): the hosted page's link with `source=qr` (analytics tell the
 * posters' traffic apart). Drawn from the QR matrix as SVG (one path), rasterised by sharp for PNG; an optional logo
 * (the event's watermark image or cover) sits in the middle on a plain square, with error correction H (30 %) so
 * the code still reads.
 */

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;
const colour = (name: string, fallback: string) =>
  z
    .string()
    .regex(HEX, `${name} must be a hex colour such as 1a56db or #000`)
    .optional()
    .transform((v) => normaliseHex(v ?? fallback))
    .meta({ description: `${name} colour, hex (default ${fallback})` });

export const QrQuery = z.object({
  size: z.coerce
    .number({ error: 'size must be a number of pixels' })
    .int('size must be a whole number of pixels')
    .min(128, 'size must be at least 128 pixels')
    .max(2048, 'size must be at most 2048 pixels')
    .default(512)
    .meta({ description: 'width and height in pixels, 128–2048 (default 512)' }),
  fg: colour('fg', '000000'),
  bg: colour('bg', 'ffffff'),
  margin: z.coerce
    .number({ error: 'margin must be a number of modules' })
    .int()
    .min(0, 'margin must be 0–8 modules')
    .max(8, 'margin must be 0–8 modules')
    .default(4)
    .meta({ description: 'quiet zone in modules, 0–8 (default 4)' }),
  logo: z
    .enum(['none', 'watermark', 'cover'])
    .default('none')
    .meta({ description: "a logo in the middle: the event's watermark image or its cover (default none)" }),
  source: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,31}$/, 'source must be lower-case letters, digits, _ . - (at most 32)')
    .default('qr')
    .meta({ description: 'the source the link carries (default qr), e.g. qr-medal, qr-poster' }),
});
export type QrQuery = z.infer<typeof QrQuery>;

function normaliseHex(v: string): string {
  const h = v.replace('#', '').toLowerCase();
  return h.length === 3 ? [...h].map((c) => c + c).join('') : h;
}

function luminance(hex: string): number {
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** Refuses colours a phone camera would not read: the code must be darker than its background, contrast ≥ 4:1. */
export function checkColours(fg: string, bg: string): void {
  const [lf, lb] = [luminance(fg), luminance(bg)];
  if (lf >= lb) throw unprocessable('fg: the code must be darker than its background (bg), or phones will not read it');
  if ((lb + 0.05) / (lf + 0.05) < 4)
    throw unprocessable('fg: too little contrast with bg (at least 4:1), or phones will not read it');
}

export const qrLink = (pageUrl: string, source: string) => `${pageUrl}?source=${encodeURIComponent(source)}`;

/** The QR code of `text` as SVG. */
export async function qrSvg(text: string, o: QrQuery, logo: Buffer | null): Promise<string> {
  checkColours(o.fg, o.bg);
  // qrcode and sharp load with the first code drawn, not at start (issue 20, restart).
  const { default: QRCode } = await import('qrcode');
  const qr = QRCode.create(text, { errorCorrectionLevel: logo ? 'H' : 'M' });
  const n = qr.modules.size;
  const data = qr.modules.data;
  const full = n + 2 * o.margin;
  let path = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if (data[y * n + x]) path += `M${x + o.margin} ${y + o.margin}h1v1h-1z`;
  }
  let middle = '';
  if (logo) {
    // A fifth of the code's width: error correction H restores what the logo covers.
    const side = Math.max(3, Math.round(n * 0.2));
    const at = o.margin + (n - side) / 2;
    const { default: sharp } = await import('sharp');
    const png = await sharp(logo)
      .resize({ width: 256, height: 256, fit: 'contain', background: `#${o.bg}` })
      .flatten({ background: `#${o.bg}` })
      .png()
      .toBuffer();
    middle =
      `<rect x="${at - 0.5}" y="${at - 0.5}" width="${side + 1}" height="${side + 1}" fill="#${o.bg}"/>` +
      `<image x="${at}" y="${at}" width="${side}" height="${side}" href="data:image/png;base64,${png.toString('base64')}"/>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.size}" height="${o.size}" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">` +
    `<title>${esc(text)}</title><rect width="${full}" height="${full}" fill="#${o.bg}"/>` +
    `<path d="${path}" fill="#${o.fg}"/>${middle}</svg>`
  );
}

export async function qrPng(text: string, o: QrQuery, logo: Buffer | null): Promise<Buffer> {
  const svg = await qrSvg(text, o, logo);
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).resize(o.size, o.size, { kernel: 'nearest' }).png().toBuffer();
}

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The logo a QR query asks for, or null (422 when the event has none). */
export async function qrLogo(blobs: BlobStore, event: EventRow, which: QrQuery['logo']): Promise<Buffer | null> {
  if (which === 'none') return null;
  const key = which === 'watermark' ? event.watermark_image : event.cover_image;
  if (!key) throw unprocessable(`logo: this event has no ${which === 'watermark' ? 'watermark image' : 'cover image'}`);
  const data = await blobs.get(key);
  if (!data) throw unprocessable(`logo: the event's ${which} image is missing`);
  return data;
}
