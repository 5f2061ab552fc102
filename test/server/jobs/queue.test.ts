// The JobQueue contract, run against both adapters: SQLite (the jobs table, in-process) and pg-boss on a real
// PostgreSQL cluster started by the test. Delivery, keys, retries with backoff, dead letters and their retry, and
// a job whose process stopped mid-way delivered again to another process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PgBossQueue } from '../../../server/jobs/pgboss.ts';
import { SqliteJobQueue } from '../../../server/jobs/sqlite.ts';
import type { JobQueue } from '../../../server/jobs/types.ts';
import { createLogger } from '../../../server/log.ts';
import { openDb, type Db } from '../../../server/store/sqlite/db.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../support/pg-cluster.ts';

const log = createLogger(process.env.JOBS_TEST_LOG === '1' ? 'debug' : 'silent');

interface Engine {
  name: string;
  /** A new queue on the shared database (another "process"); `lease`: seconds before a dead job is delivered again. */
  open(lease?: number): JobQueue;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

function sqliteEngine(): Engine {
  let dir = '';
  const dbs: Db[] = [];
  return {
    name: 'sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'pf-jobs-'));
    },
    open(lease = 900) {
      const db = openDb(join(dir, 'jobs.sqlite'));
      dbs.push(db);
      return new SqliteJobQueue({ db, log, leaseSeconds: lease, pollMs: 50 });
    },
    async teardown() {
      for (const db of dbs) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgEngine(): Engine {
  let cluster: PgCluster | null = null;
  return {
    name: 'pg-boss',
    async setup() {
      cluster = await startPgCluster();
    },
    open(lease = 900) {
      return new PgBossQueue({
        connectionString: cluster!.url,
        log,
        timeoutSeconds: lease,
        maintenanceSeconds: 1,
        pollSeconds: 0.5,
        poolSize: 2,
      });
    },
    async teardown() {
      cluster?.stop();
    },
  };
}

/** Resolves when `check` holds (polled on state; the test's own timeout bounds it). */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const engine of [sqliteEngine(), pgEngine()]) {
  const skip = engine.name === 'pg-boss' && !postgresAvailable() && !process.env.CI ? 'PostgreSQL binaries not installed' : false;
  describe(`JobQueue on ${engine.name}`, { skip, timeout: 120_000 }, () => {
    const queues: JobQueue[] = [];
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    const open = (lease?: number) => {
      const q = engine.open(lease);
      queues.push(q);
      return q;
    };
    before(() => engine.setup());
    after(async () => {
      release();
      for (const q of queues) await q.close();
      await engine.teardown();
    });

    test('a job runs once with its payload; its output is kept; a key queues it once', async () => {
      const q = open();
      const seen: string[] = [];
      q.register('video.clip', async (p) => {
        seen.push(p.request_id);
        return { clips: p.request_id.length };
      });
      const a = await q.enqueue('video.clip', { request_id: 'aaa', org_id: 1, event_id: 2 }, { key: 'aaa' });
      assert.ok(a);
      assert.equal(
        await q.enqueue('video.clip', { request_id: 'aaa', org_id: 1, event_id: 2 }, { key: 'aaa' }),
        null,
        'same key while queued',
      );
      await q.work();
      await q.idle('video.clip');
      assert.deepEqual(seen, ['aaa']);
      const job = await q.get(a);
      assert.equal(job?.state, 'done');
      assert.deepEqual(job?.output, { clips: 3 });
      assert.equal(job?.org_id, 1);
      // Done: the same key may be queued again (a new delivery, e.g. a retried upload).
      assert.ok(await q.enqueue('video.clip', { request_id: 'aaa', org_id: 1, event_id: 2 }, { key: 'aaa' }));
      await q.idle('video.clip');
      assert.deepEqual(seen, ['aaa', 'aaa']);
    });

    test('a failing job is retried with backoff, then dead; listed by organisation; a retry runs it again', async () => {
      const q = open();
      let attempts = 0;
      let healthy = false;
      q.register(
        'photo.ingest',
        async (_p, ctx) => {
          attempts++;
          assert.equal(ctx.attempt, attempts);
          if (!healthy) throw new Error(`disk full (attempt ${ctx.attempt})`);
          return { ok: true };
        },
        { retryLimit: 2, retryDelaySeconds: 1 },
      );
      await q.work();
      const id = (await q.enqueue('photo.ingest', { org_id: 7, event_id: 1, staged: 'staging/x', name: 'x.jpg', bibs: [] }))!;
      const dead = await until(
        () => q.get(id),
        (j) => j?.state === 'failed',
      );
      assert.equal(attempts, 3, 'the first attempt and two retries');
      assert.match(dead!.error ?? '', /disk full/);
      assert.deepEqual(
        (await q.failed({ orgId: 7 })).map((j) => j.id),
        [id],
      );
      assert.deepEqual(await q.failed({ orgId: 8 }), []);
      assert.equal(await q.retry(id, { orgId: 8 }), false, 'not this organisation’s job');
      healthy = true;
      assert.equal(await q.retry(id, { orgId: 7 }), true);
      const done = await until(
        () => q.get(id),
        (j) => j?.state === 'done',
      );
      assert.deepEqual(done?.output, { ok: true });
      assert.deepEqual(await q.failed({ orgId: 7 }), []);
      assert.equal(await q.retry(id), false, 'a done job is not retried');
    });

    test('a job whose process stopped mid-way is delivered again to another process', async () => {
      const dying = open(2);
      let started!: () => void;
      const claimed = new Promise<void>((r) => (started = r));
      const runs: string[] = [];
      // The first delivery goes to a process that never finishes it (as if killed); released at the end only.
      let first = true;
      dying.register('upload.process', async (p, ctx) => {
        if (first) {
          first = false;
          started();
          await hung;
        }
        runs.push(`dying:${ctx.attempt}`);
        return { upload: p.upload_id };
      });
      await dying.work();
      const id = (await dying.enqueue('upload.process', { upload_id: 'u1', org_id: 1, event_id: 1 }, { key: 'u1' }))!;
      await claimed;
      const survivor = open(2);
      survivor.register('upload.process', async (p, ctx) => {
        runs.push(`survivor:${ctx.attempt}`);
        return { upload: p.upload_id };
      });
      await survivor.work();
      const done = await until(
        () => survivor.get(id),
        (j) => j?.state === 'done',
      );
      assert.deepEqual(done?.output, { upload: 'u1' });
      assert.equal(runs.length, 1, runs.join());
      assert.match(runs[0]!, /:([2-9]|\d\d)$/, 'a second delivery');
    });
  });
}
