/**
 * The kit's state in the page URL (query parameters), so a shared link or a refresh restores it:
 * `bib` (pf-bib-search), `photo` and `photo_at` (the photo open in a lightbox and its position).
 * Writes use replaceState: the host page's history and other parameters are left alone.
 */
export function readParam(name: string): string | null {
  if (typeof location === 'undefined') return null;
  return new URLSearchParams(location.search).get(name);
}

export function writeParams(values: Record<string, string | null>): void {
  if (typeof location === 'undefined') return;
  const url = new URL(location.href);
  let changed = false;
  for (const [k, v] of Object.entries(values)) {
    if (url.searchParams.get(k) === v) continue;
    if (v === null) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
    changed = true;
  }
  if (!changed) return;
  try {
    history.replaceState(history.state, '', url);
  } catch {
    /* sandboxed iframes may refuse; the state just is not kept */
  }
}

/** The current page URL with the given parameters set (for share links). */
export function urlWith(values: Record<string, string | null>): string {
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(values)) {
    if (v === null) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  return url.href;
}
