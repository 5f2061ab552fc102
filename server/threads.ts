/**
 * Starts a worker thread on a sibling module, in either way the server runs:
 * - compiled (`dist-server/…/*.js`): the `.js` file itself, with no loader and none of the parent's flags;
 * - from the TypeScript sources (tsx: tests, `npm run dev:api`): the `.ts` file through tsx's loader. Node 20
 *   does not apply `--import` hooks to a worker's entry module (privatenumber/tsx#354), so a one-line ESM
 *   bootstrap imports the entry, registering tsx first when the inherited `--import tsx` did not take.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { siblingModule } from './paths.ts';

function tsxBootstrap(entry: string, tsxApi: string): string {
  return [
    `const entry = ${JSON.stringify(entry)};`,
    `try { await import(entry); }`,
    `catch (e) {`,
    `  if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;`,
    `  (await import(${JSON.stringify(tsxApi)})).register();`,
    `  await import(entry + '?tsx');`, // a fresh URL: the failed load is cached
    `}`,
  ].join('\n');
}

/** `name` is the module's TypeScript file name (`./render-worker.ts`); `base` the caller's `import.meta.url`. */
export function startWorker(name: string, base: string, options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {}): Worker {
  const entry = siblingModule(name, base);
  // The parent's own flags (--test, heap sizes…) are often not allowed in a worker: pass none, or only tsx.
  if (entry.pathname.endsWith('.js')) return new Worker(entry, { ...options, execArgv: [] });
  return new Worker(tsxBootstrap(entry.href, import.meta.resolve('tsx/esm/api')), {
    ...options,
    eval: true,
    execArgv: ['--import', import.meta.resolve('tsx')],
  });
}
