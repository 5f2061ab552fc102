import type { Readable } from 'node:stream';

export interface BlobStat {
  bytes: number;
  /** Strong validator for ETag; stable for the blob's life. */
  etag: string;
  modified: Date;
}

/**
 * Binary objects (originals, renditions, watermark images). Keys are slash-separated paths.
 * The local-folder adapter is the default; an S3-compatible adapter implements the same contract.
 */
export interface BlobStore {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  stat(key: string): Promise<BlobStat | null>;
  /** A byte range [start, end] inclusive, or the whole blob. */
  stream(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
  /** Deletes every blob under a folder prefix (`covers/7/`: ends with a slash); nothing there is not an error. */
  deletePrefix(prefix: string): Promise<void>;
}
