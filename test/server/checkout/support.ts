// A seeded app whose demo event sells its originals, plus helpers for the checkout tests.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import yauzl from 'yauzl';
import type { CreatedOrder } from '../../../core/checkout.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { seedDemo, type DemoInfo } from '../../../server/seed/demo.ts';
import { createHarness, json, type Envelope, type Harness, type HarnessOptions } from '../../support/harness.ts';

export interface Shop {
  h: Harness;
  demo: DemoInfo;
  /** A photo of another event of the same organisation. */
  foreignImageId: string;
  imageIds: string[];
  admin(path: string, opts?: { method?: string; body?: unknown; key?: string }): Promise<Response>;
  ext(
    path: string,
    opts?: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string },
  ): Promise<Response>;
  order(body: Record<string, unknown>, key?: string): Promise<Response>;
}

export const RETURN_URL = 'https://runner.example/photos?lang=en';

/** The demo org and event (6 photos) with free downloads off, plus one photo in a second event. */
export async function openShop(opts: { photos?: number } & Pick<HarnessOptions, 'faces' | 'gateways'> = {}): Promise<Shop> {
  const { photos, ...harness } = opts;
  const h = createHarness(harness);
  const { info: demo } = await seedDemo({
    store: h.deps.store,
    blobs: h.deps.blobs,
    certificates: h.deps.certificates,
    dataDir: h.dir,
    baseUrl: 'http://127.0.0.1',
    count: photos ?? 6,
  });
  const event = (await h.deps.store.events.update(demo.event_id, { free_downloads: false }))!;
  const { items } = await h.deps.store.images.list(event.id, { offset: 0, limit: 100 });
  const other = await h.deps.store.events.create(demo.org_id, { name: 'Another race' });
  const data = (await h.deps.blobs.get(items[0]!.original_key))!;
  const res = await ingestPhoto(h.deps, other, { name: 'other.jpg', data });
  if (res.status !== 'added') throw new Error('could not add the foreign photo');
  const base = `/api/v1/ext/${demo.org_id}/event/${demo.event_id}`;
  return {
    h,
    demo,
    foreignImageId: res.image_id,
    imageIds: items.map((i) => i.id),
    admin: (path, o = {}) =>
      h.call(`/api/v1/admin/${demo.org_id}/events/${demo.event_id}${path}`, { key: o.key ?? demo.secret_key, ...o }),
    ext: (path, o = {}) => h.call(`${base}${path}`, { key: o.key ?? demo.publishable_key, ...o }),
    order: (body, key = randomUUID()) =>
      h.call(`${base}/checkout/orders`, { key: demo.publishable_key, body, headers: { 'Idempotency-Key': key } }),
  };
}

/** Plans: one photo 4.00, a bundle of 5 for 15.00, all photos of a BIB 19.00 (EUR); checkout on. */
export async function standardPlans(shop: Shop, gateway: 'test' | 'stripe' = 'test') {
  const plans = [
    { name: 'One photo', kind: 'single', price: 400, currency: 'eur' },
    { name: 'Bundle of 5', kind: 'bundle', quantity: 5, price: 1500, currency: 'EUR' },
    { name: 'All my photos', kind: 'all', price: 1900, currency: 'EUR' },
  ];
  for (const p of plans) {
    const res = await shop.admin('/plans', { body: p });
    if (res.status !== 201) throw new Error(`plan refused: ${res.status} ${(await json(res)).message}`);
  }
  const res = await shop.admin('/checkout', { method: 'PATCH', body: { gateway, enabled: true } });
  if (res.status !== 200) throw new Error(`checkout not enabled: ${(await json(res)).message}`);
}

export async function created(res: Response): Promise<CreatedOrder> {
  const body = await json<CreatedOrder>(res);
  if (res.status !== 200) throw new Error(`order refused: ${res.status} ${body.message}`);
  return body.data;
}

export type { Envelope };

/** Unzips a buffer with yauzl: entry name → bytes. */
export function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

/**
 * A loopback HTTP server standing in for api.stripe.com: the real Stripe SDK talks to it (host/port/protocol
 * options); it records every call and answers like Stripe for the few endpoints the checkout uses.
 * Idempotency-Key replays return the first answer, as Stripe does.
 */
export class FakeStripeApi {
  readonly calls: RecordedCall[] = [];
  readonly sessions = new Map<string, Record<string, unknown>>();
  private readonly replies = new Map<string, string>();
  private server: Server | null = null;
  private n = 0;
  port = 0;

  async start() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const call: RecordedCall = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          form: new URLSearchParams(raw),
        };
        this.calls.push(call);
        const idem = req.headers['idempotency-key'];
        const replay = typeof idem === 'string' ? this.replies.get(idem) : undefined;
        const [status, body] = replay ? [200, replay] : this.answer(call);
        if (typeof idem === 'string' && status === 200) this.replies.set(idem, body);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_${++this.n}` });
        res.end(body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  stop() {
    return new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private answer(c: RecordedCall): [number, string] {
    const f = c.form;
    if (c.method === 'POST' && c.path === '/v1/checkout/sessions') {
      const id = `cs_test_${++this.n}${randomUUID().slice(0, 8)}`;
      let amount = 0;
      for (let i = 0; f.has(`line_items[${i}][quantity]`); i++)
        amount += Number(f.get(`line_items[${i}][quantity]`)) * Number(f.get(`line_items[${i}][price_data][unit_amount]`));
      const metadata: Record<string, string> = {};
      for (const [k, v] of f) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      const session = {
        id,
        object: 'checkout.session',
        url: `https://checkout.stripe.com/c/pay/${id}`,
        status: 'open',
        payment_status: 'unpaid',
        amount_total: amount,
        currency: f.get('line_items[0][price_data][currency]'),
        client_reference_id: f.get('client_reference_id'),
        metadata,
        payment_intent: null,
        success_url: f.get('success_url'),
        cancel_url: f.get('cancel_url'),
      };
      this.sessions.set(id, session);
      return [200, JSON.stringify(session)];
    }
    const one = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(c.path);
    if (c.method === 'GET' && one) {
      const s = this.sessions.get(one[1]!);
      return s
        ? [200, JSON.stringify(s)]
        : [404, JSON.stringify({ error: { type: 'invalid_request_error', message: 'No such checkout.session' } })];
    }
    if (c.method === 'GET' && c.path === '/v1/checkout/sessions') {
      const pi = c.query.get('payment_intent');
      const data = [...this.sessions.values()].filter((s) => s.payment_intent === pi);
      return [200, JSON.stringify({ object: 'list', data, has_more: false, url: '/v1/checkout/sessions' })];
    }
    if (c.method === 'POST' && c.path === '/v1/refunds') {
      const pi = f.get('payment_intent');
      const s = [...this.sessions.values()].find((x) => x.payment_intent === pi);
      return [
        200,
        JSON.stringify({
          id: `re_${++this.n}`,
          object: 'refund',
          amount: s?.amount_total ?? 0,
          currency: s?.currency ?? 'eur',
          payment_intent: pi,
          status: 'succeeded',
        }),
      ];
    }
    return [
      404,
      JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (${c.method}: ${c.path})` } }),
    ];
  }
}
