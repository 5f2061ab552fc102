// The compiled server (dist-server/, `npm run build:server`) runs without tsx: the CLI through bin/, and the
// certificate and OCR worker threads from their compiled .js files. The other server tests run the sources.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { MODEL_FILES } from '../../core/models.ts';
import { paths, siblingModule } from '../../server/paths.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/photo-finish.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A plain node process: no tsx anywhere (not in its flags, not in NODE_OPTIONS, not asked for by env). */
function node(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { NODE_OPTIONS: _o, PHOTO_FINISH_SOURCES: _s, ...inherited } = process.env;
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const compiled = (rel: string) => JSON.stringify(new URL(`dist-server/${rel}`, `file://${ROOT}/`).href);

describe('compiled server', () => {
  let dataDir: string;
  before(async () => {
    // `npm run build:server` (esbuild, one file per source: scripts/build-server.mjs).
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-server.mjs')], { cwd: ROOT });
    dataDir = mkdtempSync(join(tmpdir(), 'pf-compiled-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a worker module is the .ts file under tsx and the .js file when compiled', () => {
    assert.match(siblingModule('./render-worker.ts', 'file:///p/server/certify/render-pool.ts').href, /render-worker\.ts$/);
    assert.match(
      siblingModule('./render-worker.ts', 'file:///p/dist-server/server/certify/render-pool.js').href,
      /render-worker\.js$/,
    );
    assert.equal(paths.root, ROOT);
  });

  test('the CLI runs the compiled code', async () => {
    const created = await node([BIN, 'org', 'create', '--name', 'Compiled Club', '--json'], { DATA_DIR: dataDir });
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, '', 'no fallback to the sources');
    const listed = await node([BIN, 'org', 'list'], { DATA_DIR: dataDir });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /\tCompiled Club$/m);
  });

  test('certificates render on a compiled worker thread', async () => {
    const script = `
      const { RenderPool } = await import(${compiled('server/certify/render-pool.js')});
      const { getBuiltinTemplate } = await import(${compiled('server/certify/templates/index.js')});
      const pool = new RenderPool(1);
      const bytes = await pool.render({
        template: getBuiltinTemplate('classic'),
        record: { bib: '7', name: 'Ann Lee', finish_time: '3:41:07', rank: 1, category: 'F40', extra: {} },
        context: { event_name: 'Compiled 10K', event_date: '1 May 2026' },
        format: 'png',
        background: null,
      });
      console.log(JSON.stringify({ png: Buffer.from(bytes.subarray(1, 4)).toString(), unavailable: pool.unavailable?.message ?? null }));
      await pool.close();`;
    const run = await node(['--input-type=module', '-e', script]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { png: 'PNG', unavailable: null });
  });

  test('bib OCR reads on a compiled worker thread', async (t) => {
    const models = Object.values(MODEL_FILES).filter((m) => m.name.startsWith('ch_PP-OCR') || m.name.endsWith('.txt'));
    if (!models.every((m) => existsSync(join(paths.models, m.name)))) return t.skip('OCR models missing (npm run fetch-models)');
    const script = `
      const { OcrPool } = await import(${compiled('server/vision/ocr/ocr-pool.js')});
      const { default: sharp } = await import('sharp');
      const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
      const pool = new OcrPool({ size: 1 });
      const reads = await pool.readBibs(blank);
      await pool.close();
      console.log(JSON.stringify({ reads }));`;
    const run = await node(['--input-type=module', '-e', script]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { reads: [] });
  });
});
