// A child process for the close() test: the real composition root over DATA_DIR (from the environment, as
// `npm start` reads it), a listening server, and every long-lived thing started — the OCR worker pool (its
// threads are ref'd), a certificate render thread, the selfie retention sweeper. Then `running.close()` and
// nothing else: no process.exit. The parent checks this process ends on its own.
import { createDeps } from '../../../server/bootstrap.ts';
import { loadConfig } from '../../../server/config.ts';
import { startServer } from '../../../server/serve.ts';
import { makeJpeg } from './photos.ts';

const config = loadConfig();
const deps = await createDeps(config, { serveSite: false });
const running = await startServer(deps, 0);
const org = await deps.store.orgs.create('Close club');
const event = await deps.store.events.create(org.id, { name: 'Close 5K' });
await deps.bibtrack!.readBibs(await makeJpeg({ seed: 1 })); // starts the OCR threads (and needs the models)
await deps.certificates.preview(event, { format: 'png', request: { builtin: 'classic' } });
deps.faces!.startSweeper(50);
const res = await fetch(`${running.url}/healthz`); // and a keep-alive connection
await res.arrayBuffer();
process.stdout.write(`started: ${deps.bibtrack!.size} OCR threads, ${deps.certificates.renderStats.threads} render thread\n`);
await running.close();
process.stdout.write('closed\n');
