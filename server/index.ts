/**
 * `photo-finish/server`: the server as a library. Build the app from the environment's settings and serve it, or
 * mount `createApp(deps).fetch` in your own HTTP server (any Fetch-API host: @hono/node-server, Bun, Deno):
 *
 * ```ts
 * import { createApp, createDeps, loadConfig } from 'photo-finish/server';
 * const deps = await createDeps(loadConfig({ DATA_DIR: './photos-data' }));
 * const app = createApp(deps); // app.fetch(request) → Response
 * // …on shutdown: await deps.close();
 * ```
 *
 * `startServer(deps, port, host)` listens with Node's HTTP server and returns `{ url, close }`. The settings are
 * the environment variables of docs/operations.md (`loadConfig(env)` reads them from any object).
 */
export { createApp, type App } from './app.ts';
export { createDeps, type DepsOptions } from './bootstrap.ts';
export { ConfigError, loadConfig, type Config } from './config.ts';
export type { AppDeps } from './deps.ts';
export { startServer, type RunningServer } from './serve.ts';
export { seedDemo, readDemoInfo, type DemoInfo } from './seed/demo.ts';
