// `npm start` builds only when the build is not up to date (issue 20, "restart"): scripts/start.mjs run as a real
// process in a small project of its own (its copy of start.mjs, sources, and a `build` script that writes the four
// outputs and counts its runs), so each case is one real start, with no 10 s build.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(root: string, ...args: string[]): Promise<Run> {
  const { PF_REBUILD: _r, ...env } = process.env;
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const write = (root: string, rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};

// The project's build (what `npm run build:start` makes): the three outputs start.mjs checks, a served "server" that prints the build count, a counter.
const BUILD = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
appendFileSync('builds.txt', 'x');
const n = readFileSync('builds.txt', 'utf8').length;
for (const d of ['dist', 'dist-console', 'dist-server/server']) mkdirSync(d, { recursive: true });
writeFileSync('dist/photo-finish.js', '');
writeFileSync('dist-console/index.html', '');
writeFileSync('dist-server/server/main.js', 'console.log("served after build ' + n + '");');
`;

describe('npm start: the build check', () => {
  let root: string;
  const builds = () => readFileSync(join(root, 'builds.txt'), 'utf8').length;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pf-start-check-'));
    cpSync(join(ROOT, 'scripts/start.mjs'), join(root, 'scripts/start.mjs'));
    write(
      root,
      'package.json',
      JSON.stringify({ name: 'pf-start-check', private: true, type: 'module', scripts: { 'build:start': 'node build.mjs' } }),
    );
    write(root, 'build.mjs', BUILD);
    write(root, 'server/main.ts', 'export const a = 1;\n');
    write(root, 'widgets/pf-x/pf-x.ts', 'export const b = 2;\n');
    write(root, 'core/index.ts', 'export const c = 3;\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a fresh checkout builds, writes the stamp, then serves', async () => {
    const check = await start(root, '--check');
    assert.equal(check.code, 1);
    assert.match(check.stdout, /not up to date \(missing dist\/photo-finish\.js/);
    const run = await start(root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /building \(missing /);
    assert.match(run.stdout, /served after build 1/);
    assert.equal(builds(), 1);
  });

  test('a restart with nothing changed skips the build', async () => {
    const run = await start(root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /build up to date \(sources checked in \d+ ms\)/);
    assert.equal(builds(), 1);
    assert.equal((await start(root, '--check')).code, 0);
  });

  test('a newer mtime with the same content is no change; an edited source is', async () => {
    const src = join(root, 'server/main.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(src, later, later);
    assert.equal((await start(root, '--check')).code, 0);
    writeFileSync(src, 'export const a = 2;\n');
    const check = await start(root, '--check');
    assert.equal(check.code, 1);
    assert.match(check.stdout, /sources changed/);
    const run = await start(root);
    assert.match(run.stderr, /building \(sources changed\)/);
    assert.match(run.stdout, /served after build 2/);
    assert.equal((await start(root, '--check')).code, 0);
  });

  test('a new source file, a missing output, or --rebuild builds again', async () => {
    write(root, 'widgets/pf-y/pf-y.ts', 'export const y = 1;\n');
    assert.match((await start(root)).stderr, /building \(sources changed\)/);
    assert.equal(builds(), 3);
    rmSync(join(root, 'dist-console/index.html'));
    assert.match((await start(root)).stderr, /building \(missing dist-console\/index\.html\)/);
    assert.equal(builds(), 4);
    assert.match((await start(root, '--rebuild')).stderr, /building \(asked\)/);
    assert.equal(builds(), 5);
    assert.match((await start(root)).stderr, /build up to date/);
    assert.equal(builds(), 5);
  });
});
