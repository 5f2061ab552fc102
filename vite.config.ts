import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { build, defineConfig, defaultClientConditions, type Plugin } from 'vite';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const root = import.meta.dirname;

/**
 * Per-element ES module entry points (the package's exports): `index` (everything) plus every element folder
 * `widgets/pf-x/` whose main file is `widgets/pf-x/pf-x.ts`. A new element gets its entry by following that
 * naming; nothing to edit here.
 */
export const ES_ENTRIES: Record<string, string> = {
  index: 'widgets/index.ts',
  // `photo-finish/react`: the React wrappers (scripts/write-react.ts writes them from the element folders).
  react: 'widgets/react/index.ts',
  ...Object.fromEntries(
    readdirSync(join(root, 'widgets'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name.startsWith('pf-') && existsSync(join(root, 'widgets', d.name, `${d.name}.ts`)))
      .map((d) => [d.name, `widgets/${d.name}/${d.name}.ts`]),
  ),
};

/**
 * An entry that only re-exports from chunks (`export{t as PfGallery}from"./chunks/kit-….js"`, as every element's is):
 * the drop-in loader imports those chunks and not the entry (the element defines itself in its chunk). The bundle
 * bench (bench/bundle-size.ts) counts a drop-in page's files by the same rule.
 */
export const REEXPORT_ONLY = /^(\s*export\s*\{[^}]*\}\s*from\s*"\.\/chunks\/[^"]+\.js";?)+\s*$/;

/**
 * For the drop-in loader (built after the ES modules): the files an element's module needs, which the loader
 * fetches at once instead of one round trip after another as imports are parsed: its static chunks
 * (`chunks/kit-….js`, …), and the entry itself unless it only re-exports them (REEXPORT_ONLY).
 */
function staticChunks(): Record<string, string[]> {
  const esm = join(root, 'dist', 'esm');
  if (!existsSync(esm)) return {};
  const importsOf = (file: string) =>
    [
      ...readFileSync(join(esm, file), 'utf8').matchAll(/(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g),
    ].map((m) => join(dirname(file), m[1]!).replaceAll('\\', '/'));
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(ES_ENTRIES).filter((k) => k !== 'index' && k !== 'react')) {
    if (!existsSync(join(esm, `${name}.js`))) continue;
    const seen = new Set<string>();
    const walk = (f: string) => {
      for (const dep of importsOf(f)) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        walk(dep);
      }
    };
    walk(`${name}.js`);
    const files = [...seen].map((f) => f.replace(/\.js$/, ''));
    out[name] = REEXPORT_ONLY.test(readFileSync(join(esm, `${name}.js`), 'utf8')) ? files : [name, ...files];
  }
  return out;
}

/**
 * Modules of the shared `kit` chunk (see `codeSplitting` below). Of Lit, its core only: a directive (repeat,
 * keyed…) goes with the elements that use it, not into every page.
 */
const KIT_CHUNK = [
  /node_modules[\\/](lit[\\/]index|lit-html[\\/]lit-html|lit-element[\\/]lit-element|@lit[\\/]reactive-element[\\/](reactive-element|css-tag))\.js$/,
  /widgets[\\/](api[\\/]client|events|i18n[\\/](localize|str)|loader[\\/]translations-queue)\.ts$/,
  /widgets[\\/]shared[\\/](pf-element|styles|define|version|feature|context|event-consumer|format|url-state)\.ts$/,
  /node_modules[\\/]@lit[\\/]localize[\\/]internal[\\/]str-tag/,
  // pf-event and pf-gallery: every page has them (the event page, the embed, the demo pages; the search elements
  // and the timeline import the gallery), so they travel in the same file: one request and one gzip stream less.
  /widgets[\\/]pf-event[\\/]pf-event(\.styles)?\.ts$/,
  /widgets[\\/]pf-gallery[\\/](?!shared-link|gallery-cta|grid)[\w.-]+\.ts$/,
];
export function inKitChunk(id: string): boolean {
  return KIT_CHUNK.some((re) => re.test(id)) && !/[\\/]decorators([\\/.]|$)/.test(id);
}

/** Copies themes/*.css to dist/themes/ (served at /kit/themes/) and writes .gz next to the built files. */
function kitFiles(dropIn: boolean): Plugin {
  return {
    name: 'photo-finish-kit-files',
    apply: 'build',
    writeBundle(options, bundle) {
      const out = options.dir ?? join(root, 'dist');
      if (!dropIn) {
        mkdirSync(join(out, 'themes'), { recursive: true });
        for (const f of readdirSync(join(root, 'themes')).filter((n) => n.endsWith('.css'))) {
          copyFileSync(join(root, 'themes', f), join(out, 'themes', f));
          writeFileSync(join(out, 'themes', `${f}.gz`), gzipSync(readFileSync(join(out, 'themes', f)), { level: 9 }));
        }
      }
      // Precompressed copies: the server sends them when the browser accepts gzip (serveStatic precompressed).
      for (const name of Object.keys(bundle).filter((n) => n.endsWith('.js'))) {
        const file = join(out, name);
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
      }
    },
  };
}

/**
 * A brotli copy next to `file` (`.br`; the server prefers it to `.gz` when the browser accepts it): the 14 MB
 * WebAssembly runtime goes over the wire as 2.7 MB instead of 3.7 MB (gzip). Quality 9 takes a few seconds; the
 * result is kept in node_modules/.cache by the file's hash, so later builds copy it.
 */
function brotliCached(file: string) {
  const bytes = readFileSync(file);
  const cacheDir = join(root, 'node_modules', '.cache', 'photo-finish');
  const cached = join(cacheDir, `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.br`);
  if (!existsSync(cached)) {
    mkdirSync(cacheDir, { recursive: true });
    const br = brotliCompressSync(bytes, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
        [zlibConstants.BROTLI_PARAM_LGWIN]: 22,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    writeFileSync(`${cached}.tmp`, br);
    renameSync(`${cached}.tmp`, cached);
  }
  copyFileSync(cached, `${file}.br`);
}

/**
 * The selfie worker as its own same-origin file next to photo-finish.js (`dist/selfie-worker.js`: onnxruntime-web,
 * comlink and the face pipeline; never in the main script), and onnxruntime's runtime in `dist/ort/`, each with a
 * gzipped copy (the wasm goes over the wire as ~3.7 MB instead of 14 MB). Built once, with the ES modules.
 */
function selfieWorker(dropIn: boolean): Plugin {
  const ortDist = join(root, 'node_modules/onnxruntime-web/dist');
  const gz = (file: string) => writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
  return {
    name: 'photo-finish-selfie-worker',
    apply: 'build',
    async closeBundle() {
      if (dropIn) return;
      const out = join(root, 'dist');
      await build({
        configFile: false,
        root,
        publicDir: false,
        logLevel: 'warn',
        resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
        build: {
          outDir: out,
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          sourcemap: false,
          rolldownOptions: { checks: { emptyImportMeta: false }, output: { codeSplitting: false } },
          lib: { entry: join(root, 'widgets/selfie-worker/worker.ts'), formats: ['es'], fileName: () => 'selfie-worker.js' },
        },
      });
      gz(join(out, 'selfie-worker.js'));
      mkdirSync(join(out, 'ort'), { recursive: true });
      for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) {
        copyFileSync(join(ortDist, f), join(out, 'ort', f));
        gz(join(out, 'ort', f));
      }
      brotliCached(join(out, 'ort', 'ort-wasm-simd-threaded.wasm'));
    },
  };
}

/**
 * `vite build` → dist/esm/*.js (ES modules, one entry per element, shared chunks) and dist/themes/.
 * `vite build --mode drop-in` → dist/photo-finish.js (the drop-in loader: a tiny classic script that imports each
 * element's dist/esm/ module when the element first appears in the page; widgets/loader/).
 * Both find dist/selfie-worker.js and dist/ort/ next to themselves (see widgets/selfie-worker/client.ts).
 */
export default defineConfig(({ mode }) => {
  const dropIn = mode === 'drop-in';
  return {
    root,
    publicDir: false,
    // The drop-in loader's list of elements: every ES entry of an element (not `index` nor `react`).
    define: {
      __PF_ELEMENTS__: JSON.stringify(Object.keys(ES_ENTRIES).filter((k) => k.startsWith('pf-'))),
      __PF_CHUNKS__: JSON.stringify(dropIn ? staticChunks() : {}),
    },
    resolve: {
      // onnxruntime-web: pick ort.wasm.min.mjs, which loads its .wasm from wasmPaths instead of inlining it.
      conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
    },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    worker: { format: 'es' },
    plugins: [
      // Lit's html`…`/css`…` literals keep their indentation through minification: squeeze them (before the
      // TypeScript transform, as the plugin asks).
      // svg`…` is left alone: the HTML minifier drops the self-closing slashes SVG needs (<circle/><path/>).
      {
        ...minifyLiterals({
          include: ['widgets/**/*.ts'],
          failOnError: true,
          options: { shouldMinify: (t) => !!t.tag && t.tag.includes('html') },
        }),
        enforce: 'pre',
      } as unknown as Plugin,
      kitFiles(dropIn),
      selfieWorker(dropIn),
    ],
    build: {
      outDir: 'dist',
      emptyOutDir: !dropIn,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      rolldownOptions: {
        checks: { emptyImportMeta: false },
        // React comes from the app that uses `photo-finish/react` (an optional peer dependency), never bundled.
        external: dropIn ? [] : ['react'],
        // Lib mode leaves ES output unminified (for bundlers); minify it too: dist/esm is also served as is.
        output: {
          chunkFileNames: 'esm/chunks/[name]-[hash].js',
          minify: true,
          // Lit, the API client, the localisation layer and the small shared helpers of a gallery page (pf-event +
          // pf-gallery) travel as one chunk: one request instead of eight, and gzip compresses them together. Element
          // code and what only some elements use (the lightbox, the selfie search, the BIB field, icons, downloads,
          // Lit's decorators…) keep chunks of their own, so a gallery page does not fetch them.
          codeSplitting: dropIn ? undefined : { groups: [{ name: 'kit', test: inKitChunk }] },
        },
      },
      lib: dropIn
        ? {
            entry: resolve(root, 'widgets/loader/drop-in.ts'),
            name: 'PhotoFinishLoader',
            formats: ['iife'],
            fileName: () => 'photo-finish.js',
          }
        : {
            entry: Object.fromEntries(Object.entries(ES_ENTRIES).map(([k, v]) => [k, resolve(root, v)])),
            formats: ['es'],
            fileName: (_format, name) => `esm/${name}.js`,
          },
    },
  };
});
