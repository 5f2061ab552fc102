import { existsSync } from 'node:fs';
import { startApiFixture } from '../support/api-fixture.ts';

/** Starts one seeded server on a free loopback port for every e2e test; its URL goes to the workers via env. */
export default async function globalSetup() {
  if (!existsSync('dist/photo-finish.js'))
    throw new Error('dist/photo-finish.js is missing: run `npm run build` before the e2e tests');
  const fixture = await startApiFixture({ photos: 64 });
  process.env.PF_E2E_URL = fixture.url;
  process.env.PF_E2E_DEMO = JSON.stringify(fixture.demo);
  process.env.PF_E2E_DATA_DIR = fixture.dataDir;
  return async () => fixture.stop();
}
