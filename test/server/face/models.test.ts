// The face models on real photos: detection against the manifest, tiles on a large generated
// frame, decoding guards, selfie refusals, and the models-missing error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import {
  ImagePyramid,
  SELFIE_MIN_FACE_PX,
  analyseSelfie,
  cosine,
  detectFaces,
  iou,
  type Box,
  type FaceBackend,
} from '../../../core/face/index.ts';
import { FaceModelsError, loadFaceModels } from '../../../server/vision/face-models.ts';
import { ImageDecodeError, createFaceRunner, decodeImage, type FaceRunner } from '../../../server/vision/face-runner.ts';
import { MODELS_DIR, manifest, needsDataset, readFace } from './dataset.ts';

let backend: FaceBackend;
let runner: FaceRunner;

before(async () => {
  backend = (await loadFaceModels(MODELS_DIR)).backend;
  runner = createFaceRunner(backend);
});

/** A face of the dataset cut out with a margin, scaled so that its detector box is `faceW` wide. */
async function faceCutout(file: string, box: Box, faceW: number) {
  const meta = await sharp(readFace(file)).metadata();
  const bw = box[2] - box[0];
  const bh = box[3] - box[1];
  const left = Math.max(0, Math.round(box[0] - bw * 0.5));
  const top = Math.max(0, Math.round(box[1] - bh * 0.4));
  const width = Math.min(meta.width - left, Math.round(bw * 2));
  const height = Math.min(meta.height - top, Math.round(bh * 1.8));
  const k = faceW / bw;
  const input = await sharp(readFace(file))
    .extract({ left, top, width, height })
    .resize(Math.round(width * k), Math.round(height * k))
    .toBuffer();
  return { input, dx: (box[0] - left) * k, dy: (box[1] - top) * k, w: faceW, h: bh * k };
}

/** A plain generated outdoor scene (sky, grass, road, a few "runners") as a sharp pipeline input. */
function sceneSvg(width: number, height: number): Buffer {
  const parts = [
    `<rect width="${width}" height="${height}" fill="#9cc9f5"/>`,
    `<rect y="${height * 0.45}" width="${width}" height="${height * 0.55}" fill="#6b8e4e"/>`,
    `<polygon points="${width * 0.42},${height * 0.45} ${width * 0.58},${height * 0.45} ${width * 1.1},${height} ${-width * 0.1},${height}" fill="#4a4a4f"/>`,
  ];
  for (let i = 0; i < 6; i++) {
    const x = (width * (i + 0.5)) / 6;
    parts.push(
      `<rect x="${x - 60}" y="${height * 0.5}" width="120" height="${height * 0.3}" rx="30" fill="#${['c62828', '1565c0', 'f9a825'][i % 3]}"/>`,
    );
    parts.push(`<circle cx="${x}" cy="${height * 0.5 - 50}" r="45" fill="#e0ac69"/>`);
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`);
}

describe('detection on the dataset', needsDataset, () => {
  it('finds every manifest face (IoU ≥ 0.5) and nothing else', async () => {
    for (const f of manifest()) {
      const faces = await runner.indexPhotoFaces(readFace(f.file));
      for (const m of f.faces_detected) {
        const best = Math.max(0, ...faces.map((d) => iou(d.box, m.box)));
        assert.ok(best >= 0.5, `${f.file}: manifest face ${m.box.join(',')} found with IoU ${best.toFixed(2)}`);
      }
      assert.equal(
        faces.length,
        f.faces_detected.length,
        `${f.file}: ${faces.length} faces for ${f.faces_detected.length} in the manifest`,
      );
      for (const d of faces) assert.equal(d.embedding.length, 512);
    }
  });
});

describe('large frames', needsDataset, () => {
  it('a ~110 px face in a 4000×3000 scene is found only thanks to the tiles, boxed in original pixels', async () => {
    const src = manifest().find((f) => f.file === 'obama/obama_press_room.jpg')!;
    const cut = await faceCutout(src.file, src.faces_detected[0]!.box, 110);
    const [left, top] = [2710, 1180];
    const jpeg = await sharp(sceneSvg(4000, 3000))
      .composite([{ input: cut.input, left, top }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const truth: Box = [left + cut.dx, top + cut.dy, left + cut.dx + cut.w, top + cut.dy + cut.h];

    const { image } = await decodeImage(jpeg);
    const pyr = new ImagePyramid(image);
    const fullOnly = await detectFaces(pyr, backend, { fullFrameOnly: true });
    assert.ok(
      fullOnly.every((d) => iou(d.box, truth) < 0.3),
      'the full-frame pass alone should miss a 110 px face',
    );

    const faces = await runner.indexPhotoFaces(jpeg);
    const hit = faces.find((d) => iou(d.box, truth) >= 0.5);
    assert.ok(
      hit,
      `tiles should find the face at ${truth.map(Math.round).join(',')}; got ${faces.map((d) => d.box.map(Math.round).join(',')).join(' | ')}`,
    );
    // Same person in another photograph: still a match after the paste and downscale.
    const other = await runner.indexPhotoFaces(readFace('obama/obama_podium.jpg'));
    assert.ok(cosine(hit.embedding, other[0]!.embedding) >= 0.45);
  });

  it('a 50-megapixel JPEG decodes shrunk on load, without exhausting memory, with boxes in original pixels', async () => {
    const [W, H] = [8660, 5780];
    const src = manifest().find((f) => f.file === 'obama/obama_official_portrait.jpg')!;
    const cut = await faceCutout(src.file, src.faces_detected[0]!.box, 400);
    const jpeg = await sharp({ create: { width: W, height: H, channels: 3, background: '#6b8e4e' } })
      .composite([{ input: cut.input, left: 5000, top: 2000 }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const rss0 = process.memoryUsage().rss;
    const d = await decodeImage(jpeg);
    assert.equal(Math.max(d.image.width, d.image.height), 4096);
    assert.equal(d.originalWidth, W);
    assert.equal(d.originalHeight, H);
    assert.ok(Math.abs(d.scale - W / 4096) < 1e-9);
    const grewMb = (process.memoryUsage().rss - rss0) / 1e6;
    assert.ok(grewMb < 400, `decoding grew RSS by ${grewMb.toFixed(0)} MB`);
    const faces = await runner.indexPhotoFaces(jpeg);
    const truth: Box = [5000 + cut.dx, 2000 + cut.dy, 5000 + cut.dx + cut.w, 2000 + cut.dy + cut.h];
    assert.ok(
      faces.some((f) => iou(f.box, truth) >= 0.5),
      `face at ${truth.map(Math.round).join(',')} not found in original pixels`,
    );
  });
});

describe('decoding guards', () => {
  it('throws typed errors for empty, non-image, truncated and over-limit inputs', async () => {
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'decoded';
      } catch (e) {
        assert.ok(e instanceof ImageDecodeError, `not an ImageDecodeError: ${String(e)}`);
        return e.code;
      }
    };
    const tiny = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    assert.equal(await code(decodeImage(Buffer.alloc(0))), 'empty');
    assert.equal(await code(decodeImage(Buffer.from('definitely not an image, just text'))), 'unsupported');
    assert.equal(await code(decodeImage(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 255)))), 'unsupported');
    assert.equal(await code(decodeImage(tiny.subarray(0, Math.floor(tiny.length / 2)))), 'corrupt');
    assert.equal(await code(decodeImage(tiny, { limitInputPixels: 1000 })), 'too_large');
    assert.equal(await code(runner.indexPhotoFaces(Buffer.from('GIF89a garbage'))), 'corrupt');
  });

  it('applies the EXIF orientation', async () => {
    const jpeg = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#888' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const d = await decodeImage(jpeg);
    assert.deepEqual([d.image.width, d.image.height, d.originalWidth, d.originalHeight], [20, 60, 20, 60]);
  });
});

describe('selfies', needsDataset, () => {
  it('accepts a portrait and gives the same embedding from its aligned 112×112 PNG', async () => {
    const buf = readFace('rose_leslie/rose_leslie_2.jpg');
    const r = await runner.embedSelfie(buf);
    assert.ok(r.ok && !r.prealigned && r.box);
    const a = await analyseSelfie((await decodeImage(buf)).image, backend);
    assert.ok(a.ok);
    const png = await sharp(Buffer.from(a.aligned.image.data), { raw: { width: 112, height: 112, channels: 3 } })
      .png()
      .toBuffer();
    const pre = await runner.embedSelfie(png);
    assert.ok(pre.ok && pre.prealigned && pre.box === null);
    assert.ok(cosine(pre.embedding, r.embedding) > 0.999);
    const other = await runner.indexPhotoFaces(readFace('rose_leslie/rose_leslie_1.jpg'));
    assert.ok(cosine(r.embedding, other[0]!.embedding) >= 0.45);
  });

  it('refuses with no_face, several_faces, too_small and too_blurry', async () => {
    const reason = async (buf: Buffer) => {
      const r = await runner.embedSelfie(buf);
      return r.ok ? 'ok' : r.reason;
    };
    const empty = await sharp(sceneSvg(800, 600)).jpeg().toBuffer();
    assert.equal(await reason(empty), 'no_face');
    const flat112 = await sharp({ create: { width: 112, height: 112, channels: 3, background: '#a08070' } })
      .png()
      .toBuffer();
    assert.equal(await reason(flat112), 'no_face');
    assert.equal(await reason(readFace('_group/two_people.jpg')), 'several_faces');
    // Face box ~120 px in a 1200-px frame: shrink the frame so that it falls under the query minimum
    // (the pipeline's: 32 px by default, a face cut from a race photo; the legacy pipeline's 64).
    const minFace = runner.pipeline.selfieMinFace;
    assert.ok(minFace < SELFIE_MIN_FACE_PX);
    const shrunk = (faceW: number) =>
      sharp(readFace('kit_harington/kit_harington_1.jpeg'))
        .resize({ width: Math.round((1200 * faceW) / 120) })
        .jpeg()
        .toBuffer();
    assert.equal(await reason(await shrunk(minFace * 0.8)), 'too_small');
    // A small face from a photo (under the old 64-px selfie minimum) is accepted as a query.
    assert.equal(await reason(await shrunk(48)), 'ok');
    const blurry = await sharp(readFace('obama/obama_podium.jpg'))
      .blur(268 * 0.05)
      .jpeg()
      .toBuffer();
    assert.equal(await reason(blurry), 'too_blurry');
  });
});

describe('model files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-face-models-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('missing or corrupt models give one clear error that says to run npm run fetch-models', async () => {
    await assert.rejects(loadFaceModels(join(dir, 'nowhere')), (e: unknown) => {
      assert.ok(e instanceof FaceModelsError);
      assert.match(e.message, /npm run fetch-models/);
      assert.equal(e.problems.length, 3);
      assert.match(e.message, /fr_detect\.onnx is missing/);
      return true;
    });
    symlinkSync(join(MODELS_DIR, 'fr_detect.onnx'), join(dir, 'fr_detect.onnx'));
    symlinkSync(join(MODELS_DIR, 'fr_landmark.onnx'), join(dir, 'fr_landmark.onnx'));
    writeFileSync(join(dir, 'fr_feature.onnx'), 'truncated download');
    await assert.rejects(loadFaceModels(dir), (e: unknown) => {
      assert.ok(e instanceof FaceModelsError);
      assert.deepEqual(e.problems.length, 1);
      assert.match(e.message, /fr_feature\.onnx is corrupt/);
      assert.match(e.message, /npm run fetch-models/);
      return true;
    });
  });
});
