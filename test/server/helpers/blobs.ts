// Assertions on stored blobs through the BlobStore (never the folder), so they hold on the folder and on S3
// (PF_TEST_BLOBS=s3).
import type { BlobStore } from '../../../server/blobs/types.ts';

/** Every key of the store (or under a folder prefix), sorted. */
export async function blobKeys(blobs: BlobStore, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const e of blobs.list(prefix)) out.push(e.key);
  return out.sort();
}

export const hasBlob = async (blobs: BlobStore, key: string) => (await blobs.stat(key)) !== null;
