// deps.close() ends everything the services start: worker threads (OCR pool, certificate renders), the selfie
// retention sweeper, background work, then the store; after it nothing of ours keeps the process alive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Logger } from '../../server/log.ts';
import { createHarness } from '../support/harness.ts';
import { makeJpeg } from './helpers/photos.ts';
import { databaseEnv } from '../support/postgres.ts';

const run = promisify(execFile);

describe('deps.close()', () => {
  test('ends the OCR pool, the render threads, the sweeper and the store; idempotent', async () => {
    const errors: string[] = [];
    const log: Logger = { info: () => {}, warn: () => {}, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };
    const h = createHarness({ faces: true, bibtrack: true, log });
    const { deps } = h;
    try {
      const org = await deps.store.orgs.create('Close club');
      const event = await deps.store.events.create(org.id, { name: 'Close 5K' });
      await deps.bibtrack!.readBibs(await makeJpeg({ seed: 1 })); // starts the OCR threads
      await deps.certificates.preview(event, { format: 'png', request: { builtin: 'classic' } });
      assert.equal(deps.certificates.renderStats.threads, 1, 'a render thread runs');
      deps.faces!.startSweeper(20);
      assert.equal(deps.faces!.sweeping, true);

      await deps.close();
      await deps.close(); // a second call waits for the same close

      assert.equal(deps.certificates.renderStats.threads, 0, 'render threads ended');
      assert.equal(deps.faces!.sweeping, false, 'sweeper stopped');
      await assert.rejects(deps.bibtrack!.readBibs(await makeJpeg({ seed: 2 })), /closed/);
      await assert.rejects(deps.store.orgs.list(), 'store closed: a query fails');
      // A sweep after the store closed would log an error: none comes.
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(errors, []);
    } finally {
      await h.close();
    }
  });

  test('after RunningServer.close() the process ends by itself (no process.exit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-close-'));
    try {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', resolve(import.meta.dirname, 'helpers/close-child.ts')],
        {
          env: {
            ...process.env,
            DATA_DIR: dir,
            ...databaseEnv(dir),
            SIGNING_KEYS: 'close-test-signing-key',
            LOG_LEVEL: 'silent',
            OCR_WORKERS: '1',
          },
          timeout: 90_000,
        },
      );
      assert.match(stdout, /^started: 1 OCR threads, 1 render thread\nclosed\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
