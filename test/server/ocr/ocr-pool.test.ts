import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { OcrImageError, OcrModelsError } from '../../../server/vision/ocr/ocr-engine.ts';
import { OcrPool, OcrPoolClosedError, defaultPoolSize } from '../../../server/vision/ocr/ocr-pool.ts';
import { generatePhotos, type GeneratedPhoto } from './bib-images.ts';

describe('bib OCR worker pool', () => {
  let photos: GeneratedPhoto[];
  before(async () => {
    photos = await generatePhotos(3, 8100, { longSide: [600, 800], runners: [1, 1], bibWidth: [140, 300], blurChance: 0 });
  });

  test('default size leaves a core for the server', () => {
    assert.ok(defaultPoolSize() >= 1);
    assert.equal(new OcrPool().size, defaultPoolSize());
    assert.equal(new OcrPool({ size: 0 }).size, 1);
  });

  test('queues tasks, returns results in order, keeps the event loop free, errors stay typed, closes cleanly', async () => {
    const pool = new OcrPool({ size: 1 });
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const bad = Buffer.from('not an image');
    const settled = await pool.readManySettled([photos[0]!.image, bad, photos[1]!.image, photos[2]!.image]);
    lag.disable();
    assert.equal(settled.length, 4);
    const ok = (i: number) => {
      const s = settled[i]!;
      assert.equal(s.status, 'fulfilled');
      return (s as PromiseFulfilledResult<{ bib: string }[]>).value;
    };
    assert.ok(ok(0).some((r) => r.bib === photos[0]!.bibs[0]!.bib));
    assert.ok(ok(2).some((r) => r.bib === photos[1]!.bibs[0]!.bib));
    assert.ok(ok(3).some((r) => r.bib === photos[2]!.bibs[0]!.bib));
    const rejected = settled[1] as PromiseRejectedResult;
    assert.equal(rejected.status, 'rejected');
    assert.ok(rejected.reason instanceof OcrImageError, String(rejected.reason));
    assert.equal(rejected.reason.code, 'unsupported');
    // Inference runs off this thread: the event loop never stalls for a whole photo (~0.5 s).
    assert.ok(lag.max / 1e6 < 300, `event loop stalled ${(lag.max / 1e6).toFixed(0)} ms`);

    // The same buffer may be reused by the caller afterwards (the pool copied it).
    const same = await pool.readBibs(photos[0]!.image, { issued: new Set(['1']) });
    assert.ok(same.every((r) => r.status === 'candidate'));

    const pending = pool.readBibs(photos[1]!.image);
    const closing = pool.close();
    assert.ok((await pending).length >= 1, 'queued work finishes before close');
    await closing;
    await assert.rejects(pool.readBibs(photos[0]!.image), OcrPoolClosedError);
  });

  describe('without models', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'pf-ocr-nomodels-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('every task fails with the OcrModelsError that says how to fetch them', async () => {
      const pool = new OcrPool({ size: 1, modelsDir: dir });
      try {
        const [a, b] = await Promise.allSettled([pool.readBibs(photos[0]!.image), pool.readBibs(photos[1]!.image)]);
        for (const s of [a, b]) {
          assert.equal(s!.status, 'rejected');
          const e = (s as PromiseRejectedResult).reason;
          assert.ok(e instanceof OcrModelsError, String(e));
          assert.match(e.message, /npm run fetch-models/);
        }
        await assert.rejects(pool.readBibs(photos[0]!.image), OcrModelsError);
      } finally {
        await pool.close();
      }
    });
  });
});
