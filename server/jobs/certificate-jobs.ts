// Participant certificates rendered ahead of their downloads (`certificate.render`, CERTIFICATE_PRERENDER): when an
// event's certificates are published, or their template or records change while published, the API process queues
// one job per record and format; whichever process works the queue renders them (`photo-finish worker` processes on
// pg-boss, or the in-process SQLite queue), so a download finds the file in the render cache instead of rendering in
// the API process. The handler is the download's own path (`CertificateService.file`: render when the cached key is
// not current, store, keep), so a job delivered twice, or racing a download, leaves one current render.
import { ApiError } from '../http/errors.ts';
import type { CertificateService } from '../certify/service.ts';
import type { CertificateFormatName } from '../store/certify-types.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { JobQueue } from './types.ts';

/** The formats rendered ahead: both a participant can download. */
export const PRERENDER_FORMATS: readonly CertificateFormatName[] = ['png', 'pdf'];

/** Renders run on the certificate service's thread pool; two jobs at once keep it busy without queueing in it. */
const CERTIFICATE_JOB_CONCURRENCY = 2;

const PAGE = 500;

/** The key of a certificate job: one queued per event, bib and format (a later change renders the current version). */
export const certificateJobKey = (eventId: number, bib: string, format: CertificateFormatName) => `${eventId}:${format}:${bib}`;

/** Registers the `certificate.render` handler. */
export function registerCertificateJobs(jobs: JobQueue, deps: { store: Store; certificates: CertificateService }): void {
  jobs.register(
    'certificate.render',
    async (p) => {
      const event = await deps.store.events.get(p.event_id);
      if (!event) return { skipped: 'the event was deleted' };
      try {
        const file = await deps.certificates.file(event, p.bib, p.format);
        return { bib: p.bib, format: p.format, blob_key: file.blobKey };
      } catch (e) {
        // Unpublished meanwhile (403) or the record deleted (404): nothing to render, not a failure.
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return { skipped: e.message };
        throw e;
      }
    },
    { concurrency: CERTIFICATE_JOB_CONCURRENCY },
  );
}

/**
 * Queues a render per record (or the given bibs) and format of an event whose certificates are published; nothing
 * when they are not. A certificate whose job is still queued is not queued twice. Returns how many were queued.
 */
export async function queueCertificateRenders(
  deps: { store: Store; jobs: JobQueue },
  event: EventRow,
  bibs?: readonly string[],
): Promise<number> {
  if (!(await deps.store.certificates.getState(event.id)).published) return 0;
  let all: string[] = bibs ? [...bibs] : [];
  if (!bibs) {
    for (let offset = 0; ; offset += PAGE) {
      const { items, total } = await deps.store.certificates.listRecords(event.id, { offset, limit: PAGE });
      all.push(...items.map((r) => r.bib));
      if (offset + PAGE >= total) break;
    }
  }
  all = [...new Set(all)];
  return deps.jobs.enqueueMany(
    'certificate.render',
    all.flatMap((bib) =>
      PRERENDER_FORMATS.map((format) => ({
        payload: { org_id: event.org_id, event_id: event.id, bib, format },
        key: certificateJobKey(event.id, bib, format),
      })),
    ),
  );
}
