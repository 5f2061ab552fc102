import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalBlobStore } from '../blobs/local.ts';
import type { BlobEntry, BlobStore } from '../blobs/types.ts';
import type { Logger } from '../log.ts';
import { tmpDir } from '../paths.ts';
import type { Store } from '../store/types.ts';

/**
 * What a crash or a kill mid-upload leaves on disk, removed at start: request bodies spooled in DATA_DIR/tmp, blob
 * temp files (`*.tmp`), and the original and renditions of a photo whose row was never written (files are written
 * before the row). Only what is older than `olderThanMs` (default one hour) goes, so an ingest running in another
 * process (the CLI) keeps the files it is writing.
 */
export async function sweepOrphans(
  deps: { store: Store; blobs: BlobStore; log: Logger },
  dataDir: string,
  o: { olderThanMs?: number; now?: number } = {},
): Promise<{ files: number; bytes: number }> {
  const cutoff = (o.now ?? Date.now()) - (o.olderThanMs ?? 3_600_000);
  const out = { files: 0, bytes: 0 };
  const old = async (path: string) => {
    try {
      const s = await stat(path);
      return s.mtimeMs <= cutoff ? s : null;
    } catch {
      return null;
    }
  };
  const remove = async (path: string) => {
    const s = await old(path);
    if (!s) return false;
    await rm(path, { recursive: true, force: true });
    out.files++;
    out.bytes += s.isFile() ? s.size : 0;
    return true;
  };
  const list = async (dir: string) => readdir(dir, { withFileTypes: true }).catch(() => []);

  for (const e of await list(tmpDir(dataDir))) await remove(join(tmpDir(dataDir), e.name));

  const { blobs } = deps;
  if (blobs instanceof LocalBlobStore) {
    for (const e of await readdir(blobs.root, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (e.isFile() && e.name.endsWith('.tmp')) await remove(join(e.parentPath, e.name));
    }
  }
  // (An S3 multipart upload a crash interrupted is no object: a bucket lifecycle rule aborts it, docs/operations.md.)

  // Photos: originals/{id}.{ext} and renditions/{id}/… without a row, listed through the BlobStore (folder or bucket).
  const originals: BlobEntry[] = [];
  for await (const e of blobs.list('originals/')) if (!e.key.slice('originals/'.length).includes('/')) originals.push(e);
  const renditions = new Map<string, BlobEntry[]>();
  for await (const e of blobs.list('renditions/')) {
    const id = e.key.split('/')[1]!;
    renditions.set(id, [...(renditions.get(id) ?? []), e]);
  }
  const idOf = (key: string) => key.slice('originals/'.length).replace(/\.[^.]+$/, '');
  const ids = [...new Set([...originals.map((e) => idOf(e.key)), ...renditions.keys()])];
  const unknown = new Set(ids.length ? await deps.store.images.unknownIds(ids) : []);
  const gone = async (entries: BlobEntry[], drop: () => Promise<void>) => {
    if (!entries.every((e) => e.modified.getTime() <= cutoff)) return;
    await drop();
    out.files += entries.length;
    out.bytes += entries.reduce((n, e) => n + e.bytes, 0);
  };
  for (const e of originals) if (unknown.has(idOf(e.key))) await gone([e], () => blobs.delete(e.key));
  for (const [id, entries] of renditions) if (unknown.has(id)) await gone(entries, () => blobs.deletePrefix(`renditions/${id}/`));
  if (out.files) deps.log.info('orphan files removed', out);
  return out;
}
