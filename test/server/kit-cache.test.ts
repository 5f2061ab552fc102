// Cache-Control of the kit's files: served by serveStatic, which answers without calling next().
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { kitCacheControl, staticRoutes } from '../../server/routes/static.ts';

describe('kit files: Cache-Control', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-kit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const dist = join(dir, 'dist');
  const models = join(dir, 'models');
  for (const d of [join(dist, 'esm', 'chunks'), join(dist, 'ort'), models]) mkdirSync(d, { recursive: true });
  const js = 'export const x = 1;\n'.repeat(50);
  writeFileSync(join(dist, 'photo-finish.js'), js);
  writeFileSync(join(dist, 'esm', 'pf-gallery.js'), js);
  writeFileSync(join(dist, 'esm', 'chunks', 'kit-RCEl7uEB.js'), js);
  writeFileSync(join(dist, 'esm', 'chunks', 'kit-RCEl7uEB.js.gz'), gzipSync(js));
  writeFileSync(join(dist, 'ort', 'ort-wasm-simd-threaded.wasm'), Buffer.alloc(64));
  writeFileSync(join(models, 'fr_detect.onnx'), Buffer.alloc(64));
  writeFileSync(join(models, 'fr_detect.web.onnx'), Buffer.alloc(4096, 7));
  writeFileSync(join(models, 'fr_detect.web.onnx.br'), brotliCompressSync(Buffer.alloc(4096, 7)));
  const app = staticRoutes({ distDir: dist, consoleDir: join(dir, 'console'), modelsDir: models, demo: null });
  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

  test('content-hashed chunks and versioned models/runtime: a year, immutable; the rest five minutes', async () => {
    const year = 'public, max-age=31536000, immutable';
    const cases: [string, string][] = [
      ['/kit/esm/chunks/kit-RCEl7uEB.js', year],
      ['/kit/models/fr_detect.onnx?v=0123456789abcdef', year],
      ['/kit/ort/ort-wasm-simd-threaded.wasm?v=1.30.0', year],
      ['/kit/models/fr_detect.onnx', 'public, max-age=300'],
      ['/kit/ort/ort-wasm-simd-threaded.wasm', 'public, max-age=300'],
      ['/kit/photo-finish.js', 'public, max-age=300'],
      ['/kit/esm/pf-gallery.js', 'public, max-age=300'],
    ];
    for (const [path, want] of cases) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('cache-control'), want, path);
      await res.arrayBuffer();
    }
  });

  test('the precompressed copy is sent with the same header; a missing file gets none', async () => {
    const gz = await get('/kit/esm/chunks/kit-RCEl7uEB.js', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gz.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    await gz.arrayBuffer();
    const missing = await get('/kit/esm/chunks/nope-RCEl7uEB.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('cache-control'), null);
  });

  test('a browser model goes brotli-compressed to a browser that accepts it, as is to one that does not', async () => {
    const br = await get('/kit/models/fr_detect.web.onnx?v=0123456789abcdef', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.match(br.headers.get('vary') ?? '', /accept-encoding/i);
    assert.equal(br.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const sent = Buffer.from(await br.arrayBuffer());
    assert.ok(sent.length < 200, `the brotli copy (${sent.length} bytes), not the 4096-byte file`);
    const plain = await get('/kit/models/fr_detect.web.onnx', { 'Accept-Encoding': 'identity' });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(Buffer.from(await plain.arrayBuffer()).length, 4096);
  });

  test('kitCacheControl never makes an unversioned or unhashed name immutable', () => {
    assert.equal(kitCacheControl('/kit/esm/chunks/kit.js', false), 'public, max-age=300');
    assert.equal(kitCacheControl('/kit/esm/pf-event.js', true), 'public, max-age=300');
    assert.equal(kitCacheControl('/kit/selfie-worker.js', true), 'public, max-age=300');
  });
});
