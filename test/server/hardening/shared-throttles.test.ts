// Throttles shared by replicas (issue 16): two apps (two composition roots, two listening servers) over one database
// — the SQLite file of one DATA_DIR, or one PostgreSQL database with PF_TEST_STORE=postgres — count the same failed
// sign-ins and the same wrong page passwords, so a client spreading its guesses over both gets no more of them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../../server/services/keys.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { Browser, createConsoleWorld, PASSWORD, type ConsoleWorld } from '../console/support.ts';

describe('throttles shared by two replicas over one database', () => {
  let now = Date.parse('2026-12-07T08:00:00Z');
  let w: ConsoleWorld;
  let other: Harness;
  let baseB: string;
  before(async () => {
    const throttle = { perAccount: 4, perIp: 1000, windowMs: 60_000 };
    w = await createConsoleWorld({ auth: { throttle, now: () => now } });
    // Replica B: its own deps and server over replica A's data (same database, same blobs).
    other = createHarness({ config: { dataDir: w.h.dir }, auth: { throttle, now: () => now } });
    baseB = (await other.listen()).url;
  });
  after(async () => {
    await other?.close();
    await w?.close();
  });

  test('failed sign-ins split between the replicas lock the account at the limit, on both', async () => {
    const a = w.browser();
    const b = new Browser(baseB);
    for (let i = 0; i < 4; i++) {
      const r = await (i % 2 ? b : a).login('admin@club.example', `guess ${i}`);
      assert.equal(r.status, 401, `failure ${i + 1} on replica ${i % 2 ? 'B' : 'A'}`);
    }
    for (const [name, browser] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const blocked = await browser.login('admin@club.example');
      assert.equal(blocked.status, 429, `locked on replica ${name}, even with the right password`);
      assert.equal(blocked.body.responseType, 'error');
      assert.match(blocked.body.message, /Too many failed sign-ins: try again in \d+ s/);
      const wait = Number(blocked.res.headers.get('retry-after'));
      assert.ok(wait > 0 && wait <= 60, `Retry-After ${wait}`);
    }
    // The window passes: the right password works on B, and that success clears the account's count for A too.
    now += 61_000;
    assert.equal((await b.login('admin@club.example')).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await a.login('admin@club.example', `again ${i}`)).status, 401);
    assert.equal((await b.login('admin@club.example', PASSWORD)).status, 200, 'three failures since the success: not locked');
  });

  test('wrong page passwords split between the replicas: the 11th in a minute is 429 on either', async () => {
    const { store } = w.h.deps;
    const event = await store.events.create(w.orgId, { name: 'Protected 10K' });
    await w.h.call(`/api/v1/admin/${w.orgId}/events/${event.id}`, {
      key: w.secret,
      method: 'PATCH',
      body: { visibility: 'public', status: 'active', page_password: 'blue-river' },
    });
    const key = (await createApiKey(store, w.orgId, { kind: 'publishable' })).key;
    const guess = (base: string, password: string) =>
      fetch(`${base}/api/v1/ext/${w.orgId}/event/${event.id}/access`, {
        method: 'POST',
        headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
        body: JSON.stringify({ password }),
      });
    for (let i = 0; i < 10; i++) {
      const r = await guess(i % 2 ? baseB : w.base, `wrong ${i}`);
      assert.equal(r.status, 401, `wrong password ${i + 1}`);
    }
    for (const base of [w.base, baseB]) {
      const r = await guess(base, 'wrong again');
      assert.equal(r.status, 429);
      const body = (await r.json()) as { responseType: string; message: string };
      assert.equal(body.responseType, 'error');
      assert.match(body.message, /Too many wrong passwords: retry in \d+ s/);
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
  });
});
