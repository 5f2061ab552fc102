// Blobs in any S3-compatible service (AWS S3, MinIO, Ceph, R2, …) through the official AWS SDK v3.
// Big bodies are streamed both ways: uploads through lib-storage's multipart Upload (about (queueSize + 2) × partSize
// bytes in memory, whatever the size), downloads piped from the GetObject response with backpressure.
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as S3Storage from '@aws-sdk/lib-storage';
import type * as S3Presigner from '@aws-sdk/s3-request-presigner';
import { createRequire } from 'node:module';
import { PassThrough, type Readable } from 'node:stream';
import { contentTypeFor } from './content-type.ts';
import { contentDisposition } from '../http/content-disposition.ts';
import { byteCounter } from './files.ts';
import { BlobStoreError, type BlobEntry, type BlobStat, type BlobStore, type PresignOptions } from './types.ts';

// The AWS SDK (CommonJS) loads when an S3 blob store is made, not at every start (issue 20, restart).
const load = createRequire(import.meta.url);
let sdkModule: typeof S3Sdk | undefined;
const sdk = () => (sdkModule ??= load('@aws-sdk/client-s3') as typeof S3Sdk);
const storage = () => load('@aws-sdk/lib-storage') as typeof S3Storage;
const presigner = () => load('@aws-sdk/s3-request-presigner') as typeof S3Presigner;

export interface S3Settings {
  bucket: string;
  region: string;
  /** Another service than AWS (e.g. http://127.0.0.1:9000 for MinIO); null = AWS S3 for the region. */
  endpoint: string | null;
  /** Both null = the SDK's default credential chain (environment, shared files, instance role). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible services need. */
  forcePathStyle: boolean;
}

export interface S3BlobOptions {
  /** Prepended to every key (several stores sharing one bucket, e.g. the tests). Empty or ending with a slash. */
  prefix?: string;
  /** Multipart upload part size in bytes (≥ 5 MiB, the S3 minimum, and the default: up to 50 GB in 10,000 parts). */
  partSize?: number;
  /** Parts uploaded at once (default 2): memory per upload ≈ partSize × (queueSize + 2). */
  queueSize?: number;
}

const MiB = 1024 * 1024;

type SdkError = Error & { $metadata?: { httpStatusCode?: number }; Code?: string };
const status = (e: unknown) => (e as SdkError).$metadata?.httpStatusCode;
const isNotFound = (e: unknown) => (e as Error).name === 'NoSuchKey' || (e as Error).name === 'NotFound' || status(e) === 404;

function enoent(key: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`blob not found: ${key}`);
  e.code = 'ENOENT';
  return e;
}

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    readonly settings: S3Settings,
    o: S3BlobOptions = {},
  ) {
    this.bucket = settings.bucket;
    this.prefix = o.prefix ?? '';
    if (this.prefix && !this.prefix.endsWith('/')) throw new Error(`S3 key prefix must end with a slash: ${this.prefix}`);
    this.partSize = Math.max(5 * MiB, o.partSize ?? 5 * MiB);
    this.queueSize = Math.max(1, o.queueSize ?? 2);
    this.client = new (sdk().S3Client)({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      ...(settings.accessKeyId && settings.secretAccessKey
        ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
        : {}),
      // Checksums only where the API requires them: many S3-compatible services reject (or do not know) the
      // flexible checksums SDK v3 adds by default since early 2025.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    if (settings.forcePathStyle) {
      // Path-style bucket-level requests (list, multi-delete, head bucket) are sent as `/bucket/`; some services
      // (s3rver among them) only route `/bucket`. Same request, so it is rewritten before it is signed.
      const bucketPath = `/${this.bucket}/`;
      this.client.middlewareStack.add(
        (next) => (args) => {
          const req = args.request as { path?: string };
          if (req.path === bucketPath) req.path = bucketPath.slice(0, -1);
          return next(args);
        },
        { step: 'build', name: 'dropBucketTrailingSlash' },
      );
    }
  }

  get description() {
    return `s3://${this.bucket}/${this.prefix}${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ` (${this.settings.region})`}`;
  }

  private key(key: string): string {
    if (!key || key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '.'))
      throw new Error(`invalid blob key: ${key}`);
    return this.prefix + key;
  }

  private folder(prefix: string): string {
    if (!prefix.endsWith('/')) throw new Error(`blob prefix must be a folder ending with a slash: ${prefix}`);
    return this.key(prefix);
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.client.send(
      new (sdk().PutObjectCommand)({ Bucket: this.bucket, Key: this.key(key), Body: data, ContentType: contentTypeFor(key) }),
    );
  }

  async putStream(key: string, body: Readable): Promise<{ bytes: number }> {
    const count = byteCounter();
    let sourceError: Error | null = null;
    body.on('error', (e) => {
      sourceError = e;
      count.destroy(e);
    });
    const upload = new (storage().Upload)({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(key), Body: body.pipe(count), ContentType: contentTypeFor(key) },
      partSize: this.partSize,
      queueSize: this.queueSize,
      // A failed upload aborts its multipart upload: no half-written object, no parts left billed.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      // The source's failure is the cause (a failing abort of the multipart upload must not hide it).
      throw sourceError ?? e;
    }
    return { bytes: count.bytes };
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const res = await this.client.send(new (sdk().GetObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const res = await this.client.send(new (sdk().HeadObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }));
      return {
        bytes: res.ContentLength ?? 0,
        etag: res.ETag?.startsWith('"') ? res.ETag : `"${res.ETag ?? ''}"`,
        modified: res.LastModified ?? new Date(0),
      };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  stream(key: string, range?: { start: number; end: number }): Readable {
    const out = new PassThrough();
    const abort = new AbortController();
    let body: Readable | null = null;
    // The consumer went away (a client disconnected mid-download): stop reading from S3.
    out.once('close', () => {
      if (!out.writableFinished) {
        abort.abort();
        body?.destroy();
      }
    });
    this.client
      .send(
        new (sdk().GetObjectCommand)({
          Bucket: this.bucket,
          Key: this.key(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
        { abortSignal: abort.signal },
      )
      .then((res) => {
        body = res.Body as Readable;
        if (out.destroyed) return void body.destroy();
        body.once('error', (e) => out.destroy(e));
        body.pipe(out);
      })
      .catch((e: unknown) => out.destroy(isNotFound(e) ? enoent(key) : (e as Error)));
    return out;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new (sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.deleteUnder(this.folder(prefix));
  }

  /** Deletes every blob of this store (everything under its key prefix): the tests' clean-up. */
  async deleteAll(): Promise<void> {
    if (!this.prefix) throw new Error('deleteAll empties a prefixed store only, never a whole bucket');
    await this.deleteUnder(this.prefix);
  }

  private async deleteUnder(fullPrefix: string): Promise<void> {
    let batch: string[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const res = await this.client.send(
        new (sdk().DeleteObjectsCommand)({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      batch = [];
      const failed = res.Errors ?? [];
      if (failed.length)
        throw new Error(
          `S3 could not delete ${failed.length} blob(s), e.g. ${failed[0]!.Key}: ${failed[0]!.Message ?? failed[0]!.Code}`,
        );
    };
    for await (const o of this.listUnder(fullPrefix)) {
      batch.push(o.key);
      if (batch.length === 1000) await flush();
    }
    await flush();
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    const under = prefix === '' ? this.prefix : this.folder(prefix);
    for await (const o of this.listUnder(under)) yield { ...o, key: o.key.slice(this.prefix.length) };
  }

  /** Objects under a full key prefix (this store's prefix included), with their full keys. */
  private async *listUnder(Prefix: string): AsyncIterable<BlobEntry> {
    let ContinuationToken: string | undefined;
    do {
      const res = await this.client.send(
        new (sdk().ListObjectsV2Command)({ Bucket: this.bucket, Prefix, ...(ContinuationToken ? { ContinuationToken } : {}) }),
      );
      for (const o of res.Contents ?? [])
        if (o.Key) yield { key: o.Key, bytes: o.Size ?? 0, modified: o.LastModified ?? new Date(0) };
      ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  presignedUrl(key: string, o: PresignOptions): Promise<string | null> {
    const cmd = new (sdk().GetObjectCommand)({
      Bucket: this.bucket,
      Key: this.key(key),
      ...(o.contentType ? { ResponseContentType: o.contentType } : {}),
      ...(o.downloadName ? { ResponseContentDisposition: contentDisposition('attachment', o.downloadName) } : {}),
    });
    return presigner().getSignedUrl(this.client, cmd, {
      expiresIn: Math.max(1, Math.min(604_800, Math.round(o.expiresInSeconds))),
    });
  }

  async check(): Promise<void> {
    const where = this.settings.endpoint ? ` at ${this.settings.endpoint}` : ` in ${this.settings.region}`;
    try {
      // A listing (not HeadBucket, whose errors have no body) says which of bucket or credentials is wrong.
      await this.client.send(
        new (sdk().ListObjectsV2Command)({ Bucket: this.bucket, MaxKeys: 1, Prefix: this.prefix || undefined }),
      );
    } catch (e) {
      const code = status(e);
      const name = (e as Error).name;
      if (code === 404 || name === 'NoSuchBucket' || name === 'NotFound')
        throw new BlobStoreError(`S3 bucket "${this.bucket}" does not exist${where} (S3_BUCKET): create it first`);
      if (code === 403 || code === 401 || /InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied/.test(name))
        throw new BlobStoreError(
          `S3 refused access to bucket "${this.bucket}"${where}${name && name !== 'Unknown' ? ` (${name})` : ''}: check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and that they may read and write this bucket`,
        );
      throw new BlobStoreError(
        `S3 bucket "${this.bucket}"${where} cannot be reached: ${(e as Error).message || name} (check S3_ENDPOINT and S3_REGION)`,
      );
    }
  }

  /** Closes the SDK's connection pool. */
  close(): void {
    this.client.destroy();
  }
}
