import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { drawableText } from '../../core/text.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A full-frame overlay as raw straight (not premultiplied) RGBA pixels (sharp composites it without decoding anything). */
export interface Overlay {
  data: Buffer;
  width: number;
  height: number;
}

/** The overlay for a preview of `width`×`height`, or null when there is nothing to draw. */
export type OverlayFn = (width: number, height: number) => Promise<Overlay | null>;

/**
 * The overlay burned into previews: a watermark image (scaled to a quarter of the width, bottom right)
 * and/or a repeated diagonal text. Returns null when the event has neither. Built on every call: the
 * ingest uses `eventOverlay`, which keeps it.
 */
export function watermarkOverlay(rawText: string | null, image: Buffer | null): OverlayFn | null {
  // Saved text is checked (core/text.ts); text saved before the check loses what librsvg cannot parse.
  const text = rawText ? drawableText(rawText) : null;
  if (!text && !image) return null;
  return async (width: number, height: number): Promise<Overlay | null> => {
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
    const { data, info } = await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite(layers)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  };
}

/** Overlays kept (raw RGBA, 7.7 MB for a 1600×1200 preview): a landscape and a portrait size for a few events. */
const OVERLAY_CACHE_ENTRIES = 6;
/** Per blob store (a test's temp store may reuse an event id and a watermark key with other pixels). */
const cachesByStore = new WeakMap<object, Map<string, Promise<Overlay | null>>>();

/** What an event's overlay depends on. */
export interface WatermarkSource {
  id: number;
  watermark_version: number;
  watermark_text: string | null;
  watermark_image: string | null;
}

/**
 * The event's overlay, drawn once per (event, watermark version, text, image, size) and kept as raw pixels:
 * every photo of an event shares it instead of rebuilding it from SVG (131 ms a photo before). The watermark
 * image is read from `blobs` only when the overlay is not kept yet.
 */
export function eventOverlay(event: WatermarkSource, blobs: { get(key: string): Promise<Buffer | null> }): OverlayFn | null {
  const text = event.watermark_text ? drawableText(event.watermark_text) : null;
  const imageKey = event.watermark_image;
  if (!text && !imageKey) return null;
  let overlays = cachesByStore.get(blobs);
  if (!overlays) cachesByStore.set(blobs, (overlays = new Map()));
  const cache = overlays;
  return (width, height) => {
    const key = JSON.stringify([event.id, event.watermark_version, text, imageKey, width, height]);
    let entry = cache.get(key);
    if (entry) {
      // Most recently used last.
      cache.delete(key);
      cache.set(key, entry);
      return entry;
    }
    const drawing = (async () => {
      const image = imageKey ? await blobs.get(imageKey) : null;
      return watermarkOverlay(text, image)?.(width, height) ?? null;
    })();
    entry = drawing;
    cache.set(key, drawing);
    // A failed draw is not kept: the next photo tries again.
    drawing.catch(() => cache.get(key) === drawing && cache.delete(key));
    while (cache.size > OVERLAY_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    return drawing;
  };
}
