// The text detector in strips (issue 20): a 1536-px detector input runs as strips of at most DET_STRIP_PIXELS, which
// bounds the OCR's peak memory; the reads are the same as with the whole input in one run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DET_STRIP_OVERLAP,
  DET_STRIP_PIXELS,
  OcrEngine,
  planDetStrips,
  type BibRead,
} from '../../../server/vision/ocr/ocr-engine.ts';
import { generatePhotos, type GeneratedPhoto } from './bib-images.ts';

test('strip plan: the kept rows tile the input, every strip fits the budget, context on inner sides', () => {
  for (const [h, w] of [
    [1152, 1536],
    [1536, 1152],
    [1536, 1536],
    [864, 1536],
    [2048, 1536],
  ] as const) {
    const strips = planDetStrips(h, w);
    assert.ok(strips.length >= 2, `${w}x${h}`);
    let next = 0;
    for (const s of strips) {
      assert.equal(s.top, next);
      assert.ok(s.bottom > s.top && s.top % 32 === 0 && s.from % 32 === 0);
      assert.ok((s.to - s.from) * w <= DET_STRIP_PIXELS, `${w}x${h}: strip of ${s.to - s.from} rows`);
      assert.equal(s.from, Math.max(0, s.top - DET_STRIP_OVERLAP));
      assert.equal(s.to, Math.min(h, s.bottom + DET_STRIP_OVERLAP));
      next = s.bottom;
    }
    assert.equal(next, h);
  }
  // Inputs within the budget run whole.
  assert.deepEqual(planDetStrips(768, 1024), [{ top: 0, bottom: 768, from: 0, to: 768 }]);
  assert.deepEqual(planDetStrips(1152, 1536, Infinity), [{ top: 0, bottom: 1152, from: 0, to: 1152 }]);
});

describe('text detector in strips (real models)', () => {
  let strips: OcrEngine;
  let whole: OcrEngine;
  let photos: GeneratedPhoto[];
  before(async () => {
    [strips, whole] = await Promise.all([OcrEngine.load(), OcrEngine.load({ detStripPixels: Infinity })]);
    photos = await generatePhotos(6, 9100, { longSide: [2200, 3000], runners: [2, 3], bibWidth: [140, 320] });
  });
  after(async () => {
    await strips?.release();
    await whole?.release();
  });

  test('large photos read the same bibs in strips as whole, boxes within a few pixels', async () => {
    const key = (r: BibRead) => `${r.bib_norm}:${r.status}`;
    let bibs = 0;
    for (const p of photos) {
      const [a, b] = await Promise.all([strips.readBibs(p.image), whole.readBibs(p.image)]);
      assert.deepEqual(a.map(key).sort(), b.map(key).sort(), p.name);
      for (const r of a) {
        const o = b.find((x) => x.bib_norm === r.bib_norm)!;
        const tol = 0.01 * Math.max(p.width, p.height);
        r.box.forEach((v, i) => assert.ok(Math.abs(v - o.box[i]!) <= tol, `${p.name} ${r.bib}: ${r.box} vs ${o.box}`));
      }
      bibs += p.bibs.filter((t) => a.some((r) => r.bib_norm === t.bib)).length;
    }
    assert.ok(bibs >= 12, `${bibs} drawn bibs read`);
  });
});
