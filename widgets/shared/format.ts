/** Cached Intl formatters (building one costs far more than using it). */
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function get<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

export function formatNumber(n: number, tag: string): string {
  return get(`n|${tag}`, () => new Intl.NumberFormat(tag)).format(n);
}

/** Date/time in `timeZone` (the event's zone) and the viewer's locale `tag`. */
export function formatDate(
  epochMs: number,
  tag: string,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): string {
  const key = `d|${tag}|${timeZone}|${JSON.stringify(options)}`;
  try {
    return get(key, () => new Intl.DateTimeFormat(tag, { ...options, timeZone })).format(epochMs);
  } catch {
    // An unknown zone name: fall back to the viewer's zone rather than failing the render.
    return get(`${key}|local`, () => new Intl.DateTimeFormat(tag, options)).format(epochMs);
  }
}

/** "09:41" (or "9:41 AM") for a capture time, in the event's zone. */
export function formatClock(iso: string | null, tag: string, timeZone: string | undefined): string {
  if (!iso) return '';
  return formatDate(Date.parse(iso), tag, timeZone, { hour: 'numeric', minute: '2-digit' });
}
