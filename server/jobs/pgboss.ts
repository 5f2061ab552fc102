import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import {
  DEFAULT_JOB_SPEC,
  JOB_KINDS,
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

export interface PgBossQueueOptions {
  /** Retry settings over every kind's own (tests, the topology test). */
  retry?: Partial<Pick<JobSpec, 'retryLimit' | 'retryDelaySeconds'>>;
  /** postgres://… (DATABASE_URL). */
  connectionString: string;
  log: Logger;
  /** Seconds a job may run; a job whose worker died is delivered again after it (JOB_TIMEOUT_SECONDS, default 900). */
  timeoutSeconds?: number;
  /** How often a worker looks for jobs when idle, seconds (default 1). */
  pollSeconds?: number;
  /** How often expired jobs are retried (pg-boss maintenance), seconds (default: half the timeout, 1–60). */
  maintenanceSeconds?: number;
  /** Connections of this process's pg-boss pool (default 4). */
  poolSize?: number;
}

/** pg-boss queue names allow letters, digits, `_` and `-`: `upload.process` → `pf_upload-process`. */
const queueName = (kind: JobKind) => `pf_${kind.replace(/\./g, '-')}`;
const kindOf = (name: string): JobKind | null => JOB_KINDS.find((k) => queueName(k) === name) ?? null;

interface Row {
  id: string;
  name: string;
  singleton_key: string | null;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  data: Record<string, unknown> | null;
  retry_count: number;
  output: unknown;
  created_on: Date;
  completed_on: Date | null;
  started_on: Date | null;
}

const STATE: Record<Row['state'], JobState> = {
  created: 'queued',
  retry: 'queued',
  active: 'active',
  completed: 'done',
  cancelled: 'failed',
  failed: 'failed',
};

function errorOf(output: unknown): string | null {
  if (!output || typeof output !== 'object') return null;
  const o = output as { message?: unknown; value?: { message?: unknown } };
  const m = o.message ?? o.value?.message;
  return typeof m === 'string' ? m : null;
}

function view(r: Row): JobView {
  const state = STATE[r.state];
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
  return {
    id: r.id,
    kind: kindOf(r.name) ?? (r.name as JobKind),
    key: r.singleton_key?.startsWith('job:') ? null : r.singleton_key,
    state,
    org_id: num(r.data?.org_id),
    event_id: num(r.data?.event_id),
    payload: r.data,
    attempts: r.retry_count + (r.started_on ? 1 : 0),
    error: state === 'failed' ? errorOf(r.output) : null,
    output: state === 'done' ? r.output : null,
    created_at: r.created_on.toISOString(),
    updated_at: (r.completed_on ?? r.started_on ?? r.created_on).toISOString(),
  };
}

const COLUMNS = 'id, name, singleton_key, state, data, retry_count, output, created_on, completed_on, started_on';

/**
 * The job queue on PostgreSQL, by pg-boss (its own schema `pgboss`, created and migrated by pg-boss at start,
 * safely when several processes start together). Each kind is a pg-boss queue with the `short` policy (one queued
 * job per key); retries with exponential backoff; a job running longer than `timeoutSeconds` (its worker was
 * killed) is failed by the maintenance and retried; failed jobs stay 30 days for `jobs failed|retry`.
 */
export class PgBossQueue implements JobQueue {
  readonly engine = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly log: Logger;
  private readonly o: PgBossQueueOptions;
  private readonly handlers = new Map<JobKind, { handler: JobHandler<JobKind>; spec: JobSpec }>();
  private started: Promise<void> | null = null;
  private readonly created = new Map<JobKind, Promise<void>>();
  private working = false;
  private closed = false;
  private readonly retryOverride: Partial<JobSpec>;

  constructor(o: PgBossQueueOptions) {
    this.o = o;
    this.retryOverride = o.retry ?? {};
    this.log = o.log;
    // pg-boss (CommonJS) loads when a PostgreSQL queue is made, not at every start (issue 20, restart).
    const PgBossClass = createRequire(import.meta.url)('pg-boss') as typeof PgBoss;
    this.boss = new PgBossClass({
      connectionString: o.connectionString,
      max: o.poolSize ?? 4,
      application_name: 'photo-finish jobs',
      schedule: false,
      supervise: true,
      migrate: true,
      // Expired jobs (their worker died) are retried by the maintenance: run it at least twice per timeout.
      maintenanceIntervalSeconds: o.maintenanceSeconds ?? Math.max(1, Math.min(60, Math.floor((o.timeoutSeconds ?? 900) / 2))),
      monitorStateIntervalSeconds: 3600,
      archiveCompletedAfterSeconds: 24 * 3600,
      archiveFailedAfterSeconds: 30 * 24 * 3600,
      deleteAfterDays: 7,
    });
    this.boss.on('error', (e: Error) => this.log.error('jobs: pg-boss error', { error: e.message }));
  }

  private start(): Promise<void> {
    this.started ??= this.boss.start().then(() => undefined);
    return this.started;
  }

  private ensureQueue(kind: JobKind): Promise<void> {
    let p = this.created.get(kind);
    if (!p) {
      const spec = this.handlers.get(kind)?.spec ?? DEFAULT_JOB_SPEC;
      p = this.start().then(async () => {
        const q = {
          name: queueName(kind),
          policy: 'short' as const,
          retryLimit: spec.retryLimit,
          retryDelay: spec.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: this.o.timeoutSeconds ?? 900,
        };
        // Idempotent: the first process creates it, the others update the same settings. Processes starting
        // together may collide (a deadlock victim, a duplicate): try again until the queue is there.
        for (let attempt = 1; ; attempt++) {
          try {
            if (await this.boss.getQueue(q.name)) await this.boss.updateQueue(q.name, q);
            else await this.boss.createQueue(q.name, q);
            return;
          } catch (e) {
            if (attempt >= 10) throw e;
            await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
          }
        }
      });
      p.catch(() => this.created.delete(kind));
      this.created.set(kind, p);
    }
    return p;
  }

  register<K extends JobKind>(kind: K, handler: JobHandler<K>, spec: Partial<JobSpec> = {}): void {
    this.handlers.set(kind, {
      handler: handler as JobHandler<JobKind>,
      spec: { ...DEFAULT_JOB_SPEC, ...spec, ...this.retryOverride },
    });
  }

  async enqueue<K extends JobKind>(kind: K, payload: JobPayloads[K], opts: { key?: string } = {}): Promise<string | null> {
    if (this.closed) return null;
    await this.ensureQueue(kind);
    // The `short` policy allows one queued job per singleton key, a missing key included: a job without a key
    // gets a key of its own.
    return this.boss.send(queueName(kind), payload as object, { singletonKey: opts.key ?? `job:${randomUUID()}` });
  }

  async enqueueMany<K extends JobKind>(kind: K, jobs: { payload: JobPayloads[K]; key?: string }[]): Promise<number> {
    if (this.closed || jobs.length === 0) return 0;
    await this.ensureQueue(kind);
    let queued = 0;
    // The queue's settings (retries, backoff, expiry) apply to inserted jobs; a key already queued is skipped.
    for (let i = 0; i < jobs.length; i += 500) {
      // pg-boss's insert returns no ids: ours are given, and those in the table afterwards were queued.
      const chunk = jobs.slice(i, i + 500).map((j) => ({
        id: randomUUID(),
        name: queueName(kind),
        data: j.payload as object,
        singletonKey: j.key ?? `job:${randomUUID()}`,
      }));
      await this.boss.insert(chunk);
      const { rows } = await this.boss
        .getDb()
        .executeSql('SELECT COUNT(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[])', [chunk.map((c) => c.id)]);
      queued += (rows[0] as { n: number }).n;
    }
    return queued;
  }

  async latestBatch(kind: JobKind, eventId: number, sumFields: readonly string[] = []): Promise<JobBatch | null> {
    await this.start();
    const db = this.boss.getDb();
    const name = queueName(kind);
    const ev = String(eventId);
    const { rows: newest } = await db.executeSql(
      `SELECT data->>'batch' AS batch, data FROM pgboss.job WHERE name = $1 AND data->>'event_id' = $2 AND data ? 'batch'
       ORDER BY created_on DESC LIMIT 1`,
      [name, ev],
    );
    const first = newest[0] as { batch: string; data: Record<string, unknown> } | undefined;
    if (!first) return null;
    const batch = first.batch;
    const where = `name = $1 AND data->>'event_id' = $2 AND data->>'batch' = $3`;
    const args = [name, ev, batch];
    const counts: JobCounts = { queued: 0, active: 0, done: 0, failed: 0 };
    let started: Date | null = null;
    let updated: Date | null = null;
    const { rows } = await db.executeSql(
      `SELECT state, COUNT(*)::int AS n, MIN(created_on) AS s,
              MAX(COALESCE(completed_on, started_on, created_on)) AS u
       FROM pgboss.job WHERE ${where} GROUP BY state`,
      args,
    );
    for (const r of rows as { state: Row['state']; n: number; s: Date; u: Date }[]) {
      counts[STATE[r.state]] += r.n;
      if (!started || r.s < started) started = r.s;
      if (!updated || r.u > updated) updated = r.u;
    }
    const sums: Record<string, number> = {};
    for (const f of sumFields) {
      if (!/^\w+$/.test(f)) throw new Error(`bad output field ${f}`);
      const { rows: s } = await db.executeSql(
        `SELECT COALESCE(SUM((output->>'${f}')::numeric), 0)::float8 AS n FROM pgboss.job WHERE ${where} AND state = 'completed'`,
        args,
      );
      sums[f] = (s[0] as { n: number }).n;
    }
    const { rows: bad } = await db.executeSql(
      `SELECT data, output, state FROM pgboss.job
       WHERE ${where} AND (state IN ('failed', 'cancelled') OR (state = 'completed' AND output->>'error' IS NOT NULL))
       ORDER BY COALESCE(completed_on, created_on) DESC LIMIT 100`,
      args,
    );
    const problems = (bad as { data: Record<string, unknown>; output: unknown; state: Row['state'] }[]).map((r) => {
      const dead = r.state !== 'completed';
      const error = dead ? errorOf(r.output) : (r.output as { error?: unknown }).error;
      return { payload: r.data, error: typeof error === 'string' ? error : 'the job failed', dead };
    });
    return {
      batch,
      counts,
      started_at: (started ?? new Date()).toISOString(),
      updated_at: (updated ?? new Date()).toISOString(),
      payload: first.data,
      sums,
      problems,
    };
  }

  async work(): Promise<void> {
    if (this.working || this.closed) return;
    this.working = true;
    for (const [kind, { handler, spec }] of this.handlers) {
      await this.ensureQueue(kind);
      // One pg-boss worker fetches one job at a time: `concurrency` workers per kind in this process.
      for (let i = 0; i < spec.concurrency; i++) {
        await this.boss.work<JobPayloads[typeof kind]>(
          queueName(kind),
          { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.o.pollSeconds ?? 1 },
          async ([job]) => {
            const j = job!;
            try {
              return await handler(j.data, { id: j.id, attempt: j.retryCount + 1 });
            } catch (e) {
              this.log.warn('job failed', { job_id: j.id, kind, attempt: j.retryCount + 1, error: String(e) });
              throw e;
            }
          },
        );
      }
    }
  }

  private async rows(where: string, values: unknown[]): Promise<Row[]> {
    await this.start();
    const { rows } = await this.boss.getDb().executeSql(`SELECT ${COLUMNS} FROM pgboss.job WHERE ${where}`, values);
    return rows as Row[];
  }

  private names(): string[] {
    return JOB_KINDS.map(queueName);
  }

  async get(id: string): Promise<JobView | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [r] = await this.rows('id = $1 AND name = ANY($2)', [id, this.names()]);
    if (r) return view(r);
    await this.start();
    const { rows } = await this.boss
      .getDb()
      .executeSql(`SELECT ${COLUMNS} FROM pgboss.archive WHERE id = $1 AND name = ANY($2)`, [id, this.names()]);
    return rows[0] ? view(rows[0] as Row) : null;
  }

  async failed(opts: { orgId?: number; limit?: number } = {}): Promise<JobView[]> {
    const rows = await this.rows(
      `name = ANY($1) AND state = 'failed' AND ($2::text IS NULL OR data->>'org_id' = $2::text)
       ORDER BY completed_on DESC NULLS LAST, id LIMIT $3`,
      [this.names(), opts.orgId === undefined ? null : String(opts.orgId), opts.limit ?? 100],
    );
    return rows.map(view);
  }

  async retry(id: string, opts: { orgId?: number } = {}): Promise<boolean> {
    const job = await this.get(id);
    if (!job || job.state !== 'failed' || (opts.orgId !== undefined && job.org_id !== opts.orgId)) return false;
    await this.boss.retry(queueName(job.kind), id);
    return true;
  }

  async counts(): Promise<JobCounts> {
    await this.start();
    const { rows } = await this.boss
      .getDb()
      .executeSql('SELECT state, COUNT(*)::int AS n FROM pgboss.job WHERE name = ANY($1) GROUP BY state', [this.names()]);
    const out: JobCounts = { queued: 0, active: 0, done: 0, failed: 0 };
    for (const r of rows as { state: Row['state']; n: number }[]) out[STATE[r.state]] += r.n;
    return out;
  }

  async idle(kind?: JobKind): Promise<void> {
    const names = kind ? [queueName(kind)] : this.names();
    for (;;) {
      if (this.closed) return;
      const [r] = (await this.rows(`name = ANY($1) AND state < 'completed' LIMIT 1`, [names])) as Row[];
      if (!r) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.started) return;
    await this.started.catch(() => undefined);
    // Waits for the running jobs (up to 30 s); a job cut short is delivered again after its timeout.
    await this.boss
      .stop({ graceful: true, wait: true, timeout: 30_000 })
      .catch((e: unknown) => this.log.error('jobs: pg-boss did not stop cleanly', { error: String(e) }));
  }
}
