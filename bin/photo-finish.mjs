#!/usr/bin/env node
// The photo-finish CLI. Runs the compiled server (dist-server/, `npm run build:server`; `npm start` and
// `npm run build` build it). PHOTO_FINISH_SOURCES=1 runs the TypeScript sources through tsx instead (a dev
// dependency): the tests do, so they never run a stale build. Without a build, a checkout with tsx falls back
// to the sources and says so.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist-server/server/cli/main.js', import.meta.url);
const sources = new URL('../server/cli/main.ts', import.meta.url);

if (process.env.PHOTO_FINISH_SOURCES !== '1' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error('photo-finish: the compiled server is missing: run `npm run build:server` in the photo-finish folder');
    process.exit(1);
  }
  if (process.env.PHOTO_FINISH_SOURCES !== '1')
    console.error('photo-finish: no compiled server (npm run build:server): running the TypeScript sources');
  tsx.register();
  await import(sources.href);
}
