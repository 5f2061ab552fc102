// One decode of the original for renditions, faces and OCR (issue 20), with the real face models and the real
// PP-OCRv4 OCR on generated race photos wearing real dataset faces: the stages read the shared decode, and what
// they find is what they find decoding the photo themselves (recall unchanged); a photo with alpha keeps each
// stage's own decode (its thumbnails keep their transparency); the photos in the vision stages are bounded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { FaceStage } from '../../../server/ingest/faces.ts';
import type { OcrStage } from '../../../server/ingest/ocr.ts';
import { ingestBatch } from '../../../server/ingest/batch.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { OCR_SLOTS, VISION_SLOTS, canShareDecode, visionSlotsInUse } from '../../../server/ingest/vision-input.ts';
import { loadDemoFaces } from '../../../server/seed/faces.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { FACES_DIR, MODELS_DIR, needsDataset } from '../face/dataset.ts';
import { renderTestScene, type Scene } from '../facebib/scenes.ts';

/** 3000×2000: the OCR's picture is the shared decode shrunk to 2048 px. */
const SCENE: Scene = {
  name: 'pair',
  width: 3000,
  height: 2000,
  runners: [
    { x: 0.3, person: 'obama', bib: '505' },
    { x: 0.7, person: 'biden', bib: '4172' },
  ],
};

const near = (a: readonly number[], b: readonly number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

describe('one decode for renditions, faces and OCR (real models)', needsDataset, () => {
  let h: Harness;
  let event: EventRow;
  let photo: Buffer;
  let byPerson: Map<string, Buffer>;
  /** What each stage was handed: whether it got the shared decode. */
  const seen = { faces: [] as boolean[], ocr: [] as boolean[] };
  let inFaces = 0;
  let maxInFaces = 0;
  let sawWaiting = false;
  let inOcr = 0;
  let maxInOcr = 0;
  /** Face stages that started while another photo's OCR was held back (the decode slot passed on before the read). */
  let facesWhileOcrHeld = 0;
  /** When set, the next OCR read is held until a face stage starts meanwhile (or every decode slot is stuck). */
  let holdNextOcr = false;
  /** The photo whose OCR is held. */
  let held: Uint8Array | null = null;
  let holdAborted: AbortSignal | undefined;

  before(async () => {
    h = createHarness({ faces: true, bibtrack: true, config: { modelsDir: MODELS_DIR } });
    const org = await h.deps.store.orgs.create('Decode club');
    event = await h.deps.store.events.create(org.id, { name: 'Decode 10K', watermark_text: '© Decode' });
    const { cutouts, faces } = await loadDemoFaces(FACES_DIR, h.deps.faces!, ['0', '1', '2', '3', '4', '5']);
    byPerson = new Map(faces.map((f) => [f.person, cutouts.get(f.bib)!]));
    photo = await renderTestScene(SCENE, byPerson);
    // Watch the stages (the real ones do the work).
    const faceStage = h.deps.faces! as FaceStage;
    const indexPhoto = faceStage.indexPhoto.bind(faceStage);
    faceStage.indexPhoto = async (data, decoded) => {
      seen.faces.push(decoded !== undefined);
      maxInFaces = Math.max(maxInFaces, ++inFaces);
      if (visionSlotsInUse().waiting > 0) sawWaiting = true;
      if (held && data !== held) facesWhileOcrHeld++;
      try {
        return await indexPhoto(data, decoded);
      } finally {
        inFaces--;
      }
    };
    const ocrStage = h.deps.bibtrack! as OcrStage;
    const readPhoto = ocrStage.readPhoto.bind(ocrStage);
    ocrStage.readPhoto = async (ev, data, decoded) => {
      seen.ocr.push(decoded !== undefined);
      maxInOcr = Math.max(maxInOcr, ++inOcr);
      try {
        if (holdNextOcr) {
          holdNextOcr = false;
          held = data;
          // Held until another photo's face stage starts (when a photo kept its decode slot until its OCR was done,
          // none could: the test then ends on its timeout, which aborts the hold).
          while (facesWhileOcrHeld === 0 && !holdAborted?.aborted) await new Promise((r) => setImmediate(r));
          held = null;
        }
        const read = await readPhoto(ev, data, decoded);
        return read;
      } finally {
        inOcr--;
      }
    };
  });
  after(() => h?.close());

  /** `n` 1200×800 photos of one runner (`person`, bibs from `bib`), each a little further right, as batch sources. */
  const smallScenes = async (n: number, person: string, bib: number, name: string) => {
    const scenes = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        renderTestScene(
          { ...SCENE, width: 1200, height: 800, runners: [{ x: 0.3 + i * 0.05, person, bib: `${bib + i}` }] },
          byPerson,
        ),
      ),
    );
    return scenes.map((data, i) => ({ name: `${name}-${i}.jpg`, read: async () => data }));
  };

  test('the stages read the shared decode and find what they find decoding the photo themselves', async () => {
    const meta = await sharp(photo).metadata();
    assert.ok(canShareDecode(meta), 'a camera-like JPEG shares its decode');
    const r = await ingestPhoto(h.deps, event, { name: 'pair.jpg', data: photo });
    assert.equal(r.status, 'added', JSON.stringify(r));
    assert.deepEqual(seen, { faces: [true], ocr: [true] });
    const id = r.status === 'added' ? r.image_id : '';
    const stored = await h.deps.store.faces.listForImage(id);
    const tags = (await h.deps.store.bibs.listForImage(id)).filter((t) => t.source === 'ocr' && t.status === 'accepted');
    assert.equal(stored.length, 2, 'both faces indexed');
    assert.deepEqual(tags.map((t) => t.bib_norm).sort(), ['4172', '505'], 'both bibs read');

    // The same stages decoding the bytes themselves (as before the shared decode).
    const own = await h.deps.faces!.indexPhoto(photo);
    const read = await h.deps.bibtrack!.readPhoto(event, photo);
    assert.ok(own.ok && read?.ok);
    assert.equal(own.faces.length, stored.length);
    for (const f of own.faces) {
      assert.ok(
        stored.some((s) => near(s.box, f.box, 0.5)),
        `face ${f.box} found by the shared decode too`,
      );
    }
    const ownTags = read.tags.filter((t) => t.status === 'accepted');
    assert.deepEqual(ownTags.map((t) => t.bib_norm).sort(), ['4172', '505']);
    for (const t of ownTags) {
      const mine = tags.find((x) => x.bib_norm === t.bib_norm)!;
      assert.ok(near(mine.box!, t.box!, 4), `bib ${t.bib} box ${mine.box} vs ${t.box}`);
      assert.ok(
        Math.abs(mine.confidence! - t.confidence!) < 0.02,
        `bib ${t.bib} confidence ${mine.confidence} vs ${t.confidence}`,
      );
    }

    const renditions = (await h.deps.store.images.get(event.id, id))!.renditions;
    assert.deepEqual(
      renditions.map((x) => [x.kind, x.width, x.height, x.format]),
      [
        ['thumb', 320, 213, 'webp'],
        ['thumb', 640, 427, 'webp'],
        ['preview', 1600, 1067, 'jpeg'],
      ],
    );
  });

  test('a photo with alpha keeps each stage’s own decode; its thumbnails keep their transparency', async () => {
    seen.faces.length = 0;
    seen.ocr.length = 0;
    const png = await sharp(photo).resize(1500).ensureAlpha(0.9).png().toBuffer();
    assert.equal(canShareDecode(await sharp(png).metadata()), false);
    const r = await ingestPhoto(h.deps, event, { name: 'pair.png', data: png });
    assert.equal(r.status, 'added', JSON.stringify(r));
    assert.deepEqual(seen, { faces: [false], ocr: [false] });
    assert.ok(r.status === 'added' && r.faces === 2, `faces: ${JSON.stringify(r)}`);
    const thumb = (await h.deps.store.images.get(event.id, r.image_id))!.renditions.find((x) => x.kind === 'thumb')!;
    const meta = await sharp((await h.deps.blobs.get(thumb.blob_key))!).metadata();
    assert.equal(meta.hasAlpha, true);
  });

  test('the photos in the vision stages are bounded (VISION_SLOTS), the others wait for a slot', async () => {
    maxInFaces = 0;
    const n = VISION_SLOTS + 2;
    const report = await ingestBatch(h.deps, event, await smallScenes(n, 'obama', 600, 'slot'), { concurrency: n });
    assert.equal(report.added, n, JSON.stringify(report.results));
    assert.ok(maxInFaces <= VISION_SLOTS, `${maxInFaces} photos in the face stage at once (slots: ${VISION_SLOTS})`);
    assert.ok(maxInOcr <= OCR_SLOTS, `${maxInOcr} photos in the OCR at once (slots: ${OCR_SLOTS})`);
    assert.ok(sawWaiting, 'photos waited for a slot');
    assert.deepEqual(visionSlotsInUse(), { busy: 0, waiting: 0, ocr: { busy: 0, waiting: 0 } }, 'every slot given back');
  });

  test(
    'a photo gives its decode back once its renditions and faces are done: the next decodes while it is read',
    { timeout: 120_000 },
    async (t) => {
      facesWhileOcrHeld = 0;
      holdAborted = t.signal;
      holdNextOcr = true;
      // One photo at a time through the batch would say nothing: both are started, the first one's OCR is held.
      const report = await ingestBatch(h.deps, event, await smallScenes(2, 'biden', 700, 'pipelined'), {
        concurrency: VISION_SLOTS + 1,
      });
      assert.equal(report.added, 2, JSON.stringify(report.results));
      assert.ok(facesWhileOcrHeld > 0, 'a face stage ran while the first photo was still being read');
      assert.deepEqual(visionSlotsInUse(), { busy: 0, waiting: 0, ocr: { busy: 0, waiting: 0 } }, 'every slot given back');
    },
  );
});
