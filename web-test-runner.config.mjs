// Widget tests in real Chromium (web-test-runner + Playwright launcher), against a real seeded API server.
// Run through `node --import tsx` so this config can start the TypeScript server.
import { Readable } from 'node:stream';
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

/**
 * The console runs on the same origin as the API (session cookie, CSRF header): its tests load it from the wtr
 * server, which hands `/api/`, `/files/` and `/kit/` requests to the fixture server as they are (method, headers,
 * body, cookies) and streams the answer back.
 */
const PROXIED = /^\/(api|files|kit)\//;
async function proxyToFixture(ctx, next) {
  if (!fixture || !PROXIED.test(ctx.path)) return next();
  const chunks = [];
  for await (const c of ctx.req) chunks.push(c);
  const headers = new Headers();
  for (const [k, v] of Object.entries(ctx.request.headers)) {
    if (k === 'host' || k === 'connection' || k === 'accept-encoding' || v === undefined) continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  const body = chunks.length && !['GET', 'HEAD'].includes(ctx.method) ? Buffer.concat(chunks) : undefined;
  const res = await fetch(fixture.url + ctx.url, { method: ctx.method, headers, body, redirect: 'manual' });
  ctx.status = res.status;
  for (const [k, v] of res.headers) {
    if (['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(k)) continue;
    // An upload's Location names the fixture's origin: keep the browser on this one (same-origin cookie).
    ctx.set(k, k === 'location' ? v.replace(fixture.url, `${ctx.protocol}://${ctx.host}`) : v);
  }
  const cookies = res.headers.getSetCookie();
  if (cookies.length) ctx.set('set-cookie', cookies);
  ctx.body = res.body ? Readable.fromWeb(res.body) : null;
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

/**
 * Packages the console imports that the test server cannot serve as they are: qrcode (CommonJS) and tus-js-client
 * (its browser build is named by the package.json `browser` map): bundled once into an ES module for the browser,
 * as Vite does in the build.
 */
function commonJsPackages(names) {
  const cache = new Map();
  return {
    name: 'commonjs-packages',
    resolveImport({ source }) {
      if (names.includes(source)) return `/__cjs/${source}.js`;
    },
    async serve(context) {
      const m = /^\/__cjs\/(.+)\.js$/.exec(context.path);
      if (!m || !names.includes(m[1])) return;
      if (!cache.has(m[1])) {
        const { build } = await import('esbuild');
        const out = await build({
          entryPoints: [m[1]],
          bundle: true,
          format: 'esm',
          platform: 'browser',
          write: false,
          logLevel: 'silent',
        });
        cache.set(m[1], out.outputFiles[0].text);
      }
      return { body: cache.get(m[1]), type: 'js' };
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
  middleware: [proxyToFixture],
  nodeResolve: { exportConditions: ['onnxruntime-web-use-extern-wasm', 'browser', 'import', 'module', 'default'] },
  plugins: [
    apiFixture(),
    faceDatasetPlugin(),
    keepNodeBuiltins(),
    commonJsPackages(['qrcode', 'tus-js-client']),
    viteWorkerImports(),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'auto' }),
  ],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS } })],
  concurrency: 1,
  // Hang guards, not expectations: every test waits on state. A test that ingests photos on the server (OCR,
  // faces) takes ~20 s when other processes keep both cores busy (load ~28, measured), so the guards are wide.
  testFramework: { config: { timeout: 90000 } },
  testsFinishTimeout: 20 * 60_000,
};
