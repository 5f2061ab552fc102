/**
 * Background jobs, behind a small interface: today in this process (the repo has no job queue yet); a
 * PostgreSQL queue (SKIP LOCKED) can implement the same contract later. A job is only its id: the work and
 * its state live in the store, so running one twice is harmless (the handler checks the state).
 */
import type { Logger } from '../log.ts';

export interface JobQueue {
  /** Queues the job (a job already queued or running is not queued twice). */
  enqueue(id: string): void;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

export type JobHandler = (id: string) => Promise<void>;

/** Runs jobs in this process, `concurrency` at a time, in the order queued. */
export class InProcessQueue implements JobQueue {
  private readonly waiting: string[] = [];
  private readonly known = new Set<string>();
  private running = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly handler: JobHandler,
    private readonly log: Logger,
    private readonly concurrency = 1,
  ) {}

  enqueue(id: string): void {
    if (this.closed || this.known.has(id)) return;
    this.known.add(id);
    this.waiting.push(id);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < this.concurrency && this.waiting.length) {
      const id = this.waiting.shift()!;
      this.running++;
      void this.handler(id)
        .catch((e: unknown) => this.log.error('background job failed', { job: id, error: String(e) }))
        .finally(() => {
          this.running--;
          this.known.delete(id);
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    if (this.running) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
