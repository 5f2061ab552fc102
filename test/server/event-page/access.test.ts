// Event settings and their enforcement for publishable keys: visibility, draft, page password (signed tokens),
// search-only galleries, details fields, cover image, the origin-not-allowed answer readable through CORS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { AdminEvent } from '../../../core/api/admin.ts';
import type { AccessToken, EventDetails, EventList, TimelineDays } from '../../../core/index.ts';
import { PASSWORD_NEEDED, SEARCH_ONLY } from '../../../server/services/event-access.ts';
import { createSigner } from '../../../server/services/signing.ts';
import { json } from '../../support/harness.ts';
import { createWorld, type World } from '../helpers/world.ts';

describe('event settings with publishable keys', () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => w.h.close());

  const admin = (body: unknown, event = w.event.id) =>
    w.h.call(`/api/v1/admin/${w.orgId}/events/${event}`, { key: w.secret, method: 'PATCH', body });
  const ext = (path: string, opts: { key?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}${path}`, { key: opts.key ?? w.publishable, ...opts });
  const listed = async (key: string) =>
    (await json<EventList>(await w.h.call(`/api/v1/ext/${w.orgId}/events`, { key }))).data.events.map((e) => e.event_id);
  const reset = () =>
    admin({ visibility: 'public', status: 'active', page_password: null, show_all_images: true, show_photo_count: true });

  test('settings round-trip through the admin API; the password is write-only', async () => {
    const cta = { url: 'https://shop.example/medals', text: 'Order your medal engraving', placement: 'gallery', style: 'button' };
    const res = await admin({
      location: 'Lyon, France',
      event_type: 'trail',
      bulk_download: false,
      web_download: true,
      show_photo_count: false,
      page_password: 'secret-pass',
      cta,
    });
    assert.equal(res.status, 200);
    const e = (await json<AdminEvent>(res)).data;
    assert.equal(e.location, 'Lyon, France');
    assert.equal(e.event_type, 'trail');
    assert.equal(e.bulk_download, false);
    assert.equal(e.web_download, true);
    assert.equal(e.show_photo_count, false);
    assert.equal(e.visibility, 'public');
    assert.equal(e.page_password_set, true);
    assert.deepEqual(e.cta, cta);
    assert.equal(e.page_url, `http://127.0.0.1/e/${w.orgId}/spring-10k`);
    assert.ok(!JSON.stringify(e).includes('secret-pass'));
    assert.ok(!('page_password' in e));
    const back = await admin({ bulk_download: true, web_download: false, page_password: null, cta: null });
    const b = (await json<AdminEvent>(back)).data;
    assert.equal(b.page_password_set, false);
    assert.equal(b.cta, null);
    await reset();
  });

  test('bad settings are 422 naming the field', async () => {
    for (const [body, field] of [
      [{ visibility: 'secret' }, /visibility/],
      [
        { cta: { url: 'javascript:alert(1)', text: 'x', placement: 'gallery', style: 'button' } },
        /cta\.url: must be an http\(s\) URL/,
      ],
      [{ cta: { url: 'https://a.example', text: 'x', placement: 'footer', style: 'button' } }, /cta\.placement/],
      [{ page_password: 'abc' }, /page_password: must be at least 4 characters/],
      [{ show_all_images: 'no' }, /show_all_images/],
    ] as const) {
      const res = await admin(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.match((await json(res)).message, field);
    }
  });

  test('details carries the page settings; photo_count is null when hidden', async () => {
    await admin({ show_photo_count: false, location: 'Lyon' });
    const d = (await json<EventDetails>(await ext('/details'))).data;
    assert.equal(d.location, 'Lyon');
    assert.equal(d.photo_count, null);
    assert.equal(d.show_photo_count, false);
    assert.equal(d.password_required, false);
    assert.equal(d.show_all_images, true);
    assert.equal(d.bulk_download, true);
    assert.equal(d.web_download, false);
    assert.equal(d.cover_image, null);
    assert.equal(d.event_name, 'Spring 10K');
    await admin({ show_photo_count: true });
    assert.equal((await json<EventDetails>(await ext('/details'))).data.photo_count, w.imageIds.length);
    await reset();
  });

  test('private: publishable keys get 404 everywhere, the event is not listed; secret keys read it', async () => {
    await admin({ visibility: 'private' });
    for (const path of ['/details', '/images', '/bibs/101', '/ping', '/timeline/days']) {
      const res = await ext(path);
      assert.equal(res.status, 404, path);
      assert.equal((await json(res)).message, `Event ${w.event.id} not found`);
    }
    assert.equal((await ext('/access', { body: { password: 'x' } })).status, 404);
    assert.ok(!(await listed(w.publishable)).includes(w.event.id));
    assert.equal((await ext('/images', { key: w.secret })).status, 200);
    assert.ok((await listed(w.secret)).includes(w.event.id));
    await reset();
    assert.ok((await listed(w.publishable)).includes(w.event.id));
  });

  test('unlisted: readable with the key but left out of the event list', async () => {
    await admin({ visibility: 'unlisted' });
    assert.equal((await ext('/images')).status, 200);
    assert.ok(!(await listed(w.publishable)).includes(w.event.id));
    await reset();
  });

  test('draft: hidden from publishable keys except /details, which says so', async () => {
    await admin({ status: 'draft' });
    const d = await ext('/details');
    assert.equal(d.status, 200);
    assert.equal((await json<EventDetails>(d)).data.status, 'draft');
    for (const path of ['/images', '/bibs/101', '/timeline/days']) {
      const res = await ext(path);
      assert.equal(res.status, 404, path);
      assert.equal((await json(res)).message, 'This event is not published yet');
    }
    assert.ok(!(await listed(w.publishable)).includes(w.event.id));
    assert.equal((await ext('/images', { key: w.secret })).status, 200);
    await reset();
  });

  test('page password: 401 until the token; wrong password 401; a new password ends old tokens', async () => {
    await admin({ page_password: 'blue-river' });
    const d = (await json<EventDetails>(await ext('/details'))).data;
    assert.equal(d.password_required, true);
    const refused = await ext('/images');
    assert.equal(refused.status, 401);
    assert.equal((await json(refused)).message, PASSWORD_NEEDED);
    assert.equal((await ext('/bibs/101')).status, 401);

    const wrong = await ext('/access', { body: { password: 'red-river' } });
    assert.equal(wrong.status, 401);
    assert.equal((await json(wrong)).message, 'Wrong page password');
    assert.equal((await ext('/access', { body: {} })).status, 422);

    const granted = await ext('/access', { body: { password: 'blue-river' } });
    assert.equal(granted.status, 200);
    const { token, expires_at } = (await json<AccessToken>(granted)).data;
    assert.ok(Date.parse(expires_at) > Date.now() + 3600_000);
    const withToken = await ext('/images', { headers: { 'X-Event-Token': token } });
    assert.equal(withToken.status, 200);
    assert.equal((await ext('/bibs/101', { headers: { 'X-Event-Token': token } })).status, 200);

    // Not valid for another event, not when tampered with.
    const other = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.plainEvent.id}/ping`, { key: w.publishable });
    assert.equal(other.status, 200);
    await admin({ page_password: 'blue-river' }, w.plainEvent.id);
    const elsewhere = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.plainEvent.id}/ping`, {
      key: w.publishable,
      headers: { 'X-Event-Token': token },
    });
    assert.equal(elsewhere.status, 401);
    await admin({ page_password: null }, w.plainEvent.id);
    const [exp, kid, sig] = token.split('.');
    const tampered = `${Number(exp) + 3600}.${kid}.${sig}`;
    assert.equal((await ext('/images', { headers: { 'X-Event-Token': tampered } })).status, 401);

    // An expired token (signed by the same key an hour and a half in the past) is refused.
    const old = createSigner(['test-signing-key'], () => Date.now() - 5 * 3600_000);
    const { issueAccessToken } = await import('../../../server/services/event-access.ts');
    const current = (await w.h.deps.store.events.get(w.event.id))!;
    assert.equal((await ext('/images', { headers: { 'X-Event-Token': issueAccessToken(old, current).token } })).status, 401);

    // The secret key needs no token.
    assert.equal((await ext('/images', { key: w.secret })).status, 200);
    // A new password ends the old tokens.
    await admin({ page_password: 'green-river' });
    assert.equal((await ext('/images', { headers: { 'X-Event-Token': token } })).status, 401);
    await reset();
    assert.equal((await ext('/images')).status, 200);
  });

  test('search-only: listings refused (images, timeline windows) while BIB search works', async () => {
    await admin({ show_all_images: false });
    const images = await ext('/images');
    assert.equal(images.status, 403);
    assert.equal((await json(images)).message, SEARCH_ONLY);
    const window = await ext('/timeline/images?from=0&to=32503680000');
    assert.equal(window.status, 403);
    const bib = await ext('/bibs/101');
    assert.equal(bib.status, 200);
    assert.equal((await json<{ images: unknown[] }>(bib)).data.images.length, 2);
    assert.equal((await ext('/timeline/days')).status, 200);
    assert.equal((await ext('/images', { key: w.secret })).status, 200);
    await reset();
  });

  test('timeline days count the photos without capture time', async () => {
    const days = (await json<TimelineDays>(await ext('/timeline/days'))).data;
    assert.equal(days.undated, 1);
    assert.equal(
      days.days.reduce((n, d) => n + d.total, 0),
      w.imageIds.length - 1,
    );
  });

  test('cover image: uploaded, served publicly, in details and the event list; refused when not an image', async () => {
    const png = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'cover.png');
    const res = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/cover`, {
      key: w.secret,
      method: 'PUT',
      body: form,
    });
    assert.equal(res.status, 200);
    const url = (await json<AdminEvent>(res)).data.cover_image!;
    assert.match(url, /^http:\/\/127\.0\.0\.1\/files\/covers\/\d+\/[0-9a-f]{16}\.jpg$/);
    assert.equal((await json<EventDetails>(await ext('/details'))).data.cover_image, url);
    const list = (await json<EventList>(await w.h.call(`/api/v1/ext/${w.orgId}/events`, { key: w.publishable }))).data;
    assert.equal(list.events.find((e) => e.event_id === w.event.id)?.cover_image, url);
    const file = await w.h.call(new URL(url).pathname);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/jpeg');
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    assert.equal(meta.width, 1600);

    const bad = new FormData();
    bad.append('file', new Blob(['not an image'], { type: 'image/png' }), 'x.png');
    const refused = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/cover`, {
      key: w.secret,
      method: 'PUT',
      body: bad,
    });
    assert.equal(refused.status, 422);
    const cleared = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/cover`, { key: w.secret, method: 'DELETE' });
    assert.equal((await json<AdminEvent>(cleared)).data.cover_image, null);
    assert.equal((await w.h.call(new URL(url).pathname)).status, 404);
  });

  test('origin not allowed: 403 the page can read (CORS headers) with the message widgets show', async () => {
    const preflight = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/images`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-api-key,x-event-token,x-pf-source',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://evil.example');
    for (const h of ['X-Event-Token', 'X-PF-Source'])
      assert.match(preflight.headers.get('access-control-allow-headers')!, new RegExp(h, 'i'));
    const res = await ext('/images', { key: w.pinned, headers: { Origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://evil.example');
    assert.match((await json(res)).message, /^this site is not allowed to show these photos/);
  });
});
