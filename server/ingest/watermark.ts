import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { drawableText } from '../../core/text.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The overlay burned into previews: a watermark image (scaled to a quarter of the width, bottom right)
 * and/or a repeated diagonal text. Returns null when the event has neither.
 */
export function watermarkOverlay(rawText: string | null, image: Buffer | null) {
  // Saved text is checked (core/text.ts); text saved before the check loses what librsvg cannot parse.
  const text = rawText ? drawableText(rawText) : null;
  if (!text && !image) return null;
  return async (width: number, height: number): Promise<Buffer | null> => {
    const layers: OverlayOptions[] = [];
    if (text) {
      const size = Math.max(14, Math.round(width / 28));
      const step = Math.round(size * (0.62 * text.length + 3));
      const rows: string[] = [];
      for (let y = -height; y < height * 2; y += size * 5) {
        for (let x = -width; x < width * 2; x += step) {
          rows.push(`<text x="${x}" y="${y}">${esc(text)}</text>`);
        }
      }
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
        <g transform="rotate(-30 ${width / 2} ${height / 2})" font-family="DejaVu Sans, Liberation Sans, sans-serif"
           font-size="${size}" font-weight="bold" fill="#ffffff" fill-opacity="0.32" stroke="#000000" stroke-opacity="0.18" stroke-width="1">
          ${rows.join('')}
        </g></svg>`;
      layers.push({ input: Buffer.from(svg), top: 0, left: 0 });
    }
    if (image) {
      const w = Math.max(32, Math.round(width / 4));
      const logo = await sharp(image)
        .resize({ width: w, height: Math.round(height / 4), fit: 'inside' })
        .png()
        .toBuffer({ resolveWithObject: true });
      const margin = Math.round(width / 40);
      layers.push({
        input: logo.data,
        left: Math.max(0, width - logo.info.width - margin),
        top: Math.max(0, height - logo.info.height - margin),
      });
    }
    return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite(layers)
      .png()
      .toBuffer();
  };
}
