import { formatMoney, orderReference } from '../../core/checkout.ts';
import type { OrderRow } from '../store/checkout-types.ts';
import type { EventRow } from '../store/types.ts';

/** Server-rendered pages of the checkout: the test gateway's pay page and the receipt. */

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** No scripts at all; inline styles only; no framing. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

/** The headers of every checkout page: the CSP above, never cached, no referrer, never framed. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_CSP,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const STYLE = `
  :root { color-scheme: light dark; --accent: #1a56db; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 400 1rem/1.5 system-ui, sans-serif; background: Canvas; color: CanvasText; }
  main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  .muted { opacity: .8; }
  .notice { border: 2px dashed #b45309; border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  th, td { text-align: left; padding: .4rem .25rem; border-bottom: 1px solid color-mix(in srgb, CanvasText 20%, Canvas); }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tfoot th, tfoot td { font-weight: 700; border-bottom: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.25rem; }
  button, a.button { font: inherit; padding: .65rem 1.1rem; border-radius: 8px; border: 1px solid #6b7280; background: Canvas; color: CanvasText; cursor: pointer; text-decoration: none; display: inline-block; }
  button.primary, a.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
  button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  ul.photos { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .75rem; }
  ul.photos img { width: 100%; height: auto; border-radius: 6px; display: block; background: #ddd; }
  .status { font-weight: 700; }
`;

export function page(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function linesTable(order: OrderRow): string {
  const money = (n: number) => esc(formatMoney(n, order.currency, 'en'));
  const rows = order.lines
    .map(
      (
        l,
      ) => `<tr><td>${esc(l.name)}${l.photos_per_unit && l.photos_per_unit > 1 ? ` <span class="muted">(up to ${l.photos_per_unit} photos)</span>` : ''}</td>
<td class="num">${l.quantity}</td><td class="num">${money(l.unit_amount)}</td><td class="num">${money(l.amount)}</td></tr>`,
    )
    .join('\n');
  return `<table>
<caption class="muted">${order.image_count} photo${order.image_count === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Price</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row" colspan="3">Total${order.tax_inclusive ? ' (tax included)' : ' (plus tax)'}</th><td class="num">${money(order.amount)}</td></tr></tfoot>
</table>`;
}

export function payPage(event: EventRow, order: OrderRow, action: string): string {
  const ref = orderReference(order.id);
  const body =
    order.status === 'pending'
      ? `<form method="post" action="${esc(action)}">
<div class="actions">
<button class="primary" type="submit" name="action" value="pay">Pay ${esc(formatMoney(order.amount, order.currency, 'en'))}</button>
<button type="submit" name="action" value="fail">Simulate a failed payment</button>
<button type="submit" name="action" value="cancel">Cancel and go back</button>
</div>
</form>`
      : `<p class="status" role="status">This order is ${esc(order.status)}.</p>
<div class="actions"><a class="button primary" href="${esc(order.return_url)}">Back to the photos</a></div>`;
  return page(
    `Test payment — ${ref}`,
    `<h1>Test payment</h1>
<p class="muted">${esc(event.name)} · order ${esc(ref)}</p>
<div class="notice" role="note"><strong>Test gateway:</strong> no card is needed and no money moves. It settles the order exactly as a real payment confirmation would.</div>
${linesTable(order)}
${body}`,
  );
}

export interface ReceiptPhoto {
  name: string;
  thumbnail: string;
  url: string;
}

export function receiptPage(event: EventRow, order: OrderRow, o: { zipUrl: string | null; photos: ReceiptPhoto[] }): string {
  const ref = orderReference(order.id);
  const when = (iso: string | null) => (iso ? esc(new Date(iso).toUTCString()) : '—');
  const status =
    order.status === 'paid'
      ? `Paid on ${when(order.paid_at)}.`
      : order.status === 'refunded'
        ? 'This order was refunded: its downloads are locked.'
        : order.status === 'pending'
          ? 'Waiting for the payment to be confirmed. Reload this page in a moment.'
          : `This order is ${esc(order.status)}: nothing was charged.`;
  const downloads =
    order.status === 'paid' && o.zipUrl
      ? `<h2>Your photos</h2>
<div class="actions"><a class="button primary" href="${esc(o.zipUrl)}" download>Download all (ZIP, ${o.photos.length} photo${o.photos.length === 1 ? '' : 's'})</a></div>
<p class="muted">Links are valid for one hour; reload this page for new ones.</p>
<ul class="photos">
${o.photos
  .map(
    (p) =>
      `<li><a href="${esc(p.url)}" download><img src="${esc(p.thumbnail)}" alt="" loading="lazy" width="320" height="213"><span>Download ${esc(p.name)}</span></a></li>`,
  )
  .join('\n')}
</ul>`
      : '';
  return page(
    `Receipt ${ref}`,
    `<h1>Receipt</h1>
<p class="muted">${esc(event.name)} · order ${esc(ref)} · ${when(order.created_at)}</p>
<p class="status" role="status">${status}</p>
${linesTable(order)}
<p class="muted">Paid through: ${order.gateway === 'test' ? 'test gateway (no money moved)' : 'Stripe'}${order.gateway_payment ? ` · payment ${esc(order.gateway_payment)}` : ''}</p>
${downloads}`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1>\n<p>${esc(message)}</p>`);
}
