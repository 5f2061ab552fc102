// `npm start`: builds only when the build is not up to date (`npm run build:start`: the kit, the console and the
// server, side by side; scripts/build.mjs), then serves the demo (server/main.ts compiled).
// Up to date = the build stamp (dist-server/.build-stamp) holds the sha256 of every source file the three builds
// read (widgets, core, console, server, scripts, themes, the build configs, package.json and package-lock.json:
// their paths and contents) and every output is there. Then a restart with data present skips the 9 s build.
// `npm start -- --rebuild` (or PF_REBUILD=1) builds anyway; `npm start -- --check` only says whether the build is up
// to date (exit 0) or not (exit 1, with the reason). `npm run build` alone never writes the stamp, so the next
// `npm start` checks (and builds) once more. The elements manifest (custom-elements.json) is not served: `npm start`
// does not make it (`npm run build` does). The check reads every input (about 0.1 s); mtimes are not trusted (a
// checkout or a copy changes them, an edit within the same second may not).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const INPUT_DIRS = ['widgets', 'core', 'console', 'server', 'scripts', 'themes'];
const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.server.json',
  'vite.config.ts',
  'vite.console.config.ts',
];
const OUTPUTS = ['dist/photo-finish.js', 'dist-console/index.html', 'dist-server/server/main.js'];
const STAMP = join(root, 'dist-server/.build-stamp');

/** sha256 over the sorted (path, content) of every input file. */
export function sourcesHash() {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  for (const d of INPUT_DIRS) if (existsSync(join(root, d))) walk(join(root, d));
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) files.push(join(root, f));
  const h = createHash('sha256');
  for (const f of files.map((p) => relative(root, p)).sort()) {
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  }
  return h.digest('hex');
}

/** Why the build must run, or null when it is up to date; `hash` is what the stamp must hold. */
export function buildState() {
  const hash = sourcesHash();
  const stamp = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  const missing = OUTPUTS.filter((o) => !existsSync(join(root, o)));
  const why = missing.length
    ? `missing ${missing.join(', ')}`
    : !stamp
      ? 'no build stamp'
      : stamp !== hash
        ? 'sources changed'
        : null;
  return { hash, why };
}

const t0 = performance.now();
const { hash, why: stale } = buildState();
const forced = process.argv.includes('--rebuild') || process.env.PF_REBUILD === '1';
if (process.argv.includes('--check')) {
  console.log(stale ? `photo-finish: the build is not up to date (${stale})` : 'photo-finish: the build is up to date');
  process.exit(stale ? 1 : 0);
}
if (forced || stale) {
  const why = forced ? 'asked' : stale;
  console.error(`photo-finish: building (${why})…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build:start'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // The stamp names the sources as they were when the build started: an edit during the build builds again.
  writeFileSync(STAMP, hash + '\n');
} else {
  console.error(`photo-finish: build up to date (sources checked in ${Math.round(performance.now() - t0)} ms)`);
}
await import(pathToFileURL(join(root, 'dist-server/server/main.js')).href);
