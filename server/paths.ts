/**
 * Where the package's own files are, whether the server runs from its TypeScript sources (`server/*.ts`
 * through tsx) or compiled (`dist-server/server/*.js`). Everything the server reads at run time that is
 * not code — demo pages, the widget build, the ONNX models — is found from the package root, never next
 * to the running file, so both layouts find the same files.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NAME = 'photo-finish';

/** The nearest folder at or above `from` whose package.json is this package's. */
export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === NAME) return dir;
    } catch {
      /* no package.json here, or not JSON: keep climbing */
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${NAME} package root above ${from}`);
  }
}

/** The package root: the folder holding photo-finish's package.json. */
export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);

/** The package's own run-time files (defaults; config may point elsewhere, e.g. MODELS_DIR). */
export const paths = {
  root: PACKAGE_ROOT,
  /** Demo pages (HTML with placeholders), served at `/`. */
  demo: join(PACKAGE_ROOT, 'demo'),
  /** The widget build (`npm run build`), served at `/kit/`. */
  dist: join(PACKAGE_ROOT, 'dist'),
  /** The organiser console's build (`npm run build:console`), served at `/console/`. */
  console: join(PACKAGE_ROOT, 'dist-console'),
  /** ONNX models (`npm run fetch-models`, also on install). */
  models: join(PACKAGE_ROOT, 'models'),
  /** The compiled server (`npm run build:server`). */
  compiled: join(PACKAGE_ROOT, 'dist-server'),
} as const;

/** The SQLite file under DATA_DIR. Here (not in bootstrap.ts) so that a command needing only the store loads no service. */
export const dbFile = (dataDir: string) => join(dataDir, 'photo-finish.sqlite');

/** Where request bodies are spooled while a request runs (multipart uploads); emptied at start. */
export const tmpDir = (dataDir: string) => join(dataDir, 'tmp');

/**
 * The URL of a sibling module given by its TypeScript name (`./ocr-worker.ts`), as the running code sees it:
 * the `.ts` file under tsx, the compiled `.js` file otherwise. `base` is the caller's `import.meta.url`.
 */
export function siblingModule(name: string, base: string): URL {
  const compiled = !new URL(base).pathname.endsWith('.ts');
  return new URL(compiled ? name.replace(/\.ts$/, '.js') : name, base);
}
