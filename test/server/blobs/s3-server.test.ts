// The server on S3 blobs: the S3_* settings, createDeps picking S3, a clear start-up error for a missing bucket or
// wrong credentials, and original downloads proxied (default) or redirected to S3 presigned URLs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DownloadOriginalsData } from '../../../core/index.ts';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { S3BlobStore } from '../../../server/blobs/s3.ts';
import { createDeps } from '../../../server/bootstrap.ts';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { json, testConfig } from '../../support/harness.ts';
import { startS3rver, type TestS3 } from '../../support/s3rver.ts';
import { runCli } from '../helpers/cli.ts';
import { createWorld, type World } from '../helpers/world.ts';

const S3_ENV = (s3: TestS3, over: Record<string, string> = {}) => ({
  S3_BUCKET: s3.settings.bucket,
  S3_ENDPOINT: s3.endpoint,
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
  ...over,
});

let s3: TestS3;
before(async () => {
  s3 = await startS3rver(['pf-server', 'pf-presigned']);
});
after(() => s3?.stop());

describe('S3 settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-s3-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, SIGNING_KEYS: 'test-signing-key-123', ...env });

  test('unset: blobs in the folder, S3 off', async () => {
    assert.equal(load({}).s3, null);
    const deps = await createDeps(testConfig(dir), { serveSite: false, faces: false, bibtrack: false });
    assert.ok(deps.blobs instanceof LocalBlobStore);
    assert.equal(deps.presignedDownloads, false);
    return deps.close();
  });

  test('S3_BUCKET set: createDeps stores blobs in the bucket; path style by default with an endpoint', async () => {
    const c = load(S3_ENV(s3, { S3_PRESIGNED_DOWNLOADS: 'on', S3_REGION: 'eu-west-3' }));
    assert.deepEqual(c.s3, {
      bucket: 'pf-server',
      region: 'eu-west-3',
      endpoint: s3.endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      presignedDownloads: true,
      prefix: '',
    });
    assert.equal(load({ S3_BUCKET: 'photos' }).s3?.forcePathStyle, false, 'AWS itself: virtual-hosted style');
    assert.equal(load({ S3_BUCKET: 'photos' }).s3?.endpoint, null);
    const deps = await createDeps(testConfig(dir, S3_ENV(s3, { S3_PRESIGNED_DOWNLOADS: 'on' })), {
      serveSite: false,
      faces: false,
      bibtrack: false,
    });
    try {
      assert.ok(deps.blobs instanceof S3BlobStore);
      assert.equal(deps.presignedDownloads, true);
      await deps.blobs.check();
    } finally {
      await deps.close();
    }
  });

  test('S3_PREFIX: two deployments share one bucket, each in its own folder, neither seeing the other', async () => {
    const make = (prefix: string) =>
      createDeps(testConfig(dir, S3_ENV(s3, { S3_PREFIX: prefix })), { serveSite: false, faces: false, bibtrack: false });
    const staging = await make('staging/');
    const live = await make('live/eu/');
    try {
      await staging.blobs.put('originals/a.jpg', Buffer.from('staging bytes'));
      await live.blobs.put('originals/a.jpg', Buffer.from('live bytes'));
      assert.equal((await staging.blobs.get('originals/a.jpg'))?.toString(), 'staging bytes');
      assert.equal((await live.blobs.get('originals/a.jpg'))?.toString(), 'live bytes');
      const raw = new S3BlobStore(s3.settings);
      assert.equal((await raw.get('staging/originals/a.jpg'))?.toString(), 'staging bytes', 'stored under the folder');
      assert.equal((await raw.get('live/eu/originals/a.jpg'))?.toString(), 'live bytes');
      await staging.blobs.delete('originals/a.jpg');
      assert.equal(await staging.blobs.get('originals/a.jpg'), null);
      assert.equal((await live.blobs.get('originals/a.jpg'))?.toString(), 'live bytes', 'a delete stays in its folder');
      await raw.deletePrefix('live/');
      raw.close();
    } finally {
      await staging.close();
      await live.close();
    }
  });

  test('settings that cannot work: one clear line per variable, the secret never echoed', () => {
    const problems = (env: Record<string, string>) => {
      try {
        load(env);
        return 'no error';
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
    };
    assert.match(problems({ S3_ENDPOINT: 'http://127.0.0.1:9000' }), /S3_ENDPOINT: set, but S3_BUCKET is not/);
    assert.match(
      problems({ S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'AK' }),
      /S3_SECRET_ACCESS_KEY: required with S3_ACCESS_KEY_ID/,
    );
    assert.match(problems({ S3_BUCKET: 'Bad_Bucket' }), /S3_BUCKET: must be an S3 bucket name/);
    assert.match(problems({ S3_BUCKET: 'photos', S3_ENDPOINT: 'ftp://x' }), /S3_ENDPOINT: must be an http\(s\) URL/);
    assert.match(problems({ S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: 'maybe' }), /S3_FORCE_PATH_STYLE: must be on or off/);
    for (const bad of ['staging', '/staging/', 'a//b/', 'a b/'])
      assert.match(
        problems({ S3_BUCKET: 'photos', S3_PREFIX: bad }),
        /S3_PREFIX: must be a folder of the bucket ending with a slash/,
      );
    assert.match(problems({ S3_PREFIX: 'staging/' }), /S3_PREFIX: set, but S3_BUCKET is not/);
    const secret = problems({ S3_SECRET_ACCESS_KEY: 'very-secret-value' });
    assert.match(secret, /S3_SECRET_ACCESS_KEY: set, but S3_BUCKET is not/);
    assert.doesNotMatch(secret, /very-secret-value/);
  });
});

describe('start-up: a missing bucket or wrong credentials stop the server at once, with the reason', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a missing bucket',
      { S3_BUCKET: 'no-such-bucket' },
      /S3 bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+ \(S3_BUCKET\): create it first/,
    ],
    [
      'a wrong secret',
      { S3_SECRET_ACCESS_KEY: 'wrong-secret' },
      /S3 refused access to bucket "pf-server".*check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/,
    ],
  ];
  for (const [command, [what, over, message]] of [
    ['serve', cases[0]!],
    ['serve', cases[1]!],
    ['worker', cases[0]!],
  ] as const) {
    test(`photo-finish ${command} with ${what}: exit 2, one clear line`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pf-s3-start-'));
      try {
        const r = await runCli([command], {
          DATA_DIR: dir,
          PORT: '0',
          PUBLIC_URL: 'https://photos.example.org',
          // Required with DATABASE_URL (a run of the suite on PostgreSQL): the bucket is what this test is about.
          SIGNING_KEYS: 'start-up-test-signing-key',
          ...S3_ENV(s3, over),
        });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
        assert.doesNotMatch(r.stdout, /is running/, 'it never started');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('a CLI command that needs blobs says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-s3-cli-'));
    try {
      const r = await runCli(['ingest', '--event', '1', dir], { DATA_DIR: dir, ...S3_ENV(s3, { S3_BUCKET: 'no-such-bucket' }) });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /S3 bucket "no-such-bucket" does not exist/);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('original downloads on S3', () => {
  const linkOf = async (w: World, imageId: string) => {
    const res = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/original-photos`, {
      key: w.publishable,
      body: { method: 'image_id', identifier: imageId },
    });
    const url = new URL((await json<DownloadOriginalsData>(res)).data.presigned_urls[0]!.url);
    return url.pathname + url.search;
  };

  test('proxied (default): the signed link streams the original from the bucket, Range included', async () => {
    const w = await createWorld({ blobs: new S3BlobStore(s3.settings, { prefix: 'proxied/' }) }, 2);
    try {
      const img = (await w.h.deps.store.images.getById(w.imageIds[0]!))!;
      const original = (await w.h.deps.blobs.get(img.original_key))!;
      const link = await linkOf(w, img.id);
      const res = await w.h.call(link);
      assert.equal(res.status, 200);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), original);
      const part = await w.h.call(link, { headers: { Range: 'bytes=2-9' } });
      assert.equal(part.status, 206);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), original.subarray(2, 10));
    } finally {
      await w.h.close();
      (w.h.deps.blobs as S3BlobStore).close();
    }
  });

  test('S3_PRESIGNED_DOWNLOADS: the signed link is checked, then redirected to a 5-minute presigned URL of the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-s3-presigned-'));
    const config = testConfig(dir, S3_ENV(s3, { S3_BUCKET: 'pf-presigned', S3_PRESIGNED_DOWNLOADS: 'on' }));
    const w = await createWorld({ config }, 2);
    try {
      assert.ok(w.h.deps.blobs instanceof S3BlobStore);
      const img = (await w.h.deps.store.images.getById(w.imageIds[1]!))!;
      const original = (await w.h.deps.blobs.get(img.original_key))!;
      const link = await linkOf(w, img.id);
      const res = await w.h.call(link);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      const location = res.headers.get('location')!;
      assert.match(location, new RegExp(`^${s3.endpoint}/pf-presigned/originals/${img.id}\\.jpg\\?`));
      assert.match(location, /X-Amz-Expires=300&/);
      const file = await fetch(location);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-disposition'), `attachment; filename="${img.id}.jpg"`);
      assert.equal(file.headers.get('content-type'), 'image/jpeg');
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), original);
      // Our own checks still come first: a changed link is 403, never a redirect.
      const tampered = await w.h.call(link.replace(/sig=[^&]+/, 'sig=AAAA'));
      assert.equal(tampered.status, 403);
      assert.equal(tampered.headers.get('location'), null);
    } finally {
      await w.h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
