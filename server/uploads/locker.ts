// The tus lock every replica honours (PostgreSQL): one request at a time per upload, whichever process receives it.
//
// tus locks an upload for each HEAD, PATCH and DELETE. Its default MemoryLocker only sees one process's requests, and
// with uploads kept in the bucket (blob-tus-store.ts) two replicas could otherwise append to one upload at once (a
// client retrying on another replica while its first PATCH still runs). Here a lock is:
//  1. the MemoryLocker's, for this process's requests (it also asks an older request of this process to let go);
//  2. a PostgreSQL session advisory lock, taken with pg_try_advisory_lock on one dedicated connection per process.
//     When another replica holds it, this one asks it to let go (NOTIFY on a channel every locker LISTENs to; the
//     holder cancels its request, as tus does within one process: a client that resumes wins over its own stale
//     request) and tries again, with a short back-off, until tus's lock timeout.
// If the dedicated connection drops, PostgreSQL frees its locks: every request holding one here is cancelled at once,
// so no request goes on writing without its lock.
import { ERRORS, MemoryLocker, type Lock, type Locker, type RequestRelease } from '@tus/server';
import pg from 'pg';
import { LockSpace } from '../store/postgres/db.ts';

const CHANNEL = 'pf_tus_release';
/** How long a request waits for an upload's lock (tus's own default). */
export const LOCK_TIMEOUT_MS = 30_000;

export class PgLocker implements Locker {
  private readonly local: MemoryLocker;
  private client: Promise<pg.Client> | null = null;
  /** Uploads whose advisory lock this process holds → how to cancel the request holding it. */
  readonly held = new Map<string, RequestRelease>();
  private closed = false;

  constructor(
    private readonly url: string,
    readonly timeoutMs = LOCK_TIMEOUT_MS,
  ) {
    this.local = new MemoryLocker({ acquireLockTimeout: timeoutMs });
  }

  newLock(id: string): Lock {
    return new PgLock(this, id, this.local.newLock(id));
  }

  /** The dedicated connection (opened on first use, and again after a drop), listening for release requests. */
  connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('the upload locker is closed'));
    this.client ??= (async () => {
      const c = new pg.Client({ connectionString: this.url, application_name: 'photo-finish tus locks' });
      const lost = () => this.lost(c);
      c.on('error', lost);
      c.on('end', lost);
      c.on('notification', (n) => {
        if (n.channel === CHANNEL && n.payload) void this.held.get(n.payload)?.();
      });
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      this.current = c;
      return c;
    })();
    const p = this.client;
    p.catch(() => {
      if (this.client === p) this.client = null;
    });
    return p;
  }

  private current: pg.Client | null = null;

  private lost(c: pg.Client) {
    if (this.current !== c) return;
    this.current = null;
    this.client = null;
    for (const cancel of this.held.values()) void cancel();
    this.held.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.current;
    this.current = null;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

class PgLock implements Lock {
  private client: pg.Client | null = null;
  constructor(
    private readonly locker: PgLocker,
    private readonly id: string,
    private readonly local: Lock,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    await this.local.lock(signal, requestRelease);
    try {
      const deadline = Date.now() + this.locker.timeoutMs;
      let delay = 10;
      let asked = false;
      for (;;) {
        if (signal.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
        const c = await this.locker.connection();
        const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2::text)) AS ok', [
          LockSpace.tusUploads,
          this.id,
        ]);
        if (rows[0]?.ok) {
          this.client = c;
          this.locker.held.set(this.id, requestRelease);
          return;
        }
        if (!asked) {
          // Another replica holds it: ask that request to let go (its client has come back here).
          await c.query('SELECT pg_notify($1, $2)', [CHANNEL, this.id]);
          asked = true;
        }
        if (Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 200);
      }
    } catch (e) {
      await this.local.unlock();
      throw e;
    }
  }

  async unlock(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (this.locker.held.get(this.id)) this.locker.held.delete(this.id);
    try {
      // On the connection that took it; if that connection dropped, PostgreSQL has already freed the lock.
      if (c)
        await c
          .query('SELECT pg_advisory_unlock($1::int, hashtext($2::text))', [LockSpace.tusUploads, this.id])
          .catch(() => undefined);
    } finally {
      await this.local.unlock();
    }
  }
}
