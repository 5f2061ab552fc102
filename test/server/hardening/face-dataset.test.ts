// The face tests must never pass by skipping in CI: without the dataset they skip on a developer machine and
// fail when CI is set; .ci/run stops early when it cannot find the dataset.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = (args: string[], env: Record<string, string | undefined>) =>
  promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_TEST_CONTEXT: undefined, ...env } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

test('without the dataset the face tests skip on a developer machine and fail under CI', async () => {
  const args = ['--import', 'tsx', '--test', join(ROOT, 'test/server/face/accuracy.test.ts')];
  const dev = await run(args, { CI: '', FACES_DATASET: '/nonexistent/faces' });
  assert.equal(dev.code, 0, dev.out);
  assert.match(dev.out, /face dataset not found at \/nonexistent\/faces/);
  const ci = await run(args, { CI: 'true', FACES_DATASET: '/nonexistent/faces' });
  assert.notEqual(ci.code, 0, 'a CI run without the dataset fails');
  assert.match(ci.out, /CI runs without the face dataset/);
});

test('.ci/run stops before installing anything when it cannot find the dataset', async () => {
  const r = await promisify(execFile)(
    'bash',
    ['-c', `sed -n '/^faces=/,/^echo "ci: face/p' .ci/run | FACES_DATASET=/nonexistent/faces bash`],
    {
      cwd: ROOT,
    },
  ).then(
    () => ({ code: 0, err: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
  );
  assert.equal(r.code, 1);
  assert.match(r.err, /the face dataset is missing: no \/nonexistent\/faces\/manifest\.json/);
});
