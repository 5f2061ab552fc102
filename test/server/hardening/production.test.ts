// Production serving (`photo-finish serve`) against the demo (`npm start`): never a seed, a printed secret or the
// test gateway in production; PUBLIC_URL required there; secrets on disk 0600; orphan files swept at start.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { LocalBlobStore } from '../../../server/blobs/local.ts';
import { sweepOrphans } from '../../../server/services/orphans.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { blobKeys, hasBlob } from '../helpers/blobs.ts';
import { createWorld } from '../helpers/world.ts';
import { seedDemo } from '../../../server/seed/demo.ts';
import { createHarness } from '../../support/harness.ts';
import { openDataDirStore } from '../../support/store.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pf-prod-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `photo-finish serve` and resolves with its URL and output once it listens (or rejects when it exits). */
function serve(env: Record<string, string>) {
  const child = startCli(['serve'], { PORT: '0', LOG_LEVEL: 'warn', ...env });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /photo-finish is running at (http:\/\/[\d.:]+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('close', (code) => reject(new Error(`serve exited (${code}):\n${out}`)));
  });
  return { child, ready, output: () => out };
}

describe('photo-finish serve is production serving', () => {
  test('without PUBLIC_URL, or with the test gateway on, it refuses to start and says why', async () => {
    const dir = tempDir();
    const bare = await runCli(['serve'], { DATA_DIR: dir, PORT: '0' });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /PUBLIC_URL: required by `photo-finish serve`/);
    const gw = await runCli(['serve'], {
      DATA_DIR: dir,
      PORT: '0',
      PUBLIC_URL: 'https://p.example',
      CHECKOUT_TEST_GATEWAY: 'on',
    });
    assert.equal(gw.code, 2);
    assert.match(gw.stderr, /CHECKOUT_TEST_GATEWAY: the test gateway settles orders without money: it cannot be on/);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f !== 'signing.key'),
      [],
      'nothing seeded',
    );
  });

  test('loadConfig: production needs PUBLIC_URL and has no test gateway; the demo keeps it on by default', () => {
    const dir = tempDir();
    assert.throws(() => loadConfig({ DATA_DIR: dir }, 'production'), ConfigError);
    const prod = loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://p.example/' }, 'production');
    assert.equal(prod.mode, 'production');
    assert.equal(prod.publicUrl, 'https://p.example');
    assert.equal(prod.checkout.testGateway, false);
    assert.equal(loadConfig({ DATA_DIR: dir }).checkout.testGateway, true);
    assert.equal(loadConfig({ DATA_DIR: dir, CHECKOUT_TEST_GATEWAY: 'off' }).checkout.testGateway, false);
  });

  test('it seeds nothing, prints no key, serves no demo page, and builds links from PUBLIC_URL whatever the Host', async () => {
    const dir = tempDir();
    const store = openDataDirStore(dir);
    const org = await store.orgs.create('Prod club');
    const event = await store.events.create(org.id, { name: 'Prod 10K' });
    const key = (await createApiKey(store, org.id, { kind: 'publishable' })).key;
    await store.close();
    const s = serve({ DATA_DIR: dir, PUBLIC_URL: 'https://photos.example.org', STATIC_ROOT: join(dir, 'no-dist') });
    try {
      const url = await s.ready;
      assert.doesNotMatch(s.output(), /\b(sk|pk)_[\w-]{8,}|secret key|publishable key/i, 'no key printed');
      assert.equal(existsSync(join(dir, 'demo.json')), false, 'no demo seeded');
      const check = openDataDirStore(dir);
      assert.equal((await check.orgs.list()).length, 1, 'no demo organisation');
      await check.close();
      assert.equal((await fetch(`${url}/`)).status, 404, 'no demo page');
      const res = await fetch(`${url}/api/v1/ext/${org.id}/event/${event.id}/images`, {
        headers: { 'X-API-Key': key, Host: 'evil.example' },
      });
      assert.equal(res.status, 200);
      const docs = (await (await fetch(`${url}/api/v1/openapi.json`, { headers: { Host: 'evil.example' } })).json()) as {
        servers: { url: string }[];
      };
      assert.deepEqual(docs.servers, [{ url: 'https://photos.example.org' }]);
    } finally {
      s.child.kill('SIGTERM');
    }
  });
});

describe('secrets on disk', () => {
  test('signing.key is 0600 (made so when an older one was wider), DATA_DIR 0700', () => {
    const dir = join(tempDir(), 'data');
    loadConfig({ DATA_DIR: dir });
    assert.equal(statSync(join(dir, 'signing.key')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    writeFileSync(join(dir, 'signing.key'), 'k'.repeat(40), { mode: 0o644 });
    loadConfig({ DATA_DIR: dir });
    assert.equal(statSync(join(dir, 'signing.key')).mode & 0o777, 0o600);
  });

  test('the demo seed writes demo.json 0600 (it holds the demo secret key)', async () => {
    const h = createHarness();
    try {
      const { deps } = h;
      await seedDemo({ ...deps, dataDir: h.dir, baseUrl: 'http://127.0.0.1', count: 1, shopPhotos: 0 });
      assert.equal(statSync(join(h.dir, 'demo.json')).mode & 0o777, 0o600);
    } finally {
      await h.close();
    }
  });
});

describe('orphan files of interrupted uploads are swept at start', () => {
  test('an original and renditions without a row, blob temp files and spooled bodies go; photos with a row and fresh files stay', async () => {
    const w = await createWorld({}, 1);
    try {
      const dir = w.h.dir;
      const { blobs } = w.h.deps;
      const kept = w.imageIds[0]!;
      const orphan = '00000000-dead-beef-0000-000000000001';
      const x = Buffer.from('x'.repeat(1000));
      // Through the BlobStore: the folder, or the bucket when the suite runs on S3 (PF_TEST_BLOBS=s3).
      await blobs.put(`originals/${orphan}.jpg`, x);
      await blobs.put(`renditions/${orphan}/thumb-320.webp`, x);
      mkdirSync(join(dir, 'tmp', 'upload-x'), { recursive: true });
      writeFileSync(join(dir, 'tmp', 'upload-x', '0'), x);
      // A temp file of an interrupted write exists only in the folder (an interrupted S3 multipart upload is no object).
      const temp = blobs instanceof LocalBlobStore ? join(blobs.root, 'originals', `${kept}.jpg.123.abc.tmp`) : null;
      if (temp) writeFileSync(temp, x);

      assert.deepEqual(
        await sweepOrphans(w.h.deps, dir),
        { files: 0, bytes: 0 },
        'younger than an hour: may be an ingest in progress',
      );
      assert.ok(await hasBlob(blobs, `originals/${orphan}.jpg`));

      const swept = await sweepOrphans(w.h.deps, dir, { now: Date.now() + 2 * 3600_000 });
      assert.equal(swept.files, temp ? 4 : 3, JSON.stringify(swept));
      assert.equal(await hasBlob(blobs, `originals/${orphan}.jpg`), false);
      assert.deepEqual(await blobKeys(blobs, `renditions/${orphan}/`), []);
      if (temp) assert.equal(existsSync(temp), false);
      assert.equal(existsSync(join(dir, 'tmp', 'upload-x')), false);
      assert.ok(await hasBlob(blobs, `originals/${kept}.jpg`), 'a photo with its row stays');
      assert.ok((await blobKeys(blobs, `renditions/${kept}/`)).length > 0);
    } finally {
      await w.h.close();
    }
  });
});
