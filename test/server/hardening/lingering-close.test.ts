// The lingering close: an answer sent before the request body was read (a 413) is followed by a half-close, and
// what the client still sends is discarded, not answered with a reset, within the time and byte limits.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, test } from 'node:test';
import { lingerOnEarlyClose } from '../../../server/http/lingering-close.ts';

const MIB = 1024 * 1024;

/** A server that answers 413 at once, reading nothing; `closed` resolves when its side of a connection is closed. */
async function refusingServer(limits?: { ms?: number; maxBytes?: number }) {
  const server = createServer((req, res) => {
    if (req.headers['content-length'] && Number(req.headers['content-length']) > MIB) {
      res.writeHead(413, { Connection: 'close', 'Content-Type': 'text/plain' });
      return res.end('too large');
    }
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  if (limits) lingerOnEarlyClose(server, limits);
  const serverSockets: Socket[] = [];
  server.on('connection', (s: Socket) => serverSockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, serverSockets };
}

/** A raw client socket that keeps its side open after the server's FIN, and records what happens to it. */
async function client(port: number) {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await once(socket, 'connect');
  let received = '';
  const state = { error: null as NodeJS.ErrnoException | null, ended: false, closed: false };
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (received += d));
  socket.on('error', (e) => (state.error = e));
  const ended = new Promise<void>((ok) => socket.on('end', () => ((state.ended = true), ok())));
  const closed = new Promise<void>((ok) => socket.on('close', () => ((state.closed = true), ok())));
  const write = (b: Buffer | string) => new Promise<void>((ok) => socket.write(b, () => ok()));
  return { socket, state, ended, closed, write, received: () => received };
}

const head = (length: number, extra = '') =>
  `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('lingering close after an early answer', () => {
  let server: Server | null = null;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = null;
  });

  test('the client reads the 413, and what it still sends is discarded, not reset', async () => {
    const s = await refusingServer({ ms: 600_000, maxBytes: 64 * MIB });
    server = s.server;
    const c = await client(s.port);
    await c.write(head(100 * MIB) + 'x'.repeat(MIB));
    await c.ended;
    assert.match(c.received(), /^HTTP\/1\.1 413 /);
    assert.match(c.received(), /\r\n\r\n9\r\ntoo large\r\n0\r\n\r\n$/);
    for (let i = 0; i < 4; i++) await c.write(Buffer.alloc(MIB, 0x61));
    c.socket.end();
    await c.closed;
    assert.equal(c.state.error, null, 'no reset while the client was still sending');
  });

  test('past the byte limit the connection is closed', async () => {
    const s = await refusingServer({ ms: 600_000, maxBytes: 2 * MIB });
    server = s.server;
    const c = await client(s.port);
    await c.write(head(1024 * MIB));
    await c.ended;
    assert.match(c.received(), /^HTTP\/1\.1 413 /);
    let sent = 0;
    while (!c.state.error && !c.state.closed && sent < 512 * MIB) {
      await c.write(Buffer.alloc(MIB, 0x61));
      sent += MIB;
    }
    assert.ok(c.state.error || c.state.closed, 'the server closed the connection');
    assert.ok(sent < 512 * MIB, `the server read ${sent / MIB} MiB before closing`);
  });

  test('past the time limit the connection is closed, though the client sends nothing more', async () => {
    const s = await refusingServer({ ms: 50, maxBytes: 64 * MIB });
    server = s.server;
    const c = await client(s.port);
    await c.write(head(100 * MIB) + 'x'.repeat(64 * 1024));
    await c.ended;
    const serverSide = s.serverSockets[0]!;
    if (!serverSide.destroyed) await once(serverSide, 'close');
    assert.ok(serverSide.destroyed);
  });

  test('a request read in full closes at once after a Connection: close answer (no lingering)', async () => {
    const s = await refusingServer({ ms: 600_000, maxBytes: 64 * MIB });
    server = s.server;
    const c = await client(s.port);
    await c.write(head(5, 'Connection: close\r\n') + 'hello');
    await c.ended;
    assert.match(c.received(), /^HTTP\/1\.1 200 /);
    const serverSide = s.serverSockets[0]!;
    if (!serverSide.destroyed) await once(serverSide, 'close');
    assert.ok(serverSide.destroyed, 'the server closed its side without waiting for the client');
  });
});
