import type { BlobStore } from '../blobs/types.ts';
import type { Logger } from '../log.ts';
import type { Signer } from '../services/signing.ts';
import type { EventRow, Store } from '../store/types.ts';

/** What the certificate service and its parts are built from (server/bootstrap.ts). */
export interface CertifyDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  log: Logger;
  /**
   * Queues renders ahead of downloads (server/jobs/certificate-jobs.ts, CERTIFICATE_PRERENDER): called after the
   * certificates are published or change while published, for every record or the given bibs. Absent: off.
   */
  prerender?: (event: EventRow, bibs?: string[]) => Promise<unknown>;
}
