import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/env.ts';
import { baseUrl } from '../../http/base-url.ts';
import { notFound } from '../../http/errors.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import { pageEvent, pageShell, type PageShell } from '../../services/event-page.ts';
import { QrQuery, qrLink, qrLogo, qrPng, qrSvg } from '../../services/event-qr.ts';
import { eventPageUrl } from '../../services/events.ts';
import { STRICT_CSP } from '../static.ts';
import { wholeNumber } from '../../../core/api/pagination.ts';

/**
 * The hosted event page (`/e/{org_id}/{slug}`): a server-rendered shell (name, date, location, cover; og: and
 * Twitter card tags, a `?photo=` link previewing that photo's watermarked image) around the kit — one search box
 * first, then the gallery — and the event QR code. Served under the strict CSP of the CSP demo: the page has no
 * inline script or style.
 */

/** The search element of the page. */
export const PAGE_SEARCH_ELEMENT = 'pf-finder';

const PagePath = z.object({
  org_id: wholeNumber('must be a positive integer', (n) => n.positive()).meta({ description: 'organisation id' }),
  event_slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an event slug or id')
    .meta({ description: "the event's slug (or its id when it has none)" }),
});

export const eventPageRoute = defineRawRoute({
  method: 'get',
  path: '/e/{org_id}/{event_slug}',
  tag: 'Pages',
  summary: 'Hosted event page',
  description:
    'The event on a page of its own for organisers without a website: name, date, location and cover, one search box, ' +
    'the gallery. og: and Twitter card tags; with ?photo={image_id} they preview that photo (its watermarked preview). ' +
    'Private events are 404; drafts say they are not published; unlisted, draft and password-protected events carry ' +
    'noindex. ?source= names the visit source for analytics (the QR code links with source=qr). Uses the ' +
    "organisation's automatic page key (docs/event-page.md).",
  auth: 'none',
  request: {
    params: PagePath,
    query: z.object({
      photo: z.string().optional().meta({ description: 'image id to preview (og:image) and open' }),
      source: z.string().optional().meta({ description: 'visit source for analytics, e.g. qr' }),
    }),
  },
  raw: { description: 'The page', type: 'text/html' },
  errors: [404, 422],
});

export const pageCssRoute = defineRawRoute({
  method: 'get',
  path: '/e/assets/page.css',
  tag: 'Pages',
  summary: 'Hosted event page: stylesheet',
  description: 'The stylesheet of the hosted event page (a file, for the strict CSP).',
  auth: 'none',
  raw: { description: 'CSS', type: 'text/css' },
  errors: [],
});

const qrRoute = (ext: 'svg' | 'png') =>
  defineRawRoute({
    method: 'get',
    path: `/e/{org_id}/{event_slug}/qr.${ext}`,
    tag: 'Pages',
    summary: `Event QR code (${ext.toUpperCase()})`,
    description:
      'The hosted event page link with ?source=qr (or the source asked for) as a QR code, for posters and medals: size, ' +
      'colours (the code must be darker than its background, contrast at least 4:1, else 422), quiet zone, and an ' +
      "optional logo in the middle (the event's watermark image or cover; error correction H). Private events are 404.",
    auth: 'none',
    request: { params: PagePath, query: QrQuery },
    raw: { description: `The QR code`, type: ext === 'svg' ? 'image/svg+xml' : 'image/png' },
    errors: [404, 422],
  });
export const qrSvgRoute = qrRoute('svg');
export const qrPngRoute = qrRoute('png');

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** `2026-11-22T08:00:00` → `22 November 2026`. */
function displayDate(eventDate: string | null): string | null {
  if (!eventDate) return null;
  const d = new Date(`${eventDate.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime())
    ? null
    : new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

function pageHtml(s: PageShell, base: string): string {
  const e = s.event;
  const date = displayDate(e.event_date);
  const facts = [date, e.location].filter(Boolean).join(' · ');
  const title = `${e.name} — photos`;
  const description = s.photo
    ? `A photo of ${e.name}${facts ? ` (${facts})` : ''}. Find yours by bib number, name or selfie.`
    : `Find your photos of ${e.name}${facts ? `, ${facts}` : ''}: search by bib number, name or selfie.`;
  const pageUrl = s.photo ? `${s.url}?photo=${encodeURIComponent(s.photo.image_id)}` : s.url;
  const meta = [
    `<meta name="description" content="${esc(description)}">`,
    s.noindex ? '<meta name="robots" content="noindex">' : '',
    `<link rel="canonical" href="${esc(pageUrl)}">`,
    '<meta property="og:type" content="website">',
    `<meta property="og:site_name" content="${esc(e.name)}">`,
    `<meta property="og:title" content="${esc(title)}">`,
    `<meta property="og:description" content="${esc(description)}">`,
    `<meta property="og:url" content="${esc(pageUrl)}">`,
    s.image ? `<meta property="og:image" content="${esc(s.image.url)}">` : '',
    s.image?.width ? `<meta property="og:image:width" content="${s.image.width}">` : '',
    s.image?.height ? `<meta property="og:image:height" content="${s.image.height}">` : '',
    `<meta name="twitter:card" content="${s.image ? 'summary_large_image' : 'summary'}">`,
    `<meta name="twitter:title" content="${esc(title)}">`,
    `<meta name="twitter:description" content="${esc(description)}">`,
    s.image ? `<meta name="twitter:image" content="${esc(s.image.url)}">` : '',
  ]
    .filter(Boolean)
    .join('\n    ');
  const header = `<header class="pf-page-header">
      ${s.cover ? `<img class="pf-page-cover" src="${esc(s.cover)}" alt="" width="1600" height="600">` : ''}
      <div class="pf-page-title">
        <h1>${esc(e.name)}</h1>
        ${facts ? `<p class="pf-page-facts">${esc(facts)}</p>` : ''}
      </div>
    </header>`;
  const body =
    s.state === 'draft' || !s.key
      ? `<main class="pf-page-main"><p class="pf-page-notice">The photos of this event are not published yet. Come back soon.</p></main>`
      : `<main class="pf-page-main">
      <pf-event api="${esc(base)}" org="${e.org_id}" event="${e.id}" key="${esc(s.key)}">
        <${PAGE_SEARCH_ELEMENT}></${PAGE_SEARCH_ELEMENT}>
        <pf-gallery></pf-gallery>
      </pf-event>
    </main>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${esc(title)}</title>
    ${meta}
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${esc(base)}/kit/themes/auto.css">
    <link rel="stylesheet" href="${esc(base)}/e/assets/page.css">
    ${s.state === 'draft' ? '' : `<script src="${esc(base)}/kit/photo-finish.js" defer></script>`}
  </head>
  <body>
    ${header}
    ${body}
    <footer class="pf-page-footer"><p>Photos by ${esc(e.name)} · <a href="${esc(s.url)}">${esc(s.url.replace(/^https?:\/\//, ''))}</a></p></footer>
  </body>
</html>
`;
}

/** Mobile first: the event and the search box fill the first screen of a phone. */
export const PAGE_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:400 1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--pf-color-bg,Canvas);color:var(--pf-color-text,CanvasText)}
.pf-page-header{position:relative}
.pf-page-cover{display:block;width:100%;height:auto;max-height:22vh;object-fit:cover}
.pf-page-title{padding:.75rem 1rem .25rem;max-width:60rem;margin:0 auto}
.pf-page-title h1{font-size:1.4rem;line-height:1.2;margin:0}
.pf-page-facts{margin:.25rem 0 0;opacity:.8}
.pf-page-main{max-width:60rem;margin:0 auto;padding:.5rem 1rem 2rem}
.pf-page-main pf-gallery{display:block;margin-top:1rem}
.pf-page-notice{padding:1rem;border:2px dashed currentColor;border-radius:8px}
.pf-page-footer{max-width:60rem;margin:0 auto;padding:1rem;font-size:.875rem;opacity:.75}
.pf-page-footer a{color:inherit}
@media (min-width:48rem){.pf-page-cover{max-height:40vh}.pf-page-title h1{font-size:2rem}}
`;

const PAGE_HEADERS = {
  'Content-Security-Policy': STRICT_CSP,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

async function eventOr404(c: Context<AppEnv>, orgId: number, slug: string) {
  const event = await pageEvent(c.get('deps'), orgId, slug);
  if (!event) throw notFound('No such event page');
  return event;
}

export const eventPages = createRouter()
  .openapi(pageCssRoute, (c) =>
    c.body(PAGE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' }),
  )
  .openapi(qrSvgRoute, async (c) => {
    const { org_id, event_slug } = c.req.valid('param');
    const q = c.req.valid('query');
    const event = await eventOr404(c, org_id, event_slug);
    const svg = await qrSvg(
      qrLink(eventPageUrl(baseUrl(c), event), q.source),
      q,
      await qrLogo(c.get('deps').blobs, event, q.logo),
    );
    return c.body(svg, 200, {
      'Content-Type': 'image/svg+xml',
      'Content-Disposition': `inline; filename="${event.slug ?? event.id}-qr.svg"`,
      'Cache-Control': 'public, max-age=300',
    });
  })
  .openapi(qrPngRoute, async (c) => {
    const { org_id, event_slug } = c.req.valid('param');
    const q = c.req.valid('query');
    const event = await eventOr404(c, org_id, event_slug);
    const png = await qrPng(
      qrLink(eventPageUrl(baseUrl(c), event), q.source),
      q,
      await qrLogo(c.get('deps').blobs, event, q.logo),
    );
    return c.body(new Uint8Array(png), 200, {
      'Content-Type': 'image/png',
      'Content-Disposition': `inline; filename="${event.slug ?? event.id}-qr.png"`,
      'Cache-Control': 'public, max-age=300',
    });
  })
  .openapi(eventPageRoute, async (c) => {
    const { org_id, event_slug } = c.req.valid('param');
    const base = baseUrl(c);
    const event = await eventOr404(c, org_id, event_slug);
    const { photo, source } = c.req.valid('query');
    const shell = await pageShell(c.get('deps'), event, base, { photo, source, referer: c.req.header('referer') });
    for (const [k, v] of Object.entries(PAGE_HEADERS)) c.header(k, v);
    return c.html(pageHtml(shell, base));
  });
