// `node --import bench/support/module-log.mjs …`: appends every module the process loads (ESM through a load hook
// on the hooks thread, CommonJS through Module._load's cache at exit) to the file named by PF_MODULE_LOG.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.PF_MODULE_LOG;
if (file) {
  register('./module-log-hooks.mjs', import.meta.url, { data: { file } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const cjs = Object.keys(require.cache).map((p) => `file://${p}`);
    if (cjs.length) appendFileSync(file, cjs.join('\n') + '\n');
  });
}
