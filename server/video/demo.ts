/**
 * The demo's finish-line video, generated at seed time (never committed): the finish banner, and each demo
 * runner who wears a real face crossing the line alone for a few seconds, one after the other. Ingested
 * through the video ingest like any upload, so a selfie search on the demo finds that runner's clip.
 */
import sharp from 'sharp';
import type { Prng } from '../seed/random.ts';
import { renderScene, type Runner } from '../seed/scene.ts';
import type { EventRow } from '../store/types.ts';
import type { VideoIngestResult } from './ingest.ts';
import type { VideoService } from './service.ts';
import { synthVideo } from './synth.ts';

export const DEMO_VIDEO = { name: 'finish-line-camera.mp4', width: 1280, height: 720, secondsEach: 3, lead: 2 };

/** When each face runner is on screen in the demo video, seconds. */
export const demoVideoTimeline = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    fromS: DEMO_VIDEO.lead + i * DEMO_VIDEO.secondsEach,
    toS: DEMO_VIDEO.lead + (i + 1) * DEMO_VIDEO.secondsEach - 0.5,
  }));

/** Renders the finish-line video of `runners` (each with its face cut-out) and ingests it into `event`. */
export async function seedDemoVideo(
  video: VideoService,
  event: EventRow,
  rng: () => Prng,
  runners: { runner: Runner; face: Buffer }[],
): Promise<VideoIngestResult> {
  const { width, height } = DEMO_VIDEO;
  const png = async (jpeg: Buffer) => sharp(jpeg).png().toBuffer();
  // The same generator seed for every frame: the same course and banner, only the runner changes.
  const frame = (r: Runner[], faces?: Buffer[]) =>
    renderScene(rng(), { width, height, runners: r, faces, banner: 'FINISH · RIVERSIDE HALF', exif: null }).then(png);
  const background = await frame([]);
  const times = demoVideoTimeline(runners.length);
  const scenes = [];
  for (const [i, { runner, face }] of runners.entries()) {
    scenes.push({ image: await frame([runner], [face]), ...times[i]! });
  }
  const durationS = DEMO_VIDEO.lead * 2 + runners.length * DEMO_VIDEO.secondsEach;
  const data = await synthVideo(video.bins, { background, scenes, durationS, fps: 10, preset: 'veryfast' });
  return video.ingest(event, { name: DEMO_VIDEO.name, data });
}
