// One contract for every BlobStore adapter: the local folder and S3 (a real S3-compatible server, s3rver, which
// checks SigV4 signatures, started by this file in its own process).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { S3BlobStore } from '../../../server/blobs/s3.ts';
import { BlobStoreError, type BlobStore } from '../../../server/blobs/types.ts';
import { startS3rver, type TestS3 } from '../../support/s3rver.ts';

const MiB = 1024 * 1024;

async function read(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function keys(blobs: BlobStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of blobs.list(prefix)) out.push(e.key);
  return out.sort();
}

/** A deterministic body of `n` bytes in chunks of `chunk` bytes (never one big buffer). */
function body(n: number, chunk = 256 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= n) return void this.push(null);
      const len = Math.min(chunk, n - sent);
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i += 4096) b.writeUInt32LE((sent + i) >>> 0, i);
      sent += len;
      this.push(b);
    },
  });
}

/** A stream that fails after `n` bytes. */
function failing(n: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= n) return void this.destroy(new Error('the source broke'));
      sent += 64 * 1024;
      this.push(Buffer.alloc(64 * 1024, 1));
    },
  });
}

interface Adapter {
  name: string;
  make(): Promise<BlobStore>;
  /** Nothing half-written is left by a failed write (temp files, parts). */
  leftovers(): Promise<string[]>;
  done(): Promise<void>;
}

const localDir = mkdtempSync(join(tmpdir(), 'pf-blob-contract-'));
let s3: TestS3;
const adapters: Adapter[] = [
  {
    name: 'local folder',
    make: () => Promise.resolve(new LocalBlobStore(localDir)),
    leftovers: () => Promise.resolve((readdirSync(localDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.tmp'))),
    done: () => Promise.resolve(rmSync(localDir, { recursive: true, force: true })),
  },
  {
    name: 'S3 (s3rver)',
    // Small parts, so that a 12 MiB body is a real multipart upload.
    make: () => Promise.resolve(new S3BlobStore(s3.settings, { partSize: 5 * MiB })),
    async leftovers() {
      // An aborted multipart upload leaves no object (s3rver keeps no listing of parts, the object is what counts).
      return [];
    },
    done: async () => {},
  },
];

before(async () => {
  s3 = await startS3rver(['pf-contract']);
});
after(async () => {
  for (const a of adapters) await a.done();
  await s3?.stop();
});

for (const a of adapters) {
  describe(`BlobStore contract: ${a.name}`, () => {
    let blobs: BlobStore;
    before(async () => {
      blobs = await a.make();
      await blobs.check();
    });
    after(() => {
      if (blobs instanceof S3BlobStore) blobs.close();
    });

    test('put, get, stat; a missing key is null, not an error', async () => {
      await blobs.put('originals/a.jpg', Buffer.from('hello world'));
      assert.equal((await blobs.get('originals/a.jpg'))?.toString(), 'hello world');
      const st = await blobs.stat('originals/a.jpg');
      assert.equal(st?.bytes, 11);
      assert.match(st!.etag, /^".+"$/);
      assert.ok(st!.modified instanceof Date && !Number.isNaN(st!.modified.getTime()));
      assert.equal(await blobs.get('originals/missing.jpg'), null);
      assert.equal(await blobs.stat('originals/missing.jpg'), null);
    });

    test('a put replaces the blob; the ETag changes with the content', async () => {
      await blobs.put('covers/1/c.jpg', Buffer.from('one'));
      const first = await blobs.stat('covers/1/c.jpg');
      await blobs.put('covers/1/c.jpg', Buffer.from('second'));
      assert.equal((await blobs.get('covers/1/c.jpg'))?.toString(), 'second');
      const second = await blobs.stat('covers/1/c.jpg');
      assert.equal(second?.bytes, 6);
      assert.notEqual(second?.etag, first?.etag);
    });

    test('stream: the whole blob, a range [start, end] inclusive, a missing blob fails with ENOENT', async () => {
      await blobs.put('renditions/x/thumb-320.webp', Buffer.from('0123456789'));
      assert.equal((await read(blobs.stream('renditions/x/thumb-320.webp'))).toString(), '0123456789');
      assert.equal((await read(blobs.stream('renditions/x/thumb-320.webp', { start: 2, end: 5 }))).toString(), '2345');
      assert.equal((await read(blobs.stream('renditions/x/thumb-320.webp', { start: 9, end: 9 }))).toString(), '9');
      await assert.rejects(read(blobs.stream('renditions/x/none.webp')), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    });

    test('putStream: a 12 MiB body in chunks (multipart on S3) comes back identical, whole and by range', async () => {
      const n = 12 * MiB + 123;
      const want = await read(body(n));
      const res = await blobs.putStream('videos/v1/original.mp4', body(n));
      assert.equal(res.bytes, n);
      assert.equal((await blobs.stat('videos/v1/original.mp4'))?.bytes, n);
      const got = await read(blobs.stream('videos/v1/original.mp4'));
      assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(want).digest('hex'));
      const start = 5 * MiB - 10;
      const end = 5 * MiB + 10; // across a part boundary
      assert.deepEqual(await read(blobs.stream('videos/v1/original.mp4', { start, end })), want.subarray(start, end + 1));
      assert.deepEqual(await blobs.get('videos/v1/original.mp4'), want);
    });

    test('putStream of an empty stream stores an empty blob', async () => {
      assert.equal((await blobs.putStream('manifests/empty.json', Readable.from([]))).bytes, 0);
      assert.equal((await blobs.stat('manifests/empty.json'))?.bytes, 0);
    });

    test('a putStream whose source fails stores nothing: no blob, no old blob replaced, nothing half-written', async () => {
      await blobs.put('videos/v2/original.mp4', Buffer.from('the previous one'));
      await assert.rejects(blobs.putStream('videos/v2/original.mp4', failing(11 * MiB)), /the source broke/);
      await assert.rejects(blobs.putStream('videos/v3/original.mp4', failing(1 * MiB)), /the source broke/);
      assert.equal((await blobs.get('videos/v2/original.mp4'))?.toString(), 'the previous one');
      assert.equal(await blobs.stat('videos/v3/original.mp4'), null);
      assert.deepEqual(await a.leftovers(), []);
    });

    test('a reader that stops early (a client went away) ends the download cleanly', async () => {
      await blobs.putStream('videos/v4/original.mp4', body(8 * MiB));
      const s = blobs.stream('videos/v4/original.mp4');
      let got = 0;
      for await (const c of s) {
        got += (c as Buffer).length;
        if (got > 64 * 1024) break; // destroys the stream
      }
      assert.ok(s.destroyed);
      // The store still answers (no connection left hanging).
      assert.equal((await blobs.stat('videos/v4/original.mp4'))?.bytes, 8 * MiB);
    });

    test('delete is idempotent; deletePrefix removes a folder and nothing beside it; list walks a folder', async () => {
      await blobs.put('renditions/p1/thumb-320.webp', Buffer.from('a'));
      await blobs.put('renditions/p1/preview-1600.jpg', Buffer.from('bb'));
      await blobs.put('renditions/p10/thumb-320.webp', Buffer.from('c'));
      assert.deepEqual(await keys(blobs, 'renditions/p1/'), ['renditions/p1/preview-1600.jpg', 'renditions/p1/thumb-320.webp']);
      const entries: { key: string; bytes: number }[] = [];
      for await (const e of blobs.list('renditions/p1/')) entries.push({ key: e.key, bytes: e.bytes });
      assert.equal(entries.find((e) => e.key.endsWith('preview-1600.jpg'))?.bytes, 2);
      await blobs.deletePrefix('renditions/p1/');
      assert.deepEqual(await keys(blobs, 'renditions/p1/'), []);
      assert.deepEqual(await keys(blobs, 'renditions/p10/'), ['renditions/p10/thumb-320.webp'], 'p10 is not under p1/');
      await blobs.deletePrefix('renditions/none/');
      await blobs.delete('renditions/p10/thumb-320.webp');
      await blobs.delete('renditions/p10/thumb-320.webp');
      assert.equal(await blobs.stat('renditions/p10/thumb-320.webp'), null);
      await assert.rejects(blobs.deletePrefix('renditions/p10'), /ending with a slash/);
      assert.deepEqual(await keys(blobs, 'nothing/'), []);
      assert.ok((await keys(blobs, '')).includes('renditions/p10/thumb-320.webp') === false);
      assert.ok((await keys(blobs, '')).includes('originals/a.jpg'), "'' lists every blob of the store");
    });

    test('a key that would escape the store is refused', async () => {
      await assert.rejects(blobs.put('../outside.jpg', Buffer.from('x')));
      await assert.rejects(blobs.get('originals/../../outside.jpg'));
    });

    test('check() passes on a usable store', async () => {
      await blobs.check();
    });
  });
}

describe('S3 only: presigned URLs, credentials, bucket', () => {
  test('a presigned URL serves the blob as an attachment; a changed URL is refused (SigV4 checked)', async () => {
    const blobs = new S3BlobStore(s3.settings);
    try {
      await blobs.put('originals/p.jpg', Buffer.from('jpeg bytes'));
      const url = (await blobs.presignedUrl('originals/p.jpg', {
        expiresInSeconds: 300,
        downloadName: 'spring-10k_101.jpg',
        contentType: 'image/jpeg',
      }))!;
      assert.match(url, /X-Amz-Signature=/);
      assert.match(url, /X-Amz-Expires=300/);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/jpeg');
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="spring-10k_101.jpg"');
      assert.equal(await res.text(), 'jpeg bytes');
      const ranged = await fetch(url, { headers: { Range: 'bytes=0-3' } });
      assert.equal(ranged.status, 206);
      assert.equal(await ranged.text(), 'jpeg');
      const tampered = await fetch(url.replace('originals/p.jpg', 'originals/q.jpg'));
      assert.equal(tampered.status, 403);
      await tampered.body?.cancel();
      assert.equal(await new LocalBlobStore(localDir).presignedUrl(), null, 'the folder has no such URLs: proxied');
    } finally {
      blobs.close();
    }
  });

  test('wrong credentials, a missing bucket, an unreachable endpoint: check() says which, clearly', async () => {
    const cases: [Partial<typeof s3.settings>, RegExp][] = [
      [
        { secretAccessKey: 'not-the-secret' },
        /refused access to bucket "pf-contract".*S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/,
      ],
      [{ accessKeyId: 'NOBODY' }, /refused access.*InvalidAccessKeyId|refused access/],
      [{ bucket: 'no-such-bucket' }, /bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+ \(S3_BUCKET\)/],
      [{ endpoint: 'http://127.0.0.1:1' }, /cannot be reached: .*ECONNREFUSED.*S3_ENDPOINT/],
    ];
    for (const [change, message] of cases) {
      const blobs = new S3BlobStore({ ...s3.settings, ...change });
      try {
        await assert.rejects(
          blobs.check(),
          (e: Error) => e instanceof BlobStoreError && message.test(e.message),
          JSON.stringify(change),
        );
      } finally {
        blobs.close();
      }
    }
  });

  test('a key prefix keeps two stores in one bucket apart', async () => {
    const one = new S3BlobStore(s3.settings, { prefix: 'one/' });
    const two = new S3BlobStore(s3.settings, { prefix: 'two/' });
    try {
      await one.put('originals/x.jpg', Buffer.from('1'));
      assert.equal(await two.get('originals/x.jpg'), null);
      assert.deepEqual(await keys(one, 'originals/'), ['originals/x.jpg']);
      await one.deleteAll();
      assert.equal(await one.get('originals/x.jpg'), null);
    } finally {
      one.close();
      two.close();
    }
  });
});

test('the local folder: check() refuses a folder it cannot create', async () => {
  const file = join(localDir, 'a-file');
  await new LocalBlobStore(localDir).put('a-file', Buffer.from('x'));
  assert.ok(existsSync(file));
  await assert.rejects(new LocalBlobStore(join(file, 'blobs')).check(), BlobStoreError);
});
