#!/usr/bin/env node
// `npm run build:server`: core/, server/ and scripts/ (the files tsconfig.server.json includes) to ES modules in
// dist-server/, one .js (and .js.map) per .ts, relative `./x.ts` imports rewritten to `./x.js` — what `tsc -p
// tsconfig.server.json` emits, through esbuild in about a second instead of 10–15 s (issue 20, first run). Nothing
// is bundled: every import stays an import (the lazy `await import()`s stay lazy, the worker threads keep their own
// files). Types are not checked here (`npm run typecheck` does, with the same options); the declarations the package
// ships come from tsc (`npm run build:types`).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const DIRS = ['core', 'server', 'scripts'];

/** Every .ts source (not .d.ts) under the three folders, as tsc's `include` sees them. */
export function serverSources() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(root, p));
    }
  };
  for (const d of DIRS) walk(join(root, d));
  return out.sort();
}

/** Each file on its own: every import is left to Node, a relative `.ts` one renamed `.js` (tsc's rewriteRelativeImportExtensions). */
const perFile = {
  name: 'photo-finish-per-file',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const rel = /^\.\.?\//.test(args.path);
      return { path: rel ? args.path.replace(/\.([cm]?)ts$/, '.$1js') : args.path, external: true };
    });
  },
};

export async function buildServer() {
  const t0 = performance.now();
  const entryPoints = serverSources();
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'dist-server',
    outbase: '.',
    bundle: true,
    plugins: [perFile],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.server.json',
    sourcemap: true,
    logLevel: 'warning',
  });
  return { files: entryPoints.length, ms: Math.round(performance.now() - t0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, ms } = await buildServer();
  console.log(`dist-server: ${files} files in ${ms} ms`);
}
