// `photo-finish certificates import` as an organiser runs it: a real process, a temp DATA_DIR.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { withDataDirSql } from '../../support/sql.ts';

describe('photo-finish certificates import', () => {
  let dataDir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pf-cli-cert-'));
    env = { DATA_DIR: dataDir };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('imports a results CSV with a row report; re-import updates; bad arguments are exit 2, a bad file exit 1', async () => {
    assert.equal((await cli('org', 'create', '--name', 'Club')).code, 0);
    const ev = await cli('event', 'create', '--org', '1', '--name', 'Race', '--json');
    assert.equal(ev.code, 0, ev.stderr);
    const eventId = (JSON.parse(ev.stdout) as { id: number }).id;
    const csv = join(dataDir, 'results.csv');
    writeFileSync(csv, '\uFEFFDossard;Nom complet;Temps\n7;Ann Lee;1:02:03\n8;Bob Ray;soon\n9;Cy Doe;0:59:00\n');

    const first = await cli('certificates', 'import', csv, '--event', String(eventId));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^2 records imported into event \d+ \(2 new, 0 updated, 0 unchanged\); 3 rows read, 1 skipped/);
    assert.match(first.stdout, /error row 3, column Temps: unparseable time "soon"/);

    writeFileSync(csv, 'bib,name,time\n7,Ann Lee-Smith,1:02:03\n');
    const again = await cli('certificates', 'import', csv, '--event', String(eventId), '--replace', '--json');
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout) as { updated: number; removed: number };
    assert.deepEqual([summary.updated, summary.removed], [1, 1]);
    const records = await withDataDirSql(dataDir, (db) =>
      db.all('SELECT bib, name, version FROM certificate_records ORDER BY bib'),
    );
    assert.deepEqual(records, [{ bib: '7', name: 'Ann Lee-Smith', version: 2 }]);

    const [usage, noFile, missing, empty] = await Promise.all([
      cli('certificates', 'export'),
      cli('certificates', 'import', '--event', String(eventId)),
      cli('certificates', 'import', join(dataDir, 'nope.csv'), '--event', String(eventId)),
      (async () => {
        const f = join(dataDir, 'empty.csv');
        writeFileSync(f, '');
        return cli('certificates', 'import', f, '--event', String(eventId));
      })(),
    ]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /use: photo-finish certificates import <file.csv> --event N/);
    assert.equal(noFile.code, 2);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*nope\.csv/);
    assert.equal(empty.code, 1);
    assert.match(empty.stdout, /0 records imported.*\n {2}error row 0: the file is empty/);
  });
});
