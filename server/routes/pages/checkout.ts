import { Readable } from 'node:stream';
import { z } from 'zod';
import { baseUrl } from '../../http/base-url.ts';
import { contentDisposition } from '../../http/content-disposition.ts';
import { SignedQuery } from '../../http/params.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import { TEST_ACTIONS, TestGateway, testPayPath, type TestAction } from '../../checkout/gateways/test.ts';
import { messagePage, PAGE_HEADERS, payPage, receiptPage } from '../../checkout/pages.ts';

/**
 * Pages a buyer opens in the browser: the test gateway's hosted pay page (`/pay/test/{session}`), the
 * receipt (`/orders/{id}/receipt?token=…`) and the ZIP of a paid order (`/orders/{id}/photos.zip`, signed).
 * The HTML pages answer their errors as HTML pages too (no JSON envelope), with the status in the table below.
 */

const OrderPath = z.object({ order_id: z.string().meta({ description: 'order id (UUID)', format: 'uuid' }) });
const SessionPath = z.object({
  session: z.string().meta({ description: "the test gateway's session id, from the order's checkout_url" }),
});
const NOT_FOUND = ['Payment not found', 'This payment link is unknown or has expired.'] as const;
const pageHeaders = (c: { header(k: string, v: string): void }) => {
  for (const [k, v] of Object.entries(PAGE_HEADERS)) c.header(k, v);
};

export const testPayPageRoute = defineRawRoute({
  method: 'get',
  path: '/pay/test/{session}',
  tag: 'Pages',
  summary: 'Test gateway: pay page',
  description:
    "The test gateway's hosted page (server-rendered, no script): the order's lines and three buttons, Pay, Simulate a failed payment, " +
    'Cancel and go back. A page older than 24 hours has expired: its order is abandoned and the page says so. ' +
    'An unknown session is a 404 HTML page. No money moves: switch the gateway off in production (CHECKOUT_TEST_GATEWAY=off).',
  auth: 'none',
  request: { params: SessionPath },
  raw: { description: 'The pay page (HTML; 404 page for an unknown or expired link)', type: 'text/html' },
  errors: [],
});

export const testPaySubmitRoute = defineRawRoute({
  method: 'post',
  path: '/pay/test/{session}',
  tag: 'Pages',
  summary: 'Test gateway: pay, fail or cancel',
  description:
    "The pay page's form. Goes through the same code path as a Stripe webhook (CheckoutService.applyGatewayEvent), then sends the " +
    'buyer back to the return_url with pf_order and pf_checkout=success|cancel (303). HTML pages: 404 for an unknown link or when the ' +
    'test gateway is off, 400 for an unknown action, 410 when the page has expired (nothing is charged).',
  auth: 'none',
  request: {
    params: SessionPath,
    // Read by the handler (an unknown action is an HTML page, not a 422): documented, not validated.
    body: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: { action: { type: 'string', enum: [...TEST_ACTIONS] } },
            required: ['action'],
          },
        },
      },
    },
  },
  raw: { description: 'See Other: back to the return_url', type: 'text/html', status: 303 },
  errors: [],
});

export const receiptPageRoute = defineRawRoute({
  method: 'get',
  path: '/orders/{order_id}/receipt',
  tag: 'Pages',
  summary: 'Order receipt',
  description:
    'An HTML page with the lines, the total, the payment and, when paid, the ZIP and per-photo links (valid one hour; reload for new ones). ' +
    'The link carries the download token: treat it like the token. A wrong token or an unknown order is a 404 HTML page.',
  auth: 'none',
  request: {
    params: OrderPath,
    query: z.object({ token: z.string().optional().meta({ description: "the order's download token" }) }),
  },
  raw: { description: 'The receipt (HTML; 404 page for an unknown order or a wrong token)', type: 'text/html' },
  errors: [],
});

export const orderZipRoute = defineRawRoute({
  method: 'get',
  path: '/orders/{order_id}/photos.zip',
  tag: 'Pages',
  summary: 'Photos of a paid order as one ZIP (signed URL)',
  description:
    "Only through the order's zip_url (valid one hour). Streams every original of the order, stored without recompression, with its " +
    'exact Content-Length. The order is checked again on each download: a refund locks the link at once (403). HEAD answers the headers only.',
  auth: 'signed',
  request: { params: OrderPath, query: SignedQuery },
  raw: { description: 'The ZIP (attachment)', type: 'application/zip' },
  errors: [403, 404],
});

export const checkoutPages = createRouter()
  .openapi(testPayPageRoute, async (c) => {
    pageHeaders(c);
    const svc = c.get('deps').checkout;
    const found = await svc.testPayment(c.req.valid('param').session);
    const event = found && (await svc.eventOf(found.order));
    if (!found || !event) return c.html(messagePage(...NOT_FOUND), 404);
    return c.html(payPage(event, found.order, testPayPath(found.order.gateway_session!)));
  })
  .openapi(testPaySubmitRoute, async (c) => {
    pageHeaders(c);
    const svc = c.get('deps').checkout;
    const gateway = svc.gateway('test');
    const found = await svc.testPayment(c.req.valid('param').session);
    if (!found || !(gateway instanceof TestGateway)) return c.html(messagePage(...NOT_FOUND), 404);
    const form = await c.req.parseBody();
    const action = String(form.action ?? '') as TestAction;
    if (!TEST_ACTIONS.includes(action)) return c.html(messagePage('Unknown action', 'Choose Pay, Fail or Cancel.'), 400);
    if (found.expired) {
      return c.html(
        messagePage('Payment page expired', 'This payment page has expired. Nothing was charged; start the purchase again.'),
        410,
      );
    }
    const { order } = found;
    await svc.applyGatewayEvent(gateway.eventFor(order, action), 'test-gateway');
    const url = new URL(order.return_url);
    url.searchParams.set('pf_order', order.id);
    url.searchParams.set('pf_checkout', action === 'pay' ? 'success' : 'cancel');
    return c.redirect(url.toString(), 303);
  })
  .openapi(receiptPageRoute, async (c) => {
    pageHeaders(c);
    const r = await c.get('deps').checkout.receipt(c.req.valid('param').order_id, c.req.valid('query').token ?? '', baseUrl(c));
    if (!r)
      return c.html(
        messagePage('Receipt not found', 'This receipt link is not valid. Use the link you received with your order.'),
        404,
      );
    return c.html(receiptPage(r.event, r.order, { zipUrl: r.zipUrl, photos: r.photos }));
  })
  // HEAD is answered by this GET route (Hono runs it and drops the body): the stream is not even started.
  .openapi(orderZipRoute, async (c) => {
    const zip = await c.get('deps').checkout.zip(c.req.valid('param').order_id, c.req.valid('query'));
    const headers = {
      'Content-Type': 'application/zip',
      'Content-Disposition': contentDisposition('attachment', zip.filename),
      'Cache-Control': 'private, no-store',
      ...(zip.size >= 0 ? { 'Content-Length': String(zip.size) } : {}),
    };
    if (c.req.method === 'HEAD') {
      zip.stream.destroy();
      return c.body(null, 200, headers);
    }
    return c.body(Readable.toWeb(zip.stream) as ReadableStream, 200, headers);
  });
