#!/usr/bin/env node
// `npm run fetch-models`, and `npm install` / `npm ci` (postinstall): runs scripts/fetch-models.ts, through tsx
// (a dev dependency, installed before postinstall runs) or, on an install without dev dependencies
// (`npm ci --omit=dev` next to a built dist-server/), its compiled copy. With neither it says what to do and
// lets the install finish: face search and bib OCR then report the missing models.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist-server/scripts/fetch-models.js', import.meta.url);
let tsx = null;
try {
  tsx = await import('tsx/esm/api');
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
