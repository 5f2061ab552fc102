// The real CLI in child processes: `plan set`, `credits grant`, `operator create`, and a metered ingest killed with
// SIGKILL in the middle and re-run: every photo is charged exactly once (one usage row per photo, the balance down by
// the number of photos), and photos that waited for credits are processed by `credits grant`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseFor, onPostgres } from '../../support/postgres.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { makeJpeg } from '../helpers/photos.ts';

const PHOTOS = 16;
let dataDir: string;
let folder: string;
let env: Record<string, string>;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pf-credits-cli-'));
  folder = join(dataDir, 'incoming');
  mkdirSync(folder);
  for (let i = 0; i < PHOTOS + 4; i++) {
    writeFileSync(
      join(i < PHOTOS ? folder : dataDir, `img-${String(i).padStart(3, '0')}.jpg`),
      await makeJpeg({ seed: 5000 + i, width: 1000, height: 700 }),
    );
  }
  env = { DATA_DIR: dataDir };
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Reads the CLI's database as it is now (the SQLite file, or the DATA_DIR's PostgreSQL database). */
const query = async <T>(sql: string): Promise<T[]> => {
  if (onPostgres) {
    const client = new pg.Client({ connectionString: databaseFor(dataDir)! });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } catch {
      return [];
    } finally {
      await client.end();
    }
  }
  const file = join(dataDir, 'photo-finish.sqlite');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } catch {
    return [];
  } finally {
    db.close();
  }
};
const charged = async () =>
  Number((await query<{ n: number }>("SELECT count(*) n FROM credit_ledger WHERE type = 'usage'"))[0]?.n ?? 0);

test('CLI: plan set, credits grant and operator create; bad arguments exit 2', async () => {
  assert.equal((await runCli(['org', 'create', '--name', 'Metered club'], env)).code, 0);
  assert.equal((await runCli(['event', 'create', '--org', '1', '--name', 'Metered race'], env)).code, 0);
  const bad = await runCli(['plan', 'set', '--org', '1', '--plan', 'gold'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--plan must be one of unlimited, trial, payg, pro, enterprise/);
  assert.equal((await runCli(['credits', 'grant', '--org', '1', '--credits', 'ten'], env)).code, 2);
  assert.equal((await runCli(['credits', 'grant', '--org', '1', '--credits', '5', '--type', 'gift'], env)).code, 2);
  const missing = await runCli(['credits', 'grant', '--org', '99', '--credits', '5'], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Organisation 99 not found/);

  const plan = await runCli(['plan', 'set', '--org', '1', '--plan', 'payg', '--expires', '2099-06-30', '--json'], env);
  assert.equal(plan.code, 0, plan.stderr);
  const p = JSON.parse(plan.stdout) as { plan: string; expires_at: string };
  assert.equal(p.plan, 'payg');
  assert.equal(p.expires_at, '2099-07-01T00:00:00.000Z', 'the end of that day in the organisation time zone (UTC)');
  const grant = await runCli(['credits', 'grant', '--org', '1', '--credits', `${PHOTOS}`, '--type', 'free', '--json'], env);
  assert.equal(grant.code, 0, grant.stderr);
  assert.equal((JSON.parse(grant.stdout) as { balance: number }).balance, PHOTOS);

  const op = await runCli(
    ['operator', 'create', '--email', 'op@example.org', '--password', 'operator password 1', '--json'],
    env,
  );
  assert.equal(op.code, 0, op.stderr);
  assert.equal((JSON.parse(op.stdout) as { created: boolean }).created, true);
  const again = await runCli(['operator', 'create', '--email', 'op@example.org'], env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /was already a server operator/);
  assert.equal((await runCli(['operator', 'create', '--email', 'new@example.org'], env)).code, 2, 'a new user needs --password');
});

test('a metered ingest killed with SIGKILL and re-run charges every photo exactly once', async () => {
  const child = startCli(['ingest', folder, '--event', '1', '--concurrency', '2'], env);
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('close', (_code, signal) => done(signal)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await charged()) < 3) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const atKill = await charged();
  assert.ok(atKill >= 3 && atKill < PHOTOS, `killed in the middle (${atKill} of ${PHOTOS} charged)`);

  const rerun = await runCli(['ingest', folder, '--event', '1', '--json'], env);
  assert.equal(rerun.code, 0, rerun.stderr);
  const images = await query<{ id: string; state: string }>('SELECT id, state FROM images');
  assert.equal(images.length, PHOTOS);
  assert.ok(images.every((i) => i.state === 'ready'));
  const usage = await query<{ image_id: string; delta: number }>(
    "SELECT image_id, delta FROM credit_ledger WHERE type = 'usage'",
  );
  assert.equal(usage.length, PHOTOS, 'one usage row per photo');
  assert.deepEqual(new Set(usage.map((u) => u.image_id)), new Set(images.map((i) => i.id)));
  assert.equal(
    Number((await query<{ b: number }>('SELECT sum(delta) b FROM credit_ledger WHERE org_id = 1'))[0]!.b),
    0,
    'balance 16 - 16',
  );

  // Out of credits: the next photos wait; `credits grant` processes them before it returns.
  const more = join(dataDir, 'more');
  mkdirSync(more);
  for (let i = PHOTOS; i < PHOTOS + 4; i++) {
    const name = `img-${String(i).padStart(3, '0')}.jpg`;
    writeFileSync(join(more, name), (await import('node:fs')).readFileSync(join(dataDir, name)));
  }
  const waiting = await runCli(['ingest', more, '--event', '1', '--json'], env);
  assert.equal(waiting.code, 0, waiting.stderr);
  assert.equal(Number((await query<{ n: number }>("SELECT count(*) n FROM images WHERE state = 'waiting_credits'"))[0]!.n), 4);
  const grant = await runCli(['credits', 'grant', '--org', '1', '--credits', '3', '--json'], env);
  assert.equal(grant.code, 0, grant.stderr);
  const g = JSON.parse(grant.stdout) as { processed: number; waiting_photos: number; balance: number };
  assert.deepEqual([g.processed, g.waiting_photos, g.balance], [3, 1, 0]);
  const show = await runCli(['credits', 'show', '--org', '1'], env);
  assert.equal(show.code, 0);
  assert.match(show.stdout, /Pay As You Go .*balance 0 credits, 1 per photo, 1 photos waiting/);
});
