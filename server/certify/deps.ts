import type { BlobStore } from '../blobs/types.ts';
import type { Logger } from '../log.ts';
import type { Signer } from '../services/signing.ts';
import type { Store } from '../store/types.ts';

/** What the certificate service and its parts are built from (server/bootstrap.ts). */
export interface CertifyDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  log: Logger;
}
