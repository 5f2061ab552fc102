import { defineConfig } from 'vite';

// No configuration for photo-finish: its ES modules, CSS and types come from the package's exports; the selfie
// worker, the wasm and the models load from the photo-finish server's /kit/ (the `api` of <PfEvent>).
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: { target: 'es2022' },
});
