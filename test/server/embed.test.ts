// The iframe fallback page /embed/{org_id}/{event_id}?key=pk_…: the key checked as the API checks it, the page's
// strict policy with frame-ancestors from the key's origins, escaping, and each refusal. (Chromium: test/e2e/embedding.pw.ts.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { FRAME_SCRIPT } from '../../server/services/embed.ts';
import { createWorld, type World } from './helpers/world.ts';

describe('embed page', () => {
  let w: World;
  before(async () => {
    w = await createWorld({}, 1);
  });
  after(() => w.h.close());

  const page = (path: string) => w.h.call(path);

  test('the widgets of the event on a page of their own, under a strict policy that any site may frame', async () => {
    const res = await page(
      `/embed/${w.orgId}/${w.event.id}?key=${w.publishable}&elements=finder,bib-search,gallery,certificate&theme=dark&lang=fr`,
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<title>Spring 10K<\/title>/);
    assert.match(html, /<link rel="stylesheet" href="\/kit\/themes\/dark\.css">/);
    assert.match(html, /<script src="\/kit\/photo-finish\.js"><\/script>/);
    assert.match(
      html,
      new RegExp(
        `<pf-event org="${w.orgId}" event="${w.event.id}" key="${w.publishable}">\\n<pf-finder></pf-finder>\\n<pf-bib-search></pf-bib-search>\\n<pf-gallery paging="button"></pf-gallery>\\n<pf-certificate></pf-certificate>\\n</pf-event>`,
      ),
    );
    const csp = res.headers.get('content-security-policy') ?? '';
    const hash = `'sha256-${createHash('sha256').update(FRAME_SCRIPT).digest('base64')}'`;
    assert.ok(csp.includes(`script-src 'self' ${hash}`), csp);
    assert.match(csp, /frame-ancestors \*$/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('defaults: BIB search and the gallery, auto theme, English', async () => {
    const html = await (await page(`/embed/${w.orgId}/${w.event.id}?key=${w.publishable}`)).text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /themes\/auto\.css/);
    assert.match(html, /<pf-bib-search><\/pf-bib-search>\n<pf-gallery paging="button"><\/pf-gallery>\n<\/pf-event>/);
  });

  test('a key limited to origins: only those sites may frame the page', async () => {
    const res = await page(`/embed/${w.orgId}/${w.event.id}?key=${w.pinned}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors https:\/\/shop\.example$/);
  });

  test('refusals: a secret key (400), a wrong key, org or event (403/404), an unknown element or theme (422)', async () => {
    const cases: [string, number, RegExp][] = [
      [`/embed/${w.orgId}/${w.event.id}?key=${w.secret}`, 400, /publishable key/],
      [`/embed/${w.orgId}/${w.event.id}?key=pk_nope`, 403, /Invalid or inactive publishable key/],
      [`/embed/${w.other.orgId}/${w.other.eventId}?key=${w.publishable}`, 403, /does not belong to this organisation/],
      [`/embed/${w.orgId}/99999?key=${w.publishable}`, 404, /Event 99999 not found/],
      [`/embed/${w.orgId}/${w.plainEvent.id}?key=${w.pinned}`, 403, /not valid for this event/],
      [`/embed/${w.orgId}/${w.event.id}?key=${w.publishable}&elements=gallery,<script>`, 422, /unknown element <script>/],
      [`/embed/${w.orgId}/${w.event.id}?key=${w.publishable}&theme=x"`, 422, /theme/],
      [`/embed/${w.orgId}/${w.event.id}?key=${w.publishable}&lang="><script>`, 422, /lang/],
      [`/embed/${w.orgId}/${w.event.id}`, 422, /key/],
    ];
    for (const [path, status, message] of cases) {
      const res = await page(path);
      const body = await res.text();
      assert.equal(res.status, status, `${path}: ${body}`);
      assert.match(body, message, path);
      // Errors are the API's JSON envelope: nothing of the request is ever rendered as HTML.
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
    }
  });
});
