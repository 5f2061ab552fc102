// Test footage made in the test with ffmpeg from images: a background, and a dataset face visible only
// between two known times. And an event with Motion on, face search on, over the real pipeline.
import sharp from 'sharp';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { ffmpegBinaries } from '../../../server/video/ffmpeg.ts';
import { synthVideo, type SynthOptions } from '../../../server/video/synth.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { MODELS_DIR, readFace } from '../face/dataset.ts';

export const bins = ffmpegBinaries({ ffmpeg: null, ffprobe: null });

export const W = 640;
export const H = 360;

/** A plain course: sky, grass, road. No face. */
export function background(w = W, h = H): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#6b8e4e"/><rect width="${w}" height="${Math.round(h * 0.4)}" fill="#8ec5fc"/><rect x="${w * 0.3}" y="${h * 0.4}" width="${w * 0.4}" height="${h * 0.6}" fill="#4a4a4f"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The background with a dataset photo pasted in the middle, `faceHeight` px tall. */
export async function withFace(bg: Buffer, file: string, faceHeight = Math.round(H * 0.7), w = W, h = H): Promise<Buffer> {
  const face = await sharp(readFace(file)).rotate().resize({ height: faceHeight }).toBuffer({ resolveWithObject: true });
  return sharp(bg)
    .composite([{ input: face.data, left: Math.round((w - face.info.width) / 2), top: Math.round((h - faceHeight) / 2) }])
    .png()
    .toBuffer();
}

/** The person of `file` on screen from `fromS` to `toS` of a `durationS` video. */
export async function footage(
  file: string,
  fromS: number,
  toS: number,
  durationS: number,
  o: Partial<SynthOptions> = {},
): Promise<Buffer> {
  const bg = await background();
  return synthVideo(bins, { background: bg, scenes: [{ image: await withFace(bg, file), fromS, toS }], durationS, ...o });
}

export interface VideoWorld {
  h: Harness;
  orgId: number;
  event: EventRow;
  /** Same org, Motion off. */
  offEvent: EventRow;
  secret: string;
  base: string;
  close(): Promise<void>;
}

export async function createVideoWorld(): Promise<VideoWorld> {
  const h = createHarness({ faces: true, config: { modelsDir: MODELS_DIR } });
  const { store } = h.deps;
  const org = await store.orgs.create('Motion Club');
  const flags = {
    bib_search: false,
    selfie_search: true,
    name_search: false,
    timeline_search: false,
    video_search: true,
    video_selfie_search: true,
  };
  const event = await store.events.create(org.id, { name: 'Finish-line footage', flags });
  const offEvent = await store.events.create(org.id, {
    name: 'No video',
    flags: { ...flags, video_search: false, video_selfie_search: false },
  });
  const secret = (await createApiKey(store, org.id, { kind: 'secret', label: 'tests' })).key;
  return { h, orgId: org.id, event, offEvent, secret, base: `/api/v1/ext/${org.id}/event/${event.id}`, close: () => h.close() };
}

export function form(parts: Record<string, Blob | string>, filename = 'selfie.jpg'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, v, filename);
  }
  return f;
}

export const blob = (b: Uint8Array) => new Blob([new Uint8Array(b)]);
