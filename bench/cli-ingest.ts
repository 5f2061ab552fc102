// CLI ingest of 12-MP race photos with faces and bib OCR (issue 20): `photo-finish ingest <folder> --event N` as a
// real process on a fresh data folder (models loaded, selfie and bib search on), timed by /usr/bin/time: wall
// seconds, CPU seconds (user + system, every thread) and peak memory (max RSS). Prints photos per CPU-second
// (the per-core rate: ≥ 1.5 is the goal) and photos/s per core of wall time, next to the goal and the ratio.
// Photos: generated scenes (3 runners wearing real dataset faces, bibs on their chests) at 4000×3000.
//   node --import tsx bench/cli-ingest.ts [--photos 20] [--compiled]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../server/log.ts';
import { demoRunners } from '../server/seed/demo.ts';
import { loadDemoFaces } from '../server/seed/faces.ts';
import { prng } from '../server/seed/random.ts';
import { renderScene } from '../server/seed/scene.ts';
import { FaceService } from '../server/services/faces.ts';
import { openSqliteStore } from '../server/store/sqlite/index.ts';

const { values } = parseArgs({
  options: { photos: { type: 'string', default: '20' }, compiled: { type: 'boolean', default: false } },
});
const N = Math.max(1, Number(values.photos));
const ROOT = resolve(import.meta.dirname, '..');
const facesDir = resolve(process.env.FACES_DATASET ?? join(ROOT, '..', 'shared', 'datasets', 'faces'));
if (!existsSync(facesDir)) throw new Error(`face dataset not found at ${facesDir}`);
const modelsDir = resolve(process.env.MODELS_DIR ?? join(ROOT, 'models'));

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
  const r = prng(7);
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
    writeFileSync(join(photos, `frame-${String(i).padStart(2, '0')}.jpg`), data);
  }
  const env = {
    ...process.env,
    DATA_DIR: join(dir, 'data'),
    MODELS_DIR: modelsDir,
    LOG_LEVEL: 'warn',
    PHOTO_FINISH_SOURCES: values.compiled ? '0' : '1',
  };
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [join(ROOT, 'bin/photo-finish.mjs'), ...args, '--json'], { env, encoding: 'utf8' });
  const org = JSON.parse(cli('org', 'create', '--name', 'Bench')) as { id: number };
  const event = JSON.parse(cli('event', 'create', '--org', String(org.id), '--name', 'Bench', '--watermark', '© Bench')) as {
    id: number;
  };
  const timeFile = join(dir, 'time.txt');
  const out = execFileSync(
    '/usr/bin/time',
    [
      '-f',
      '%e %U %S %M',
      '-o',
      timeFile,
      process.execPath,
      join(ROOT, 'bin/photo-finish.mjs'),
      'ingest',
      photos,
      '--event',
      String(event.id),
      '--json',
    ],
    { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const [wall, user, sys, maxKb] = (await import('node:fs')).readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const report = JSON.parse(out) as { added: number; results: { faces?: number; bibs?: number; warning?: string }[] };
  const faces = report.results.reduce((n, x) => n + (x.faces ?? 0), 0);
  const bibs = report.results.reduce((n, x) => n + (x.bibs ?? 0), 0);
  const warnings = [...new Set(report.results.map((x) => x.warning).filter(Boolean))];
  const cpu = user + sys;
  const perCpu = report.added / cpu;
  const cores = availableParallelism();
  console.log(
    `CLI ingest of ${N} 4000×3000 photos with faces and OCR (${values.compiled ? 'compiled' : 'sources'}; ${cores} cores): ` +
      `${report.added} added, ${faces} faces, ${bibs} bibs${warnings.length ? `, warnings: ${warnings.join('; ')}` : ''}`,
  );
  console.log(
    `  ${perCpu.toFixed(2)} photos per CPU-second (goal 1.5 per core: ${(perCpu / 1.5).toFixed(2)}×); ` +
      `${(report.added / wall / cores).toFixed(2)} photos/s per core of wall time (${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU); ` +
      `peak memory ${(maxKb / 1024).toFixed(0)} MB (goal < 600 MB: ${(maxKb / 1024 / 600).toFixed(2)}×); load average ${loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
