// The dead letters of an organisation's background jobs, for the admin API (and the console through it).
import type { FailedJob, FailedJobList, RetriedJob } from '../../core/api/jobs.ts';
import { notFound } from '../http/errors.ts';
import type { JobQueue, JobView } from '../jobs/types.ts';
import type { EventRow, Store } from '../store/types.ts';

/** Failed jobs listed at most (newest first). */
export const FAILED_JOBS_SHOWN = 200;

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** A failed job as listed, with the names of its event and photo (looked up: the payload of a stored photo's job has its id). */
async function toFailedJob(store: Store, j: JobView, events: Map<number, Promise<EventRow | null>>): Promise<FailedJob> {
  const p = (j.payload ?? {}) as Record<string, unknown>;
  let event: EventRow | null = null;
  if (j.event_id !== null) {
    let e = events.get(j.event_id);
    if (!e) events.set(j.event_id, (e = store.events.get(j.event_id)));
    event = await e;
  }
  const imageId = str(p.image_id);
  const photo = str(p.name) ?? (event && imageId ? ((await store.images.get(event.id, imageId))?.original_name ?? null) : null);
  return {
    job_id: j.id,
    kind: j.kind,
    event_id: j.event_id,
    event_name: event?.name ?? null,
    photo_name: photo,
    attempts: j.attempts,
    error: j.error,
    payload: p,
    created_at: j.created_at,
    failed_at: j.updated_at,
  };
}

export async function listFailedJobs(deps: { jobs: JobQueue; store: Store }, orgId: number): Promise<FailedJobList> {
  const events = new Map<number, Promise<EventRow | null>>();
  const failed = await deps.jobs.failed({ orgId, limit: FAILED_JOBS_SHOWN });
  return { jobs: await Promise.all(failed.map((j) => toFailedJob(deps.store, j, events))) };
}

/** Puts one of the organisation's failed jobs back in the queue; 404 when it is not one. */
export async function retryFailedJob(deps: { jobs: JobQueue }, orgId: number, jobId: string): Promise<RetriedJob> {
  if (!(await deps.jobs.retry(jobId, { orgId }))) throw notFound(`No failed job ${jobId} in this organisation`);
  return { job_id: jobId, retried: true };
}
