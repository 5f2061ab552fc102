#!/usr/bin/env node
// `npm run build:types` (run by `prepack`): the TypeScript declarations the package ships.
// - dist/types/: the widgets (every `photo-finish/pf-*` entry, `photo-finish` and `photo-finish/react`);
// - dist-server/**/*.d.ts: the server library (`photo-finish/server`), next to its compiled .js files.
// Our sources import `./x.ts`; the declarations must name the files a consumer has: `./x.js`.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsc = (...args) =>
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], { cwd: root, stdio: 'inherit' });

tsc('-p', 'tsconfig.types.json');
tsc('-p', 'tsconfig.server.json', '--declaration', '--emitDeclarationOnly', '--incremental', 'false', '--sourceMap', 'false');

const IMPORT = /(from |import\(|import |module )(['"])(\.{1,2}\/[^'"]+)\.ts\2/g;
for (const dir of ['dist/types', 'dist-server']) {
  for (const f of readdirSync(join(root, dir), { recursive: true })) {
    if (!f.endsWith('.d.ts')) continue;
    const p = join(root, dir, f);
    const text = readFileSync(p, 'utf8');
    const fixed = text.replace(IMPORT, (_, kw, q, path) => `${kw}${q}${path}.js${q}`);
    if (fixed !== text) writeFileSync(p, fixed);
  }
}
