// Crash safety: SIGKILL the CLI in the middle of an ingest, re-run it, and every photo is there exactly
// once, every stored file is referenced, and SQLite's integrity check passes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, startCli } from './helpers/cli.ts';
import { makeJpeg } from './helpers/photos.ts';

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

const count = (file: string): number => {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) n FROM images').get() as { n: number }).n;
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
};

test('SIGKILL mid-ingest, restart, re-run: every photo exactly once, integrity ok', async () => {
  const env = { DATA_DIR: dataDir };
  assert.equal((await runCli(['org', 'create', '--name', 'Crash club'], env)).code, 0);
  assert.equal((await runCli(['event', 'create', '--org', '1', '--name', 'Crash race', '--watermark', 'PROOF'], env)).code, 0);

  const dbFile = join(dataDir, 'photo-finish.sqlite');
  const child = startCli(['ingest', folder, '--event', '1', '--concurrency', '2'], env);
  let killedAt = -1;
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('close', (_code, signal) => done(signal)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const n = count(dbFile);
    if (n >= 4) {
      child.kill('SIGKILL');
      killedAt = n;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(await exited, 'SIGKILL');
  const afterKill = count(dbFile);
  assert.ok(killedAt >= 4, 'the ingest was under way');
  assert.ok(afterKill < PHOTOS, `killed in the middle (${afterKill} of ${PHOTOS} stored)`);

  const rerun = await runCli(['ingest', folder, '--event', '1', '--json'], env);
  assert.equal(rerun.code, 0, rerun.stderr);
  const report = JSON.parse(rerun.stdout) as { added: number; duplicate: number; failed: number };
  assert.equal(report.failed, 0);
  assert.equal(report.added + report.duplicate, PHOTOS);
  assert.equal(report.duplicate, afterKill, 'what was committed before the kill is skipped');

  const db = new Database(dbFile, { readonly: true });
  try {
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const rows = db.prepare('SELECT id, original_name, original_key FROM images ORDER BY original_name').all() as {
      original_name: string;
      original_key: string;
    }[];
    assert.equal(rows.length, PHOTOS);
    assert.deepEqual(
      rows.map((r) => r.original_name),
      readdirSync(folder).sort(),
      'each photo exactly once',
    );
    const renditions = (db.prepare('SELECT count(*) n FROM renditions').get() as { n: number }).n;
    assert.equal(renditions, PHOTOS * 3);
    const keys = new Set([
      ...rows.map((r) => r.original_key),
      ...(db.prepare('SELECT blob_key FROM renditions').all() as { blob_key: string }[]).map((r) => r.blob_key),
    ]);
    const blobRoot = join(dataDir, 'blobs');
    for (const k of keys) assert.ok(existsSync(join(blobRoot, k)), `missing blob ${k}`);
    // A kill between a temp write and its rename can leave a *.tmp file; nothing else is unreferenced.
    const stray = readdirSync(blobRoot, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(blobRoot, join(e.parentPath, e.name)))
      .filter((k) => !keys.has(k) && !k.endsWith('.tmp'));
    assert.deepEqual(stray, []);
  } finally {
    db.close();
  }
});
