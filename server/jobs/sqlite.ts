import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { Db } from '../store/sqlite/db.ts';
import {
  backoffSeconds,
  DEFAULT_JOB_SPEC,
  type JobBatch,
  type JobCounts,
  type JobHandler,
  type JobKind,
  type JobPayloads,
  type JobQueue,
  type JobSpec,
  type JobState,
  type JobView,
} from './types.ts';

interface JobRow {
  id: string;
  kind: JobKind;
  key: string | null;
  state: JobState;
  org_id: number | null;
  event_id: number | null;
  payload: string;
  attempts: number;
  max_attempts: number;
  run_after: number;
  locked_until: number | null;
  error: string | null;
  output: string | null;
  created_at: string;
  updated_at: string;
}

export interface SqliteJobQueueOptions {
  /** Retry settings over every kind's own (tests, the topology test). */
  retry?: Partial<Pick<JobSpec, 'retryLimit' | 'retryDelaySeconds'>>;
  db: Db;
  log: Logger;
  /** Seconds a running job is leased; a job whose process died is delivered again after it (default 900). */
  leaseSeconds?: number;
  /** How often queued jobs of other processes and due retries are looked for, ms (default 1000). */
  pollMs?: number;
  /** Done jobs are deleted after this many hours (default 24). */
  keepDoneHours?: number;
  now?: () => number;
}

const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));

function view(r: JobRow): JobView {
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    state: r.state,
    org_id: r.org_id,
    event_id: r.event_id,
    payload: parse(r.payload),
    attempts: r.attempts,
    error: r.error,
    output: parse(r.output),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/**
 * The job queue on SQLite: jobs are rows of the `jobs` table (migration 13) and run in the process that called
 * `work()` (`npm start`, `photo-finish serve`), `concurrency` at a time per kind. Durable: a job queued before a
 * stop runs after the next start; one running when the process died is delivered again once its lease is over.
 * Claims are single UPDATEs, so two processes on the same file never run the same delivery.
 */
export class SqliteJobQueue implements JobQueue {
  readonly engine = 'sqlite' as const;
  private readonly db: Db;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly keepDoneMs: number;
  private readonly now: () => number;
  private readonly handlers = new Map<JobKind, { handler: JobHandler<JobKind>; spec: JobSpec }>();
  private readonly running = new Map<JobKind, number>();
  private readonly changed = new Set<() => void>();
  private working = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private drained: (() => void)[] = [];
  private readonly retryOverride: Partial<JobSpec>;

  constructor(o: SqliteJobQueueOptions) {
    this.db = o.db;
    this.log = o.log;
    this.leaseMs = (o.leaseSeconds ?? 900) * 1000;
    this.pollMs = o.pollMs ?? 1000;
    this.keepDoneMs = (o.keepDoneHours ?? 24) * 3600_000;
    this.now = o.now ?? Date.now;
    this.retryOverride = o.retry ?? {};
  }

  register<K extends JobKind>(kind: K, handler: JobHandler<K>, spec: Partial<JobSpec> = {}): void {
    this.handlers.set(kind, {
      handler: handler as JobHandler<JobKind>,
      spec: { ...DEFAULT_JOB_SPEC, ...spec, ...this.retryOverride },
    });
    this.pump();
  }

  async enqueue<K extends JobKind>(kind: K, payload: JobPayloads[K], opts: { key?: string } = {}): Promise<string | null> {
    if (this.closed) return null;
    const spec = this.handlers.get(kind)?.spec ?? DEFAULT_JOB_SPEC;
    const id = randomUUID();
    const at = new Date(this.now()).toISOString();
    const p = payload as { org_id?: number | null; event_id?: number };
    const res = this.db
      .prepare(
        `INSERT INTO jobs (id, kind, key, state, org_id, event_id, payload, max_attempts, run_after, created_at, updated_at)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        id,
        kind,
        opts.key ?? null,
        p.org_id ?? null,
        p.event_id ?? null,
        JSON.stringify(payload),
        spec.retryLimit + 1,
        this.now(),
        at,
        at,
      );
    if (res.changes === 0) return null;
    this.pump();
    return id;
  }

  async enqueueMany<K extends JobKind>(kind: K, jobs: { payload: JobPayloads[K]; key?: string }[]): Promise<number> {
    if (this.closed || jobs.length === 0) return 0;
    const spec = this.handlers.get(kind)?.spec ?? DEFAULT_JOB_SPEC;
    const insert = this.db.prepare(
      `INSERT INTO jobs (id, kind, key, state, org_id, event_id, payload, max_attempts, run_after, created_at, updated_at)
       VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    let queued = 0;
    const insertAll = this.db.transaction((batch: { payload: JobPayloads[K]; key?: string }[]) => {
      const t = this.now();
      const at = new Date(t).toISOString();
      for (const { payload, key } of batch) {
        const p = payload as { org_id?: number | null; event_id?: number };
        queued += insert.run(
          randomUUID(),
          kind,
          key ?? null,
          p.org_id ?? null,
          p.event_id ?? null,
          JSON.stringify(payload),
          spec.retryLimit + 1,
          t,
          at,
          at,
        ).changes;
      }
    });
    // One transaction per 500 jobs: the store stays available to requests between them.
    for (let i = 0; i < jobs.length; i += 500) insertAll.immediate(jobs.slice(i, i + 500));
    this.pump();
    return queued;
  }

  async latestBatch(kind: JobKind, eventId: number, sumFields: readonly string[] = []): Promise<JobBatch | null> {
    const newest = this.db
      .prepare(
        `SELECT json_extract(payload, '$.batch') AS batch, payload FROM jobs WHERE kind = ? AND event_id = ? AND json_extract(payload, '$.batch') IS NOT NULL
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get(kind, eventId) as { batch: string; payload: string } | undefined;
    if (!newest) return null;
    const where = `kind = ? AND event_id = ? AND json_extract(payload, '$.batch') = ?`;
    const args = [kind, eventId, newest.batch];
    const counts: JobCounts = { queued: 0, active: 0, done: 0, failed: 0 };
    let started = '';
    let updated = '';
    for (const r of this.db
      .prepare(`SELECT state, COUNT(*) AS n, MIN(created_at) AS s, MAX(updated_at) AS u FROM jobs WHERE ${where} GROUP BY state`)
      .all(...args) as { state: JobState; n: number; s: string; u: string }[]) {
      counts[r.state] = r.n;
      if (!started || r.s < started) started = r.s;
      if (r.u > updated) updated = r.u;
    }
    const sums: Record<string, number> = {};
    for (const f of sumFields) {
      if (!/^\w+$/.test(f)) throw new Error(`bad output field ${f}`);
      const r = this.db
        .prepare(`SELECT COALESCE(SUM(json_extract(output, '$.${f}')), 0) AS n FROM jobs WHERE ${where} AND state = 'done'`)
        .get(...args) as { n: number };
      sums[f] = r.n;
    }
    const problems = (
      this.db
        .prepare(
          `SELECT payload, COALESCE(CASE WHEN state = 'failed' THEN error END, json_extract(output, '$.error')) AS error, state FROM jobs
           WHERE ${where} AND (state = 'failed' OR (state = 'done' AND json_extract(output, '$.error') IS NOT NULL))
           ORDER BY updated_at DESC LIMIT 100`,
        )
        .all(...args) as { payload: string; error: string | null; state: JobState }[]
    ).map((r) => ({
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      error: r.error ?? 'the job failed',
      dead: r.state === 'failed',
    }));
    return {
      batch: newest.batch,
      counts,
      started_at: started,
      updated_at: updated,
      payload: JSON.parse(newest.payload) as Record<string, unknown>,
      sums,
      problems,
    };
  }

  async work(): Promise<void> {
    if (this.working || this.closed) return;
    this.working = true;
    this.db.prepare(`DELETE FROM jobs WHERE state = 'done' AND run_after < ?`).run(this.now() - this.keepDoneMs);
    this.timer = setInterval(() => this.pump(), this.pollMs);
    this.timer.unref();
    this.pump();
  }

  /** Claims one due job of `kind`: queued, or active with its lease over (its process died). */
  private claim(kind: JobKind): JobRow | null {
    const t = this.now();
    return (
      (this.db
        .prepare(
          `UPDATE jobs SET state = 'active', attempts = attempts + 1, locked_until = ?, updated_at = ?
           WHERE id = (SELECT id FROM jobs WHERE kind = ? AND ((state = 'queued' AND run_after <= ?) OR (state = 'active' AND locked_until < ?))
                       ORDER BY run_after LIMIT 1)
           RETURNING *`,
        )
        .get(t + this.leaseMs, new Date(t).toISOString(), kind, t, t) as JobRow | undefined) ?? null
    );
  }

  private pump(): void {
    if (!this.working || this.closed) return;
    for (const [kind, { handler, spec }] of this.handlers) {
      while ((this.running.get(kind) ?? 0) < spec.concurrency) {
        let row: JobRow | null;
        try {
          row = this.claim(kind);
        } catch (e) {
          this.log.error('jobs: could not claim a job', { kind, error: String(e) });
          return;
        }
        if (!row) break;
        this.running.set(kind, (this.running.get(kind) ?? 0) + 1);
        this.inFlight++;
        void this.run(row, handler, spec).finally(() => {
          this.running.set(kind, (this.running.get(kind) ?? 1) - 1);
          this.inFlight--;
          if (this.inFlight === 0) for (const w of this.drained.splice(0)) w();
          this.notify();
          this.pump();
        });
      }
    }
  }

  private async run(row: JobRow, handler: JobHandler<JobKind>, spec: JobSpec): Promise<void> {
    const payload = JSON.parse(row.payload) as JobPayloads[JobKind];
    try {
      const output = await handler(payload, { id: row.id, attempt: row.attempts });
      this.db
        .prepare(
          `UPDATE jobs SET state = 'done', output = ?, error = NULL, locked_until = NULL, updated_at = ? WHERE id = ? AND state = 'active'`,
        )
        .run(output === undefined ? null : JSON.stringify(output), new Date(this.now()).toISOString(), row.id);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const dead = row.attempts >= row.max_attempts;
      const t = this.now();
      this.db
        .prepare(
          `UPDATE jobs SET state = ?, error = ?, run_after = ?, locked_until = NULL, updated_at = ? WHERE id = ? AND state = 'active'`,
        )
        .run(dead ? 'failed' : 'queued', error, t + backoffSeconds(spec, row.attempts) * 1000, new Date(t).toISOString(), row.id);
      (dead ? this.log.error : this.log.warn).call(
        this.log,
        dead ? 'job failed for good (dead letter)' : 'job failed, will retry',
        {
          job_id: row.id,
          kind: row.kind,
          attempt: row.attempts,
          error,
        },
      );
    }
  }

  private notify() {
    for (const fn of [...this.changed]) fn();
  }

  async get(id: string): Promise<JobView | null> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r ? view(r) : null;
  }

  async failed(opts: { orgId?: number; limit?: number } = {}): Promise<JobView[]> {
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE state = 'failed' AND (? IS NULL OR org_id = ?) ORDER BY updated_at DESC, id LIMIT ?`)
      .all(opts.orgId ?? null, opts.orgId ?? null, opts.limit ?? 100) as JobRow[];
    return rows.map(view);
  }

  async retry(id: string, opts: { orgId?: number } = {}): Promise<boolean> {
    const t = this.now();
    const res = this.db
      .prepare(
        `UPDATE jobs SET state = 'queued', max_attempts = attempts + 1, run_after = ?, updated_at = ?
         WHERE id = ? AND state = 'failed' AND (? IS NULL OR org_id = ?)
           AND NOT EXISTS (SELECT 1 FROM jobs q WHERE q.state = 'queued' AND q.kind = jobs.kind AND q.key = jobs.key)`,
      )
      .run(t, new Date(t).toISOString(), id, opts.orgId ?? null, opts.orgId ?? null);
    if (res.changes) this.pump();
    return res.changes > 0;
  }

  async counts(): Promise<JobCounts> {
    const out: JobCounts = { queued: 0, active: 0, done: 0, failed: 0 };
    for (const r of this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
      state: JobState;
      n: number;
    }[])
      out[r.state] = r.n;
    return out;
  }

  private pending(kind?: JobKind): number {
    const r = this.db
      .prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued','active') AND (? IS NULL OR kind = ?)`)
      .get(kind ?? null, kind ?? null) as { n: number };
    return r.n;
  }

  idle(kind?: JobKind): Promise<void> {
    if (this.closed || this.pending(kind) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.closed || this.pending(kind) === 0) {
          this.changed.delete(check);
          clearInterval(poll);
          resolve();
        }
      };
      // Jobs finishing here notify; due retries and other processes' jobs are seen by the poll.
      const poll = setInterval(check, Math.min(this.pollMs, 200));
      this.changed.add(check);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.notify();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }
}
