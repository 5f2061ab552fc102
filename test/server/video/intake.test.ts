// Videos through every intake: the CLI folder ingest (read in place; a corrupt file named in the report) and the
// console's resumable (tus) upload.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeJpeg } from '../helpers/photos.ts';
import { withDataDirSql } from '../../support/sql.ts';
import { needsDataset } from '../face/dataset.ts';
import { createVideoWorld, footage, type VideoWorld } from './world.ts';

describe('video intake', needsDataset, () => {
  let video: Buffer;
  before(async () => {
    video = await footage('obama/obama_official_portrait.jpg', 1, 3, 4);
  });

  test('CLI: a folder with a video, a photo and a corrupt video: two in, the bad one named, exit 3', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-cli-video-'));
    const folder = mkdtempSync(join(tmpdir(), 'pf-cli-video-in-'));
    const env = { DATA_DIR: dataDir };
    const cli = (...args: string[]) => runCli(args, env);
    try {
      writeFileSync(join(folder, 'finish.mp4'), video);
      writeFileSync(join(folder, 'broken.mov'), Buffer.concat([video.subarray(0, 40), Buffer.alloc(4096, 3)]));
      writeFileSync(join(folder, 'photo.jpg'), await makeJpeg({ seed: 3 }));
      assert.equal((await cli('org', 'create', '--name', 'Club')).code, 0);
      assert.equal((await cli('event', 'create', '--org', '1', '--name', 'Race')).code, 0);
      const run = await cli('ingest', folder, '--event', '1', '--json');
      assert.equal(run.code, 3, run.stderr);
      const report = JSON.parse(run.stdout) as { added: number; failed: number; failures: { name: string; error: string }[] };
      assert.equal(report.added, 2);
      assert.equal(report.failed, 1);
      assert.equal(report.failures[0]!.name, 'broken.mov');
      assert.match(report.failures[0]!.error, /not a readable video|MP4, MOV or WebM|no video stream/);
      const { v, faces } = (await withDataDirSql(dataDir, async (db) => ({
        v: await db.all('SELECT original_name, duration_ms, frames_sampled FROM videos'),
        faces: Number(await db.value('SELECT count(*) FROM video_faces')),
      })))!;
      assert.deepEqual(v, [{ original_name: 'finish.mp4', duration_ms: 4000, frames_sampled: 8 }]);
      assert.ok(faces >= 3, `faces ${faces}`);
      const again = await cli('ingest', folder, '--event', '1', '--json');
      assert.equal((JSON.parse(again.stdout) as { duplicate: number }).duplicate, 2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  });

  describe('tus upload', () => {
    let w: VideoWorld;
    let base: string;
    before(async () => {
      w = await createVideoWorld();
      base = (await w.h.listen()).url;
    });
    after(() => w?.close());

    test('a completed upload of an MP4 goes through the video ingest, not the photo pipeline', async () => {
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const headers = { 'X-API-Key': w.secret, 'Tus-Resumable': '1.0.0' };
      const created = await fetch(`${base}/api/v1/admin/${w.orgId}/events/${w.event.id}/uploads`, {
        method: 'POST',
        headers: {
          ...headers,
          'Upload-Length': String(video.length),
          'Upload-Metadata': `filename ${b64('drone.mp4')},filetype ${b64('video/mp4')}`,
        },
      });
      assert.equal(created.status, 201, await created.clone().text());
      const url = new URL(created.headers.get('location')!, base).href;
      const patched = await fetch(url, {
        method: 'PATCH',
        headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: new Uint8Array(video),
      });
      assert.equal(patched.status, 204);
      await w.h.deps.uploads.idle();
      const videos = await w.h.deps.store.videos.list(w.event.id);
      assert.deepEqual(
        videos.map((v) => v.original_name),
        ['drone.mp4'],
      );
      assert.equal(await w.h.deps.store.images.count(w.event.id), 0);
      const counts = await w.h.deps.store.uploads.counts(w.event.id);
      assert.equal(counts.processed, 1);
      assert.ok(counts.faces >= 3);
    });
  });
});
