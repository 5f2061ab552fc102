import type { ImageItem } from '../../core/index.ts';
import type { Logger } from '../log.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { Analytics } from './analytics.ts';
import { cleanSource } from './analytics.ts';
import { coverUrl, eventPageUrl } from './events.ts';
import { toImageItem } from './image-items.ts';
import { hashKey } from './keys.ts';
import type { Signer } from './signing.ts';

/**
 * The hosted event page `/e/{org_id}/{slug}`: which event a URL names, what its shell shows, and the
 * publishable key the page embeds.
 *
 * The page key: one publishable key per organisation, created on the first page view and labelled
 * "event page (automatic)". Its secret is derived from the server's first signing key and the organisation
 * (`signer.derive`), so the server can put it in the page without storing it in clear; its allow-list holds
 * the server's own origin (PUBLIC_URL, else the origin the page was asked on) — the page calls the API same-origin.
 * It reads every event of the organisation, under the same rules as any publishable key (private → 404, drafts
 * hidden, page password …). Deleting it is harmless (the next page view makes it again); deactivating it takes
 * the hosted pages offline; rotating SIGNING_KEYS makes a new one (delete the old one then).
 */

export interface PageDeps {
  store: Store;
  signer: Signer;
  log: Logger;
  analytics: Analytics;
}

export const PAGE_KEY_LABEL = 'event page (automatic)';

/** The event a page URL names: its slug (the newest event with it), else its id. Null when none or private. */
export async function pageEvent({ store }: { store: Store }, orgId: number, slugOrId: string): Promise<EventRow | null> {
  let event = await store.events.findBySlug(orgId, slugOrId);
  if (!event && /^\d+$/.test(slugOrId)) {
    const byId = await store.events.get(Number(slugOrId));
    if (byId && byId.org_id === orgId) event = byId;
  }
  if (!event || event.visibility === 'private' || !event.event_enabled) return null;
  return event;
}

/** The organisation's page key, made (or given the server's origin) when needed. */
export async function pageKey(deps: Pick<PageDeps, 'store' | 'signer'>, orgId: number, origin: string): Promise<string | null> {
  const key = `pk_page_${deps.signer.derive(`event-page-key:${orgId}`).slice(0, 32)}`;
  const hash = hashKey(key);
  const row = await deps.store.keys.findByHash(hash);
  if (!row) {
    await deps.store.keys.create({
      org_id: orgId,
      kind: 'publishable',
      prefix: key.slice(0, 8),
      hash,
      label: PAGE_KEY_LABEL,
      event_ids: null,
      origins: [origin],
    });
  } else if (row.org_id !== orgId) {
    return null;
  } else if (row.origins && !row.origins.includes(origin)) {
    await deps.store.keys.setOrigins(orgId, row.id, [...row.origins, origin].slice(-20));
  }
  return key;
}

/** Where a page view came from: the URL's `source`, else `referrer` for a link from another site, else `direct`. */
export function visitSource(sourceParam: string | undefined, referer: string | undefined, origin: string): string {
  if (sourceParam) return cleanSource(sourceParam);
  if (referer) {
    try {
      if (new URL(referer).origin !== origin) return 'referrer';
    } catch {
      return 'direct';
    }
  }
  return 'direct';
}

export interface PageShell {
  event: EventRow;
  url: string;
  /** Cover image URL, or null. */
  cover: string | null;
  /** The image for og:image / twitter:image: the shared photo's watermarked preview, else the cover. */
  image: { url: string; width: number | null; height: number | null } | null;
  /** The photo of a `?photo=` link, when it is a photo of the event and the event shows photos without a password. */
  photo: ImageItem | null;
  key: string | null;
  noindex: boolean;
  state: 'open' | 'draft' | 'password';
}

/** What the page shell shows; counts the visit (not for drafts). */
export async function pageShell(
  deps: PageDeps,
  event: EventRow,
  base: string,
  q: { photo?: string; source?: string; referer?: string },
): Promise<PageShell> {
  const url = eventPageUrl(base, event);
  const state = event.status === 'draft' ? 'draft' : event.page_password ? 'password' : 'open';
  let photo: ImageItem | null = null;
  if (state === 'open' && q.photo && /^[0-9a-f-]{36}$/i.test(q.photo)) {
    const row = await deps.store.images.get(event.id, q.photo.toLowerCase());
    if (row) photo = toImageItem(base, row);
  }
  const cover = coverUrl(base, event);
  const image = photo
    ? { url: photo.img_url, width: photo.renditions.at(-1)?.width ?? null, height: photo.renditions.at(-1)?.height ?? null }
    : cover
      ? { url: cover, width: null, height: null }
      : null;
  if (state !== 'draft') await deps.analytics.record(event.id, visitSource(q.source, q.referer, base), 'visit');
  return {
    event,
    url,
    cover,
    image,
    photo,
    key: state === 'draft' ? null : await pageKey(deps, event.org_id, base),
    noindex: event.visibility !== 'public' || state !== 'open',
    state,
  };
}
