// Starts the tests' S3-compatible server (s3rver) in a child process on a free port, with its files in a temp folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { S3Settings } from '../../server/blobs/s3.ts';

export const S3RVER_CHILD = join(import.meta.dirname, 's3rver-child.mjs');

export interface TestS3 {
  endpoint: string;
  /** Settings for the first bucket (path style, s3rver's built-in key pair). */
  settings: S3Settings;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts s3rver with these buckets (created empty). */
export async function startS3rver(buckets: string[] = ['pf-test']): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER_CHILD, dir, ...buckets], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => resolve((JSON.parse(l) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
    child.once('error', reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    settings: {
      bucket: buckets[0]!,
      region: 'us-east-1',
      endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
