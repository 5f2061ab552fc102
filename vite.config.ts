import { defineConfig, defaultClientConditions } from 'vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

/** Per-element ES module entry points (the package's exports). */
export const ES_ENTRIES: Record<string, string> = {
  index: 'widgets/index.ts',
  'pf-event': 'widgets/pf-event/pf-event.ts',
  'pf-gallery': 'widgets/pf-gallery/pf-gallery.ts',
};

/**
 * `vite build` → dist/esm/*.js (ES modules, one entry per element, shared chunks).
 * `vite build --mode drop-in` → dist/photo-finish.js (one IIFE for a <script> tag, registers every element).
 */
export default defineConfig(({ mode }) => {
  const dropIn = mode === 'drop-in';
  return {
    root,
    publicDir: false,
    resolve: {
      // onnxruntime-web: pick ort.wasm.min.mjs, which loads its .wasm from wasmPaths instead of inlining it.
      conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
    },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    worker: { format: 'es' },
    build: {
      outDir: 'dist',
      emptyOutDir: !dropIn,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      rolldownOptions: {
        checks: { emptyImportMeta: false },
        output: { chunkFileNames: 'esm/chunks/[name]-[hash].js' },
      },
      lib: dropIn
        ? { entry: resolve(root, 'widgets/index.ts'), name: 'PhotoFinish', formats: ['iife'], fileName: () => 'photo-finish.js' }
        : {
            entry: Object.fromEntries(Object.entries(ES_ENTRIES).map(([k, v]) => [k, resolve(root, v)])),
            formats: ['es'],
            fileName: (_format, name) => `esm/${name}.js`,
          },
    },
  };
});
