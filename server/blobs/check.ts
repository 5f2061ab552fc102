import { BlobStoreError, type BlobStore } from './types.ts';

/**
 * At the start of `serve` and `worker`: a missing bucket, wrong credentials or an unreachable endpoint stop the
 * process now (exit 2, one line with the reason), not at the first upload.
 */
export async function checkBlobsOrExit(deps: { blobs: BlobStore; close(): Promise<void> }): Promise<void> {
  try {
    await deps.blobs.check();
  } catch (e) {
    if (!(e instanceof BlobStoreError)) throw e;
    console.error(`photo-finish: ${e.message}\nSee docs/operations.md (Blob storage).`);
    await deps.close().catch(() => undefined);
    process.exit(2);
  }
}
