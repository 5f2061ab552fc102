// `photo-finish worker`: a process that runs the background jobs (ingest of uploads, clip searches, …) and serves
// nothing. With DATABASE_URL any number of them share the pg-boss queue; with SQLite `serve` runs the jobs itself,
// and a worker on the same DATA_DIR shares the jobs table with it.
import { checkBlobsOrExit } from './blobs/check.ts';
import { createDeps } from './bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

export async function runWorker(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, 'worker');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`photo-finish: ${e.message}\nSee docs/operations.md for every variable and its default.`);
    process.exit(2);
  }
  const deps = await createDeps(config, { serveSite: false, work: true });
  await checkBlobsOrExit(deps);
  deps.log.info('worker started', { engine: deps.jobs.engine, pid: process.pid });
  console.log(`photo-finish worker is running (${deps.jobs.engine} job queue, pid ${process.pid})`);

  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log(`${sig}: finishing the running jobs…`);
      // Stops taking jobs, waits for the running ones (a job cut short is delivered again after JOB_TIMEOUT_SECONDS).
      deps.close().then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(`shutdown failed: ${String(e)}`);
          process.exit(1);
        },
      );
      setTimeout(() => process.exit(1), 40_000).unref();
    });
  }
  // Runs until a signal (the queue's own timers do not keep the process alive).
  setInterval(() => undefined, 1 << 30);
  await new Promise<void>(() => undefined);
}
