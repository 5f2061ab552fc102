// Modules each CLI command loads (issue 20: "CLI commands load only what they use"): runs `photo-finish <command>`
// on a temp data folder with a module-load hook, and prints the count of modules (ESM and CommonJS, ours and
// node_modules) and whether the heavy packages (stripe, pdf-lib, onnxruntime, sharp, …) were loaded, with the
// wall time. The anchor is `--help` (the CLI's own entry alone).
//   node --import tsx bench/cli-modules.ts [--compiled]   (--compiled: dist-server/, after npm run build:server)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { compiled: { type: 'boolean', default: false } } });
const ROOT = join(import.meta.dirname, '..');
const HEAVY = [
  'stripe',
  'pdf-lib',
  'onnxruntime-node',
  'sharp',
  '@pdf-lib/fontkit',
  'fontkit',
  '@tus/server',
  'hono',
  'exifr',
  'pg',
  'pg-boss',
  '@aws-sdk/client-s3',
  'qrcode',
  '@tus/file-store',
];
const dir = mkdtempSync(join(tmpdir(), 'pf-cli-modules-'));
const commands = [
  ['--help'],
  ['org', 'list'],
  ['org', 'create', '--name', 'Bench'],
  ['key', 'list', '--org', '1'],
  ['event', 'list', '--org', '1'],
  ['jobs', 'status'],
  ['credits', 'show', '--org', '1'],
  ['faces', 'status', '--event', '1'],
  ['bibs', 'status', '--event', '1'],
];
try {
  console.log(
    `photo-finish ${values.compiled ? 'compiled (dist-server)' : 'sources (tsx)'}; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const cmd of commands) {
    const log = join(dir, 'modules.txt');
    const env = {
      ...process.env,
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
      PF_MODULE_LOG: log,
      PHOTO_FINISH_SOURCES: values.compiled ? '0' : '1',
    };
    rmSync(log, { force: true });
    const t0 = performance.now();
    // A command that fails (e.g. no event 1 in the empty folder) still loaded what it loads: counted all the same.
    spawnSync(
      process.execPath,
      ['--import', join(ROOT, 'bench/support/module-log.mjs'), join(ROOT, 'bin/photo-finish.mjs'), ...cmd],
      {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const ms = performance.now() - t0;
    const loaded = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    const ours = loaded.filter((u) => !u.includes('/node_modules/') && !u.startsWith('node:'));
    const heavy = HEAVY.filter((p) => loaded.some((u) => u.includes(`/node_modules/${p}/`)));
    console.log(
      `photo-finish ${cmd.join(' ')}: ${loaded.length} modules (${ours.length} of ours), ${Math.round(ms)} ms; ` +
        `heavy packages loaded: ${heavy.length ? heavy.join(', ') : 'none'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
