// Memory of another process (Linux /proc), and a request that streams a large body without holding it.
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';

const MIB = 1024 * 1024;

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for process ${pid}`);
  return Number(m[1]) * 1024;
}

/** The process's resident memory now, bytes. */
export const rss = (pid: number) => status(pid, 'VmRSS');

/**
 * Resets the process's peak resident memory to its current value (`/proc/PID/clear_refs` 5), so that `peakRss`
 * measures what follows. Returns the memory now.
 */
export function resetPeak(pid: number): number {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  return status(pid, 'VmRSS');
}

/** The process's peak resident memory since start or the last `resetPeak`, bytes. */
export const peakRss = (pid: number) => status(pid, 'VmHWM');

export interface BigBodyResult {
  status: number;
  body: string;
  /** Bytes of the body written before the answer came (the server did not wait for the rest). */
  sent: number;
}

/**
 * POSTs a body of `size` bytes (`chunk` repeated; chunked transfer unless `contentLength`), writing only as fast as
 * the server reads, and stops writing when the answer comes.
 */
export function postBig(
  url: string,
  o: { size: number; headers: Record<string, string>; contentLength?: boolean; head?: string; chunk?: Buffer },
): Promise<BigBodyResult> {
  const u = new URL(url);
  const chunk = o.chunk ?? Buffer.alloc(MIB, 0x20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path: u.pathname + u.search,
        headers: { ...o.headers, ...(o.contentLength ? { 'Content-Length': String(o.size) } : {}) },
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode!, body, sent });
          req.destroy();
        });
      },
    );
    // The server may close the connection after answering: an error after the answer is expected.
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const write = () => {
      while (!answered && sent < o.size) {
        let piece = sent === 0 && o.head ? Buffer.from(o.head) : chunk;
        if (sent + piece.length > o.size) piece = piece.subarray(0, o.size - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    write();
  });
}
