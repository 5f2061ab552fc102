// The dead letters of an organisation's background jobs, for the admin API (and the console through it).
import type { FailedJob, FailedJobList, RetriedJob } from '../../core/api/jobs.ts';
import { notFound } from '../http/errors.ts';
import type { JobQueue, JobView } from '../jobs/types.ts';

/** Failed jobs listed at most (newest first). */
export const FAILED_JOBS_SHOWN = 200;

const toFailedJob = (j: JobView): FailedJob => ({
  job_id: j.id,
  kind: j.kind,
  event_id: j.event_id,
  attempts: j.attempts,
  error: j.error,
  payload: (j.payload ?? {}) as Record<string, unknown>,
  created_at: j.created_at,
  failed_at: j.updated_at,
});

export async function listFailedJobs(deps: { jobs: JobQueue }, orgId: number): Promise<FailedJobList> {
  return { jobs: (await deps.jobs.failed({ orgId, limit: FAILED_JOBS_SHOWN })).map(toFailedJob) };
}

/** Puts one of the organisation's failed jobs back in the queue; 404 when it is not one. */
export async function retryFailedJob(deps: { jobs: JobQueue }, orgId: number, jobId: string): Promise<RetriedJob> {
  if (!(await deps.jobs.retry(jobId, { orgId }))) throw notFound(`No failed job ${jobId} in this organisation`);
  return { job_id: jobId, retried: true };
}
