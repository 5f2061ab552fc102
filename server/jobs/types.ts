/**
 * Background jobs behind one interface (docs/architecture.md "Jobs"). Two adapters: `SqliteJobQueue` (a `jobs`
 * table in the SQLite file, handlers run in this process: `npm start`, `photo-finish serve` on SQLite) and
 * `PgBossQueue` (pg-boss on PostgreSQL, used when DATABASE_URL is set: `photo-finish worker` processes run the
 * handlers, any number of them). Delivery is at least once: a job whose process died is delivered again after
 * its timeout, so every handler is idempotent (the pipeline keys photos by content hash, uploads and clip jobs by
 * their row's state). A job that keeps failing lands in the dead-letter state (`failed`), listed and retried by
 * `photo-finish jobs failed|retry` and the admin API.
 */
import { JOB_KIND_NAMES } from '../../core/api/jobs.ts';
import type { CertificateFormatName } from '../store/certify-types.ts';

/** Every kind of job, with its payload. A payload is plain JSON. */
export interface JobPayloads {
  /** A tus upload whose last byte arrived: ingest it (server/uploads/service.ts). */
  'upload.process': { upload_id: string; org_id: number; event_id: number };
  /** A photo staged in the blob store by the admin upload (queued mode): ingest it (server/jobs/photo-ingest.ts). */
  'photo.ingest': {
    org_id: number;
    event_id: number;
    /** Blob key of the staged bytes (deleted once the photo is stored or refused). */
    staged: string;
    name: string;
    bibs: string[];
  };
  /** A video clip search (server/video/service.ts). */
  'video.clip': { request_id: string; org_id: number | null; event_id: number };
  /**
   * Detects and embeds the faces of one stored photo (server/jobs/search-jobs.ts): selfie search switched on after
   * the photos arrived, or `photo-finish faces reindex --queue`. Keyed by photo and feature model.
   */
  'faces.index': { org_id: number; event_id: number; image_id: string };
  /**
   * Reads the bibs of one stored photo (server/jobs/search-jobs.ts): bib search switched on later, or a BibTrack
   * re-run. `batch` names the re-run the job belongs to (its status is the sum of its jobs). Keyed by photo.
   */
  'bibs.read': { org_id: number; event_id: number; image_id: string; batch: string; unread_only: boolean };
  /**
   * Renders one participant certificate ahead of its download (server/jobs/certificate-jobs.ts), when the event's
   * certificates are published or change while published and CERTIFICATE_PRERENDER is on. Keyed by event, bib, format.
   */
  'certificate.render': { org_id: number; event_id: number; bib: string; format: CertificateFormatName };
}

export type JobKind = keyof JobPayloads;
// One list with the admin API's (core/api/jobs.ts); `satisfies` keeps it equal to the payloads above.
export const JOB_KINDS = JOB_KIND_NAMES satisfies readonly JobKind[];

export interface JobContext {
  id: string;
  /** 1 on the first delivery; more after a failure or after the process running it died. */
  attempt: number;
}

/** Runs one job; what it returns is kept as the job's output (JSON). Throwing fails the attempt (retried). */
export type JobHandler<K extends JobKind> = (payload: JobPayloads[K], ctx: JobContext) => Promise<unknown>;

export interface JobSpec {
  /** Jobs of this kind run at once in one process. */
  concurrency: number;
  /** Attempts after the first before the job is dead (default 4). */
  retryLimit: number;
  /** Seconds before the first retry; doubled each time (default 5). */
  retryDelaySeconds: number;
}

export const DEFAULT_JOB_SPEC: JobSpec = { concurrency: 1, retryLimit: 4, retryDelaySeconds: 5 };

export type JobState = 'queued' | 'active' | 'done' | 'failed';

export interface JobView {
  id: string;
  kind: JobKind;
  key: string | null;
  state: JobState;
  org_id: number | null;
  event_id: number | null;
  payload: unknown;
  attempts: number;
  error: string | null;
  output: unknown;
  created_at: string;
  updated_at: string;
}

export interface JobCounts {
  queued: number;
  active: number;
  done: number;
  failed: number;
}

/** The jobs of one batch (payload `batch`) of a kind about one event: a BibTrack re-run, say. */
export interface JobBatch {
  batch: string;
  counts: JobCounts;
  /** When its first job was queued, and when one last changed. */
  started_at: string;
  updated_at: string;
  /** One of its jobs' payload (what the batch was asked to do). */
  payload: Record<string, unknown>;
  /** Sums of the numeric fields asked for over the outputs of its done jobs. */
  sums: Record<string, number>;
  /** Jobs that failed for good (`dead`), or done with an `error` in their output; at most 100, newest first. */
  problems: { payload: Record<string, unknown>; error: string; dead: boolean }[];
}

export interface JobQueue {
  /** 'sqlite' runs in this process; 'pg-boss' is shared by every process on the database. */
  readonly engine: 'sqlite' | 'pg-boss';
  /** The handler of a kind (every process registers the same ones; only working processes run them). */
  register<K extends JobKind>(kind: K, handler: JobHandler<K>, spec?: Partial<JobSpec>): void;
  /**
   * Queues a job. With a `key`, a job of the same kind and key still queued is not queued twice (null is
   * returned). Returns the job id.
   */
  enqueue<K extends JobKind>(kind: K, payload: JobPayloads[K], opts?: { key?: string }): Promise<string | null>;
  /**
   * Queues many jobs of one kind at once (one statement per few hundred); a job whose key is already queued is
   * skipped. Returns how many were queued.
   */
  enqueueMany<K extends JobKind>(kind: K, jobs: { payload: JobPayloads[K]; key?: string }[]): Promise<number>;
  /**
   * The newest batch of `kind` jobs about an event (by their payload's `batch`), counted by state, with the sums of
   * `sumFields` over its done jobs' outputs; null when there is none (never queued, or purged after a day).
   */
  latestBatch(kind: JobKind, eventId: number, sumFields?: readonly string[]): Promise<JobBatch | null>;
  /** Starts running the registered handlers in this process. */
  work(): Promise<void>;
  /** One job (queued, running, done with its output, or failed); null when unknown or purged. */
  get(id: string): Promise<JobView | null>;
  /** Dead jobs (failed after their retries), newest first; `orgId` limits them to one organisation's. */
  failed(opts?: { orgId?: number; limit?: number }): Promise<JobView[]>;
  /** A dead job back into the queue for one more attempt; false when it is not a failed job (of `orgId`). */
  retry(id: string, opts?: { orgId?: number }): Promise<boolean>;
  counts(): Promise<JobCounts>;
  /** Resolves when no job (of `kind`) is queued or running in the queue (tests, the CLI, the bench). */
  idle(kind?: JobKind): Promise<void>;
  /** Stops taking jobs and waits for the running ones (a job cut short is delivered again later). */
  close(): Promise<void>;
}

/** Retry delay before attempt `attempt + 1` (exponential backoff, capped at an hour). */
export function backoffSeconds(spec: JobSpec, attempt: number): number {
  return Math.min(3600, spec.retryDelaySeconds * 2 ** Math.max(0, attempt - 1));
}
