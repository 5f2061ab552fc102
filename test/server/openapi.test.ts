// The OpenAPI document is generated from the route declarations; docs/openapi.json is it, committed, so that an
// API change shows in review. Every route the server answers under the API families is declared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { ok } from '../../server/http/envelope.ts';
import { createRouter, defineRoute } from '../../server/http/route.ts';
import { routeDrift } from '../../server/routes/docs/coverage.ts';
import { openApiDocument } from '../../server/routes/docs/openapi.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { openApiSnapshot } from '../support/openapi-snapshot.ts';

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; tags?: string[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const committedFile = resolve(import.meta.dirname, '..', '..', 'docs', 'openapi.json');

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: Doc;
  before(async () => {
    h = createHarness();
    const res = await h.call('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    doc = (await res.json()) as Doc;
  });
  after(() => h.close());

  test('docs/openapi.json is the document the code declares (run `npm run openapi` after an API change)', async () => {
    const { json: generated } = await openApiSnapshot();
    const committed = readFileSync(committedFile, 'utf8');
    assert.equal(committed, generated, 'docs/openapi.json differs from the declarations: run `npm run openapi` and commit it');
  });

  test('every route the app answers is declared, and every declared route is answered', () => {
    const drift = routeDrift(h.app, doc);
    assert.deepEqual(drift.undocumented, [], 'served without a declaration');
    assert.deepEqual(drift.unserved, [], 'declared but not served');
  });

  test('a route added without a declaration is caught', async (t) => {
    // Closed after: an app left open keeps its job queue's timers (pg-boss on PostgreSQL) and the process alive.
    const extra = createHarness();
    t.after(() => extra.close());
    const app = extra.app;
    app.get('/api/v1/ext/:org_id/event/:event_id/secret-extra', (c) => c.text('x'));
    const router = createRouter();
    router.openapi(
      defineRoute({
        method: 'get',
        path: '/api/v1/ext/{org_id}/declared-extra',
        tag: 'Events',
        summary: 'x',
        auth: 'key',
        data: z.object({}),
        errors: [],
      }),
      (c) => ok(c, 'x', {}),
    );
    app.route('/', router);
    const drift = routeDrift(app, openApiDocument(app));
    assert.deepEqual(drift.undocumented, ['get /api/v1/ext/{org_id}/event/{event_id}/secret-extra']);
    assert.deepEqual(drift.unserved, []);
  });

  test('the families of the API are all in it: ext, faces, certificates, checkout, webhooks, admin (bibs, certificates, checkout), files', () => {
    assert.equal(doc.openapi, '3.1.0');
    const has = (method: string, path: string) => assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    const ev = '/api/v1/ext/{org_id}/event/{event_id}';
    const aev = '/api/v1/admin/{org_id}/events/{event_id}';
    has('get', '/api/v1/ext/{org_id}/events');
    for (const p of ['/ping', '/details', '/images', '/bibs/{bib}', '/timeline/days', '/timeline/images', '/faces/{request_id}'])
      has('get', ev + p);
    has('post', `${ev}/faces`);
    has('post', `${ev}/original-photos`);
    has('get', `${ev}/certificates/{bib}`);
    has('post', `${ev}/checkout/orders`);
    has('post', '/api/v1/webhooks/stripe');
    has('get', '/api/v1/admin/{org_id}/events');
    has('patch', aev);
    has('post', `${aev}/photos`);
    has('post', `${aev}/photos/{image_id}/bibs`);
    has('post', `${aev}/bibs/rerun`);
    has('put', `${aev}/certificates/template`);
    has('post', `${aev}/plans`);
    has('get', '/files/o/{image_id}');
    has('get', '/files/r/{key}');
    assert.ok(
      !Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/admin/{org_id}/event/')),
      'the deprecated alias is not listed',
    );
  });

  test('envelopes, error statuses, security and no dangling $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const ref of refs) assert.ok(doc.components.schemas[ref], `dangling $ref ${ref}`);
    assert.ok(doc.components.securitySchemes.ApiKey);
    const created = doc.paths['/api/v1/admin/{org_id}/events']!.post!;
    assert.ok(created.responses['201'] && created.responses['422'] && created.responses['401'] && created.responses['403']);
    const images = doc.paths['/api/v1/ext/{org_id}/event/{event_id}/images']!.get! as unknown as {
      parameters: { name: string; in: string; schema: { maximum?: number; default?: number } }[];
    };
    const size = images.parameters.find((p) => p.name === 'page_size')!;
    assert.equal(size.in, 'query');
    assert.equal(size.schema.maximum, 100, 'the limit comes from PAGE_SIZES');
  });

  test('/docs/api is rendered on the server: every route, no scripts, nothing fetched from elsewhere', async () => {
    const res = await h.call('/docs/api');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
    const html = await res.text();
    assert.ok(!/<script/i.test(html), 'no scripts');
    assert.ok(!/(src|href)="https?:/i.test(html), 'nothing from another host');
    assert.ok(!/<link /i.test(html));
    for (const path of Object.keys(doc.paths)) assert.ok(html.includes(`<code>${path}</code>`), path);
  });
});
