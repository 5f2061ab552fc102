#!/usr/bin/env node
// `npm run build:start`: what `npm start` serves, built at once (issue 20, first run): the kit (ES modules, then the
// drop-in loader, which lists their chunks), the console, and the server (scripts/build-server.mjs, esbuild) side by
// side. Not the elements manifest (custom-elements.json, for editors and the package: `npm run build` makes it).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServer } from './build-server.mjs';

const root = join(import.meta.dirname, '..');
const vite = join(root, 'node_modules/vite/bin/vite.js');

/** `node <args>` in the project folder; rejects when it fails. */
const run = (args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${args.slice(1).join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });

const t0 = performance.now();
const took = (t) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
const step = async (name, work) => {
  const t = performance.now();
  await work();
  console.log(`build: ${name} in ${took(t)}`);
};
try {
  await Promise.all([
    step('kit', async () => {
      await run([vite, 'build', '--logLevel', 'warn']);
      await run([vite, 'build', '--mode', 'drop-in', '--logLevel', 'warn']);
    }),
    step('console', () => run([vite, 'build', '-c', 'vite.console.config.ts', '--logLevel', 'warn'])),
    step('server', () => buildServer()),
  ]);
} catch (e) {
  console.error(`build: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
console.log(`build: done in ${took(t0)}`);
