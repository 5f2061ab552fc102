/**
 * Bib OCR on the real PP-OCRv4 models over generated photos. A modest sample (≈45 photos, ~30 s on
 * one core); bench/bib-ocr.ts runs the big set.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { MODEL_FILES } from '../../../core/models.ts';
import {
  OcrEngine,
  OcrImageError,
  OcrModelsError,
  bibsFromLines,
  defaultModelsDir,
  type BibRead,
  type OcrPage,
} from '../../../server/vision/ocr/ocr-engine.ts';
import type { DigitRun } from '../../../server/vision/ocr/ctc.ts';
import type { Quad } from '../../../server/vision/ocr/db-postprocess.ts';
import { generatePhotos, makeRng, randomBibNumber, type GeneratedPhoto } from './bib-images.ts';

const CLOCK = '14:57';
/** Close-up photos: one bib 100–360 px wide, ±25°, some blurred, sponsor text, clock and year banner. */
const SAMPLE = 36;

function overlaps(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
}

describe('bib OCR engine (PP-OCRv4 on onnxruntime-node)', () => {
  let engine: OcrEngine;
  let photos: GeneratedPhoto[];
  let pages: OcrPage[];

  before(async () => {
    engine = await OcrEngine.load();
    photos = await generatePhotos(SAMPLE, 7000, {
      longSide: [600, 1000],
      runners: [1, 1],
      bibWidth: [100, 360],
      clockText: CLOCK,
      alwaysDistractors: true,
      avoid: new Set(['1457', '10', '21', '14', '57']),
    });
    pages = [];
    for (const p of photos) pages.push(await engine.readLines(p.image));
  });
  after(() => engine?.release());

  test(`reads ≥ 95 % of bibs ≥ 100 px wide exactly (${SAMPLE} generated photos)`, (t) => {
    let exact = 0;
    const misses: string[] = [];
    photos.forEach((p, i) => {
      const reads = bibsFromLines(pages[i]!);
      const truth = p.bibs[0]!;
      assert.ok(truth.width >= 100);
      const hit = reads.find((r) => r.bib_norm === truth.bib);
      if (hit) {
        exact++;
        assert.ok(overlaps(hit.box, truth.box), `${p.name}: box ${hit.box} is not on the bib ${truth.box}`);
      } else {
        misses.push(
          `${p.name} ${truth.bib} (${truth.font}, ${Math.round(truth.width)} px, ${Math.round(truth.rotation)}°) → ${reads.map((r) => r.bib).join(',') || 'nothing'}`,
        );
      }
    });
    const rate = exact / photos.length;
    const ms = pages.reduce((s, p) => s + p.timings.decodeMs + p.timings.detMs + p.timings.recMs, 0) / pages.length;
    const msg = `exact-read rate ${(rate * 100).toFixed(1)} % (${exact}/${photos.length}), ${ms.toFixed(0)} ms/photo at 1536`;
    t.diagnostic(msg);
    for (const m of misses) t.diagnostic(`miss: ${m}`);
    assert.ok(rate >= 0.95, `${msg}; misses: ${misses.join('; ')}`);
  });

  test('the clock is never read as a bib, with or without an issued list', () => {
    for (const [i, page] of pages.entries()) {
      const reads = bibsFromLines(page);
      for (const r of reads) assert.ok(!['14', '57', '1457'].includes(r.bib), `${photos[i]!.name}: clock read as ${r.bib}`);
    }
  });

  test('with an issued-bib list, nothing but issued bibs is accepted (clock, banner year, sponsor text)', async (t) => {
    const rng = makeRng(99);
    const truth = photos.map((p) => p.bibs[0]!.bib);
    const decoys = Array.from({ length: 300 }, () => randomBibNumber(rng, [3, 6], new Set(['1457', ...truth])));
    // Photos 0 and 5 show bibs that are not on the list: their reads must come back as candidates.
    const unlisted = new Set([truth[0]!, truth[5]!]);
    const issued = new Set([...truth.filter((b) => !unlisted.has(b)), ...decoys]);
    let candidates = 0;
    let accepted = 0;
    // Through the public API on a few photos, through the same rules on the rest.
    const direct = await Promise.all(photos.slice(0, 4).map((p) => engine.readBibs(p.image, { issued })));
    const all: BibRead[][] = [...direct, ...pages.slice(4).map((pg) => bibsFromLines(pg, { issued }))];
    all.forEach((reads, i) => {
      const p = photos[i]!;
      for (const r of reads) {
        if (r.status === 'accepted') {
          accepted++;
          assert.ok(issued.has(r.bib_norm), `${p.name}: accepted ${r.bib} is not issued`);
          assert.ok(!p.distractors.includes(r.bib), `${p.name}: accepted distractor ${r.bib}`);
        } else {
          candidates++;
          assert.equal(r.status, 'candidate');
          assert.ok(r.confidence < 0.5, 'candidates are low-confidence');
        }
      }
    });
    for (const i of [0, 5]) {
      const r = all[i]!.find((x) => x.bib === truth[i]);
      assert.equal(r?.status, 'candidate', `${photos[i]!.name}: unlisted bib ${truth[i]} → ${JSON.stringify(r)}`);
    }
    assert.ok(accepted >= (photos.length - unlisted.size) * 0.95);
    t.diagnostic(`issued list: ${accepted} accepted, ${candidates} candidates over ${photos.length} photos`);
  });

  test('EXIF orientation is applied and boxes are in the displayed frame', async () => {
    const p = photos[0]!;
    // Store the pixels turned 90° anticlockwise and tag orientation 6 ("turn 90° clockwise to show").
    const turned = await sharp(p.image).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const meta = await sharp(turned).metadata();
    assert.equal(meta.orientation, 6);
    const reads = await engine.readBibs(turned);
    const hit = reads.find((r) => r.bib === p.bibs[0]!.bib);
    assert.ok(hit, `read ${reads.map((r) => r.bib)}`);
    assert.ok(overlaps(hit.box, p.bibs[0]!.box), `box ${hit.box} vs ${p.bibs[0]!.box}`);
    assert.ok(hit.box[2] <= p.width && hit.box[3] <= p.height);
  });

  test('a corrupt, empty, non-image or oversized buffer is a typed OcrImageError', async () => {
    const jpeg = photos[1]!.image;
    const cases: [Uint8Array, OcrImageError['code']][] = [
      [Buffer.alloc(0), 'empty'],
      [Buffer.from('definitely not a photo'), 'unsupported'],
      [Buffer.concat([jpeg.subarray(0, 600), Buffer.alloc(2000, 0x55)]), 'corrupt'],
    ];
    for (const [buf, code] of cases) {
      await assert.rejects(engine.readBibs(buf), (e: unknown) => {
        assert.ok(e instanceof OcrImageError, `${code}: got ${(e as Error)?.name}: ${(e as Error)?.message}`);
        assert.equal(e.code, code, e.message);
        return true;
      });
    }
    const tiny = await OcrEngine.load({ limitInputPixels: 1000 });
    try {
      await assert.rejects(tiny.readBibs(jpeg), (e: unknown) => e instanceof OcrImageError && e.code === 'too_large');
    } finally {
      await tiny.release();
    }
  });
});

describe('bib OCR models', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-ocr-models-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('missing models: one clear error telling to run npm run fetch-models', async () => {
    await assert.rejects(OcrEngine.load({ modelsDir: dir }), (e: unknown) => {
      assert.ok(e instanceof OcrModelsError);
      assert.match(e.message, /npm run fetch-models/);
      assert.match(e.message, /ch_PP-OCRv4_det_infer\.onnx is missing/);
      assert.equal(e.problems.length, 3);
      return true;
    });
  });

  test('a model that does not match its sha256 is refused', async () => {
    for (const m of [MODEL_FILES.ocrDetect, MODEL_FILES.ocrKeys])
      copyFileSync(join(defaultModelsDir(), m.name), join(dir, m.name));
    writeFileSync(join(dir, MODEL_FILES.ocrRecognise.name), 'not onnx');
    await assert.rejects(OcrEngine.load({ modelsDir: dir }), (e: unknown) => {
      assert.ok(e instanceof OcrModelsError);
      assert.deepEqual(e.problems.length, 1);
      assert.match(e.message, /ch_PP-OCRv4_rec_infer\.onnx is corrupt/);
      return true;
    });
  });
});

describe('bib reads from recognised lines (no models)', () => {
  const rect = (x1: number, y1: number, x2: number, y2: number): Quad => [
    { x: x1, y: y1 },
    { x: x2, y: y1 },
    { x: x2, y: y2 },
    { x: x1, y: y2 },
  ];
  const r = (digits: string, start: number, end: number, before = '', after = '', confidence = 0.97): DigitRun => ({
    digits,
    confidence,
    start,
    end,
    before,
    after,
  });
  const line = (quad: Quad, text: string, runs: DigitRun[], cropWidth: number) => ({
    quad,
    detScore: 0.9,
    rotated: false,
    cropWidth,
    read: { text, textConfidence: 0.95, runs, frames: cropWidth / 8 },
  });
  // A 1000×800 photo: a bib line "RUN 1234" (crop 480 px wide = 60 frames), a clock, a banner split
  // in two boxes, and a plain bib.
  const page = {
    width: 1000,
    height: 800,
    lines: [
      line(rect(100, 400, 340, 424), 'RUN 1234', [r('1234', 30, 58, ' ')], 480),
      line(rect(600, 600, 700, 640), '14:57', [r('14', 0, 5, '', ':'), r('57', 7, 12, ':', '')], 100),
      line(rect(100, 20, 500, 70), 'CITY MARATHON', [], 384),
      line(rect(520, 22, 640, 72), '2024', [r('2024', 0, 10)], 96),
      line(rect(800, 500, 900, 540), '987', [r('987', 0, 12, '', '', 0.91)], 120),
    ],
  };

  test('digits inside a longer line get their own box; clock and banner year are dropped', () => {
    const reads = bibsFromLines(page);
    assert.deepEqual(
      reads.map((x) => [x.bib, x.status]),
      [
        ['1234', 'accepted'],
        ['987', 'accepted'],
      ],
    );
    const [x1, y1, x2, y2] = reads[0]!.box;
    // Frames 30..58 of 60 → the right half of the line (plus a margin), full height.
    assert.ok(x1 > 200 && x1 < 240, `x1 ${x1}`);
    assert.ok(x2 >= 335 && x2 <= 340, `x2 ${x2}`);
    assert.deepEqual([y1, y2], [400, 424]);
    assert.deepEqual(reads[1]!.box, [800, 500, 900, 540]);
  });

  test('an issued list turns unknown reads into candidates, and options tighten the rules', () => {
    const reads = bibsFromLines(page, { issued: new Set(['987']) });
    assert.deepEqual(
      reads.map((x) => [x.bib, x.status]),
      [
        ['987', 'accepted'],
        ['1234', 'candidate'],
      ],
    );
    assert.deepEqual(
      bibsFromLines(page, { minConfidence: 0.95 }).map((x) => x.bib),
      ['1234'],
    );
  });
});
