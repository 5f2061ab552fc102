import type { ImageItem } from '../../core/api/models.ts';
import { readParam } from '../shared/url-state.ts';

/** A shared link opens its photo in one gallery of the page only: the first that finds it claims it. */
export const sharedLink = { claimed: false };

/** What opening a shared link needs of a gallery, read when its first page has arrived. */
export interface SharedLinkGallery {
  /** Photos in the view. */
  count: number;
  /** False once the result set has started again (what was found is then stale). */
  current(): boolean;
  /** Loads the page of a view position. */
  ensure(view: number): Promise<void>;
  item(view: number): ImageItem | undefined;
  /** The view position of a loaded photo, or -1. */
  find(id: string): number;
  open(view: number): Promise<void>;
}

/** How long a gallery that has the photo elsewhere than at the linked position leaves to the others (ms). */
export const ELSEWHERE_WAIT_MS = 1500;

/**
 * A shared link (?photo=<id>&photo_at=<n>) opens that photo. The gallery that has the photo exactly at the linked
 * position claims it at once (the link came from that result set); a gallery that merely contains the photo
 * elsewhere waits a moment, then opens it if no other gallery has.
 */
export async function openSharedPhoto(g: SharedLinkGallery): Promise<void> {
  const id = readParam('photo');
  if (!id || sharedLink.claimed) return;
  const hint = Number(readParam('photo_at'));
  if (Number.isInteger(hint) && hint >= 0 && hint < g.count) {
    await g.ensure(hint);
    if (!g.current() || sharedLink.claimed) return;
    if (g.item(hint)?.image_id === id) {
      sharedLink.claimed = true;
      await g.open(hint);
      return;
    }
  }
  await new Promise((r) => setTimeout(r, ELSEWHERE_WAIT_MS));
  const at = g.find(id);
  if (!g.current() || sharedLink.claimed || at < 0 || readParam('photo') !== id) return;
  sharedLink.claimed = true;
  await g.open(at);
}
