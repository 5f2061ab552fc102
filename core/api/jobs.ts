// Admin API models of the background jobs' dead letters (issue 16): GET /api/v1/admin/{org_id}/jobs/failed,
// POST /api/v1/admin/{org_id}/jobs/{job_id}/retry.
import { z } from 'zod';

export const JOB_KIND_NAMES = [
  'upload.process',
  'photo.ingest',
  'video.clip',
  'faces.index',
  'bibs.read',
  'certificate.render',
] as const;

export const FailedJob = z
  .object({
    job_id: z.string().meta({ description: 'the job id (a UUID)' }),
    kind: z.enum(JOB_KIND_NAMES).meta({
      description:
        '`upload.process`: a race-day (tus) upload; `photo.ingest`: a photo of an admin upload; `video.clip`: a clip search; ' +
        '`faces.index`: the faces of a stored photo (selfie search switched on later); `bibs.read`: the bibs of a stored photo (a re-run, bib search switched on later); ' +
        '`certificate.render`: a participant certificate rendered ahead of its download (CERTIFICATE_PRERENDER)',
    }),
    event_id: z.number().int().nullable(),
    event_name: z.string().nullable().meta({ description: 'the event, when it still exists' }),
    photo_name: z
      .string()
      .nullable()
      .meta({ description: 'the file name of the photo the job was about (uploaded or stored), when known' }),
    attempts: z.number().int().meta({ description: 'deliveries made, the last one included' }),
    error: z.string().nullable().meta({ description: 'what the last attempt said' }),
    payload: z.record(z.string(), z.unknown()).meta({ description: 'what the job was asked to do (ids, file name)' }),
    created_at: z.string(),
    failed_at: z.string(),
  })
  .meta({ id: 'FailedJob' });
export type FailedJob = z.infer<typeof FailedJob>;

export const FailedJobList = z.object({ jobs: z.array(FailedJob) }).meta({ id: 'FailedJobList' });
export type FailedJobList = z.infer<typeof FailedJobList>;

export const RetriedJob = z.object({ job_id: z.string(), retried: z.literal(true) }).meta({ id: 'RetriedJob' });
export type RetriedJob = z.infer<typeof RetriedJob>;
