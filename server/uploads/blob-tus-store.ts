// tus uploads kept in the blob store (the S3 bucket), so any API replica can resume an upload another one started.
//
// Why not @tus/s3-store: it tracks an upload's progress with S3 multipart uploads and reads it back with ListParts
// (and finds expired uploads with ListMultipartUploads); the S3-compatible server the test suite runs
// (@20minutes/s3rver) implements neither (405 MethodNotAllowed / 501 NotImplemented), and many small services
// (R2 until recently, some Ceph set-ups) lack one or the other. This store needs only what `BlobStore` does (put
// streamed, get, stat, list, delete), so it runs wherever the photos themselves are stored.
//
// Layout, under the blob store's own prefix (S3_PREFIX) and the `uploads/` folder:
//   uploads/<id>/info                 the upload's declaration (JSON: size, metadata, creation date)
//   uploads/<id>/chunks/<offset>      the bytes of one PATCH, named by the offset they start at (15 digits)
// A PATCH's body is spooled to a temporary file, then stored as one blob (multipart on S3 when large): a chunk
// exists whole or not at all, and a request cut off mid-way keeps the bytes it delivered (tus ends the body
// stream gracefully on abort). The upload's offset is the length of the contiguous run of chunks from 0, read
// from a listing: any replica computes the same. One PATCH per upload at a time is the locker's job (locker.ts).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataStore, ERRORS, Upload } from '@tus/server';
import { putFile } from '../blobs/files.ts';
import type { BlobStore } from '../blobs/types.ts';

const FOLDER = 'uploads/';
const OFFSET_DIGITS = 15;

interface Info {
  id: string;
  size?: number;
  metadata?: Record<string, string | null>;
  creation_date?: string;
}

interface Chunk {
  key: string;
  start: number;
  bytes: number;
}

export class BlobTusStore extends DataStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly o: { expirationPeriodInMilliseconds: number },
  ) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'creation-defer-length', 'termination', 'expiration'];
  }

  private static folder(id: string) {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw ERRORS.FILE_NOT_FOUND;
    return `${FOLDER}${id}/`;
  }

  private static infoKey(id: string) {
    return `${BlobTusStore.folder(id)}info`;
  }

  private static chunkKey(id: string, start: number) {
    return `${BlobTusStore.folder(id)}chunks/${String(start).padStart(OFFSET_DIGITS, '0')}`;
  }

  override async create(upload: Upload): Promise<Upload> {
    const info: Info = {
      id: upload.id,
      ...(upload.size !== undefined ? { size: upload.size } : {}),
      ...(upload.metadata ? { metadata: upload.metadata } : {}),
      creation_date: upload.creation_date ?? new Date().toISOString(),
    };
    await this.blobs.put(BlobTusStore.infoKey(upload.id), Buffer.from(JSON.stringify(info)));
    upload.creation_date = info.creation_date;
    upload.storage = { type: 'blob', path: BlobTusStore.folder(upload.id) };
    return upload;
  }

  private async info(id: string): Promise<Info> {
    const raw = await this.blobs.get(BlobTusStore.infoKey(id));
    if (!raw) throw ERRORS.FILE_NOT_FOUND;
    return JSON.parse(raw.toString('utf8')) as Info;
  }

  /** The chunks from offset 0 on, each starting where the previous one ends (anything else is ignored). */
  private async chunks(id: string): Promise<Chunk[]> {
    const byStart = new Map<number, Chunk>();
    const prefix = `${BlobTusStore.folder(id)}chunks/`;
    for await (const e of this.blobs.list(prefix)) {
      const start = Number(e.key.slice(e.key.lastIndexOf('/') + 1));
      if (Number.isSafeInteger(start) && e.bytes > 0) byStart.set(start, { key: e.key, start, bytes: e.bytes });
    }
    const run: Chunk[] = [];
    for (let at = 0, c = byStart.get(0); c; c = byStart.get(at)) {
      run.push(c);
      at += c.bytes;
    }
    return run;
  }

  override async getUpload(id: string): Promise<Upload> {
    const info = await this.info(id);
    const offset = (await this.chunks(id)).reduce((n, c) => n + c.bytes, 0);
    return new Upload({
      id,
      offset,
      ...(info.size !== undefined ? { size: info.size } : {}),
      ...(info.metadata ? { metadata: info.metadata } : {}),
      ...(info.creation_date ? { creation_date: info.creation_date } : {}),
      storage: { type: 'blob', path: BlobTusStore.folder(id) },
    });
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const tmp = await mkdtemp(join(tmpdir(), 'pf-tus-'));
    try {
      const file = join(tmp, 'chunk');
      let bytes = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          cb(null, chunk);
        },
      });
      await pipeline(readable, count, createWriteStream(file));
      if (bytes > 0) await putFile(this.blobs, BlobTusStore.chunkKey(id, offset), file);
      return offset + bytes;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  override async declareUploadLength(id: string, size: number): Promise<void> {
    const info = await this.info(id);
    info.size = size;
    await this.blobs.put(BlobTusStore.infoKey(id), Buffer.from(JSON.stringify(info)));
  }

  override async remove(id: string): Promise<void> {
    const folder = BlobTusStore.folder(id);
    if (!(await this.blobs.stat(BlobTusStore.infoKey(id)))) throw ERRORS.FILE_NOT_FOUND;
    // The declaration last: a remove cut short leaves an upload that can still be found and removed again.
    await this.blobs.deletePrefix(`${folder}chunks/`);
    await this.blobs.delete(BlobTusStore.infoKey(id));
  }

  /** The whole upload written to `path`, its chunks streamed one after the other (bounded memory). */
  async copyToFile(id: string, path: string): Promise<number> {
    await this.info(id);
    const chunks = await this.chunks(id);
    const out = createWriteStream(path);
    let bytes = 0;
    try {
      for (const c of chunks) {
        await pipeline(this.blobs.stream(c.key), out, { end: false });
        bytes += c.bytes;
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
    return bytes;
  }

  override getExpiration(): number {
    return this.o.expirationPeriodInMilliseconds;
  }

  /** Unfinished uploads older than the expiry are deleted (finished ones wait for their processing); returns how many. */
  override async deleteExpired(): Promise<number> {
    const expiry = this.getExpiration();
    if (expiry <= 0) return 0;
    const ids = new Set<string>();
    for await (const e of this.blobs.list(FOLDER)) {
      const m = /^uploads\/([^/]+)\/info$/.exec(e.key);
      if (m) ids.add(m[1]!);
    }
    let n = 0;
    for (const id of ids) {
      const upload = await this.getUpload(id).catch(() => null);
      if (!upload?.creation_date) continue;
      if (Date.parse(upload.creation_date) + expiry > Date.now()) continue;
      if (upload.size !== undefined && upload.offset === upload.size) continue;
      await this.remove(id).catch(() => undefined);
      n++;
    }
    return n;
  }
}
