/**
 * The upload queue of the upload page, without DOM: which files to send (duplicates of the selection and files
 * already sent from this browser are skipped), at most `parallel` at once, each through a tus upload the caller
 * makes. Completed files are remembered per event in localStorage (`pfc.sent.<org>.<event>`), unfinished ones by
 * tus-js-client's own fingerprints (`tus::…`), so a reload resumes where the bytes stopped.
 */

export type ItemState = 'queued' | 'uploading' | 'paused' | 'done' | 'skipped' | 'failed';

export interface QueueItem {
  id: number;
  file: File;
  key: string;
  state: ItemState;
  sent: number;
  /** Resumed from an earlier visit or attempt, at this byte offset. */
  resumedAt: number | null;
  error: string | null;
  skipReason: 'selected-twice' | 'already-sent' | null;
}

/** A file's identity across visits (tus-js-client's fingerprint uses the same fields). */
export function fileKey(f: { name: string; size: number; lastModified: number; type: string }): string {
  return `${f.name}|${f.size}|${f.lastModified}|${f.type}`;
}

export class SentFiles {
  private readonly storageKey: string;
  private keys: Set<string>;

  constructor(
    org: number,
    event: number,
    private readonly storage: Storage | null = safeStorage(),
  ) {
    this.storageKey = `pfc.sent.${org}.${event}`;
    let saved: string[] = [];
    try {
      saved = JSON.parse(this.storage?.getItem(this.storageKey) ?? '[]') as string[];
    } catch {
      saved = [];
    }
    this.keys = new Set(Array.isArray(saved) ? saved : []);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.add(key);
    try {
      this.storage?.setItem(this.storageKey, JSON.stringify([...this.keys]));
    } catch {
      /* storage full or blocked: duplicates are still skipped by the server */
    }
  }

  clear(): void {
    this.keys.clear();
    try {
      this.storage?.removeItem(this.storageKey);
    } catch {
      /* blocked */
    }
  }

  get size(): number {
    return this.keys.size;
  }
}

export function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Unfinished tus uploads of an endpoint saved by tus-js-client (`tus::<fingerprint>::<id>` → JSON). */
export function unfinishedUploads(
  endpoint: string,
  storage: Storage | null = safeStorage(),
): { key: string; name: string; size: number }[] {
  const out: { key: string; name: string; size: number }[] = [];
  if (!storage) return out;
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith('tus::') || !key.includes(endpoint)) continue;
    try {
      const v = JSON.parse(storage.getItem(key) ?? '{}') as { size?: number; metadata?: { filename?: string } };
      out.push({ key, name: v.metadata?.filename ?? '?', size: v.size ?? 0 });
    } catch {
      /* not ours */
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds files to a queue: a file selected twice, or sent before from this browser, is skipped and says why. */
export function enqueue(items: QueueItem[], files: File[], sent: SentFiles, nextId: () => number): QueueItem[] {
  const seen = new Set(items.filter((i) => i.state !== 'skipped').map((i) => i.key));
  const added: QueueItem[] = [];
  for (const file of files) {
    const key = fileKey(file);
    const base = { id: nextId(), file, key, sent: 0, resumedAt: null, error: null };
    if (seen.has(key)) added.push({ ...base, state: 'skipped', skipReason: 'selected-twice' });
    else if (sent.has(key)) added.push({ ...base, state: 'skipped', skipReason: 'already-sent', sent: file.size });
    else {
      seen.add(key);
      added.push({ ...base, state: 'queued', skipReason: null });
    }
  }
  return [...items, ...added];
}

/** The next items to start: queued ones, so that at most `parallel` are uploading. */
export function nextToStart(items: readonly QueueItem[], parallel: number): QueueItem[] {
  const running = items.filter((i) => i.state === 'uploading').length;
  return items.filter((i) => i.state === 'queued').slice(0, Math.max(0, parallel - running));
}

export interface QueueTotals {
  files: number;
  done: number;
  skipped: number;
  failed: number;
  bytes: number;
  sentBytes: number;
}

export function totals(items: readonly QueueItem[]): QueueTotals {
  const t: QueueTotals = { files: 0, done: 0, skipped: 0, failed: 0, bytes: 0, sentBytes: 0 };
  for (const i of items) {
    t.files++;
    if (i.state === 'done') t.done++;
    if (i.state === 'skipped') t.skipped++;
    if (i.state === 'failed') t.failed++;
    if (i.state !== 'skipped') {
      t.bytes += i.file.size;
      t.sentBytes += i.state === 'done' ? i.file.size : i.sent;
    }
  }
  return t;
}
