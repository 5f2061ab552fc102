import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';

export interface RunningServer {
  url: string;
  server: ServerType;
  /** Stops accepting, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

export async function startServer(deps: AppDeps, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${host}:${addr.port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }).then(() => deps.store.close());
      return closing;
    },
  };
}
