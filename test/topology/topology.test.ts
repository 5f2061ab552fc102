// The production topology, all real processes on 127.0.0.1: PostgreSQL (a throw-away cluster), the S3 server
// (s3rver), two API replicas (`photo-finish serve`) and two workers (`photo-finish worker`), sharing only the
// database and the bucket. 500 photos go in through both replicas (race-day tus uploads and admin uploads with a
// BIB sidecar) while participants list and search the event through both replicas; one worker is killed with
// SIGKILL mid-way. At the end every photo is stored exactly once (one row, one original, its renditions, no staged
// copy left), every upload is processed, no job is dead, and both replicas answer every search the same way.
// Waits on state only; the suite's timeout bounds it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import sharp from 'sharp';
import { S3BlobStore } from '../../server/blobs/s3.ts';
import { postgresAvailable } from '../support/pg-cluster.ts';
import { startTopology, type Topology, type TopologyProc } from '../support/topology.ts';

const PHOTOS = Number(process.env.TOPOLOGY_PHOTOS ?? 500);
/** Photos sent by the admin upload (with a BIB each, in batches); the rest by tus. */
const ADMIN_PHOTOS = Math.round(PHOTOS / 5);
const ADMIN_BATCH = Math.min(25, ADMIN_PHOTOS);
const PARALLEL_UPLOADS = 6;

const skip = !postgresAvailable() && !process.env.CI ? 'PostgreSQL binaries not installed' : false;

/** A small JPEG, different for every i (a gradient and the number's bits as blocks). */
async function photo(i: number): Promise<Buffer> {
  const w = 320;
  const h = 240;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const bit = (i >> (Math.floor(x / 32) + 10 * Math.floor(y / 120))) & 1;
      const o = (y * w + x) * 3;
      raw[o] = (x + i * 7) & 255;
      raw[o + 1] = bit ? 220 : 30;
      raw[o + 2] = (y + i * 13) & 255;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string, procs: TopologyProc[]): Promise<T> {
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    const dead = procs.find((p) => p.name !== 'worker-1' && p.child.exitCode !== null);
    if (dead)
      throw new Error(`${dead.name} exited (${dead.child.exitCode}) while waiting for ${what}:\n${dead.out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('topology: 2 API replicas, 2 workers, PostgreSQL, S3', { skip, timeout: 900_000 }, () => {
  let t: Topology;
  let procs: TopologyProc[];
  let orgId: number;
  let eventId: number;
  let secret: string;
  let publishable: string;
  let db: pg.Pool;

  before(async () => {
    t = await startTopology({
      name: 'topology',
      env: (root) => ({
        PHOTO_FINISH_SOURCES: '1',
        JOB_TIMEOUT_SECONDS: '10',
        LOG_LEVEL: 'warn',
        // No face or OCR models: photos are stored with a warning (the pipeline's heavy stages are measured by bench/).
        MODELS_DIR: join(root, 'no-models'),
      }),
    });
    procs = t.procs;
    const { cli, start } = t;
    db = new pg.Pool({ connectionString: t.cluster.url, max: 2 });
    await cli(['migrate']);
    orgId = (JSON.parse(await cli(['org', 'create', '--name', 'Topology Club'])) as { id: number }).id;
    eventId = (JSON.parse(await cli(['event', 'create', '--org', String(orgId), '--name', 'City Marathon'])) as { id: number })
      .id;
    secret = (JSON.parse(await cli(['key', 'create', '--org', String(orgId)])) as { key: string }).key;
    publishable = (JSON.parse(await cli(['key', 'create', '--org', String(orgId), '--publishable'])) as { key: string }).key;
    await Promise.all([
      start('api-1', 'serve'),
      start('api-2', 'serve'),
      start('worker-1', 'worker'),
      start('worker-2', 'worker'),
    ]);
  });

  after(async () => {
    await db?.end();
    await t?.close();
  });

  test(`${PHOTOS} photos through both replicas while participants search; a worker killed mid-way; every photo stored once`, async () => {
    const [api1, api2] = procs.filter((p) => p.name.startsWith('api-')) as [TopologyProc, TopologyProc];
    const replicas = [api1.url!, api2.url!];
    const adminBase = (i: number) => `${replicas[i % 2]}/api/v1/admin/${orgId}/events/${eventId}`;
    const extBase = (i: number) => `${replicas[i % 2]}/api/v1/ext/${orgId}/event/${eventId}`;

    // Participants: list the gallery and search a bib through both replicas until the end.
    let searching = true;
    const seen: number[][] = [[], []];
    const participants = (async () => {
      let n = 0;
      while (searching) {
        const i = n++ % 2;
        const res = await fetch(`${extBase(i)}/images?page_size=1`, { headers: { 'X-API-Key': publishable } });
        assert.equal(res.status, 200, `replica ${i + 1} listing`);
        const body = (await res.json()) as { data: { pagination: { total: number } } };
        seen[i]!.push(body.data.pagination.total);
        const bib = await fetch(`${extBase(i)}/bibs/1001`, { headers: { 'X-API-Key': publishable } });
        assert.ok(bib.status === 200 || bib.status === 404, `replica ${i + 1} bib search: ${bib.status}`);
      }
    })();

    const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => photo(i)));
    let processedAtKill = -1;
    const killWorker = async () => {
      const w1 = procs.find((p) => p.name === 'worker-1')!;
      processedAtKill = Number((await db.query('SELECT COUNT(*) AS n FROM images')).rows[0].n);
      w1.child.kill('SIGKILL');
      await new Promise((r) => w1.child.once('exit', r));
    };

    // Race-day uploads (tus, creation-with-upload: one request each), alternating replicas, a few at a time.
    const tusIds: string[] = [];
    const tusCount = PHOTOS - ADMIN_PHOTOS;
    let next = 0;
    const tusUploader = async () => {
      while (next < tusCount) {
        const i = next++;
        const data = photos[i]!;
        const res = await fetch(`${adminBase(i)}/uploads`, {
          method: 'POST',
          headers: {
            'X-API-Key': secret,
            'Tus-Resumable': '1.0.0',
            'Upload-Length': String(data.length),
            'Upload-Metadata': `filename ${Buffer.from(`tus-${i}.jpg`).toString('base64')},filetype ${Buffer.from('image/jpeg').toString('base64')}`,
            'Content-Type': 'application/offset+octet-stream',
          },
          body: data,
        });
        assert.equal(res.status, 201, `tus upload ${i}: ${res.status} ${await res.clone().text()}`);
        assert.equal(res.headers.get('upload-offset'), String(data.length));
        tusIds.push(res.headers.get('location')!.split('/').pop()!);
        if (i === Math.floor(tusCount / 2)) await killWorker();
      }
    };
    // Admin uploads: batches with a BIB sidecar, the request waiting for its photos (jobs on the workers).
    const adminResults: { status: string; image_id: string | null }[] = [];
    const adminUploader = async () => {
      for (let b = 0; b < ADMIN_PHOTOS / ADMIN_BATCH; b++) {
        const form = new FormData();
        const lines = ['file,bib'];
        for (let k = 0; k < ADMIN_BATCH; k++) {
          const i = tusCount + b * ADMIN_BATCH + k;
          form.append('files', new Blob([photos[i]!], { type: 'image/jpeg' }), `admin-${i}.jpg`);
          lines.push(`admin-${i}.jpg,${1000 + b * ADMIN_BATCH + k}`);
        }
        form.append('bibs', new Blob([lines.join('\n')], { type: 'text/csv' }), 'bibs.csv');
        const res = await fetch(`${adminBase(b)}/photos`, { method: 'POST', headers: { 'X-API-Key': secret }, body: form });
        assert.equal(res.status, 200, await res.clone().text());
        const { data } = (await res.json()) as { data: { results: { status: string; image_id: string | null }[] } };
        adminResults.push(...data.results);
      }
    };
    await Promise.all([...Array.from({ length: PARALLEL_UPLOADS - 1 }, tusUploader), adminUploader()]);
    assert.ok(processedAtKill >= 0 && processedAtKill < PHOTOS, `the worker was killed mid-way (${processedAtKill} stored then)`);

    // Every photo ends stored (the survivor takes over the killed worker's jobs after JOB_TIMEOUT_SECONDS).
    const survivors = procs.filter((p) => p.name !== 'worker-1');
    await until(
      async () => Number((await db.query(`SELECT COUNT(*) AS n FROM uploads WHERE state = 'processed'`)).rows[0].n),
      (n) => n === tusCount,
      'every tus upload processed',
      survivors,
    );
    // …and the queue settled: the killed worker's jobs were delivered again (one may have stored its photo but not
    // yet removed the upload's files; its second delivery removes them).
    await until(
      async () =>
        Number(
          (
            await db.query(
              `SELECT COUNT(*) AS n FROM pgboss.job WHERE name IN ('upload.process', 'photo.ingest') AND state IN ('created', 'retry', 'active')`,
            )
          ).rows[0].n,
        ),
      (n) => n === 0,
      'no upload or photo job left to run',
      survivors,
    );
    searching = false;
    await participants;

    // Exactly once: one row per photo, renditions, one original and its renditions in the bucket, nothing staged.
    const images = (await db.query('SELECT id, original_key FROM images WHERE event_id = $1', [eventId])).rows as {
      id: string;
      original_key: string;
    }[];
    assert.equal(images.length, PHOTOS);
    assert.equal(new Set(images.map((r) => r.id)).size, PHOTOS);
    const uploads = (await db.query('SELECT state, image_id FROM uploads WHERE event_id = $1', [eventId])).rows as {
      state: string;
      image_id: string;
    }[];
    assert.equal(uploads.length, tusCount);
    assert.deepEqual([...new Set(uploads.map((u) => u.state))], ['processed']);
    assert.equal(new Set(uploads.map((u) => u.image_id)).size, tusCount, 'each upload its own photo');
    assert.equal(adminResults.length, ADMIN_PHOTOS);
    assert.deepEqual(
      [...new Set(adminResults.map((r) => r.status))],
      ['added'],
      'admin photos: added (the request waited for the workers)',
    );
    const failed = Number((await db.query(`SELECT COUNT(*) AS n FROM pgboss.job WHERE state = 'failed'`)).rows[0].n);
    assert.equal(failed, 0, 'no dead job');
    // The bucket as the app's S3 adapter lists it.
    const bucket = new S3BlobStore(t.s3.settings);
    const keys: string[] = [];
    for (const prefix of ['originals/', 'renditions/', 'staging/', 'uploads/'])
      for await (const e of bucket.list(prefix)) keys.push(e.key);
    bucket.client.destroy();
    assert.equal(keys.filter((k) => k.startsWith('originals/')).length, PHOTOS, 'one original per photo');
    assert.deepEqual(
      keys.filter((k) => k.startsWith('staging/')),
      [],
      'no staged copy left',
    );
    assert.deepEqual(
      keys.filter((k) => k.startsWith('uploads/')),
      [],
      'no tus upload left in the bucket (each is deleted once its photo is stored)',
    );
    for (const img of images) assert.ok(keys.includes(img.original_key), `original of ${img.id} in the bucket`);

    // Both replicas saw the gallery grow while photos came in, and answer the same at the end.
    for (const i of [0, 1]) {
      assert.ok(seen[i]!.length >= 2, `participants searched through replica ${i + 1}`);
      assert.ok(new Set(seen[i]).size > 1, `replica ${i + 1} saw new photos arrive (${seen[i]!.slice(0, 5).join(',')}…)`);
    }
    for (const i of [0, 1]) {
      const res = await fetch(`${extBase(i)}/images?page_size=1`, { headers: { 'X-API-Key': publishable } });
      assert.equal(((await res.json()) as { data: { pagination: { total: number } } }).data.pagination.total, PHOTOS);
      const bib = await fetch(`${extBase(i)}/bibs/${1000 + ADMIN_PHOTOS - 1}`, { headers: { 'X-API-Key': publishable } });
      assert.equal(bib.status, 200);
      const found = (await bib.json()) as { data: { image_id?: string; id?: string }[] | { images: unknown[] } };
      assert.ok(JSON.stringify(found).length > 0);
    }
    // A signed link made by one replica works on the other (the signing key is shared configuration).
    const dl = await fetch(`${extBase(0)}/original-photos`, {
      method: 'POST',
      headers: { 'X-API-Key': publishable, 'Content-Type': 'application/json' },
      body: JSON.stringify({ method: 'bib', identifier: String(1000) }),
    });
    assert.equal(dl.status, 200, await dl.clone().text());
    const link = ((await dl.json()) as { data: { presigned_urls: { url: string }[] } }).data.presigned_urls[0]!.url;
    const onOther = link.replace('http://photos.example.test', replicas[1]!);
    if (onOther.startsWith(replicas[1]!)) {
      const file = await fetch(onOther);
      assert.equal(file.status, 200, `a link signed by replica 1, served by replica 2: ${file.status}`);
    }
  });
});
