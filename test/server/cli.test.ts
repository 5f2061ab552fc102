// The `photo-finish` CLI as an organiser runs it: real processes, a temp DATA_DIR, exit codes and messages.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './helpers/cli.ts';
import { withDataDirSql } from '../support/sql.ts';
import { writeMixedFolder } from './helpers/photos.ts';

describe('photo-finish CLI', () => {
  let dataDir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pf-cli-'));
    env = { DATA_DIR: dataDir };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('--help lists the commands; an unknown command or option is exit 2 with a clear message', async () => {
    const [help, unknown, option, missing] = await Promise.all([
      cli('--help'),
      cli('frobnicate'),
      cli('org', 'create', '--name', 'x', '--colour', 'red'),
      cli('org', 'create'),
    ]);
    assert.equal(help.code, 0);
    for (const cmd of ['org create', 'key create', 'key list', 'event create', 'ingest <folder>', 'seed-demo', 'serve']) {
      assert.ok(help.stdout.includes(cmd), cmd);
    }
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^photo-finish: unknown command: frobnicate/);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown option '--colour'/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--name is required/);
  });

  test('org, event and keys, stored under DATA_DIR', async () => {
    const org = await cli('org', 'create', '--name', 'Harbour Runners', '--json');
    assert.equal(org.code, 0, org.stderr);
    const orgId = (JSON.parse(org.stdout) as { id: number }).id;

    const badEvent = await cli(
      'event',
      'create',
      '--org',
      String(orgId),
      '--name',
      'Harbour 10K',
      '--tz',
      'Harbour/Town',
      '--date',
      '2026-13-01',
    );
    assert.equal(badEvent.code, 2);
    assert.match(badEvent.stderr, /--date: must be a date YYYY-MM-DD.*; --tz: must be an IANA time zone/);

    const event = await cli(
      'event',
      'create',
      '--org',
      String(orgId),
      '--name',
      'Harbour 10K',
      '--tz',
      'Europe/Lisbon',
      '--date',
      '2026-05-03T09:30',
    );
    assert.equal(event.code, 0, event.stderr);
    assert.match(event.stdout, /^event \d+ created: Harbour 10K on 2026-05-03T09:30:00 \(Europe\/Lisbon\)/);

    const secret = await cli('key', 'create', '--org', String(orgId), '--label', 'uploader');
    assert.equal(secret.code, 0);
    const full = /\n {2}(sk_[\w-]+)\n/.exec(secret.stdout)?.[1];
    assert.ok(full, secret.stdout);

    const pub = await cli(
      'key',
      'create',
      '--org',
      String(orgId),
      '--publishable',
      '--events',
      '1',
      '--origins',
      'https://Harbour.example',
      '--json',
    );
    assert.equal(pub.code, 0, pub.stderr);
    const created = JSON.parse(pub.stdout) as { key: string; kind: string; origins: string[]; event_ids: number[] };
    assert.equal(created.kind, 'publishable');
    assert.deepEqual(created.origins, ['https://harbour.example']);
    assert.deepEqual(created.event_ids, [1]);

    const list = await cli('key', 'list', '--org', String(orgId));
    assert.equal(list.code, 0);
    assert.ok(!list.stdout.includes(full!) && !list.stdout.includes(created.key), 'keys are never listed in full');
    assert.match(list.stdout, /sk_[\w-]{5}\*\*\*\tsecret\tactive\tuploader/);
    assert.match(list.stdout, /pk_[\w-]{5}\*\*\*\tpublishable\tactive\t\tevents 1\torigins https:\/\/harbour\.example/);

    assert.equal(await withDataDirSql(dataDir, async (db) => Number(await db.value('SELECT count(*) FROM api_keys'))), 2);
  });

  test('bad key arguments: exit 2; unknown organisation: exit 1', async () => {
    const [origins, badOrigin, badOrg, noOrg] = await Promise.all([
      cli('key', 'create', '--org', '1', '--origins', 'https://a.example'),
      cli('key', 'create', '--org', '1', '--publishable', '--origins', 'not a url'),
      cli('key', 'list', '--org', 'one'),
      cli('key', 'create', '--org', '77'),
    ]);
    assert.equal(origins.code, 2);
    assert.match(origins.stderr, /publishable keys only: add --publishable/);
    assert.equal(badOrigin.code, 2);
    assert.match(badOrigin.stderr, /"not a url" is not a web origin/);
    assert.equal(badOrg.code, 2);
    assert.match(badOrg.stderr, /--org must be a positive whole number, not "one"/);
    assert.equal(noOrg.code, 1);
    assert.match(noOrg.stderr, /organisation 77 not found/);
  });

  test('ingest a folder: good photos in, each bad file named, exit 3; a re-run skips what is done', async () => {
    const folder = join(dataDir, '..', `${join(dataDir).split('/').pop()}-photos`);
    const made = await writeMixedFolder(folder, 3);
    writeFileSync(join(dataDir, 'bibs.csv'), 'file,bib\nrace-001.jpg,11\nrace-002.jpg,oops!\nmissing.jpg,12\n');
    try {
      const first = await cli('ingest', folder, '--event', '1', '--bibs', join(dataDir, 'bibs.csv'), '--concurrency', '2');
      assert.equal(first.code, 3, first.stderr);
      assert.match(first.stdout, /3 added, 1 already there, 4 failed \(of 8\)/);
      for (const bad of made.bad) assert.match(first.stdout, new RegExp(`^  ${bad.replace('.', '\\.')}: `, 'm'));
      assert.match(first.stderr, /bibs\.csv:3: bib "oops!" for race-002\.jpg: a bib has only letters and digits/);
      assert.match(first.stderr, /missing\.jpg is not in/);
      assert.match(first.stderr, /8\/8 \(100%\) · [\d.]+ photos\/s · ETA 0s/);

      const again = await cli('ingest', folder, '--event', '1', '--json');
      assert.equal(again.code, 3);
      const report = JSON.parse(again.stdout) as { added: number; duplicate: number; failures: { name: string }[] };
      assert.equal(report.added, 0);
      assert.equal(report.duplicate, 4);
      assert.deepEqual(report.failures.map((f) => f.name).sort(), made.bad);

      const [noEvent, noFolder, noFlag] = await Promise.all([
        cli('ingest', folder, '--event', '99'),
        cli('ingest', join(folder, 'nope'), '--event', '1'),
        cli('ingest', folder),
      ]);
      assert.equal(noEvent.code, 1);
      assert.match(noEvent.stderr, /event 99 not found/);
      assert.equal(noFolder.code, 2);
      assert.match(noFolder.stderr, /is not a folder/);
      assert.equal(noFlag.code, 2);
      assert.match(noFlag.stderr, /--event is required/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
