import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';
import { lingerOnEarlyClose } from './http/lingering-close.ts';

export interface RunningServer {
  url: string;
  server: ServerType;
  /** Stops accepting, lets in-flight requests finish, then closes the deps (`deps.close()`: pools, timers, store). */
  close(): Promise<void>;
}

/** How long close() lets in-flight requests run before it cuts the remaining connections. */
export const SHUTDOWN_GRACE_MS = 8_000;

export async function startServer(deps: AppDeps, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port, hostname: host });
  const lingering = lingerOnEarlyClose(server as Server);
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
        // Keep-alive sockets would hold close() open: close each one as soon as its request is done (in-flight
        // requests finish), and cut whatever is left after the grace time.
        const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        http.closeIdleConnections?.();
        lingering.cut();
        const idle = setInterval(() => http.closeIdleConnections?.(), 50);
        const cut = setTimeout(() => http.closeAllConnections?.(), SHUTDOWN_GRACE_MS);
        idle.unref();
        cut.unref();
        server.once('close', () => {
          clearInterval(idle);
          clearTimeout(cut);
        });
      }).then(() => deps.close());
      return closing;
    },
  };
}
