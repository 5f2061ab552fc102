/**
 * The iframe fallback page (`/embed/{org_id}/{event_id}?key=pk_…`): for hosts that allow only an iframe (no script
 * tag). The page is the kit on the server's own origin; the key is checked here as the API would check it, and its
 * allowed origins become the page's `frame-ancestors` (any site when the key names none).
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/types.ts';
import { badRequest, forbidden, notFound } from '../http/errors.ts';
import { hashKey } from './keys.ts';

/** The names the embed page accepts in `elements=` (as the WordPress plugin does) and the element each shows. */
export const EMBED_ELEMENTS = {
  finder: 'pf-finder',
  'bib-search': 'pf-bib-search',
  gallery: 'pf-gallery',
  timeline: 'pf-timeline',
  selfie: 'pf-selfie-search',
  certificate: 'pf-certificate',
  checkout: 'pf-checkout-button',
} as const;
export type EmbedElement = keyof typeof EMBED_ELEMENTS;
export const EMBED_THEMES = ['auto', 'light', 'dark', 'high-contrast'] as const;
export const DEFAULT_EMBED_ELEMENTS: EmbedElement[] = ['bib-search', 'gallery'];

export interface EmbedOptions {
  orgId: number;
  eventId: number;
  key: string;
  elements: EmbedElement[];
  theme: (typeof EMBED_THEMES)[number];
  lang: string;
}

/** What the page needs: the event's name and the origins that may frame it (null: any). */
export interface EmbedTarget {
  eventName: string;
  frameAncestors: string[] | null;
}

/** Checks the publishable key for the event (as requireKey + requireEvent do for the API). */
export async function embedTarget(
  { store }: { store: Store },
  o: Pick<EmbedOptions, 'orgId' | 'eventId' | 'key'>,
): Promise<EmbedTarget> {
  if (!o.key.startsWith('pk_'))
    throw badRequest('An embed URL takes a publishable key (pk_…): a secret key must never be in a page or a URL');
  const key = await store.keys.findByHash(hashKey(o.key));
  if (!key || !key.active || key.kind !== 'publishable') throw forbidden('Invalid or inactive publishable key');
  if (key.org_id !== o.orgId) throw forbidden('This API key does not belong to this organisation');
  const event = await store.events.get(o.eventId);
  if (!event || event.org_id !== o.orgId) throw notFound(`Event ${o.eventId} not found`);
  if (key.event_ids && !key.event_ids.includes(o.eventId)) throw forbidden('This API key is not valid for this event');
  if (!event.event_enabled) throw forbidden('This event is not open for external use');
  return { eventName: event.name, frameAncestors: key.origins && key.origins.length ? key.origins : null };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * Auto-height: the frame tells its parent how tall its content is (`{ type: 'photo-finish:height', height }`)
 * whenever that changes; the host's listener (docs/embedding.md) sets the iframe's height.
 */
export const FRAME_SCRIPT =
  "(function(){var last=-1;function send(){var h=Math.ceil(document.documentElement.getBoundingClientRect().height);if(h!==last){last=h;parent.postMessage({type:'photo-finish:height',height:h},'*');}}new ResizeObserver(send).observe(document.documentElement);send();})();";
const FRAME_STYLE = 'html,body{margin:0;padding:0;background:transparent}main{padding:8px}';

/** The page and its Content-Security-Policy (the kit's strict policy, the two inline blocks by hash, frame-ancestors). */
export function embedPage(o: EmbedOptions, target: EmbedTarget): { html: string; csp: string } {
  const widgets = o.elements
    .map((name) => EMBED_ELEMENTS[name])
    // In a frame that grows with its content, the gallery pages on a button: it never grows by itself.
    .map((tag) => (tag === 'pf-gallery' ? '<pf-gallery paging="button"></pf-gallery>' : `<${tag}></${tag}>`))
    .join('\n');
  const html = `<!doctype html>
<html lang="${esc(o.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(target.eventName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/kit/themes/${o.theme}.css">
<style>${FRAME_STYLE}</style>
<script src="/kit/photo-finish.js"></script>
</head>
<body>
<main>
<pf-event org="${o.orgId}" event="${o.eventId}" key="${esc(o.key)}">
${widgets}
</pf-event>
</main>
<script>${FRAME_SCRIPT}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${sha256(FRAME_SCRIPT)}`,
    `style-src 'self' ${sha256(FRAME_STYLE)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${target.frameAncestors ? target.frameAncestors.join(' ') : '*'}`,
  ].join('; ');
  return { html, csp };
}
