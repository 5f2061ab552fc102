// Runs the real `photo-finish` CLI (bin/photo-finish.mjs) in a child process with its own DATA_DIR, from the
// TypeScript sources (PHOTO_FINISH_SOURCES=1: never a stale dist-server/ build).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { testBlobEnv } from '../../support/blob-engine.ts';
import { databaseEnv } from '../../support/postgres.ts';

export const BIN = resolve(import.meta.dirname, '../../../bin/photo-finish.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * With PF_TEST_STORE=postgres, a child with a DATA_DIR also gets that DATA_DIR's database (DATABASE_URL), and the
 * shared signing key every process on one database must have (SIGNING_KEYS; `serve` and `worker` refuse to start
 * without it), unless the test gives its own. With PF_TEST_BLOBS=s3, a child on a harness's DATA_DIR also gets that
 * harness's bucket and key prefix (S3_*), unless the test gives its own S3_BUCKET.
 */
export function startCli(args: string[], env: Record<string, string>): ChildProcess {
  const database = env.DATA_DIR && env.DATABASE_URL === undefined ? databaseEnv(env.DATA_DIR) : {};
  const db = database.DATABASE_URL ? { SIGNING_KEYS: 'test-signing-key-of-this-database', ...database } : database;
  const blobs = env.DATA_DIR && env.S3_BUCKET === undefined ? testBlobEnv(env.DATA_DIR) : {};
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', PHOTO_FINISH_SOURCES: '1', ...db, ...blobs, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}
