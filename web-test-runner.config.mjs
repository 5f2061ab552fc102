// Widget tests in real Chromium (web-test-runner + Playwright launcher), against a real seeded API server.
// Run through `node --import tsx` so this config can start the TypeScript server.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, findChromium } from './test/support/chromium.mjs';
import { faceDatasetPlugin } from './test/support/face-dataset-plugin.ts';

const executablePath = await findChromium();
let fixture;

/**
 * Files named on the command line (`--files a b`), or null for the whole suite. A run of the DOM-free unit tests
 * only (`npm run test:widgets -- --files 'test/widgets/unit/*.test.ts'`) needs no API server, so it seeds none.
 */
function cliFiles() {
  const i = process.argv.indexOf('--files');
  if (i < 0) return null;
  const files = [];
  for (let k = i + 1; k < process.argv.length && !process.argv[k].startsWith('-'); k++) files.push(process.argv[k]);
  return files;
}
const files = cliFiles();
const needsApi = !files || files.some((f) => !f.replace(/\\/g, '/').includes('test/widgets/unit/'));

/** Starts the API fixture once and serves its coordinates to the tests at /__pf/fixture.json. */
function apiFixture() {
  return {
    name: 'pf-api-fixture',
    async serverStart() {
      if (!needsApi) return;
      // Imported here, so that a unit-only run loads no server code.
      const { startApiFixture } = await import('./test/support/api-fixture.ts');
      fixture = await startApiFixture({ photos: 40 });
    },
    async serverStop() {
      await fixture?.stop();
    },
    serve(context) {
      if (context.path === '/__pf/fixture.json') {
        return { body: JSON.stringify({ url: fixture.url, demo: fixture.demo }), type: 'json' };
      }
    },
  };
}

/** Vite's `?worker&inline` / `?worker&url` imports for the wtr dev server: a module Worker from the same file. */
function viteWorkerImports() {
  return {
    name: 'vite-worker-imports',
    serve(context) {
      const q = context.URL.searchParams;
      if (q.has('worker') && !q.has('worker_file')) {
        const url = `${context.path}?worker_file`;
        return {
          body: `export default function W() { return new Worker(${JSON.stringify(url)}, { type: 'module' }); }`,
          type: 'js',
        };
      }
    },
  };
}

/** ort's Node-only branch imports node builtins; leave them unresolved in the browser. */
function keepNodeBuiltins() {
  return {
    name: 'keep-node-builtins',
    resolveImport({ source }) {
      if (['module', 'worker_threads'].includes(source) || source.startsWith('node:')) return source;
    },
  };
}

export default {
  files: ['test/widgets/**/*.test.ts'],
  nodeResolve: { exportConditions: ['onnxruntime-web-use-extern-wasm', 'browser', 'import', 'module', 'default'] },
  plugins: [
    apiFixture(),
    faceDatasetPlugin(),
    keepNodeBuiltins(),
    viteWorkerImports(),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'auto' }),
  ],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS } })],
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
};
