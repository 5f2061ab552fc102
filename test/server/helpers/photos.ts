// Real JPEGs for server tests: small, distinct per seed, optionally with an EXIF capture time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export interface PhotoOptions {
  seed: number;
  width?: number;
  height?: number;
  /** EXIF DateTimeOriginal in UTC (`YYYY:MM:DD HH:MM:SS`, offset +00:00). */
  takenAt?: Date;
}

export async function makeJpeg(o: PhotoOptions): Promise<Buffer> {
  const { seed, width = 480, height = 320 } = o;
  const c = (k: number) => (seed * k) % 256;
  let img = sharp({ create: { width, height, channels: 3, background: { r: c(53), g: c(97), b: c(151) } } }).composite([
    {
      input: Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${(seed * 37) % width}" cy="${(seed * 23) % height}" r="${20 + (seed % 40)}" fill="#fff"/></svg>`,
      ),
    },
  ]);
  if (o.takenAt) {
    const s = o.takenAt.toISOString();
    img = img.withExif({
      IFD0: { Make: 'test' },
      IFD2: { DateTimeOriginal: `${s.slice(0, 10).replaceAll('-', ':')} ${s.slice(11, 19)}`, OffsetTimeOriginal: '+00:00' },
    });
  }
  return img.jpeg({ quality: 80 }).toBuffer();
}

export async function makePng(width = 64, height = 32): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

/** The folder every ingest test uses: good photos, a duplicate, and each kind of bad file. */
export async function writeMixedFolder(
  dir: string,
  goodCount = 4,
): Promise<{ good: string[]; bad: string[]; duplicate: string }> {
  mkdirSync(dir, { recursive: true });
  const good: string[] = [];
  let first: Buffer | null = null;
  for (let i = 0; i < goodCount; i++) {
    const data = await makeJpeg({ seed: i + 1, takenAt: new Date(Date.UTC(2026, 3, 12, 8, i, 0)) });
    first ??= data;
    const name = `race-${String(i + 1).padStart(3, '0')}.jpg`;
    writeFileSync(join(dir, name), data);
    good.push(name);
  }
  writeFileSync(join(dir, 'copy-of-race-001.jpg'), first!);
  writeFileSync(join(dir, 'zero-bytes.jpg'), Buffer.alloc(0));
  writeFileSync(join(dir, 'truncated.jpg'), first!.subarray(0, Math.floor(first!.length / 2)));
  writeFileSync(join(dir, 'renamed-text.jpg'), 'this is a text file, not a photo\n');
  writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4\n% not an image\n');
  return { good, bad: ['notes.pdf', 'renamed-text.jpg', 'truncated.jpg', 'zero-bytes.jpg'], duplicate: 'copy-of-race-001.jpg' };
}
