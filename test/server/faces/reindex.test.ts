// Ingest without the face models stores the photo and says its faces were not indexed; the CLI
// (`photo-finish faces status|reindex`, run as a real process on the same data folder) then indexes them,
// and a running server's index picks the new faces up without a restart. Also: the per-event face version.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { FaceService } from '../../../server/services/faces.ts';
import { getFaceRunner } from '../../../server/vision/face-runner.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { MODELS_DIR, ROOT, needsDataset } from '../face/dataset.ts';
import { blob, datasetPhoto, form } from './world.ts';
import { testBlobEnv } from '../../support/blob-engine.ts';
import { databaseEnv } from '../../support/postgres.ts';

const run = promisify(execFile);
const PHOTOS = ['kit_harington/kit_harington_1.jpeg', 'kit_harington/kit_harington_3.jpg', '_group/kit_with_rose.jpg'];

describe('faces: models missing at ingest, then `faces reindex`', needsDataset, () => {
  let h: Harness;
  let event: EventRow;
  let key: string;
  let ids: string[];
  let faces: FaceService;
  /** Where the app's face service loads its models from: a folder without them first, then the real ones. */
  let modelsDir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'server/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: h.dir, ...databaseEnv(h.dir), ...testBlobEnv(h.dir), MODELS_DIR, LOG_LEVEL: 'silent' },
    });

  before(async () => {
    const missing = mkdtempSync(join(tmpdir(), 'pf-no-models-'));
    modelsDir = missing;
    h = createHarness({ faces: { runner: () => getFaceRunner(modelsDir) } });
    faces = h.deps.faces!;
    const org = await h.deps.store.orgs.create('Reindex Club');
    event = await h.deps.store.events.create(org.id, { name: 'No models yet' });
    key = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
  });
  after(() => h?.close());

  it('stores the photo and reports, clearly, that its faces were not indexed', async () => {
    ids = [];
    for (const name of PHOTOS) {
      const r = await ingestPhoto(h.deps, event, { name, data: datasetPhoto(name) });
      assert.equal(r.status, 'added');
      assert.ok(r.status === 'added' && r.warning, 'a warning');
      assert.match(
        r.warning!,
        /faces not indexed: face models unavailable in .*fr_detect\.onnx is missing.*npm run fetch-models/,
      );
      ids.push(r.image_id);
    }
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 3, scanned: 0, faces: 0 });
    assert.deepEqual((await h.deps.store.faces.unscannedImageIds(event.id)).sort(), [...ids].sort());
    const res = await h.call(`/api/v1/ext/${event.org_id}/event/${event.id}/faces`, {
      key,
      body: form({ file: blob(datasetPhoto('kit_harington/kit_harington_2.jpeg')) }),
    });
    assert.equal(res.status, 503);
    assert.match((await json(res)).message, /face models are not installed/);
  });

  it('`faces status` and `faces reindex --missing` (a real CLI process) index them; the server sees them at once', async () => {
    const status = JSON.parse((await cli('faces', 'status', '--event', String(event.id), '--json')).stdout);
    assert.deepEqual(status, { event_id: event.id, images: 3, scanned: 0, faces: 0, not_indexed: 3, bib_links: 0 });

    // The running app now has its models, and has already cached the (empty) index of the event.
    modelsDir = MODELS_DIR;
    assert.equal((await faces.index(event.id)).size, 0);

    const out = await cli('faces', 'reindex', '--event', String(event.id), '--missing', '--json');
    const report = JSON.parse(out.stdout);
    assert.equal(report.photos, 3);
    assert.equal(report.indexed, 3);
    assert.equal(report.faces, 4);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 3, scanned: 3, faces: 4 });

    const res = await h.call(`/api/v1/ext/${event.org_id}/event/${event.id}/faces?page_size=100`, {
      key,
      body: form({ file: blob(datasetPhoto('kit_harington/kit_harington_2.jpeg')) }),
    });
    const body = await json<{ images: { image_id: string }[] }>(res);
    assert.equal(res.status, 200, body.message);
    assert.deepEqual(body.data.images.map((i) => i.image_id).sort(), [...ids].sort());

    // A full reindex (the same code as the CLI's, in process) rebuilds the same faces: replaced, not added.
    const again = await faces.reindexEvent(h.deps.blobs, event);
    assert.equal(again.photos, 3);
    assert.equal(again.faces, 4);
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 3, scanned: 3, faces: 4 });
    assert.equal((await faces.reindexEvent(h.deps.blobs, event, { missingOnly: true })).photos, 0);
  });

  it('the CLI refuses bad arguments and an unknown event clearly', async () => {
    await assert.rejects(
      cli('faces', 'reindex'),
      (e: { code: number; stderr: string }) => e.code === 2 && /--event is required/.test(e.stderr),
    );
    await assert.rejects(
      cli('faces', 'reindex', '--event', '999'),
      (e: { code: number; stderr: string }) => e.code === 1 && /event 999 not found/.test(e.stderr),
    );
    await assert.rejects(cli('faces', 'rebuild', '--event', '1'), (e: { code: number }) => e.code === 2);
  });

  it('the event face version moves with every face added or removed (photo deletes included)', async () => {
    const v0 = await h.deps.store.faces.version(event.id);
    await h.deps.store.faces.replaceForImage(event.id, ids[0]!, []);
    const v1 = await h.deps.store.faces.version(event.id);
    assert.ok(v1 > v0);
    await h.deps.store.images.delete(event.id, ids[2]!);
    const v2 = await h.deps.store.faces.version(event.id);
    assert.ok(v2 > v1, 'the cascade from images fires the faces trigger');
    assert.deepEqual(await h.deps.store.faces.stats(event.id), { images: 2, scanned: 2, faces: 1 });
  });
});
