// First run without a programmer: `photo-finish user create` (a real CLI process) and the demo seed's owner.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SessionInfo } from '../../../core/api/auth.ts';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { demoFile, seedDemo, type DemoInfo } from '../../../server/seed/demo.ts';
import { passwordStamp } from '../../../server/seed/demo-owner.ts';
import { createHarness, json } from '../../support/harness.ts';
import { runCli } from '../helpers/cli.ts';

describe('photo-finish user create', () => {
  let dataDir: string;
  const cli = (...args: string[]) => runCli(args, { DATA_DIR: dataDir });
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pf-user-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('creates an owner who can sign in; a second account with the email is refused; bad input is exit 2', async () => {
    assert.equal((await cli('org', 'create', '--name', 'Harbour Runners')).code, 0);
    const made = await cli(
      'user',
      'create',
      '--org',
      '1',
      '--email',
      'Ana@Harbour.example',
      '--password',
      'sea breeze 2026',
      '--role',
      'owner',
      '--json',
    );
    assert.equal(made.code, 0, made.stderr);
    const user = JSON.parse(made.stdout) as { user_id: number; email: string; role: string };
    assert.equal(user.email, 'ana@harbour.example');
    assert.equal(user.role, 'owner');

    const again = await cli(
      'user',
      'create',
      '--org',
      '1',
      '--email',
      'ana@harbour.example',
      '--password',
      'another one 1',
      '--role',
      'viewer',
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    const [role, short, noOrg, events] = await Promise.all([
      cli('user', 'create', '--org', '1', '--email', 'b@harbour.example', '--password', 'long enough', '--role', 'boss'),
      cli('user', 'create', '--org', '1', '--email', 'b@harbour.example', '--password', 'short', '--role', 'viewer'),
      cli('user', 'create', '--org', '9', '--email', 'b@harbour.example', '--password', 'long enough', '--role', 'viewer'),
      cli(
        'user',
        'create',
        '--org',
        '1',
        '--email',
        'b@harbour.example',
        '--password',
        'long enough',
        '--role',
        'viewer',
        '--events',
        '1',
      ),
    ]);
    assert.equal(role.code, 2);
    assert.match(role.stderr, /--role: must be one of owner, admin, photographer, viewer/);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /--password: must be at least 8 characters/);
    assert.equal(noOrg.code, 1);
    assert.match(noOrg.stderr, /organisation 9 not found/);
    assert.equal(events.code, 2);
    const listed = await cli('user', 'list', '--org', '1');
    assert.match(listed.stdout, /ana@harbour\.example\towner/);

    // The account signs in on a server over the same DATA_DIR.
    const h = createHarness({ config: { dataDir } });
    try {
      const res = await h.call('/api/v1/auth/login', { body: { email: 'ana@harbour.example', password: 'sea breeze 2026' } });
      assert.equal(res.status, 200);
      assert.deepEqual((await json<SessionInfo>(res)).data.orgs, [{ org_id: 1, name: 'Harbour Runners', role: 'owner' }]);
    } finally {
      await h.close();
    }
  });
});

test('the demo seed creates a console owner whose password it reports, once', async () => {
  const h = createHarness();
  try {
    const seed = () =>
      seedDemo({
        store: h.deps.store,
        blobs: h.deps.blobs,
        certificates: h.deps.certificates,
        dataDir: h.dir,
        baseUrl: 'http://127.0.0.1',
        count: 1,
      });
    const first = await seed();
    assert.ok(first.info.owner_email && first.info.owner_password);
    const res = await h.call('/api/v1/auth/login', {
      body: { email: first.info.owner_email, password: first.info.owner_password },
    });
    assert.equal(res.status, 200);
    const session = (await json<SessionInfo>(res)).data;
    // The demo organisation, and the metered one of the credits demo (docs/credits.md), both owned by the demo owner.
    assert.deepEqual(
      session.orgs.map((o) => [o.org_id, o.role]),
      [
        [first.info.org_id, 'owner'],
        [first.info.credits_org_id, 'owner'],
      ],
    );
    assert.equal(session.operator, true, 'the demo owner is a server operator');
    const metered = first.info.credits_org_id!;
    assert.equal((await h.deps.store.credits.account(metered)).plan, 'payg');
    assert.equal((await h.deps.store.credits.account(first.info.org_id)).plan, 'unlimited', 'the demo itself is not metered');
    assert.equal(await h.deps.store.credits.balance(metered), 200);
    const second = await seed();
    assert.equal(second.created, false);
    assert.equal(second.info.owner_password, first.info.owner_password, 'the same owner, still printed');
    assert.equal(second.info.credits_org_id, metered);
    assert.equal(await h.deps.store.credits.balance(metered), 200, 'the free credits are granted once');
    assert.equal((await h.deps.store.auth.listMembers(first.info.org_id)).length, 1);
  } finally {
    await h.close();
  }
});

test("a restart knows the demo owner's password is current from a stamp in demo.json, without hashing it", async () => {
  const h = createHarness();
  try {
    const seed = () =>
      seedDemo({
        store: h.deps.store,
        blobs: h.deps.blobs,
        certificates: h.deps.certificates,
        dataDir: h.dir,
        baseUrl: 'http://127.0.0.1',
        count: 1,
      });
    const read = () => JSON.parse(readFileSync(demoFile(h.dir), 'utf8')) as DemoInfo;
    const write = (info: DemoInfo) => writeFileSync(demoFile(h.dir), JSON.stringify(info));
    const first = await seed();
    const owner = (await h.deps.store.auth.findUserByEmail(first.info.owner_email!))!;
    assert.equal(read().owner_password_stamp, passwordStamp(owner.password_hash), 'the stamp of the stored hash');
    assert.equal((await seed()).info.owner_password, first.info.owner_password);

    // The stamp is what a restart compares: with a stamp of another hash, the (right) password is no longer printed.
    write({ ...read(), owner_password_stamp: passwordStamp('$argon2id$another') });
    const stale = await seed();
    assert.equal(stale.info.owner_password, undefined);
    assert.equal(read().owner_password, undefined, 'demo.json forgets it too');

    // A demo.json from before the stamp: argon2 checks the password once, and the stamp is written.
    write({ ...read(), owner_password: first.info.owner_password, owner_password_stamp: undefined });
    assert.equal((await seed()).info.owner_password, first.info.owner_password);
    assert.equal(read().owner_password_stamp, passwordStamp(owner.password_hash));

    // Changed in the console (even to the same password: a new salt, a new hash): not printed any more.
    await h.deps.store.auth.setPassword(owner.id, await hashPassword(first.info.owner_password!));
    const changed = await seed();
    assert.equal(changed.info.owner_password, undefined);
    assert.equal(changed.info.owner_email, first.info.owner_email);
  } finally {
    await h.close();
  }
});
