/**
 * Hash routes of the console (`/console/#/events/12/upload`): the invitation links the server makes are
 * `/console/#/invite/<token>`, and a reload keeps the page. `parseRoute` is pure (unit-tested).
 */
export const EVENT_TABS = ['settings', 'upload', 'processing', 'review', 'certificates', 'sales', 'share'] as const;
export type EventTab = (typeof EVENT_TABS)[number];

/** The Credits area's pages (`#/credits`, `#/credits/billing`, `#/credits/subscription`, `#/credits/buy`). */
export const CREDITS_TABS = ['credits', 'billing', 'subscription', 'buy'] as const;
export type CreditsTab = (typeof CREDITS_TABS)[number];

export type Route =
  | { name: 'home' }
  | { name: 'sign-in' }
  | { name: 'invite'; token: string }
  | { name: 'events' }
  | { name: 'new-event' }
  | { name: 'event'; eventId: number; tab: EventTab | null }
  | { name: 'members' }
  | { name: 'jobs' }
  | { name: 'account' }
  | { name: 'credits'; tab: CreditsTab; query: Record<string, string> }
  | { name: 'operator' }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const query = Object.fromEntries(new URLSearchParams(q >= 0 ? raw.slice(q + 1) : ''));
  const path = decodeURI(q >= 0 ? raw.slice(0, q) : raw).replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'home' };
  const [head, a, b, ...rest] = parts;
  if (head === 'sign-in' && !a) return { name: 'sign-in' };
  if (head === 'invite' && a && !b) return { name: 'invite', token: a };
  if (head === 'members' && !a) return { name: 'members' };
  if (head === 'jobs' && !a) return { name: 'jobs' };
  if (head === 'account' && !a) return { name: 'account' };
  if (head === 'operator' && !a) return { name: 'operator' };
  if (head === 'credits' && !b) {
    if (!a) return { name: 'credits', tab: 'credits', query };
    if ((CREDITS_TABS as readonly string[]).includes(a)) return { name: 'credits', tab: a as CreditsTab, query };
  }
  if (head === 'events') {
    if (!a) return { name: 'events' };
    if (a === 'new' && !b) return { name: 'new-event' };
    const id = Number(a);
    if (Number.isInteger(id) && id > 0 && rest.length === 0) {
      if (!b) return { name: 'event', eventId: id, tab: null };
      if ((EVENT_TABS as readonly string[]).includes(b)) return { name: 'event', eventId: id, tab: b as EventTab };
    }
  }
  return { name: 'not-found', path };
}

export function href(route: string): string {
  return `#${route}`;
}

export function go(route: string): void {
  location.hash = route;
}
