import { EventEmitter } from 'node:events';
import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStore } from '@tus/file-store';
import type { Server as TusServer, Locker, Upload } from '@tus/server';
import type { ProcessingStats, UploadStatus } from '../../core/api/auth.ts';
import type { Principal } from '../auth/roles.ts';
import { getToFile, putFile } from '../blobs/files.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { VideoStage } from '../ingest/batch.ts';
import type { FaceStage } from '../ingest/faces.ts';
import type { OcrStage } from '../ingest/ocr.ts';
import type { JobQueue } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import type { UploadRow } from '../store/auth-types.ts';
import type { EventRow, Store } from '../store/types.ts';
import { looksLikeVideo } from '../video/detect.ts';
import type { BlobTusStore } from './blob-tus-store.ts';

/** The failures the processing view lists (newest first). */
export const FAILURES_SHOWN = 100;
/** How often the processing view re-reads an event's counts when workers in other processes change them. */
export const SHARED_POLL_MS = 1000;
/** An upload not finished within a week is dropped (tus expiration); its file is deleted. */
export const UPLOAD_EXPIRY_MS = 7 * 86_400_000;

export interface UploadServiceOptions {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  faces?: FaceStage;
  bibtrack?: OcrStage;
  /** Video ingest: a completed MP4, MOV or WebM upload goes there (read in place), not to the photo pipeline. */
  video?: VideoStage;
  /** Where partial and complete uploads are kept until processed: DATA_DIR/uploads (unless `inBlobStore`). */
  dir: string;
  /**
   * Keep uploads in the blob store instead (`uploads/` of the S3 bucket, under S3_PREFIX): any replica resumes an
   * upload another one started, and a worker anywhere reads it. `createDeps` sets it when the blobs are on S3.
   */
  inBlobStore?: boolean;
  /** The lock of an upload's requests (tus's in-process MemoryLocker by default; PgLocker on PostgreSQL). */
  locker?: Locker & { close?(): Promise<void> };
  /** PostgreSQL: a PgLocker on this database, made with the tus server on first use (closed with the service). */
  lockerUrl?: string;
  /** Largest file, bytes (413 above). */
  maxBytes: number;
  /** Photos processed at once per process (default: cores, at most 4). */
  concurrency?: number;
  /** The job queue completed uploads go through (`upload.process` jobs). */
  jobs: JobQueue;
}

/** Where a completed upload waits for a worker of another process (pg-boss): the blob store, not this disk. */
export const stagedUploadKey = (id: string) => `staging/uploads/${id}`;

/** What a tus request is about, from the route: the organisation, the loaded event, who asks, where links point. */
export interface UploadRequest {
  orgId: number;
  event: EventRow;
  principal: Principal;
  /** Public origin for the Location header (PUBLIC_URL or the request's own). */
  base: string;
  /** The path's upload id (HEAD, PATCH, DELETE). */
  uploadId?: string;
}

type TusError = { status_code: number; body: string };
const tusError = (status_code: number, body: string): TusError => ({ status_code, body: `${body}\n` });
/**
 * `filetype` may be empty or application/octet-stream (the browser did not know it); else it must be an image or a
 * video. The pipeline checks the bytes themselves either way.
 */
const MEDIA_TYPE = /^(image\/|video\/|application\/octet-stream$)/i;

/**
 * Race-day intake: tus 1.0 uploads (creation and termination extensions) with `@tus/server` over a FileStore in
 * DATA_DIR/uploads, mounted by `routes/admin/uploads.ts` behind the admin auth, and a queue that feeds each
 * completed upload into the ingest pipeline exactly once: the `uploads` row moves receiving → waiting (when the last
 * byte arrives) → processing (claimed by one worker, in one UPDATE) → processed / duplicate / failed. A truncated
 * upload never leaves `receiving`, so it is never ingested. Duplicates are skipped by content hash (the pipeline);
 * a photographer's camera clock offset for the event is applied to the capture time. Failed files stay on disk for
 * a retry. Listeners (`onChange`) hear every state change of an event: the processing view streams them.
 */
export class UploadService {
  readonly dir: string;
  private readonly o: UploadServiceOptions;
  /** The tus server and its datastore, made on first use (issue 20: @tus/server is not loaded at start). */
  private tusP: Promise<{ tus: TusServer; datastore: FileStore | BlobTusStore }> | null = null;
  private madeLocker: (Locker & { close(): Promise<void> }) | null = null;
  private readonly requests = new WeakMap<object, UploadRequest>();
  private readonly changes = new EventEmitter();
  private closed = false;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(o: UploadServiceOptions) {
    this.o = o;
    this.dir = o.dir;
    this.changes.setMaxListeners(0);
    o.jobs.register('upload.process', (p, ctx) => this.process(p.upload_id, ctx.attempt), {
      concurrency: Math.max(1, o.concurrency ?? Math.min(4, availableParallelism())),
    });
  }

  private tusServer() {
    return (this.tusP ??= this.createTus());
  }

  private async datastore(): Promise<FileStore | BlobTusStore> {
    return (await this.tusServer()).datastore;
  }

  private async createTus() {
    const o = this.o;
    const [{ FileStore }, { Server: TusServer }, { BlobTusStore }] = await Promise.all([
      import('@tus/file-store'),
      import('@tus/server'),
      import('./blob-tus-store.ts'),
    ]);
    if (!o.locker && o.lockerUrl) this.madeLocker = new (await import('./locker.ts')).PgLocker(o.lockerUrl);
    const locker = o.locker ?? this.madeLocker;
    const datastore = o.inBlobStore
      ? new BlobTusStore(o.blobs, { expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS })
      : new FileStore({ directory: o.dir, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    const tus = new TusServer({
      path: '/uploads',
      datastore,
      ...(locker ? { locker } : {}),
      maxSize: o.maxBytes,
      disableTerminationForFinishedUploads: true,
      generateUrl: (req, { id }) => {
        const r = this.request(req);
        return `${r.base}/api/v1/admin/${r.orgId}/events/${r.event.id}/uploads/${encodeURIComponent(id)}`;
      },
      getFileIdFromRequest: (req) => this.requests.get(req)?.uploadId,
      onIncomingRequest: async (req, id) => {
        if (req.method === 'POST') return;
        await this.checkOwnership(this.request(req), id);
      },
      onUploadCreate: async (req, upload) => {
        await this.created(this.request(req), upload);
        return {};
      },
      onUploadFinish: async (req, upload) => {
        await this.finished(this.request(req), upload);
        return {};
      },
    });
    return { tus, datastore };
  }

  private request(req: object): UploadRequest {
    const r = this.requests.get(req);
    if (!r) throw tusError(500, 'upload request without its context');
    return r;
  }

  /** Answers one tus request (POST, HEAD, PATCH, DELETE) for an event the caller may upload to. */
  async handle(req: Request, r: UploadRequest): Promise<Response> {
    this.requests.set(req, r);
    const res = await (await this.tusServer()).tus.handleWeb(req);
    if (req.method === 'DELETE' && res.status === 204 && r.uploadId) {
      // Terminated before it was complete: forget it (a complete upload cannot be terminated).
      await this.o.store.uploads.transition(r.uploadId, ['receiving'], 'failed', { error: 'cancelled' });
      await this.o.store.uploads.delete(r.uploadId);
      this.emit(r.event.id);
    }
    return res;
  }

  private async checkOwnership(r: UploadRequest, id: string) {
    const row = await this.o.store.uploads.get(id);
    if (!row || row.event_id !== r.event.id) throw tusError(404, `Upload ${id} not found in event ${r.event.id}`);
    const p = r.principal;
    if (p.kind === 'user' && p.role === 'photographer' && row.user_id !== p.user.id)
      throw tusError(403, 'This upload belongs to another photographer');
  }

  private async created(r: UploadRequest, upload: Upload) {
    const meta = upload.metadata ?? {};
    const fileType = meta.filetype?.trim() || null;
    if (fileType && !MEDIA_TYPE.test(fileType))
      throw tusError(415, `Only photos and videos can be uploaded here, not ${fileType.slice(0, 80)}`);
    const name = (meta.filename ?? meta.name ?? '').trim().replace(/[\\/]/g, '_').slice(0, 255) || 'unnamed';
    await this.o.store.uploads.create({
      id: upload.id,
      org_id: r.orgId,
      event_id: r.event.id,
      user_id: r.principal.kind === 'user' ? r.principal.user.id : null,
      key_id: r.principal.kind === 'key' ? r.principal.key.id : null,
      file_name: name,
      file_type: fileType,
      size: upload.size ?? null,
    });
  }

  /** The last byte arrived: exactly one request moves it to `waiting` and queues it. */
  private async finished(r: UploadRequest, upload: Upload) {
    const moved = await this.o.store.uploads.transition(upload.id, ['receiving'], 'waiting', {
      size: upload.size ?? upload.offset,
    });
    if (!moved) return;
    if (this.o.jobs.engine === 'pg-boss' && !this.o.inBlobStore) {
      // Another process (a worker, maybe on another machine) ingests it: the bytes go to the shared blob store.
      // Streamed (multipart on S3): a 2 GB video is never held in memory.
      await putFile(this.o.blobs, stagedUploadKey(upload.id), join(this.dir, upload.id));
      // This disk's copy goes once tus has answered the request (it reads the file for its answer).
      const local = await this.datastore();
      setTimeout(() => void local.remove(upload.id).catch(() => undefined), 10_000).unref();
    }
    this.emit(r.event.id);
    await this.enqueue(upload.id, r.orgId, r.event.id);
  }

  private emit(eventId: number) {
    this.changes.emit(`event:${eventId}`);
  }

  /**
   * Calls `fn` after every state change of the event's uploads; returns the unsubscribe function. With the shared
   * job queue the changes are made by worker processes: while someone listens, the event's counts are read every
   * SHARED_POLL_MS and a change is announced.
   */
  onChange(eventId: number, fn: () => void): () => void {
    this.changes.on(`event:${eventId}`, fn);
    if (this.o.jobs.engine === 'pg-boss') this.watch(eventId, +1);
    return () => {
      this.changes.off(`event:${eventId}`, fn);
      if (this.o.jobs.engine === 'pg-boss') this.watch(eventId, -1);
    };
  }

  private readonly watchers = new Map<number, { listeners: number; timer: NodeJS.Timeout; last: string }>();

  private watch(eventId: number, delta: 1 | -1) {
    let w = this.watchers.get(eventId);
    if (!w && delta > 0) {
      const timer = setInterval(() => {
        void this.o.store.uploads.counts(eventId).then(
          (c) => {
            const now = JSON.stringify(c);
            const entry = this.watchers.get(eventId);
            if (entry && entry.last !== now) {
              const first = entry.last === '';
              entry.last = now;
              if (!first) this.emit(eventId);
            }
          },
          () => undefined,
        );
      }, SHARED_POLL_MS);
      timer.unref();
      w = { listeners: 0, timer, last: '' };
      this.watchers.set(eventId, w);
    }
    if (!w) return;
    w.listeners += delta;
    if (w.listeners <= 0) {
      clearInterval(w.timer);
      this.watchers.delete(eventId);
    }
  }

  /** Calls `fn` once when the service closes (streams end). */
  onClose(fn: () => void): () => void {
    if (this.closed) {
      fn();
      return () => undefined;
    }
    this.changes.once('close', fn);
    return () => this.changes.off('close', fn);
  }

  /** One `upload.process` job per upload (keyed by its id: queued once). */
  private async enqueue(id: string, orgId: number, eventId: number) {
    if (this.closed) return;
    await this.o.jobs.enqueue('upload.process', { upload_id: id, org_id: orgId, event_id: eventId }, { key: id });
  }

  /**
   * Removes the files of these uploads from the upload folder (their rows were deleted with their event; a queued
   * one is skipped when its turn comes, as its row is gone); missing files are fine.
   */
  async discard(ids: string[]): Promise<void> {
    const datastore = await this.datastore();
    for (const id of ids) await datastore.remove(id).catch(() => undefined);
  }

  /** Resolves when no upload job is queued or running (tests, the bench). */
  idle(): Promise<void> {
    return this.o.jobs.idle('upload.process');
  }

  /**
   * The upload as a file on this disk: the tus file, or else the copy staged in the blob store streamed to a
   * temporary file (a worker on another machine); null when gone. Call `done()` after.
   */
  private async localFile(id: string): Promise<{ path: string; size: number; done: () => Promise<void> } | null> {
    if (this.o.inBlobStore) return this.bucketFile((await this.datastore()) as BlobTusStore, id);
    const path = join(this.dir, id);
    const s = await stat(path).catch(() => null);
    if (s) return { path, size: s.size, done: () => Promise.resolve() };
    if (!(await this.o.blobs.stat(stagedUploadKey(id)))) return null;
    const tmp = await mkdtemp(join(tmpdir(), 'pf-upload-'));
    const done = () => rm(tmp, { recursive: true, force: true });
    try {
      const file = join(tmp, 'upload');
      await getToFile(this.o.blobs, stagedUploadKey(id), file);
      return { path: file, size: (await stat(file)).size, done };
    } catch (e) {
      await done();
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** An upload kept in the blob store, streamed chunk after chunk to a temporary file; null when it is gone. */
  private async bucketFile(store: BlobTusStore, id: string) {
    const tmp = await mkdtemp(join(tmpdir(), 'pf-upload-'));
    const done = () => rm(tmp, { recursive: true, force: true });
    try {
      const file = join(tmp, 'upload');
      const size = await store.copyToFile(id, file);
      return { path: file, size, done };
    } catch (e) {
      await done();
      if ((e as { status_code?: number }).status_code === 404 || (e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** The upload is stored (or was a duplicate): its file and its staged copy are no longer needed. */
  private async forget(id: string) {
    await (await this.datastore()).remove(id).catch(() => undefined);
    await this.o.blobs.delete(stagedUploadKey(id)).catch(() => undefined);
  }

  /**
   * The `upload.process` job. The row's state makes it idempotent: the first delivery claims `waiting` →
   * `processing`; a later delivery (its first process died mid-way) also takes it over from `processing`; one that
   * finds it processed, failed or gone does nothing. The pipeline itself is idempotent by content hash.
   */
  private async process(id: string, attempt = 1): Promise<{ state: string } | null> {
    const { store } = this.o;
    const from: ('waiting' | 'processing')[] = attempt > 1 ? ['waiting', 'processing'] : ['waiting'];
    if (!(await store.uploads.transition(id, from, 'processing'))) {
      // Done, failed or gone. Done: a process that died between storing the photo and removing the upload's files
      // left them behind, and this delivery (the queue's, after that death) removes them.
      const done = await store.uploads.get(id);
      if (done?.state === 'processed' || done?.state === 'duplicate') await this.forget(id);
      return null;
    }
    const row = (await store.uploads.get(id))!;
    this.emit(row.event_id);
    const fail = async (error: string) => {
      await store.uploads.transition(id, ['processing'], 'failed', { error });
      this.o.log.warn('upload failed', { upload_id: id, event_id: row.event_id, file: row.file_name, error });
      this.emit(row.event_id);
    };
    const event = await store.events.get(row.event_id);
    if (!event) {
      await fail('the event was deleted');
      return { state: 'failed' };
    }
    const local = await this.localFile(id);
    if (!local) {
      await fail('the uploaded file is gone: upload it again');
      return { state: 'failed' };
    }
    try {
      return await this.ingestFile(id, attempt, row, event, local.path, local.size, fail);
    } finally {
      await local.done();
    }
  }

  /**
   * Ingests the upload's file. Only its head is read to tell a video from a photo: a video (up to 2 GB) is streamed
   * from the file, never held in memory; a photo is read whole (the decoder needs its bytes).
   */
  private async ingestFile(
    id: string,
    attempt: number,
    row: UploadRow,
    event: EventRow,
    path: string,
    size: number,
    fail: (error: string) => Promise<void>,
  ): Promise<{ state: string }> {
    const { store } = this.o;
    if (row.size !== null && size !== row.size) {
      await fail(`the file is incomplete (${size} of ${row.size} bytes): upload it again`);
      return { state: 'failed' };
    }
    if (this.o.video && looksLikeVideo(row.file_name, await readHead(path, 16))) {
      const v = await this.o.video.ingest(event, { name: row.file_name, path });
      if (v.status === 'failed') {
        await fail(v.error);
        return { state: 'failed' };
      }
      await store.uploads.transition(id, ['processing'], v.status === 'added' ? 'processed' : 'duplicate', {
        faces: v.status === 'added' ? v.faces : 0,
        error: v.status === 'added' ? (v.warning ?? null) : null,
      });
      await this.forget(id);
      this.emit(row.event_id);
      return { state: 'processed' };
    }
    const data = await readFile(path);
    const offset = row.user_id === null ? 0 : await store.auth.getClockOffset(event.id, row.user_id);
    const { ingestPhoto } = await import('../ingest/pipeline.ts'); // sharp and the vision stages: on first use
    const res = await ingestPhoto(
      {
        store,
        blobs: this.o.blobs,
        ...(this.o.faces ? { faces: this.o.faces } : {}),
        ...(this.o.bibtrack ? { bibtrack: this.o.bibtrack } : {}),
      },
      event,
      { name: row.file_name, data, clockOffsetMs: offset * 1000 },
    );
    if (res.status === 'failed') {
      await fail(res.error);
      return { state: 'failed' };
    }
    // A later delivery of a job whose worker died after storing the photo finds it stored: that is this upload's
    // own photo, not a duplicate upload.
    const own = res.status === 'duplicate' && attempt > 1 && row.image_id === null;
    await store.uploads.transition(id, ['processing'], res.status === 'added' || own ? 'processed' : 'duplicate', {
      image_id: res.image_id,
      faces: res.status === 'added' ? (res.faces ?? 0) : 0,
      bibs: res.status === 'added' ? (res.bibs ?? 0) : 0,
      error: res.status === 'added' ? (res.warning ?? null) : null,
    });
    // The photo is in the blob store now: the upload's file is no longer needed.
    await this.forget(id);
    this.emit(row.event_id);
    return { state: res.status };
  }

  /**
   * After a start: every `waiting` upload is queued (a job already queued for it is not queued twice), and
   * unfinished uploads older than UPLOAD_EXPIRY_MS are deleted (now and every 6 hours while the server runs). On
   * SQLite (one process runs the jobs) uploads a crash left `processing` go back to `waiting` first (the pipeline is
   * idempotent by content hash); on PostgreSQL other processes may be working on them, and a job whose worker died
   * is delivered again by the queue itself.
   */
  async resume(): Promise<number> {
    const { uploads } = this.o.store;
    if (this.o.jobs.engine === 'sqlite')
      for (const id of await uploads.idsInState(['processing'])) await uploads.transition(id, ['processing'], 'waiting');
    const waiting = await uploads.idsInState(['waiting']);
    for (const id of waiting) {
      const row = await uploads.get(id);
      if (row) await this.enqueue(id, row.org_id, row.event_id);
    }
    await this.sweepExpired();
    if (!this.sweeper && !this.closed) {
      this.sweeper = setInterval(() => void this.sweepExpired(), 6 * 3600_000);
      this.sweeper.unref();
    }
    return waiting.length;
  }

  /** Deletes the files of unfinished uploads past their expiry, then the rows whose file is gone. */
  async sweepExpired(): Promise<number> {
    try {
      // Nothing on this disk and no upload under way: nothing can have expired (and tus is not loaded for nothing
      // at start; issue 20, restart).
      if (
        !this.o.inBlobStore &&
        (await readdir(this.dir).catch(() => [])).length === 0 &&
        (await this.o.store.uploads.idsInState(['receiving'])).length === 0
      )
        return 0;
      const datastore = await this.datastore();
      const n = await datastore.deleteExpired();
      const cutoff = Date.now() - UPLOAD_EXPIRY_MS;
      for (const id of await this.o.store.uploads.idsInState(['receiving'])) {
        const row = await this.o.store.uploads.get(id);
        // Only old rows: a brand-new upload has its row a moment before its file.
        if (!row || Date.parse(row.created_at) > cutoff) continue;
        const gone = await datastore.getUpload(id).then(
          () => false,
          () => true,
        );
        if (gone) await this.o.store.uploads.delete(id);
      }
      return n;
    } catch (e) {
      this.o.log.warn('expired uploads sweep failed', { error: String(e) });
      return 0;
    }
  }

  /** Failed files of the event go back into the queue (their files are kept); returns how many. */
  async retry(eventId: number): Promise<number> {
    const { uploads } = this.o.store;
    let n = 0;
    for (const id of await uploads.idsInState(['failed'], eventId)) {
      if (!(await uploads.transition(id, ['failed'], 'waiting', { error: null }))) continue;
      n++;
      const row = await uploads.get(id);
      if (row) await this.enqueue(id, row.org_id, eventId);
    }
    if (n) this.emit(eventId);
    return n;
  }

  async stats(eventId: number): Promise<ProcessingStats> {
    const c = await this.o.store.uploads.counts(eventId);
    const failures = await this.o.store.uploads.failures(eventId, FAILURES_SHOWN);
    return {
      received: c.waiting + c.processing + c.processed + c.duplicate + c.failed,
      processed: c.processed + c.duplicate,
      failed: c.failed,
      waiting: c.waiting + c.processing,
      faces: c.faces,
      bibs: c.bibs,
      failures: failures.map((f) => ({
        upload_id: f.id,
        file_name: f.file_name,
        reason: f.error ?? 'unknown',
        at: f.updated_at,
      })),
    };
  }

  /** One upload as the console sees it; null (404) when it is not an upload of the event, or another photographer's. */
  async status(event: EventRow, id: string, principal: Principal): Promise<UploadStatus | null> {
    const row: UploadRow | null = await this.o.store.uploads.get(id);
    if (!row || row.event_id !== event.id) return null;
    if (principal.kind === 'user' && principal.role === 'photographer' && row.user_id !== principal.user.id) return null;
    let offset = row.size ?? 0;
    if (row.state === 'receiving') offset = (await (await this.datastore()).getUpload(id).catch(() => null))?.offset ?? 0;
    return {
      upload_id: row.id,
      file_name: row.file_name,
      size: row.size,
      offset,
      state: row.state,
      image_id: row.image_id,
      error: row.error,
    };
  }

  /** Stops queueing work (the job queue, closed by the app, waits for the running jobs); listeners are told to end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const w of this.watchers.values()) clearInterval(w.timer);
    this.watchers.clear();
    this.changes.emit('close');
    await this.o.locker?.close?.();
    // A tus server still being made: its locker is closed once it is there.
    await this.tusP?.catch(() => undefined);
    await this.madeLocker?.close();
  }
}

export const uploadDir = (dataDir: string) => join(dataDir, 'uploads');

/** The first `n` bytes of a file (fewer if it is shorter). */
async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
