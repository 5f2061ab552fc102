/**
 * Real faces for the demo seed (`seed-demo --faces DIR`, `DEMO_FACES=DIR npm start`): one face per
 * person, cut out of the person's photo with the largest face, around the detected face (an oval, so it sits on the
 * drawn runner's head), pasted on one demo runner in every scene that runner appears in. The person's
 * other photos then find those scenes with a selfie search.
 *
 * DIR holds one folder per person (`DIR/<person>/*.jpg`), or loose photos (one person each). Folders
 * whose name starts with `_` or `.` (e.g. group photos) and photos with several faces are skipped.
 */
import { readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import sharp from 'sharp';
import type { FaceStage } from '../ingest/faces.ts';

export interface DemoFace {
  /** The runner wearing the face. */
  bib: string;
  /** Folder name (or file name) of the person. */
  person: string;
  /** The photo the face was cut from, relative to DIR. */
  file: string;
}

const IMAGE = /\.(jpe?g|png|webp)$/i;
/** The cut-out is this many face widths wide (and 1.25× as tall): the pasted face is ≥ 80 px on every demo runner. */
const CUT_WIDTH = 1.4;

async function photosByPerson(dir: string): Promise<Map<string, string[]>> {
  const people = new Map<string, string[]>();
  for (const e of (await readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) =>
    join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
  )) {
    if (!e.isFile() || !IMAGE.test(e.name)) continue;
    const rel = relative(dir, join(e.parentPath, e.name));
    const parts = rel.split(sep);
    if (parts.some((p) => p.startsWith('_') || p.startsWith('.'))) continue;
    const person = parts.length > 1 ? parts[0]! : basename(e.name, extname(e.name));
    people.set(person, [...(people.get(person) ?? []), rel]);
  }
  return people;
}

/** An oval cut-out around the face, as a PNG with alpha, 1 : 1.25. */
async function cutOut(data: Buffer, box: [number, number, number, number]): Promise<Buffer> {
  const fw = box[2] - box[0];
  const w = Math.round(fw * CUT_WIDTH);
  const h = Math.round(w * 1.25);
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  const left = Math.round(cx - w / 2);
  const top = Math.round(cy - h * 0.45);
  const rotated = await sharp(data).rotate().toBuffer({ resolveWithObject: true });
  const { width: W, height: H } = rotated.info;
  // Pad with edge pixels where the cut-out passes the photo's border.
  const crop = await sharp(rotated.data)
    .extend({
      left: Math.max(0, -left),
      top: Math.max(0, -top),
      right: Math.max(0, left + w - W),
      bottom: Math.max(0, top + h - H),
      extendWith: 'copy',
    })
    .extract({ left: Math.max(0, left), top: Math.max(0, top), width: w, height: h })
    .toBuffer();
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><ellipse cx="${w / 2}" cy="${h / 2}" rx="${w / 2}" ry="${h / 2}" fill="#fff"/></svg>`,
  );
  return sharp(crop)
    .ensureAlpha()
    .composite([{ input: mask, blend: 'dest-in' }])
    .png()
    .toBuffer();
}

/**
 * One face per person of `dir`, for the first runners: the cut-outs (same order as `bibs`) and who wears
 * which. Throws when the face models cannot run (the message says how to fetch them).
 */
export async function loadDemoFaces(
  dir: string,
  stage: FaceStage,
  bibs: readonly string[],
): Promise<{ cutouts: Map<string, Buffer>; faces: DemoFace[] }> {
  const cutouts = new Map<string, Buffer>();
  const faces: DemoFace[] = [];
  for (const [person, files] of await photosByPerson(dir)) {
    if (faces.length >= bibs.length) break;
    // The person's photo with the largest single face: the sharpest source for the pasted face.
    let best: { file: string; data: Buffer; box: [number, number, number, number] } | null = null;
    for (const file of files) {
      const data = readFileSync(join(dir, file));
      const r = await stage.indexPhoto(data);
      if (!r.ok) throw new Error(`demo faces: ${r.reason}`);
      if (r.faces.length !== 1) continue;
      const box = r.faces[0]!.box;
      if (!best || box[2] - box[0] > best.box[2] - best.box[0]) best = { file, data, box };
    }
    if (!best) continue;
    const bib = bibs[faces.length]!;
    cutouts.set(bib, await cutOut(best.data, best.box));
    faces.push({ bib, person, file: best.file.split(sep).join('/') });
  }
  if (faces.length === 0) throw new Error(`demo faces: no photo with exactly one face in ${dir}`);
  return { cutouts, faces };
}
