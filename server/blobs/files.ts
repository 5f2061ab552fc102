// Files on disk <-> blobs, streamed (bounded memory whatever the size: 2 GB videos, 50 MB originals).
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './types.ts';

/** Counts the bytes that pass through. */
export function byteCounter(): Transform & { bytes: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      t.bytes += chunk.length;
      cb(null, chunk);
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

/** Stores a file as a blob, streamed. */
export async function putFile(blobs: BlobStore, key: string, path: string): Promise<{ bytes: number }> {
  return blobs.putStream(key, createReadStream(path));
}

/** Writes a blob to a file, streamed (e.g. for ffmpeg, which reads files). A failed copy leaves no file. */
export async function getToFile(blobs: BlobStore, key: string, path: string): Promise<void> {
  try {
    await pipeline(blobs.stream(key), createWriteStream(path));
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
}
