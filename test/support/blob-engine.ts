// Which blob store the server tests run on. `PF_TEST_BLOBS=s3` (set by `npm run test:server:s3`, which starts one
// s3rver for the run: scripts/test-server.mjs) gives every harness an S3BlobStore over that server, under a key
// prefix of its own; unset or `local` = the folder DATA_DIR/blobs, as in production's default.
import { randomUUID } from 'node:crypto';
import { S3BlobStore, type S3Settings } from '../../server/blobs/s3.ts';

export type TestBlobEngine = 'local' | 's3';

export function testBlobEngine(): TestBlobEngine {
  const v = process.env.PF_TEST_BLOBS ?? 'local';
  if (v !== 'local' && v !== 's3') throw new Error(`PF_TEST_BLOBS must be local or s3 (got ${JSON.stringify(v)})`);
  return v;
}

/** The test S3 server of this run (PF_TEST_S3_ENDPOINT, PF_TEST_S3_BUCKET), with s3rver's key pair. */
export function testS3Settings(): S3Settings {
  const endpoint = process.env.PF_TEST_S3_ENDPOINT;
  const bucket = process.env.PF_TEST_S3_BUCKET;
  if (!endpoint || !bucket)
    throw new Error(
      'PF_TEST_BLOBS=s3 needs the test S3 server: run the tests through `node scripts/test-server.mjs --blobs s3 [files]` (npm run test:server:s3)',
    );
  return { bucket, endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
}

/** The key prefix of each DATA_DIR whose harness stores its blobs on the test S3 server. */
const prefixes = new Map<string, string>();

/**
 * A fresh, empty S3 blob store on the run's test server, or null when the tests run on the local folder. With
 * the harness's DATA_DIR, CLI children given that DATA_DIR get the same bucket and prefix (testBlobEnv).
 */
export function testBlobStore(dataDir?: string): S3BlobStore | null {
  if (testBlobEngine() !== 's3') return null;
  const prefix = `t-${randomUUID()}/`;
  if (dataDir) prefixes.set(dataDir, prefix);
  return new S3BlobStore(testS3Settings(), { prefix });
}

/**
 * The blob store of a harness opened on another harness's DATA_DIR (a second process on the same data, as the
 * folder engine shares DATA_DIR/blobs): the same bucket and prefix, or null when that DATA_DIR has none (the
 * folder engine, or a DATA_DIR no harness owns). Its owner empties it; this one only closes its client.
 */
export function sharedTestBlobStore(dataDir: string): S3BlobStore | null {
  const prefix = testBlobEngine() === 's3' ? prefixes.get(dataDir) : undefined;
  return prefix ? new S3BlobStore(testS3Settings(), { prefix }) : null;
}

/** Forgets a DATA_DIR's prefix once its harness has closed. */
export function releaseTestBlobs(dataDir: string): void {
  prefixes.delete(dataDir);
}

/** The S3_* settings of a harness's blob store for a CLI child on its DATA_DIR; {} on the local folder. */
export function testBlobEnv(dataDir: string): Record<string, string> {
  const prefix = prefixes.get(dataDir);
  if (!prefix) return {};
  const s = testS3Settings();
  return {
    S3_BUCKET: s.bucket,
    S3_ENDPOINT: s.endpoint!,
    S3_REGION: s.region,
    S3_ACCESS_KEY_ID: s.accessKeyId!,
    S3_SECRET_ACCESS_KEY: s.secretAccessKey!,
    S3_PREFIX: prefix,
  };
}
