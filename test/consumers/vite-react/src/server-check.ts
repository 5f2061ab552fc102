// Type-checked (not bundled): the server library's entry from the package, as a Node project would use it.
import { createApp, createDeps, loadConfig, type AppDeps } from 'photo-finish/server';

export async function health(dataDir: string): Promise<number> {
  const deps: AppDeps = await createDeps(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { serveSite: false });
  try {
    const res = await createApp(deps).fetch(new Request('http://localhost/healthz'));
    return res.status;
  } finally {
    await deps.close();
  }
}
