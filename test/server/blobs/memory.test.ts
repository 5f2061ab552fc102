// Bounded memory: a 200 MB object streamed up (multipart on S3) and down through each adapter raises this
// process's peak resident memory by far less than its size. s3rver runs in its own process: only the adapter's
// memory is measured here.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { S3BlobStore } from '../../../server/blobs/s3.ts';
import type { BlobStore } from '../../../server/blobs/types.ts';
import { startS3rver, type TestS3 } from '../../support/s3rver.ts';
import { peakRss, resetPeak } from '../helpers/memory.ts';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
/**
 * Growth allowed over the memory before the transfer: on S3 the parts in flight (lib-storage holds about
 * (queueSize + 2) × 5 MiB, its copies included) plus the garbage V8 lets pile up before it collects Buffers
 * (measured 50–75 MiB here, whatever the object's size); locally a few stream buffers (9–33 MiB measured).
 */
const LIMIT = { s3: 100 * MiB, local: 64 * MiB };

/** SIZE bytes of counter-filled 1 MiB chunks (a fresh buffer each, as a file or socket would give), and their hash. */
function source(hash: ReturnType<typeof createHash>): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= SIZE) return void this.push(null);
      const b = Buffer.allocUnsafe(MiB).fill(sent / MiB);
      sent += MiB;
      hash.update(b);
      this.push(b);
    },
  });
}

async function roundTrip(blobs: BlobStore, key: string) {
  // Warm-up: the SDK's modules and connection pool load on the first request, not counted.
  await blobs.put(`${key}.warm`, Buffer.from('x'));
  for await (const _ of blobs.stream(`${key}.warm`)) void _;
  const before = resetPeak(process.pid);
  const up = createHash('sha256');
  const { bytes } = await blobs.putStream(key, source(up));
  const down = createHash('sha256');
  let read = 0;
  await pipeline(
    blobs.stream(key),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        read += chunk.length;
        down.update(chunk);
        cb();
      },
    }),
  );
  const growth = peakRss(process.pid) - before;
  return { bytes, read, same: up.digest('hex') === down.digest('hex'), growth };
}

describe('bounded memory: 200 MB up and down through the BlobStore', () => {
  let s3: TestS3;
  const dir = mkdtempSync(join(tmpdir(), 'pf-blob-memory-'));
  before(async () => {
    s3 = await startS3rver(['pf-memory']);
  });
  after(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('S3 (multipart upload, streamed GetObject)', async () => {
    const blobs = new S3BlobStore(s3.settings);
    try {
      const r = await roundTrip(blobs, 'videos/big/original.mp4');
      console.log(`[memory] S3: 200 MB up and down, peak RSS growth ${(r.growth / MiB).toFixed(1)} MiB`);
      assert.equal(r.bytes, SIZE);
      assert.equal(r.read, SIZE);
      assert.ok(r.same, 'the object comes back identical');
      assert.equal((await blobs.stat('videos/big/original.mp4'))?.bytes, SIZE);
      assert.ok(r.growth < LIMIT.s3, `peak RSS grew by ${(r.growth / MiB).toFixed(1)} MiB for a ${SIZE / MiB} MiB object`);
    } finally {
      await blobs.delete('videos/big/original.mp4');
      blobs.close();
    }
  });

  test('local folder (temp file then rename, file stream)', async () => {
    const blobs = new LocalBlobStore(dir);
    const r = await roundTrip(blobs, 'videos/big/original.mp4');
    console.log(`[memory] local: 200 MB up and down, peak RSS growth ${(r.growth / MiB).toFixed(1)} MiB`);
    assert.equal(r.bytes, SIZE);
    assert.ok(r.same);
    assert.ok(r.growth < LIMIT.local, `peak RSS grew by ${(r.growth / MiB).toFixed(1)} MiB for a ${SIZE / MiB} MiB object`);
  });
});
