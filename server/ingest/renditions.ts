import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { RenditionRow } from '../store/types.ts';

/** Thumbnail widths (WebP) and the watermarked preview width (JPEG, what `img_url` points to). */
export const THUMB_WIDTHS = [320, 640] as const;
export const PREVIEW_WIDTH = 1600;

/** Pixel cap for decoding (≈ 120 MP); anything larger is refused rather than exhausting memory. */
export const MAX_INPUT_PIXELS = 120_000_000;

export interface RenderedRendition extends Omit<RenditionRow, 'bytes'> {
  data: Buffer;
}

/**
 * Renditions are public and immutable: a new watermark version gives new keys (`thumb-320-w2.webp`), so a
 * browser never keeps a copy drawn with an older watermark. Version 0 (no watermark yet) keeps the plain name.
 */
export function renditionKey(imageId: string, kind: string, width: number, ext: string, watermarkVersion = 0) {
  return `renditions/${imageId}/${kind}-${width}${watermarkVersion > 0 ? `-w${watermarkVersion}` : ''}.${ext}`;
}

/**
 * Derivatives of an (already auto-rotated) image: WebP thumbnails and a JPEG preview, all drawn from one
 * preview-size image that carries the watermark — every rendition a browser can fetch without paying.
 * `watermark` is a full-size overlay (PNG) for the preview's dimensions, or null; `watermarkVersion` is the
 * event's, recorded on each rendition and part of its key.
 */
export async function renderRenditions(
  imageId: string,
  rotated: Sharp,
  size: { width: number; height: number },
  watermark: ((w: number, h: number) => Promise<Buffer | null>) | null,
  watermarkVersion = 0,
): Promise<RenderedRendition[]> {
  const out: RenderedRendition[] = [];
  const scaled = (w: number) => {
    const width = Math.min(w, size.width);
    return { width, height: Math.max(1, Math.round((size.height * width) / size.width)) };
  };
  // Decode the original once, at preview size (JPEG shrink-on-load makes that cheap); the thumbnails and the
  // watermarked preview all come from this one raw image instead of decoding 12 MP three times.
  const dim = scaled(PREVIEW_WIDTH);
  let base = await rotated.clone().resize(dim.width, dim.height).raw().toBuffer({ resolveWithObject: true });
  const mark = watermark ? await watermark(dim.width, dim.height) : null;
  if (mark) {
    const { width: w, height: h, channels: ch } = base.info;
    base = await sharp(base.data, { raw: { width: w, height: h, channels: ch } })
      .composite([{ input: mark }])
      .raw()
      .toBuffer({ resolveWithObject: true });
  }
  const { width, height, channels } = base.info;
  const fromBase = () => sharp(base.data, { raw: { width, height, channels } });
  const v = watermarkVersion;
  for (const w of THUMB_WIDTHS) {
    const t = scaled(w);
    // A photo narrower than a thumbnail width gets that thumbnail once, at its own width.
    if (out.some((r) => r.width === t.width)) continue;
    const data = await fromBase().resize(t.width, t.height).webp({ quality: 78, effort: 3 }).toBuffer();
    const blob_key = renditionKey(imageId, 'thumb', w, 'webp', v);
    out.push({ kind: 'thumb', ...t, format: 'webp', blob_key, watermark_version: v, data });
  }
  const data = await fromBase().jpeg({ quality: 82, mozjpeg: false, progressive: true }).toBuffer();
  const blob_key = renditionKey(imageId, 'preview', PREVIEW_WIDTH, 'jpg', v);
  out.push({ kind: 'preview', ...dim, format: 'jpeg', blob_key, watermark_version: v, data });
  return out;
}
