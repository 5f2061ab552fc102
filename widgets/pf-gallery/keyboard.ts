import type { GalleryLayout } from './layout.ts';

/**
 * Roving focus inside the gallery (one photo in the tab order): the photo a key moves to from `index`, or null
 * for a key the gallery does not handle. Pure (no DOM): ArrowLeft/ArrowRight go to the previous/next photo,
 * ArrowUp/ArrowDown to the nearest photo of the row above/below, PageUp/PageDown as many rows as 80% of
 * `viewportHeight` holds (at the height of the current photo's row), Home/End to the first/last photo. The
 * result is clamped to the photos of the layout; it is `index` when the key leads nowhere.
 */
export function nextIndex(
  key: string,
  index: number,
  layout: Pick<GalleryLayout, 'count' | 'cell' | 'vertical'>,
  viewportHeight: number,
): number | null {
  let next = index;
  const rows = Math.max(1, Math.floor((viewportHeight * 0.8) / Math.max(1, layout.cell(index).h)));
  switch (key) {
    case 'ArrowRight':
      next = index + 1;
      break;
    case 'ArrowLeft':
      next = index - 1;
      break;
    case 'ArrowDown':
      next = layout.vertical(index, 1);
      break;
    case 'ArrowUp':
      next = layout.vertical(index, -1);
      break;
    case 'PageDown':
      for (let k = 0; k < rows; k++) next = layout.vertical(next, 1);
      break;
    case 'PageUp':
      for (let k = 0; k < rows; k++) next = layout.vertical(next, -1);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = layout.count - 1;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(layout.count - 1, next));
}
