import type { Readable } from 'node:stream';

export interface BlobStat {
  bytes: number;
  /** Strong validator for ETag; stable for the blob's life. */
  etag: string;
  modified: Date;
}

/** One blob of a listing. */
export interface BlobEntry {
  key: string;
  bytes: number;
  modified: Date;
}

export interface PresignOptions {
  /** Seconds the URL stays valid (1–604800). */
  expiresInSeconds: number;
  /** Served as an attachment with this file name (Content-Disposition). */
  downloadName?: string;
  contentType?: string;
}

/** The blob store cannot be used (a bad folder, an unknown bucket, wrong credentials): the message says which. */
export class BlobStoreError extends Error {
  override readonly name = 'BlobStoreError';
}

/**
 * Binary objects (originals, renditions, videos, watermark images, certificates). Keys are slash-separated paths.
 * Two adapters: the local folder (`local.ts`, the default) and any S3-compatible service (`s3.ts`). Big files
 * (originals, videos, ZIP members) go through `putStream` / `stream`, so memory stays bounded whatever their size;
 * `put` / `get` are for small blobs (renditions, watermark images, certificate backgrounds, manifests).
 */
export interface BlobStore {
  /** What the store is, for logs and errors: `folder /data/blobs` or `s3://bucket (endpoint)`. */
  readonly description: string;
  put(key: string, data: Buffer): Promise<void>;
  /**
   * Writes a stream (multipart upload on S3, a temp file then a rename locally): at most a few parts are held in
   * memory. Never half-written: a failed stream leaves no blob. Resolves with the bytes written.
   */
  putStream(key: string, body: Readable): Promise<{ bytes: number }>;
  get(key: string): Promise<Buffer | null>;
  stat(key: string): Promise<BlobStat | null>;
  /**
   * A byte range [start, end] inclusive, or the whole blob, read as the consumer asks for it (backpressure).
   * A missing blob makes the stream fail with an error whose `code` is `ENOENT`.
   */
  stream(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
  /** Deletes every blob under a folder prefix (`covers/7/`: ends with a slash); nothing there is not an error. */
  deletePrefix(prefix: string): Promise<void>;
  /** Every blob under a folder prefix (ending with a slash; `''` = every blob of the store), in no particular order. */
  list(prefix: string): AsyncIterable<BlobEntry>;
  /**
   * A URL that serves the blob directly to a browser for a while (an S3 presigned GET), or null when the store
   * has no such URLs (the local folder: the server streams the file itself).
   */
  presignedUrl(key: string, o: PresignOptions): Promise<string | null>;
  /** Checked at start: the store is usable (folder writable; bucket reachable with these credentials). Throws a BlobStoreError. */
  check(): Promise<void>;
}
