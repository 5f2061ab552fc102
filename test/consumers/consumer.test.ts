// The npm package as its users get it: `npm pack` (prepack builds the kit, the server and the types), the file
// list of the tarball, and the tarball installed into a fresh folder: a Vite + React app (test/consumers/vite-react)
// type-checked and built against it and opened in Chromium against a real seeded server (a BIB search and the
// gallery, through photo-finish/react; the selfie search's worker and onnxruntime finding a face), the
// `photo-finish` binary, the server library, and the postinstall.
//
// Offline: the tarball is unpacked into the app's node_modules/photo-finish as npm would, and every other package
// (lit, react, vite, the server's dependencies…) is linked from this checkout's node_modules.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright';
import { startApiFixture, type ApiFixture } from '../support/api-fixture.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { FACES_DIR, facesMissing } from '../support/face-dataset.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

interface PackFile {
  path: string;
  size: number;
}

/** `npm pack --json` → the tarball's name and files. */
function packInfo(stdout: string): { filename: string; files: PackFile[]; size: number; unpackedSize: number } {
  // npm may print lifecycle output before the JSON (prepack's builds write to stderr, but be safe).
  return (
    JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as {
      filename: string;
      files: PackFile[];
      size: number;
      unpackedSize: number;
    }[]
  )[0]!;
}

/** A node process without tsx (as an app runs the package), cwd the app. */
async function node(cwd: string, args: string[], env: Record<string, string> = {}) {
  const { NODE_OPTIONS: _o, PHOTO_FINISH_SOURCES: _s, ...inherited } = process.env;
  return exec(process.execPath, args, { cwd, env: { ...inherited, ...env }, maxBuffer: 32 * 1024 * 1024 });
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Serves a built app (a static folder) on a free loopback port: the partner site. */
async function serveFolder(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the npm package', { timeout: 300_000 }, () => {
  let work: string;
  let app: string;
  let files: string[];
  let pack: ReturnType<typeof packInfo>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pf-consumer-'));
    // Exactly what `npm publish` would pack: prepack runs `npm run build` and `npm run build:types`.
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    pack = packInfo(packed.stdout);
    files = pack.files.map((f) => f.path);
    // The same list without building (what the test below checks is what a dry run shows).
    const dry = packInfo(
      (await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })).stdout,
    );
    assert.deepEqual(
      dry.files.map((f) => f.path),
      files,
    );

    // "npm install ./photo-finish.tgz", offline: the package unpacked, its dependencies linked.
    app = join(work, 'app');
    cpSync(join(import.meta.dirname, 'vite-react'), app, { recursive: true });
    const pkgDir = join(app, 'node_modules/photo-finish');
    mkdirSync(pkgDir, { recursive: true });
    await exec('tar', ['xzf', join(work, pack.filename), '-C', pkgDir, '--strip-components=1']);
    for (const name of readdirSync(join(ROOT, 'node_modules'))) {
      if (name.startsWith('.') || name === 'photo-finish') continue;
      symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
    }
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('npm pack --dry-run: the kit, the types, the compiled server; no tests, data, models or sources', () => {
    for (const f of [
      'package.json',
      'README.md',
      'bin/photo-finish.mjs',
      'custom-elements.json',
      'dist/photo-finish.js',
      'dist/esm/index.js',
      'dist/esm/pf-gallery.js',
      'dist/esm/react.js',
      'dist/selfie-worker.js',
      'dist/ort/ort-wasm-simd-threaded.wasm',
      'dist/ort/ort-wasm-simd-threaded.mjs',
      'dist/themes/auto.css',
      'themes/auto.css',
      'dist/types/widgets/index.d.ts',
      'dist/types/widgets/pf-gallery/pf-gallery.d.ts',
      'dist/types/widgets/react/index.d.ts',
      'dist-server/server/index.js',
      'dist-server/server/index.d.ts',
      'dist-server/server/cli/main.js',
      'dist-server/scripts/fetch-models.js',
      'scripts/fetch-models.mjs',
      'demo/index.html',
      'docs/embedding.md',
    ])
      assert.ok(files.includes(f), `${f} is in the package`);
    const unwanted = files.filter(
      (f) =>
        /^(test|data|models|node_modules|widgets|server|core|bench|integrations|\.ci)\//.test(f) ||
        f.startsWith('dist-server/test/') ||
        /\.(onnx|sqlite|map|tsbuildinfo|tgz|zip)$/.test(f) ||
        (/\.ts$/.test(f) && !f.endsWith('.d.ts')),
    );
    assert.deepEqual(unwanted, []);
    // Every element has its ES entry and its declarations (new elements follow by their folder name).
    const elements = readdirSync(join(ROOT, 'widgets'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name.startsWith('pf-') && existsSync(join(ROOT, 'widgets', d.name, `${d.name}.ts`)))
      .map((d) => d.name);
    for (const el of elements) {
      assert.ok(files.includes(`dist/esm/${el}.js`), `dist/esm/${el}.js`);
      assert.ok(files.includes(`dist/types/widgets/${el}/${el}.d.ts`), `${el}.d.ts`);
    }
  });

  test('package.json: exports, types, sideEffects and the manifest point at files of the tarball', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/photo-finish/package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
      sideEffects: string[];
      customElements: string;
      bin: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const has = (target: string) => files.includes(target.replace(/^\.\//, ''));
    for (const [key, value] of Object.entries(pkg.exports)) {
      for (const target of typeof value === 'string' ? [value] : Object.values(value)) {
        if (key.includes('*')) {
          // A pattern: it must match the gallery (elements) or the auto theme (themes).
          const sample = key === './pf-*' ? 'gallery' : 'auto.css';
          assert.ok(has(target.replace(/\*/g, sample)), `${key} → ${target}`);
        } else assert.ok(has(target), `${key} → ${target}`);
      }
    }
    assert.ok(has(pkg.customElements));
    assert.ok(has(pkg.bin['photo-finish']!));
    // Registering an element is a side effect: every ES entry and chunk is listed, so bundlers keep them.
    for (const f of files.filter((p) => p.startsWith('dist/esm/') && p.endsWith('.js'))) {
      const listed = pkg.sideEffects.some((g) =>
        new RegExp(`^${g.replace(/^\.\//, '').replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(f),
      );
      assert.ok(listed, `${f} is in sideEffects`);
    }
    assert.equal(pkg.peerDependenciesMeta.react?.optional, true, 'react is an optional peer dependency');
    assert.ok(pkg.peerDependencies.react);
  });

  test('postinstall in an app fetches no models', async () => {
    const run = await node(app, ['node_modules/photo-finish/scripts/fetch-models.mjs']);
    assert.match(run.stdout, /models not fetched/);
    assert.equal(existsSync(join(app, 'node_modules/photo-finish/models')), false);
  });

  test('photo-finish fetch-models from the package: checks the models by sha256 (a no-op when they are there)', async () => {
    const run = await node(app, ['node_modules/photo-finish/bin/photo-finish.mjs', 'fetch-models'], {
      MODELS_DIR: join(ROOT, 'models'),
    });
    assert.match(run.stdout, /^models: all \d+ files present and verified in /m, run.stderr);
  });

  test('the photo-finish binary runs the compiled server code', async () => {
    const data = join(work, 'bin-data');
    const run = await node(
      app,
      ['node_modules/photo-finish/bin/photo-finish.mjs', 'org', 'create', '--name', 'Packed Club', '--json'],
      {
        DATA_DIR: data,
      },
    );
    assert.equal(run.stderr, '', 'no fallback to sources, no warnings');
    assert.equal((JSON.parse(run.stdout) as { name: string }).name, 'Packed Club');
  });

  test('photo-finish/server: createApp answers from the installed package', async () => {
    const script = `
      import { createApp, createDeps, loadConfig } from 'photo-finish/server';
      const deps = await createDeps(loadConfig({ DATA_DIR: ${JSON.stringify(join(work, 'lib-data'))}, LOG_LEVEL: 'silent' }), { serveSite: false });
      const res = await createApp(deps).fetch(new Request('http://localhost/healthz'));
      console.log(res.status);
      await deps.close();`;
    const run = await node(app, ['--input-type=module', '-e', script]);
    assert.equal(run.stdout.trim(), '200', run.stderr);
  });

  describe('a Vite + React app built from the tarball', () => {
    let fixture: ApiFixture;
    let site: { url: string; server: Server };
    let browser: Browser;

    before(async () => {
      // Types first (the app's own tsconfig, strict), then the production build, with no photo-finish option.
      await node(app, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']).catch((e: { stdout: string }) => {
        throw new Error(`tsc failed in the app:\n${e.stdout}`);
      });
      await node(app, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
      [fixture, site] = await Promise.all([startApiFixture(), serveFolder(join(app, 'dist'))]);
      browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });
    });
    after(async () => {
      await browser?.close();
      site?.server.close();
      await fixture?.stop();
    });

    test('the build bundles the kit from the package', () => {
      const js = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
      const code = js.map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
      for (const tag of ['pf-event', 'pf-bib-search', 'pf-gallery', 'pf-timeline'])
        assert.match(code, new RegExp(`["'\`]${tag}["'\`]`), tag);
    });

    test('renders the gallery and a BIB search in Chromium, events reach React props', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('response', (r) => r.status() >= 400 && problems.push(`http ${r.status()}: ${r.url()}`));
      const d = fixture.demo;
      const q = new URLSearchParams({
        api: fixture.url,
        org: String(d.org_id),
        event: String(d.event_id),
        key: d.publishable_key,
      });
      await page.goto(`${site.url}/?${q}`);

      // The event's gallery (a PfGallery inside PfEvent).
      const gallery = page.locator('main > pf-event > pf-gallery');
      await gallery.locator('button.photo').first().waitFor();
      // A BIB search through the PfBibSearch component; its pf-results event reached the onPfResults prop.
      await page.locator('pf-bib-search [part=search-input]').fill('0427');
      await page.locator('pf-bib-search [part=search-input]').press('Enter');
      await page.locator('pf-bib-search pf-gallery button.photo').first().waitFor();
      await page.locator('#found', { hasText: /^React saw [1-9]\d* photos of BIB 0427$/ }).waitFor();
      // onPfSelect: opening a photo of the event's gallery.
      await gallery.locator('button.photo').first().click();
      await page.locator('#opened', { hasText: 'Opened photo 1' }).waitFor();
      // The plain ES-module import registered its element; the theme's CSS was bundled.
      assert.equal(await page.evaluate(() => !!customElements.get('pf-timeline')), true);
      assert.match((await page.evaluate(() => document.documentElement.dataset.kit)) ?? '', /^\d+\.\d+\.\d+/);
      assert.equal(
        await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme),
        'light dark',
        'themes/auto.css applied',
      );
      assert.deepEqual(problems, []);
      await page.close();
    });

    // No option in the app: the bundle has lost the kit's own URL, so the worker, onnxruntime and the models load
    // from the API server's /kit/ (another origin than the site). A Worker cannot be constructed from a cross-origin
    // URL: the kit starts a blob: module worker (same origin as the page) that imports the server's selfie-worker.js.
    test(
      'the selfie search starts its worker and onnxruntime from the API server and finds the face of a real photo',
      { skip: facesMissing() ?? false },
      async () => {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('response', (r) => r.status() >= 400 && problems.push(`http ${r.status()}: ${r.url()}`));
        const workers: string[] = [];
        page.on('worker', (w) => workers.push(w.url()));
        const loaded = new Set<string>();
        // Without the query: the worker asks for the runtime and models with `?v=` (their version or sha256).
        page.on('response', (r) => r.ok() && loaded.add(r.url().replace(/\?v=[\w.-]+$/, '')));
        const d = fixture.demo;
        const q = new URLSearchParams({
          api: fixture.url,
          org: String(d.org_id),
          event: String(d.event_id),
          key: d.publishable_key,
        });
        await page.goto(`${site.url}/?${q}`);

        const el = page.locator('pf-selfie-search');
        await el.getByRole('checkbox').check();
        await el.locator('input#file').setInputFiles(join(FACES_DIR, 'obama/obama_podium.jpg'));
        // The preview is the aligned face crop: the face was detected and its landmarks found, in the worker.
        const crop = el.locator('[part~="preview"] img');
        await crop.waitFor({ timeout: 60_000 });
        assert.equal(await crop.evaluate((img: HTMLImageElement) => `${img.naturalWidth}x${img.naturalHeight}`), '112x112');

        assert.equal(workers.length, 1, workers.join(' '));
        assert.ok(workers[0]!.startsWith(`blob:${site.url}/`), `the worker is a same-origin blob: (${workers[0]})`);
        for (const file of [
          'selfie-worker.js',
          'ort/ort-wasm-simd-threaded.mjs',
          'ort/ort-wasm-simd-threaded.wasm',
          'models/fr_detect.web.onnx',
          'models/fr_landmark.web.onnx',
        ])
          assert.ok(loaded.has(`${fixture.url}/kit/${file}`), `${file} loaded from the API server's /kit/`);
        assert.deepEqual(problems, []);
        await page.close();
      },
    );
  });
});
