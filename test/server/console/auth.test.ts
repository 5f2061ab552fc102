// Console accounts over a real server on loopback: sign-in and the cookie, sessions stored hashed, CSRF on every
// state-changing request made with the cookie, sign-out (one, everywhere), password change, throttling, roles,
// invitations and members.
import assert from 'node:assert/strict';
import { sql } from '../../support/sql.ts';
import { after, before, describe, test } from 'node:test';
import type { AdminEvent, AdminEventList } from '../../../core/api/admin.ts';
import type { CreatedInvitation, InvitationInfo, MemberList, SessionInfo } from '../../../core/api/auth.ts';
import { hashToken } from '../../../server/auth/tokens.ts';
import { Browser, createConsoleWorld, PASSWORD, type ConsoleWorld } from './support.ts';

describe('console sign-in and sessions', () => {
  let w: ConsoleWorld;
  before(async () => {
    w = await createConsoleWorld();
  });
  after(() => w.close());

  test('sign-in sets an HttpOnly SameSite=Lax cookie and answers the user, the orgs and the CSRF token', async () => {
    const b = w.browser();
    const r = await b.login('OWNER@club.example');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.user, { user_id: w.users.owner.id, email: 'owner@club.example', name: 'owner' });
    assert.deepEqual(r.body.data.orgs, [{ org_id: w.orgId, name: 'Console Club', role: 'owner' }]);
    assert.match(r.body.data.csrf_token, /^[\w-]{40,}$/);
    const cookie = b.lastSetCookie!;
    assert.match(cookie, /pf_session=[\w-]{40,}/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/i, 'plain http on loopback: no Secure flag');

    const s = await b.json<SessionInfo>('/api/v1/auth/session');
    assert.equal(s.status, 200);
    assert.equal(s.body.data.csrf_token, r.body.data.csrf_token);

    // Stored hashed: the database never holds the cookie's token.
    const rows = await sql(w.h.deps.store).all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    assert.ok(rows.some((x) => x.token_hash === hashToken(b.cookie!)));
    assert.ok(!rows.some((x) => x.token_hash === b.cookie));
    const hash = (await sql(w.h.deps.store).get<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = ?',
      w.users.owner.id,
    ))!;
    assert.match(hash.password_hash, /^\$argon2id\$v=19\$/);
  });

  test('the cookie is Secure when PUBLIC_URL is https', async () => {
    const { createConsoleWorld: make } = await import('./support.ts');
    const secure = await make({ config: { publicUrl: 'https://photos.example.org' } });
    try {
      const b = secure.browser();
      assert.equal((await b.login('owner@club.example')).status, 200);
      assert.match(b.lastSetCookie!, /Secure/);
    } finally {
      await secure.close();
    }
  });

  test('wrong password and unknown email are the same 401; no session without a cookie', async () => {
    const b = w.browser();
    const wrong = await b.login('viewer@club.example', 'not the password');
    const unknown = await b.login('nobody@club.example', 'not the password');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.message, unknown.body.message);
    assert.equal(b.cookie, null);
    assert.equal((await b.fetch('/api/v1/auth/session')).status, 401);
    const bad = await b.json('/api/v1/auth/login', { method: 'POST', json: { email: 'not-an-email', password: 'x' } });
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /email/);
  });

  test('the admin API accepts the session for reads, and for writes only with the right X-CSRF-Token', async () => {
    const b = w.browser();
    await b.login('admin@club.example');
    const list = await b.json<AdminEventList>(`/api/v1/admin/${w.orgId}/events`);
    assert.equal(list.status, 200);
    assert.equal(list.body.data.events.length, 2);

    const create = (csrf?: string) =>
      b.json<AdminEvent>(`/api/v1/admin/${w.orgId}/events`, {
        method: 'POST',
        csrf: false,
        json: { name: 'Night run' },
        headers: csrf === undefined ? {} : { 'X-CSRF-Token': csrf },
      });
    const none = await create();
    assert.equal(none.status, 403);
    assert.match(none.body.message, /X-CSRF-Token/);
    assert.equal((await create('forged-token-from-another-site')).status, 403);
    const other = w.browser();
    await other.login('owner@club.example');
    assert.equal((await create(other.csrf!)).status, 403, "another session's token is refused");
    const good = await create(b.csrf!);
    assert.equal(good.status, 201);
    assert.equal(good.body.data.name, 'Night run');

    // Sign-out needs the token too (a cross-site page cannot sign you out).
    assert.equal((await b.fetch('/api/v1/auth/logout', { method: 'POST', csrf: false })).status, 403);
  });

  test('a secret key still works, a publishable key never, and nothing at all is 401', async () => {
    const byKey = await fetch(`${w.base}/api/v1/admin/${w.orgId}/events`, { headers: { 'X-API-Key': w.secret } });
    assert.equal(byKey.status, 200);
    const none = await fetch(`${w.base}/api/v1/admin/${w.orgId}/events`);
    assert.equal(none.status, 401);
    const { createApiKey } = await import('../../../server/services/keys.ts');
    const pk = (await createApiKey(w.h.deps.store, w.orgId, { kind: 'publishable' })).key;
    const pub = await fetch(`${w.base}/api/v1/admin/${w.orgId}/events`, { headers: { 'X-API-Key': pk } });
    assert.equal(pub.status, 403);
  });

  test('sign-out ends the session; sign-out everywhere ends them all', async () => {
    const a = w.browser();
    const c = w.browser();
    await a.login('viewer@club.example');
    await c.login('viewer@club.example');
    const token = a.cookie;
    const out = await a.json('/api/v1/auth/logout', { method: 'POST' });
    assert.equal(out.status, 200);
    assert.match(a.lastSetCookie!, /pf_session=;/, 'the cookie is cleared');
    // The old token no longer works even if a browser kept it.
    const stale = new Browser(w.base);
    stale.cookie = token;
    assert.equal((await stale.fetch('/api/v1/auth/session')).status, 401);
    assert.equal((await c.fetch('/api/v1/auth/session')).status, 200, 'the other session goes on');

    const d = w.browser();
    await d.login('viewer@club.example');
    const all = await d.json<{ sessions: number }>('/api/v1/auth/logout-all', { method: 'POST' });
    assert.equal(all.status, 200);
    assert.ok(all.body.data.sessions >= 2);
    assert.equal((await c.fetch('/api/v1/auth/session')).status, 401);
    assert.equal((await c.fetch(`/api/v1/admin/${w.orgId}/events`)).status, 401);
  });

  test('password change needs the current password and ends the other sessions', async () => {
    const a = w.browser();
    const other = w.browser();
    await a.login('admin@club.example');
    await other.login('admin@club.example');
    const wrong = await a.json('/api/v1/auth/password', {
      method: 'POST',
      json: { current_password: 'nope nope', new_password: 'a brand new secret' },
    });
    assert.equal(wrong.status, 403);
    const short = await a.json('/api/v1/auth/password', {
      method: 'POST',
      json: { current_password: PASSWORD, new_password: 'short' },
    });
    assert.equal(short.status, 422);
    const done = await a.json<{ other_sessions_ended: number }>('/api/v1/auth/password', {
      method: 'POST',
      json: { current_password: PASSWORD, new_password: 'a brand new secret' },
    });
    assert.equal(done.status, 200);
    assert.ok(done.body.data.other_sessions_ended >= 1);
    assert.equal((await a.fetch('/api/v1/auth/session')).status, 200, 'this session stays');
    assert.equal((await other.fetch('/api/v1/auth/session')).status, 401, 'the others end');
    assert.equal((await w.browser().login('admin@club.example')).status, 401, 'the old password no longer works');
    assert.equal((await w.browser().login('admin@club.example', 'a brand new secret')).status, 200);
    // Put it back for the other tests.
    await a.json('/api/v1/auth/password', {
      method: 'POST',
      json: { current_password: 'a brand new secret', new_password: PASSWORD },
    });
  });
});

describe('login throttling', () => {
  test('per account: after 5 failures even the right password is 429 until the window passes', async () => {
    let now = Date.parse('2026-12-07T08:00:00Z');
    const w = await createConsoleWorld({ auth: { now: () => now } });
    try {
      const b = w.browser();
      for (let i = 0; i < 5; i++) assert.equal((await b.login('owner@club.example', 'guess ' + i)).status, 401);
      const blocked = await b.login('owner@club.example');
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.res.headers.get('retry-after')) > 0);
      // Another account from the same IP is not blocked by this account's failures.
      assert.equal((await w.browser().login('viewer@club.example')).status, 200);
      now += 15 * 60_000 + 1000;
      assert.equal((await b.login('owner@club.example')).status, 200);
    } finally {
      await w.close();
    }
  });

  test('per IP: many accounts guessed from one address are refused', async () => {
    const w = await createConsoleWorld({ auth: { throttle: { perAccount: 100, perIp: 4, windowMs: 60_000 } } });
    try {
      const b = w.browser();
      for (let i = 0; i < 4; i++) assert.equal((await b.login(`user${i}@club.example`, 'guess')).status, 401);
      assert.equal((await b.login('owner@club.example')).status, 429);
    } finally {
      await w.close();
    }
  });
});

describe('roles', () => {
  let w: ConsoleWorld;
  const as: Record<string, Browser> = {};
  before(async () => {
    w = await createConsoleWorld();
    for (const role of ['owner', 'admin', 'photographer', 'viewer'] as const) {
      as[role] = w.browser();
      assert.equal((await as[role].login(`${role}@club.example`)).status, 200);
    }
  });
  after(() => w.close());
  const ev = (id: number, rest = '') => `/api/v1/admin/${w.orgId}/events/${id}${rest}`;

  test('a photographer sees only their events and cannot change settings or see sales', async () => {
    const p = as.photographer!;
    const list = await p.json<AdminEventList>(`/api/v1/admin/${w.orgId}/events`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.data.events.map((e) => e.event_id),
      [w.event.id],
    );
    assert.equal((await p.fetch(ev(w.event.id))).status, 200);
    assert.equal((await p.fetch(ev(w.otherEvent.id))).status, 403, 'an event not assigned to them');
    const patch = await p.json(ev(w.event.id), { method: 'PATCH', json: { name: 'Renamed' } });
    assert.equal(patch.status, 403);
    assert.match(patch.body.message, /Photographers/);
    assert.equal((await p.fetch(ev(w.event.id, '/checkout'))).status, 403, 'no sales');
    assert.equal((await p.fetch(ev(w.event.id, '/checkout/orders'))).status, 403, 'no orders');
    assert.equal((await p.fetch(`/api/v1/admin/${w.orgId}/keys`)).status, 403);
    assert.equal((await p.fetch(`/api/v1/admin/${w.orgId}/members`)).status, 403);
    assert.equal((await p.json(`/api/v1/admin/${w.orgId}/events`, { method: 'POST', json: { name: 'x' } })).status, 403);
  });

  test('a viewer reads and cannot write', async () => {
    const v = as.viewer!;
    assert.equal((await v.fetch(ev(w.otherEvent.id))).status, 200);
    assert.equal((await v.fetch(ev(w.event.id, '/checkout'))).status, 200);
    assert.equal((await v.fetch(`/api/v1/admin/${w.orgId}/members`)).status, 200);
    assert.equal((await v.json(ev(w.event.id), { method: 'PATCH', json: { name: 'Renamed' } })).status, 403);
    assert.equal((await v.json(`/api/v1/admin/${w.orgId}/events`, { method: 'POST', json: { name: 'x' } })).status, 403);
    assert.equal((await v.json(`/api/v1/admin/${w.orgId}/keys`, { method: 'POST', json: { kind: 'secret' } })).status, 403);
  });

  test('owners and admins change settings; nobody reaches another organisation', async () => {
    const a = as.admin!;
    const patch = await a.json<AdminEvent>(ev(w.event.id), { method: 'PATCH', json: { watermark_text: 'Console' } });
    assert.equal(patch.status, 200);
    assert.equal(patch.body.data.watermark_text, 'Console');
    for (const b of Object.values(as)) {
      assert.equal((await b.fetch(`/api/v1/admin/${w.foreign.orgId}/events`)).status, 403);
      assert.equal((await b.fetch(`/api/v1/admin/${w.orgId}/events/${w.foreign.event.id}`)).status, 403);
    }
  });

  test('invitations by link: only an owner invites an owner; the link signs the new member in once', async () => {
    const o = as.owner!;
    const refused = await as.admin!.json(`/api/v1/admin/${w.orgId}/invitations`, {
      method: 'POST',
      json: { email: 'boss@club.example', role: 'owner' },
    });
    assert.equal(refused.status, 403);
    const inv = await o.json<CreatedInvitation>(`/api/v1/admin/${w.orgId}/invitations`, {
      method: 'POST',
      json: { email: 'Snap@Club.example', role: 'photographer', event_ids: [w.otherEvent.id] },
    });
    assert.equal(inv.status, 201);
    const token = inv.body.data.url.split('/console/#/invite/')[1]!;
    assert.ok(inv.body.data.url.startsWith(`${w.base}/console/#/invite/`));
    const info = await fetch(`${w.base}/api/v1/auth/invitations/${token}`);
    assert.deepEqual(((await info.json()) as { data: InvitationInfo }).data, {
      org_name: 'Console Club',
      email: 'snap@club.example',
      role: 'photographer',
    });
    const listed = await o.json<{ invitations: { invitation_id: number; accepted_at: string | null }[] }>(
      `/api/v1/admin/${w.orgId}/invitations`,
    );
    assert.ok(!JSON.stringify(listed.body.data).includes(token), 'the list never shows the link');

    const snap = w.browser();
    const accepted = await snap.json<SessionInfo>(`/api/v1/auth/invitations/${token}/accept`, {
      method: 'POST',
      json: { name: 'Snap', password: 'photographer pass' },
    });
    assert.equal(accepted.status, 200);
    assert.deepEqual(accepted.body.data.orgs, [{ org_id: w.orgId, name: 'Console Club', role: 'photographer' }]);
    snap.csrf = accepted.body.data.csrf_token;
    const mine = await snap.json<AdminEventList>(`/api/v1/admin/${w.orgId}/events`);
    assert.deepEqual(
      mine.body.data.events.map((e) => e.event_id),
      [w.otherEvent.id],
    );
    const again = await w.browser().json(`/api/v1/auth/invitations/${token}/accept`, {
      method: 'POST',
      json: { name: 'Snap', password: 'photographer pass' },
    });
    assert.equal(again.status, 410);
    assert.equal((await fetch(`${w.base}/api/v1/auth/invitations/not-a-token`)).status, 404);
  });

  test('an existing account joins a second organisation by invitation (its own password), and sees both', async () => {
    const inv = await fetch(`${w.base}/api/v1/admin/${w.foreign.orgId}/invitations`, {
      method: 'POST',
      headers: { 'X-API-Key': w.foreign.secret, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@club.example', role: 'viewer' }),
    });
    assert.equal(inv.status, 201);
    const token = ((await inv.json()) as { data: CreatedInvitation }).data.url.split('/invite/')[1]!;
    const b = w.browser();
    const wrong = await b.json(`/api/v1/auth/invitations/${token}/accept`, {
      method: 'POST',
      json: { name: 'Admin', password: 'not my password' },
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.message, /already has an account/);
    const ok = await b.json<SessionInfo>(`/api/v1/auth/invitations/${token}/accept`, {
      method: 'POST',
      json: { name: 'Admin', password: PASSWORD },
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(
      ok.body.data.orgs.map((o) => [o.org_id, o.role]),
      [
        [w.orgId, 'admin'],
        [w.foreign.orgId, 'viewer'],
      ],
    );
    assert.equal((await b.fetch(`/api/v1/admin/${w.foreign.orgId}/events`)).status, 200);
  });

  test('members: roles change, the last owner stays, only owners touch owners', async () => {
    const members = await as.admin!.json<MemberList>(`/api/v1/admin/${w.orgId}/members`);
    assert.equal(members.status, 200);
    assert.ok(members.body.data.members.some((m) => m.role === 'owner' && m.user_id === w.users.owner.id));
    const path = (id: number) => `/api/v1/admin/${w.orgId}/members/${id}`;
    assert.equal((await as.admin!.json(path(w.users.owner.id), { method: 'PATCH', json: { role: 'viewer' } })).status, 403);
    const last = await as.owner!.json(path(w.users.owner.id), { method: 'PATCH', json: { role: 'admin' } });
    assert.equal(last.status, 409);
    const promote = await as.admin!.json(path(w.users.viewer.id), {
      method: 'PATCH',
      json: { role: 'photographer', event_ids: [w.event.id] },
    });
    assert.equal(promote.status, 200);
    assert.deepEqual((promote.body.data as { event_ids: number[] }).event_ids, [w.event.id]);
    // The new role holds at once for the member's existing session.
    assert.equal((await as.viewer!.fetch(ev(w.otherEvent.id))).status, 403);
    await as.admin!.json(path(w.users.viewer.id), { method: 'PATCH', json: { role: 'viewer' } });
    assert.equal((await as.admin!.json(path(w.users.owner.id), { method: 'DELETE' })).status, 403);
    assert.equal((await as.owner!.json(path(w.users.owner.id), { method: 'DELETE' })).status, 409);
  });
});
