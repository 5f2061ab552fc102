// `photo-finish <command>`: operations on the embedded store (DATA_DIR).
import { createDeps } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { seedDemo } from '../seed/demo.ts';

const USAGE = `photo-finish <command>

Commands:
  serve        serve the API, the kit and the demo (same as npm start, without the build)
  seed-demo    seed the demo organisation, keys and event (once)
  --help       this text

Environment: DATA_DIR (default ./data), PORT (default 8787), HOST (default 127.0.0.1)`;

const [command] = process.argv.slice(2);
switch (command) {
  case 'serve':
    await import('../main.ts');
    break;
  case 'seed-demo': {
    const config = loadConfig();
    const deps = createDeps(config, { serveSite: false });
    const { info, created } = await seedDemo({
      store: deps.store,
      blobs: deps.blobs,
      dataDir: config.dataDir,
      baseUrl: `http://${config.host}:${config.port}`,
    });
    console.log(created ? 'demo seeded:' : 'demo already seeded:', JSON.stringify(info, null, 2));
    await deps.store.close();
    break;
  }
  case undefined:
  case '--help':
  case '-h':
  case 'help':
    console.log(USAGE);
    break;
  default:
    console.error(`unknown command: ${command}\n\n${USAGE}`);
    process.exitCode = 2;
}
