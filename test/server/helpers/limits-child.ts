// A child process for the body-limit tests: the real composition root over DATA_DIR (from the environment), a
// listening server on a free loopback port, an organisation with an event and a publishable key. Prints one JSON
// line with the URL and the ids, then serves until killed. The parent measures this process's memory.
import { createDeps } from '../../../server/bootstrap.ts';
import { loadConfig } from '../../../server/config.ts';
import { startServer } from '../../../server/serve.ts';
import { createApiKey } from '../../../server/services/keys.ts';

const config = loadConfig();
const deps = await createDeps(config, { serveSite: false, faces: false, bibtrack: false });
const org = await deps.store.orgs.create('Limits club');
const event = await deps.store.events.create(org.id, { name: 'Limits 5K', free_downloads: false });
const publishable = (await createApiKey(deps.store, org.id, { kind: 'publishable' })).key;
const secret = (await createApiKey(deps.store, org.id, { kind: 'secret' })).key;
const running = await startServer(deps, 0);
process.stdout.write(
  JSON.stringify({ url: running.url, org_id: org.id, event_id: event.id, publishable, secret, pid: process.pid }) + '\n',
);
