// Motion figures: video ingest speed at 1080p with 5 FPS sampling (seconds of footage per second of wall time,
// and per CPU-second = per core), and the clip job latency (selfie POST → job completed), first cut and shared.
//   node --import tsx bench/video.ts [--seconds 30] [--fps 5] [--height 1080]
// Footage is made here with ffmpeg from still images (dataset faces appearing one after another).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createDeps } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';
import { synthVideo } from '../server/video/synth.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    fps: { type: 'string', default: '5' },
    height: { type: 'string', default: '1080' },
  },
});
const SECONDS = Number(values.seconds);
const FPS = Number(values.fps);
const H = Number(values.height);
const W = Math.round((H * 16) / 9);
const root = resolve(import.meta.dirname, '..');
const FACES = resolve(process.env.FACES_DATASET ?? join(root, '..', 'shared', 'datasets', 'faces'));
const PEOPLE = ['obama/obama_official_portrait.jpg', 'biden/biden_portrait.jpg', 'kit_harington/kit_harington_1.jpeg'];
const SELFIES = ['obama/obama_podium.jpg', 'biden/biden_standing.jpg', 'kit_harington/kit_harington_2.jpeg'];

/** CPU seconds of this process's finished children (ffmpeg, ffprobe): cutime + cstime of /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // fields 16 and 17 of the file, in clock ticks (100 Hz)
}

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-video-'));
const deps = await createDeps(
  loadConfig({ DATA_DIR: dir, SIGNING_KEYS: 'bench-signing-key-0001', LOG_LEVEL: 'warn', MODELS_DIR: join(root, 'models') }),
  { serveSite: false, bibtrack: false },
);
try {
  const org = await deps.store.orgs.create('bench');
  const event = await deps.store.events.create(org.id, { name: 'bench' });
  await deps.store.videos.putSettings(event.id, { ...(await deps.video.settings(event.id)), fps: FPS });

  // A course, and each person crossing (face about a sixth of the frame height) for a third of the footage.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#6b8e4e"/><rect width="${W}" height="${H * 0.4}" fill="#8ec5fc"/><rect x="${W * 0.3}" y="${H * 0.4}" width="${W * 0.4}" height="${H * 0.6}" fill="#4a4a4f"/></svg>`;
  const background = await sharp(Buffer.from(svg)).png().toBuffer();
  const scenes = [];
  for (const [i, file] of PEOPLE.entries()) {
    const face = await sharp(readFileSync(join(FACES, file)))
      .rotate()
      .resize({ height: Math.round(H / 4) })
      .toBuffer();
    const image = await sharp(background)
      .composite([{ input: face, left: Math.round(W * (0.2 + 0.25 * i)), top: Math.round(H * 0.35) }])
      .png()
      .toBuffer();
    scenes.push({ image, fromS: (i * SECONDS) / PEOPLE.length, toS: ((i + 1) * SECONDS) / PEOPLE.length - 1 });
  }
  const t0 = performance.now();
  const data = await synthVideo(deps.video.bins, {
    background,
    scenes,
    durationS: SECONDS,
    fps: 25,
    gop: 50,
    preset: 'veryfast',
  });
  console.log(
    `footage: ${SECONDS} s at ${W}×${H}, 25 fps, ${(data.length / 1048576).toFixed(1)} MB (made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  // Ingest: wall time, and CPU time of this process and its children (ffmpeg, ffprobe).
  const cpu0 = process.cpuUsage();
  const child0 = childCpuSeconds();
  const t1 = performance.now();
  const r = await deps.video.ingest(event, { name: 'bench.mp4', data });
  const wall = (performance.now() - t1) / 1000;
  if (r.status !== 'added') throw new Error(JSON.stringify(r));
  const cpu = process.cpuUsage(cpu0);
  const own = (cpu.user + cpu.system) / 1e6;
  const ffmpeg = childCpuSeconds() - child0;
  const total = own + ffmpeg;
  console.log(
    `ingest at ${FPS} FPS sampling: ${r.frames} frames, ${r.faces} faces, ${wall.toFixed(1)} s wall → ` +
      `${(SECONDS / wall).toFixed(2)} s of footage per second (${cpus().length} cores); CPU ${total.toFixed(1)} s ` +
      `(face stage ${own.toFixed(1)} s, ffmpeg/ffprobe ${ffmpeg.toFixed(1)} s) → ${(SECONDS / total).toFixed(2)} s of footage per CPU-second (per core)`,
  );

  // Clip jobs: selfie POST → completed. The first search of a person cuts; the same window again is shared.
  for (const [i, file] of SELFIES.entries()) {
    for (const round of ['first', 'again']) {
      const t = performance.now();
      const { job } = await deps.video.start(event, () => ({ kind: 'image', data: readFileSync(join(FACES, file)) }));
      const accepted = performance.now() - t;
      await deps.video.idle();
      const done = (await deps.store.videos.getJob(job.request_id))!;
      const clips = await deps.store.videos.jobClips(job.request_id);
      console.log(
        `clip job ${i + 1} (${round}): accepted in ${accepted.toFixed(0)} ms, ${done.status} in ${(performance.now() - t).toFixed(0)} ms, ` +
          clips.map((c) => `${c.clip.cut} ${(c.clip.duration_ms / 1000).toFixed(1)} s`).join(', '),
      );
    }
  }
  console.log(`cuts made: ${deps.video.cuts}`);
} finally {
  await deps.close();
  rmSync(dir, { recursive: true, force: true });
}
