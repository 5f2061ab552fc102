#!/usr/bin/env node
// Runs the server test suite (or the given test files) on a chosen blob engine:
//   node scripts/test-server.mjs [--blobs local|s3] [file.test.ts …]
// `--blobs s3` (or PF_TEST_BLOBS=s3) starts one S3-compatible server for the whole run (@20minutes/s3rver, which
// checks SigV4 signatures) in a child process with Node's --openssl-legacy-provider, which s3rver needs and the
// test processes must not get, and passes it to the tests in PF_TEST_S3_ENDPOINT / PF_TEST_S3_BUCKET; each test
// harness then stores its blobs under a key prefix of its own (test/support/blob-engine.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: { blobs: { type: 'string' } },
  allowPositionals: true,
});
const blobs = values.blobs ?? process.env.PF_TEST_BLOBS ?? 'local';
if (blobs !== 'local' && blobs !== 's3') {
  console.error(`--blobs must be local or s3 (got ${blobs})`);
  process.exit(2);
}

const files =
  positionals.length > 0
    ? positionals
    : readdirSync(join(root, 'test/server'), { recursive: true })
        .filter((f) => String(f).endsWith('.test.ts'))
        .map((f) => join('test/server', String(f)))
        .sort();

const env = { ...process.env, PF_TEST_BLOBS: blobs };
const cleanups = [];

async function startS3rver() {
  const dir = mkdtempSync(join(tmpdir(), 'pf-s3rver-'));
  const bucket = 'pf-test';
  const child = spawn(process.execPath, ['--openssl-legacy-provider', join(root, 'test/support/s3rver-child.mjs'), dir, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise((ok, fail) => {
    createInterface({ input: child.stdout }).once('line', (l) => ok(JSON.parse(l).port));
    child.once('exit', (code) => fail(new Error(`s3rver exited (${code}) before listening`)));
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  env.PF_TEST_S3_ENDPOINT = `http://127.0.0.1:${port}`;
  env.PF_TEST_S3_BUCKET = bucket;
  console.log(`[test-server] blobs on s3rver at ${env.PF_TEST_S3_ENDPOINT} (bucket ${bucket})`);
}

let code = 1;
try {
  if (blobs === 's3' && !env.PF_TEST_S3_ENDPOINT) await startS3rver();
  const tests = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...files], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => tests.kill(sig));
  code = await new Promise((r) => tests.once('exit', (c, s) => r(c ?? (s ? 1 : 0))));
} finally {
  for (const c of cleanups) await c();
}
process.exit(code);
