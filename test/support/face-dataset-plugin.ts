// web-test-runner plugin (test only): serves the real face dataset (../shared/datasets/faces, never copied
// into the repo) to the browser tests, and the server pipeline's embedding of a dataset photo, so a test
// can compare what the browser worker computes with what the server computes for the same file.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { FACES_DIR, facesMissing } from './face-dataset.ts';

export { FACES_DIR };

const ROOT = resolve(import.meta.dirname, '../..');
const TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.json': 'json' };

function datasetFile(rel: string | null): string | null {
  if (!rel) return null;
  const file = resolve(FACES_DIR, rel);
  return file.startsWith(FACES_DIR + sep) && existsSync(file) ? file : null;
}

interface ServeContext {
  path: string;
  URL: URL;
}

export function faceDatasetPlugin() {
  facesMissing(); // under CI, a missing dataset stops the widget run here instead of skipping the selfie tests
  return {
    name: 'pf-face-dataset',
    async serve(context: ServeContext) {
      if (context.path === '/__pf/faces-available') {
        return { body: JSON.stringify({ available: existsSync(join(FACES_DIR, 'manifest.json')) }), type: 'json' };
      }
      if (context.path.startsWith('/__pf/faces/')) {
        const file = datasetFile(decodeURIComponent(context.path.slice('/__pf/faces/'.length)));
        if (!file) return undefined;
        return { body: readFileSync(file), type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
      }
      if (context.path === '/__pf/server-embedding') {
        const file = datasetFile(context.URL.searchParams.get('file'));
        if (!file) return { body: JSON.stringify({ ok: false, reason: 'no such dataset file' }), type: 'json' };
        const { embedSelfie } = await import('../../server/vision/face-runner.ts');
        const r = await embedSelfie(readFileSync(file), { modelsDir: join(ROOT, 'models') });
        const body = r.ok ? { ok: true, embedding: [...r.embedding], box: r.box } : r;
        return { body: JSON.stringify(body), type: 'json' };
      }
      return undefined;
    },
  };
}
