// CLI ingest of 12-MP race photos with faces and bib OCR (issue 20): `photo-finish ingest <folder> --event N` as a
// real process on a fresh data folder, timed by /usr/bin/time: wall seconds, CPU seconds (user + system, every
// thread) and peak memory (max RSS). The same photos go in twice, into two events of one data folder:
//   - renditions only (selfie and bib search off: no face or OCR stage runs, no model is loaded),
//   - with faces and OCR (both searches on: models loaded, every stage).
// Each prints photos per CPU-second (the per-core rate: ≥ 1.5 with faces and OCR is the goal), photos/s per core of
// wall time, peak memory (< 600 MB is the goal) and the load average, then the steady state: the per-photo CPU less
// the start-up (models loaded, sessions built), from a second, short run of the first photos into another event; the faces and OCR run also prints its recall
// (faces found of the faces drawn, bibs read of the bibs drawn) so a faster ingest that reads less shows.
// Photos: generated scenes (3 runners wearing real dataset faces, bibs on their chests) at 4000×3000.
//   node --import tsx bench/cli-ingest.ts [--photos 20] [--compiled] [--only faces|renditions]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseBib } from '../core/index.ts';
import { createLogger } from '../server/log.ts';
import { dbFile } from '../server/paths.ts';
import { demoRunners } from '../server/seed/demo.ts';
import { loadDemoFaces } from '../server/seed/faces.ts';
import { prng } from '../server/seed/random.ts';
import { renderScene } from '../server/seed/scene.ts';
import { FaceService } from '../server/services/faces.ts';
import { openSqliteStore } from '../server/store/sqlite/index.ts';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '20' },
    compiled: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const N = Math.max(1, Number(values.photos));
const ROOT = resolve(import.meta.dirname, '..');
const facesDir = resolve(process.env.FACES_DATASET ?? join(ROOT, '..', 'shared', 'datasets', 'faces'));
if (!existsSync(facesDir)) throw new Error(`face dataset not found at ${facesDir}`);
const modelsDir = resolve(process.env.MODELS_DIR ?? join(ROOT, 'models'));
const cores = availableParallelism();
const load = () => loadavg()[0]!.toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-cli-ingest-'));
try {
  const runners = demoRunners();
  const demoFaces = await loadDemoFaces(
    facesDir,
    new FaceService({ store: openSqliteStore(':memory:'), log: createLogger('silent'), modelsDir }),
    runners.map((r) => r.bib),
  );
  const wearing = runners.filter((r) => demoFaces.cutouts.has(r.bib));
  const photos = join(dir, 'photos');
  mkdirSync(photos);
  // The first photos again, alone: the CPU of a short run less its photos' share is the start-up (models loaded,
  // sessions built), so the long run's per-photo rate can be printed without it too.
  const SHORT = Math.max(1, Math.min(4, Math.floor(N / 4)));
  const shortRun = join(dir, 'short');
  mkdirSync(shortRun);
  const r = prng(7);
  /** The bibs drawn on each photo, by file name. */
  const drawn = new Map<string, string[]>();
  for (let i = 0; i < N; i++) {
    const field = [wearing[i % wearing.length]!, wearing[(i + 1) % wearing.length]!, wearing[(i + 2) % wearing.length]!];
    const data = await renderScene(r, {
      width: 4000,
      height: 3000,
      runners: field,
      banner: i % 2 ? 'FINISH' : null,
      exif: null,
      faces: field.map((f) => demoFaces.cutouts.get(f.bib) ?? null),
    });
    const name = `frame-${String(i).padStart(2, '0')}.jpg`;
    writeFileSync(join(photos, name), data);
    if (i < SHORT) writeFileSync(join(shortRun, name), data);
    drawn.set(
      name,
      field.map((f) => f.bib),
    );
  }
  const dataDir = join(dir, 'data');
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    MODELS_DIR: modelsDir,
    LOG_LEVEL: 'warn',
    PHOTO_FINISH_SOURCES: values.compiled ? '0' : '1',
  };
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [join(ROOT, 'bin/photo-finish.mjs'), ...args, '--json'], { env, encoding: 'utf8' });
  const org = JSON.parse(cli('org', 'create', '--name', 'Bench')) as { id: number };

  const run = async (label: string, vision: boolean, folder = photos, quiet = false) => {
    const event = JSON.parse(cli('event', 'create', '--org', String(org.id), '--name', label, '--watermark', '© Bench')) as {
      id: number;
    };
    const store = openSqliteStore(dbFile(dataDir));
    const { flags } = (await store.events.get(event.id))!;
    await store.events.update(event.id, { flags: { ...flags, selfie_search: vision, bib_search: vision } });
    await store.close();
    const timeFile = join(dir, 'time.txt');
    const load0 = load();
    const out = execFileSync(
      '/usr/bin/time',
      ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, join(ROOT, 'bin/photo-finish.mjs')].concat([
        'ingest',
        folder,
        '--event',
        String(event.id),
        '--json',
      ]),
      { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const [wall, user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const report = JSON.parse(out) as { added: number; warnings: string[] };
    const cpu = user + sys;
    const perCpu = report.added / cpu;
    if (quiet) return { added: report.added, cpu };
    let recall = '';
    if (vision) {
      const s = openSqliteStore(dbFile(dataDir));
      const { items } = await s.images.list(event.id, { offset: 0, limit: N });
      let faces = 0;
      let shown = 0;
      let read = 0;
      for (const img of items) {
        faces += (await s.faces.listForImage(img.id)).length;
        const tags = await s.bibs.listForImage(img.id);
        for (const bib of drawn.get(img.original_name) ?? []) {
          shown++;
          if (tags.some((t) => t.source === 'ocr' && t.status === 'accepted' && t.bib_norm === normaliseBib(bib))) read++;
        }
      }
      await s.close();
      recall = `; faces ${faces} of ${N * 3} drawn, bibs read ${read}/${shown}`;
    }
    console.log(
      `${label}: ${report.added}/${N} added${report.warnings.length ? ` (warnings: ${report.warnings.join('; ')})` : ''}${recall}\n` +
        `  ${perCpu.toFixed(2)} photos per CPU-second (per core)` +
        (vision ? ` (goal 1.5: ${(perCpu / 1.5).toFixed(2)}×)` : '') +
        `; ${(report.added / wall / cores).toFixed(2)} photos/s per core of wall time (${wall.toFixed(1)} s wall, ` +
        `${cpu.toFixed(1)} s CPU, ${cores} cores); peak memory ${(maxKb / 1024).toFixed(0)} MB` +
        (vision ? ` (goal < 600 MB: ${(maxKb / 1024 / 600).toFixed(2)}×)` : '') +
        `; load average ${load0} before, ${load()} after`,
    );
    return { added: report.added, cpu };
  };
  /** The per-photo rate without the start-up: the long run less a short run of its first photos. */
  const steady = async (label: string, vision: boolean, long: { added: number; cpu: number }) => {
    const short = await run(label, vision, shortRun, true);
    if (long.added <= short.added) return;
    const perPhoto = (long.cpu - short.cpu) / (long.added - short.added);
    console.log(
      `  steady state ${(1 / perPhoto).toFixed(2)} photos per CPU-second (${(perPhoto * 1000).toFixed(0)} CPU-ms per photo)` +
        (vision ? ` (goal 1.5: ${(1 / perPhoto / 1.5).toFixed(2)}×)` : '') +
        `; start-up ${Math.max(0, short.cpu - short.added * perPhoto).toFixed(1)} CPU-s (from a run of the first ${short.added})`,
    );
  };
  console.log(
    `CLI ingest of ${N} 4000×3000 photos (${values.compiled ? 'compiled' : 'sources'}; ${cores} cores; load average ${load()})`,
  );
  if (values.only !== 'faces') {
    const label = 'renditions only (selfie and bib search off)';
    await steady(`${label}, short`, false, await run(label, false));
  }
  if (values.only !== 'renditions') {
    const label = 'with faces and OCR (selfie and bib search on)';
    await steady(`${label}, short`, true, await run(label, true));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
