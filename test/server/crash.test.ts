// Crash safety: SIGKILL the CLI in the middle of an ingest, re-run it, and every photo is there exactly
// once, every stored file is referenced, and the database's integrity checks pass (SQLite or PostgreSQL).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startCli } from './helpers/cli.ts';
import { makeJpeg } from './helpers/photos.ts';
import { withDataDirSql } from '../support/sql.ts';

const PHOTOS = 24;
let dataDir: string;
let folder: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pf-crash-'));
  folder = join(dataDir, 'incoming');
  mkdirSync(folder);
  for (let i = 0; i < PHOTOS; i++) {
    writeFileSync(
      join(folder, `img-${String(i).padStart(3, '0')}.jpg`),
      await makeJpeg({ seed: 3000 + i, width: 1200, height: 800 }),
    );
  }
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

const count = async (): Promise<number> => {
  try {
    return (await withDataDirSql(dataDir, async (db) => Number(await db.value('SELECT count(*) FROM images')))) ?? 0;
  } catch {
    return 0; // not migrated yet
  }
};

test('SIGKILL mid-ingest, restart, re-run: every photo exactly once, integrity ok', async () => {
  const env = { DATA_DIR: dataDir };
  assert.equal((await runCli(['org', 'create', '--name', 'Crash club'], env)).code, 0);
  assert.equal((await runCli(['event', 'create', '--org', '1', '--name', 'Crash race', '--watermark', 'PROOF'], env)).code, 0);

  const child = startCli(['ingest', folder, '--event', '1', '--concurrency', '2'], env);
  let killedAt = -1;
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('close', (_code, signal) => done(signal)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const n = await count();
    if (n >= 4) {
      child.kill('SIGKILL');
      killedAt = n;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(await exited, 'SIGKILL');
  const afterKill = await count();
  assert.ok(killedAt >= 4, 'the ingest was under way');
  assert.ok(afterKill < PHOTOS, `killed in the middle (${afterKill} of ${PHOTOS} stored)`);

  const rerun = await runCli(['ingest', folder, '--event', '1', '--json'], env);
  assert.equal(rerun.code, 0, rerun.stderr);
  const report = JSON.parse(rerun.stdout) as { added: number; duplicate: number; failed: number };
  assert.equal(report.failed, 0);
  assert.equal(report.added + report.duplicate, PHOTOS);
  assert.equal(report.duplicate, afterKill, 'what was committed before the kill is skipped');

  await withDataDirSql(dataDir, async (db) => {
    assert.deepEqual(await db.integrityProblems(), []);
    const rows = await db.all<{ original_name: string; original_key: string }>(
      'SELECT id, original_name, original_key FROM images ORDER BY original_name',
    );
    assert.equal(rows.length, PHOTOS);
    assert.deepEqual(
      rows.map((r) => r.original_name),
      readdirSync(folder).sort(),
      'each photo exactly once',
    );
    const renditions = Number(await db.value('SELECT count(*) FROM renditions'));
    assert.equal(renditions, PHOTOS * 3);
    const keys = new Set([
      ...rows.map((r) => r.original_key),
      ...(await db.all<{ blob_key: string }>('SELECT blob_key FROM renditions')).map((r) => r.blob_key),
    ]);
    const blobRoot = join(dataDir, 'blobs');
    for (const k of keys) assert.ok(existsSync(join(blobRoot, k)), `missing blob ${k}`);
    // A kill between a temp write and its rename can leave a *.tmp file; nothing else is unreferenced.
    const stray = readdirSync(blobRoot, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(blobRoot, join(e.parentPath, e.name)))
      .filter((k) => !keys.has(k) && !k.endsWith('.tmp'));
    assert.deepEqual(stray, []);
  });
});
