// Face ingest throughput: decode → detect (tiles) → align → embed, one core.
// Over the dataset photos (shared/datasets/faces, or FACES_DATASET) and a generated 12-MP race frame.
// Run: node --import tsx bench/face-ingest.ts [--rounds 2]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp, { type OverlayOptions } from 'sharp';
import { ImagePyramid, planDetection } from '../core/face/index.ts';
import { loadFaceModels } from '../server/vision/face-models.ts';
import { createFaceRunner, decodeImage } from '../server/vision/face-runner.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
const ROUNDS = Math.max(1, Number(values.rounds));
sharp.concurrency(1); // one core, like the ONNX sessions (intraOpNumThreads 1)

const root = resolve(import.meta.dirname, '..');
const facesDir = resolve(process.env.FACES_DATASET ?? join(root, '..', 'shared', 'datasets', 'faces'));
const runner = createFaceRunner((await loadFaceModels(process.env.MODELS_DIR ?? join(root, 'models'))).backend);

async function measure(label: string, buffers: { name: string; data: Buffer }[]) {
  // Warm-up (session init, JIT).
  await runner.indexPhotoFaces(buffers[0]!.data);
  let faces = 0;
  let ms = 0;
  let decodeMs = 0;
  const per: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of buffers) {
      const t0 = performance.now();
      const d = await decodeImage(b.data);
      decodeMs += performance.now() - t0;
      const t = performance.now();
      const found = await runner.indexPhotoFaces(b.data);
      const dt = performance.now() - t;
      ms += dt;
      faces += found.length;
      if (r === 0 && buffers.length <= 3) {
        per.push(
          `${b.name}: ${d.image.width}×${d.image.height}, ${planDetection(d.image.width, d.image.height).length} detector runs, ${found.length} faces, ${dt.toFixed(0)} ms`,
        );
      }
    }
  }
  const photos = buffers.length * ROUNDS;
  console.log(
    `${label}: ${photos} photos, ${faces} faces in ${(ms / 1000).toFixed(2)} s → ${((faces * 1000) / ms).toFixed(1)} faces/s, ` +
      `${((photos * 1000) / ms).toFixed(2)} photos/s, ${(ms / photos).toFixed(0)} ms/photo (of which decode ≈ ${(decodeMs / photos).toFixed(0)} ms)`,
  );
  for (const p of per) console.log(`  ${p}`);
}

// 1. The dataset photos.
if (existsSync(join(facesDir, 'manifest.json'))) {
  const files = (JSON.parse(readFileSync(join(facesDir, 'manifest.json'), 'utf8')) as { files: { file: string }[] }).files;
  await measure(
    'dataset',
    files.map((f) => ({ name: f.file, data: readFileSync(join(facesDir, f.file)) })),
  );
} else {
  console.log(`dataset: skipped (not found at ${facesDir})`);
}

// 2. A generated 12-MP race frame (4000×3000) with runners whose faces are 60–260 px wide.
async function raceFrame(): Promise<Buffer> {
  const W = 4000;
  const H = 3000;
  const parts = [
    `<rect width="${W}" height="${H}" fill="#9cc9f5"/>`,
    `<rect y="${H * 0.42}" width="${W}" height="${H * 0.58}" fill="#6b8e4e"/>`,
    `<polygon points="${W * 0.4},${H * 0.42} ${W * 0.6},${H * 0.42} ${W * 1.1},${H} ${-W * 0.1},${H}" fill="#4a4a4f"/>`,
  ];
  const overlays: OverlayOptions[] = [];
  const donors: [string, [number, number, number, number]][] = [
    ['obama/obama_press_room.jpg', [514, 122, 890, 645]],
    ['biden/biden_portrait.jpg', [431, 79, 862, 771]],
    ['rose_leslie/rose_leslie_1.jpg', [632, 72, 882, 382]],
    ['kit_harington/kit_harington_2.jpeg', [325, 59, 478, 285]],
    ['alex_lacamoire/alex_lacamoire_3.jpg', [631, 107, 936, 557]],
  ];
  const sizes = [260, 180, 120, 90, 60, 200, 140, 75];
  for (let i = 0; i < sizes.length; i++) {
    const fw = sizes[i]!;
    const x = 150 + i * 470;
    const y = H * 0.25 + (i % 3) * 300;
    parts.push(
      `<rect x="${x - fw * 0.2}" y="${y + fw * 1.6}" width="${fw * 1.6}" height="${fw * 3}" rx="${fw * 0.3}" fill="#${['c62828', '1565c0', 'f9a825'][i % 3]}"/>`,
    );
    if (!existsSync(facesDir)) continue;
    const [file, box] = donors[i % donors.length]!;
    const src = readFileSync(join(facesDir, file));
    const meta = await sharp(src).metadata();
    const bw = box[2] - box[0];
    const bh = box[3] - box[1];
    const left = Math.max(0, Math.round(box[0] - bw * 0.45));
    const top = Math.max(0, Math.round(box[1] - bh * 0.35));
    const width = Math.min(meta.width - left, Math.round(bw * 1.9));
    const height = Math.min(meta.height - top, Math.round(bh * 1.7));
    const k = fw / bw;
    const input = await sharp(src)
      .extract({ left, top, width, height })
      .resize(Math.round(width * k), Math.round(height * k))
      .toBuffer();
    overlays.push({ input, left: Math.round(x), top: Math.round(y) });
  }
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`);
  return sharp(svg).composite(overlays).jpeg({ quality: 88 }).toBuffer();
}
const frame = await raceFrame();
await measure('12-MP race frame', [{ name: 'race-4000x3000.jpg', data: frame }]);
{
  const { image } = await decodeImage(frame);
  const pyr = new ImagePyramid(image);
  const t = performance.now();
  const { detectFaces } = await import('../core/face/index.ts');
  const full = await detectFaces(pyr, runner.backend, { fullFrameOnly: true });
  console.log(`  full-frame pass only (no tiles): ${full.length} faces, ${(performance.now() - t).toFixed(0)} ms`);
}
