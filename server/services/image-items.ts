import type { ImageItem, Rendition } from '../../core/index.ts';
import type { ImageRow, RenditionRow } from '../store/types.ts';

/** Public URL of a rendition blob (immutable, content-addressed by image id). */
export const renditionPath = (blobKey: string) => `/files/r/${blobKey}`;

/** Maps a stored image to the API's ImageItem. `base` is the public origin of this server. */
export function toImageItem(
  base: string,
  img: ImageRow,
  confidence?: number,
  why?: { match?: ImageItem['match']; match_confidence?: number },
): ImageItem {
  const thumbs = img.renditions.filter((r) => r.kind === 'thumb').sort((a, b) => a.width - b.width);
  const preview = img.renditions.find((r) => r.kind === 'preview');
  const url = (r: RenditionRow) => base + renditionPath(r.blob_key);
  const small = thumbs.find((r) => r.width >= 320) ?? thumbs[0] ?? preview;
  const renditions: Rendition[] = [...thumbs, ...(preview ? [preview] : [])].map((r) => ({
    url: url(r),
    width: r.width,
    height: r.height,
    format: r.format,
  }));
  return {
    img_url: preview ? url(preview) : small ? url(small) : '',
    width: img.width,
    height: img.height,
    image_id: img.id,
    thumbnail_url: small ? url(small) : '',
    original_url: null,
    captured_at: img.captured_at === null ? null : new Date(img.captured_at).toISOString(),
    renditions,
    ...(confidence === undefined ? {} : { confidence }),
    ...(why?.match ? { match: why.match } : {}),
    ...(why?.match_confidence === undefined ? {} : { match_confidence: why.match_confidence }),
  };
}
