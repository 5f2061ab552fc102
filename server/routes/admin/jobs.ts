import { z } from 'zod';
import { FailedJobList, RetriedJob } from '../../../core/api/jobs.ts';
import { ok } from '../../http/envelope.ts';
import { OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { FAILED_JOBS_SHOWN, listFailedJobs, retryFailedJob } from '../../services/jobs.ts';

const TAG = 'Admin: jobs';

const JobPath = OrgPath.extend({
  job_id: z.uuid('must be a job id (a UUID)').meta({ description: 'job id, as found at data.jobs[].job_id' }),
});

export const listFailedJobsRoute = defineRoute({
  method: 'get',
  path: '/jobs/failed',
  tag: TAG,
  summary: 'Failed background jobs',
  description:
    `The organisation's background jobs that failed after their retries (the dead letters), newest first, at most ${FAILED_JOBS_SHOWN}: ` +
    'race-day uploads, queued photos and clip searches. A photo the pipeline refuses (not an image) is not a failed job: ' +
    'it is reported with its upload.',
  auth: 'secret',
  request: { params: OrgPath },
  data: FailedJobList,
  errors: [422],
});

export const retryJobRoute = defineRoute({
  method: 'post',
  path: '/jobs/{job_id}/retry',
  tag: TAG,
  summary: 'Retry a failed job',
  description: 'Puts the failed job back in the queue for one more attempt. 404 when it is not a failed job of the organisation.',
  auth: 'secret',
  request: { params: JobPath },
  data: RetriedJob,
  errors: [404, 422],
});

/** The dead letters of the job queue (docs/operations.md "Production topology"). */
export const adminJobs = createRouter()
  .openapi(listFailedJobsRoute, async (c) => {
    const data = await listFailedJobs(c.get('deps'), c.get('orgId'));
    return ok(c, `${data.jobs.length} failed job${data.jobs.length === 1 ? '' : 's'}`, data);
  })
  .openapi(retryJobRoute, async (c) => {
    const { job_id } = c.req.valid('param');
    return ok(c, 'Job queued again', await retryFailedJob(c.get('deps'), c.get('orgId'), job_id));
  });
