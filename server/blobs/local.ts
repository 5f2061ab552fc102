import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteCounter } from './files.ts';
import { BlobStoreError, type BlobEntry, type BlobStat, type BlobStore } from './types.ts';

/** Blobs as files under one folder. Writes go to a temp file first, then rename: never half-written. */
export class LocalBlobStore implements BlobStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  get description() {
    return `folder ${this.root}`;
  }

  private path(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return p;
  }

  /** Unique per write: two writers of the same key (same content, concurrent ingests) never share a temp file. */
  private async tempFor(key: string): Promise<{ path: string; tmp: string }> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    return { path: p, tmp: `${p}.${process.pid}.${randomBytes(6).toString('hex')}.tmp` };
  }

  async put(key: string, data: Buffer): Promise<void> {
    const { path, tmp } = await this.tempFor(key);
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async putStream(key: string, body: Readable): Promise<{ bytes: number }> {
    const { path, tmp } = await this.tempFor(key);
    const count = byteCounter();
    try {
      await pipeline(body, count, createWriteStream(tmp));
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { bytes: count.bytes };
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const s = await stat(this.path(key));
      const etag = createHash('sha1').update(`${key}:${s.size}:${s.mtimeMs}`).digest('base64url').slice(0, 20);
      return { bytes: s.size, etag: `"${etag}"`, modified: s.mtime };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  stream(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(key), range);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (!prefix.endsWith('/')) throw new Error(`blob prefix must be a folder ending with a slash: ${prefix}`);
    await rm(this.path(prefix), { recursive: true, force: true });
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    if (prefix !== '' && !prefix.endsWith('/')) throw new Error(`blob prefix must be a folder ending with a slash: ${prefix}`);
    const dir = prefix === '' ? this.root : this.path(prefix);
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      // Temp files of writes in progress (or left by a crash) are not blobs.
      if (!e.isFile() || e.name.endsWith('.tmp')) continue;
      const path = join(e.parentPath, e.name);
      const s = await stat(path).catch(() => null);
      if (s) yield { key: relative(this.root, path).split(sep).join('/'), bytes: s.size, modified: s.mtime };
    }
  }

  presignedUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK | constants.R_OK);
    } catch (e) {
      throw new BlobStoreError(`the blob folder ${this.root} cannot be used: ${(e as Error).message}`);
    }
  }
}

export const blobDir = (dataDir: string) => join(dataDir, 'blobs');
