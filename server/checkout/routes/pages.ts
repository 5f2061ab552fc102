import { Hono } from 'hono';
import { Readable } from 'node:stream';
import { baseUrl } from '../../http/base-url.ts';
import type { AppEnv } from '../../http/env.ts';
import { originalPath } from '../../services/downloads.ts';
import { toImageItem } from '../../services/image-items.ts';
import { TEST_ACTIONS, TestGateway, testPayPath, type TestAction } from '../gateways/test.ts';
import { messagePage, PAGE_CSP, payPage, receiptPage } from '../pages.ts';
import { checkoutFor } from '../registry.ts';
import { hashToken } from '../tokens.ts';

const html = (c: { header(k: string, v: string): void }) => {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
};

/**
 * Pages a buyer opens in the browser: the test gateway's hosted pay page (`/pay/test/{session}`), the
 * receipt (`/orders/{id}/receipt?token=…`) and the ZIP of a paid order (`/orders/{id}/photos.zip`, signed).
 */
export const pageRoutes = new Hono<AppEnv>()
  .get('/pay/test/:session', async (c) => {
    html(c);
    const svc = checkoutFor(c.get('deps'));
    const found = await svc.findTestSession(c.req.param('session'));
    // A page older than a day has expired: the recheck abandons its order, the page says so.
    const order = found && (await svc.recheck(found, 'test-gateway'));
    const event = order && (await c.get('deps').store.events.get(order.event_id));
    if (!order || !event) return c.html(messagePage('Payment not found', 'This payment link is unknown or has expired.'), 404);
    return c.html(payPage(event, order, testPayPath(order.gateway_session!)));
  })
  .post('/pay/test/:session', async (c) => {
    html(c);
    const svc = checkoutFor(c.get('deps'));
    const gateway = svc.gateway('test');
    const found = await svc.findTestSession(c.req.param('session'));
    const order = found && (await svc.recheck(found, 'test-gateway'));
    if (!order || !(gateway instanceof TestGateway))
      return c.html(messagePage('Payment not found', 'This payment link is unknown or has expired.'), 404);
    const form = await c.req.parseBody();
    const action = String(form.action ?? '') as TestAction;
    if (!TEST_ACTIONS.includes(action)) return c.html(messagePage('Unknown action', 'Choose Pay, Fail or Cancel.'), 400);
    if (order.status === 'abandoned' && found?.status === 'pending') {
      return c.html(
        messagePage('Payment page expired', 'This payment page has expired. Nothing was charged; start the purchase again.'),
        410,
      );
    }
    await svc.applyGatewayEvent(gateway.eventFor(order, action), 'test-gateway');
    const url = new URL(order.return_url);
    url.searchParams.set('pf_order', order.id);
    url.searchParams.set('pf_checkout', action === 'pay' ? 'success' : 'cancel');
    return c.redirect(url.toString(), 303);
  })
  .get('/orders/:order_id/receipt', async (c) => {
    html(c);
    const deps = c.get('deps');
    const svc = checkoutFor(deps);
    const order = await svc.getOrder(c.req.param('order_id'));
    const token = c.req.query('token') ?? '';
    if (!order || hashToken(token) !== order.token_hash)
      return c.html(
        messagePage('Receipt not found', 'This receipt link is not valid. Use the link you received with your order.'),
        404,
      );
    const event = (await deps.store.events.get(order.event_id))!;
    const base = baseUrl(c);
    let photos: { name: string; thumbnail: string; url: string }[] = [];
    if (order.status === 'paid') {
      photos = (await svc.paidImages(order)).map((img) => {
        const path = originalPath(img.id);
        return {
          name: img.original_name,
          thumbnail: toImageItem(base, img).thumbnail_url,
          url: `${base}${path}?${deps.signer.sign(path)}`,
        };
      });
    }
    return c.html(
      receiptPage(event, order, { zipUrl: order.status === 'paid' ? svc.signedZipUrl(base, order.id) : null, photos }),
    );
  })
  .on(['GET', 'HEAD'], '/orders/:order_id/photos.zip', async (c) => {
    const { exp, kid, sig } = c.req.query();
    const zip = await checkoutFor(c.get('deps')).zip(c.req.param('order_id'), { exp, kid, sig });
    const headers = {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${zip.filename}"`,
      'Cache-Control': 'private, no-store',
      ...(zip.size >= 0 ? { 'Content-Length': String(zip.size) } : {}),
    };
    if (c.req.method === 'HEAD') {
      zip.stream.destroy();
      return c.body(null, 200, headers);
    }
    return c.body(Readable.toWeb(zip.stream) as ReadableStream, 200, headers);
  });
