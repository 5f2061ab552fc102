import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = import.meta.dirname;

/** Gzipped copies next to the built files: the server sends them to browsers that accept gzip. */
function gzipCopies(): Plugin {
  return {
    name: 'photo-finish-console-gzip',
    apply: 'build',
    writeBundle(options, bundle) {
      const out = options.dir ?? join(root, 'dist-console');
      for (const name of Object.keys(bundle).filter((n) => /\.(js|css|html|svg)$/.test(n))) {
        const file = join(out, name);
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
      }
    },
  };
}

/**
 * The organiser console (`console/`): `vite build -c vite.console.config.ts` → `dist-console/` (index.html and
 * hashed `assets/`), served by the server at `/console/` (server/routes/pages/console.ts). Its own output: the kit's
 * `dist/` (drop-in and ES modules) is not touched. Pages load on demand (one chunk per page).
 */
export default defineConfig({
  root: join(root, 'console'),
  base: '/console/',
  publicDir: false,
  plugins: [
    {
      ...minifyLiterals({
        include: ['console/**/*.ts', 'widgets/**/*.ts'],
        failOnError: true,
        options: { shouldMinify: (t) => !!t.tag && t.tag.includes('html') },
      }),
      enforce: 'pre',
    } as unknown as Plugin,
    gzipCopies(),
  ],
  build: {
    outDir: join(root, 'dist-console'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    // Nothing inlined as data: URLs; the page's CSP is 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: { checks: { emptyImportMeta: false } },
  },
});
