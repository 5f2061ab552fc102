#!/usr/bin/env node
// `npm run fetch-models`, and `npm install` / `npm ci` (postinstall): runs scripts/fetch-models.ts, through tsx
// (a dev dependency, installed before postinstall runs) or, on an install without dev dependencies
// (`npm ci --omit=dev` next to a built dist-server/), its compiled copy. With neither it says what to do and
// lets the install finish: face search and bib OCR then report the missing models.
//
// Installed as a dependency (`npm install photo-finish` in another project: this file is under node_modules/) it
// fetches nothing: the widgets never need the models on the app's side (they load them from the photo-finish
// server's /kit/models/), and a project that runs the server from the package fetches them once with
// `npx photo-finish fetch-models` (or installs with PHOTO_FINISH_FETCH_MODELS=1).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const asDependency = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules');
if (asDependency && process.env.PHOTO_FINISH_FETCH_MODELS !== '1') {
  console.log('photo-finish: models not fetched (not needed by the widgets; for the server: npx photo-finish fetch-models)');
  process.exit(0);
}

const compiled = new URL('../dist-server/scripts/fetch-models.js', import.meta.url);
let tsx = null;
try {
  // Not in an installed copy: its compiled script is there and tsx would be the consumer's.
  if (!asDependency) tsx = await import('tsx/esm/api');
} catch {
  /* an install without dev dependencies */
}
if (tsx) {
  tsx.register();
  await import(new URL('./fetch-models.ts', import.meta.url).href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  console.warn(
    'models: not fetched: tsx (a dev dependency) is not installed and the server is not built; ' +
      'run `npm run build:server` on a full install, then `node scripts/fetch-models.mjs`',
  );
}
