import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection closed after an answer keeps discarding what the client still sends. */
export const LINGER_MS = 2_000;
/** …and at most this much of it. */
export const LINGER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * A lingering close, as nginx does it. When the server answers before it has read the whole request body (a 413,
 * or any answer with `Connection: close` to a request still arriving), Node closes the socket right after the
 * answer; the unread bytes then make the kernel send a reset, and a client still sending may meet that reset before
 * it reads the answer, so it sees ECONNRESET or EPIPE instead of the 413. Here such a socket is half-closed after
 * the answer and keeps reading (and discarding) until the client closes, for at most LINGER_MS and
 * LINGER_MAX_BYTES, then it is closed.
 */
export function lingerOnEarlyClose(server: Server, o: { ms?: number; maxBytes?: number } = {}): { cut(): void } {
  const limits = { ms: o.ms ?? LINGER_MS, maxBytes: o.maxBytes ?? LINGER_MAX_BYTES };
  const lingering = new Set<Socket>();
  const current = new WeakMap<Socket, IncomingMessage>();
  server.on('request', (req: IncomingMessage) => current.set(req.socket, req));
  server.on('connection', (socket: Socket) => {
    const destroySoon = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      const req = current.get(socket);
      if (!req || req.complete || socket.destroyed) return destroySoon();
      // The adapter's own drain of an unread body ends with destroySoon too: the linger already running holds.
      if (lingering.has(socket)) return;
      lingering.add(socket);
      socket.once('close', () => lingering.delete(socket));
      linger(socket, req, limits);
    };
  });
  // A server shutting down does not wait for lingering clients.
  return { cut: () => lingering.forEach((socket) => socket.destroy()) };
}

function linger(socket: Socket, req: IncomingMessage, limits: { ms: number; maxBytes: number }): void {
  const start = socket.bytesRead;
  const close = () => {
    clearInterval(watch);
    clearTimeout(limit);
    socket.destroy();
  };
  const watch = setInterval(() => {
    if (socket.bytesRead - start > limits.maxBytes) close();
  }, 50);
  // Not unref'd: a lingering socket keeps the process alive until it closes (at most `limits.ms`).
  const limit = setTimeout(close, limits.ms);
  socket.once('end', close);
  socket.once('close', close);
  req.resume();
  socket.end();
}
