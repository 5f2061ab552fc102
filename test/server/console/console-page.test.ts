// The console page route: the built single page at /console/, its hashed files, a strict policy on both, and a
// clear page (never a blank one) when the console is not built.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { CONSOLE_CSP, consolePages } from '../../../server/routes/pages/console.ts';

const dirs: string[] = [];
function built(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pf-console-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><head><script type="module" src="/console/assets/index-abc.js"></script></head><body><pfc-app></pfc-app></body></html>',
  );
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log("console")');
  writeFileSync(join(dir, 'assets', 'index-abc.js.gz'), gzipSync('console.log("console")'));
  return dir;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('console page', () => {
  test('/console/ is the page, with a strict policy: same-origin scripts, no framing, no sniffing, not cached', async () => {
    const app = consolePages(built());
    const res = await app.request('/console/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /<pfc-app>/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.equal(csp, CONSOLE_CSP);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('/console redirects to /console/ (the page needs the slash)', async () => {
    const res = await consolePages(built()).request('/console');
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/console/');
  });

  test('the hashed files are immutable, gzipped when accepted, with nosniff; an unknown file is not served', async () => {
    const app = consolePages(built());
    const res = await app.request('/console/assets/index-abc.js', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const missing = await app.request('/console/assets/nope.js');
    assert.equal(missing.status, 404);
    assert.notEqual(missing.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  test('not built: a 503 page that says how to build it, never a blank page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-console-empty-'));
    dirs.push(dir);
    const res = await consolePages(dir).request('/console/');
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build/);
    assert.equal(res.headers.get('content-security-policy'), CONSOLE_CSP);
  });
});
