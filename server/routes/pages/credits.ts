import { z } from 'zod';
import { formatMoney } from '../../../core/checkout.ts';
import { PAYMENT_STATUS_LABELS, PURCHASE_LABELS } from '../../../core/api/credits.ts';
import { creditsPayPath } from '../../credits/service.ts';
import { esc, messagePage, page, PAGE_HEADERS } from '../../checkout/pages.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import type { CreditPaymentRow } from '../../store/credits-types.ts';

/** The test gateway's pay page for credits purchases (issue 13): the same three buttons as the checkout's. */

const SessionPath = z.object({
  session: z.string().meta({ description: "the test gateway's session id, from the payment's pay_url" }),
});
const ACTIONS = ['pay', 'fail', 'cancel'] as const;
type Action = (typeof ACTIONS)[number];
const NOT_FOUND = ['Payment not found', 'This payment link is unknown or has expired.'] as const;
const pageHeaders = (c: { header(k: string, v: string): void }) => {
  for (const [k, v] of Object.entries(PAGE_HEADERS)) c.header(k, v);
};

function creditsPayPage(p: CreditPaymentRow): string {
  const money = esc(formatMoney(p.amount, p.currency, 'en'));
  const body =
    p.status === 'pending'
      ? `<form method="post" action="${esc(creditsPayPath(p.gateway_session!))}">
<div class="actions">
<button class="primary" type="submit" name="action" value="pay">Pay ${money}</button>
<button type="submit" name="action" value="fail">Simulate a failed payment</button>
<button type="submit" name="action" value="cancel">Cancel and go back</button>
</div>
</form>`
      : `<p class="status" role="status">This payment is ${esc(PAYMENT_STATUS_LABELS[p.status])}.</p>
<div class="actions"><a class="button primary" href="${esc(p.return_url)}">Back to the console</a></div>`;
  return page(
    `Test payment — ${PURCHASE_LABELS[p.kind]}`,
    `<h1>Test payment</h1>
<p class="muted">${esc(PURCHASE_LABELS[p.kind])} · payment ${esc(p.id)}</p>
<div class="notice" role="note"><strong>Test gateway:</strong> no card is needed and no money moves. It settles the payment exactly as a real payment confirmation would.</div>
<table><tbody>
<tr><th scope="row">${esc(p.description)}</th><td class="num">${money}</td></tr>
${p.credits ? `<tr><th scope="row">Credits added</th><td class="num">${p.credits.toLocaleString('en-US')}</td></tr>` : ''}
</tbody></table>
${body}`,
  );
}

export const creditsPayPageRoute = defineRawRoute({
  method: 'get',
  path: '/pay/credits/{session}',
  tag: 'Pages',
  summary: 'Test gateway: credits pay page',
  description:
    "The test gateway's hosted page for a credits purchase (server-rendered, no script): Pay, Simulate a failed payment, Cancel and go back. " +
    'An unknown session is a 404 HTML page. No money moves (CHECKOUT_TEST_GATEWAY=off switches it off).',
  auth: 'none',
  request: { params: SessionPath },
  raw: { description: 'The pay page (HTML; 404 page for an unknown link)', type: 'text/html' },
  errors: [],
});

export const creditsPaySubmitRoute = defineRawRoute({
  method: 'post',
  path: '/pay/credits/{session}',
  tag: 'Pages',
  summary: 'Test gateway: pay, fail or cancel a credits purchase',
  description:
    'Applied like a Stripe webhook (CreditsService.applyGatewayEvent: once per session and action), then back to the return_url with ' +
    'pf_payment and pf_checkout=success|cancel (303). HTML pages: 404 for an unknown link, 400 for an unknown action, 410 when the page ' +
    'has expired (24 hours; nothing is charged).',
  auth: 'none',
  request: {
    params: SessionPath,
    body: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: { type: 'object', properties: { action: { type: 'string', enum: [...ACTIONS] } }, required: ['action'] },
        },
      },
    },
  },
  raw: { description: 'See Other: back to the return_url', type: 'text/html', status: 303 },
  errors: [],
});

export const creditsPages = createRouter()
  .openapi(creditsPayPageRoute, async (c) => {
    pageHeaders(c);
    const found = await c.get('deps').credits.testPayment(c.req.valid('param').session);
    if (!found) return c.html(messagePage(...NOT_FOUND), 404);
    return c.html(creditsPayPage(found.payment));
  })
  .openapi(creditsPaySubmitRoute, async (c) => {
    pageHeaders(c);
    const svc = c.get('deps').credits;
    const found = await svc.testPayment(c.req.valid('param').session);
    if (!found) return c.html(messagePage(...NOT_FOUND), 404);
    const form = await c.req.parseBody();
    const action = String(form.action ?? '') as Action;
    if (!ACTIONS.includes(action)) return c.html(messagePage('Unknown action', 'Choose Pay, Fail or Cancel.'), 400);
    if (found.expired)
      return c.html(
        messagePage('Payment page expired', 'This payment page has expired. Nothing was charged; start the purchase again.'),
        410,
      );
    await svc.testAction(found.payment, action);
    const url = new URL(found.payment.return_url);
    url.searchParams.set('pf_payment', found.payment.id);
    url.searchParams.set('pf_checkout', action === 'pay' ? 'success' : 'cancel');
    return c.redirect(url.toString(), 303);
  });
