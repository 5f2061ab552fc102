import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { blobDir } from '../blobs/local.ts';
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
  deps: { store: Store; log: Logger },
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

  const blobs = blobDir(dataDir);
  for (const e of await readdir(blobs, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (e.isFile() && e.name.endsWith('.tmp')) await remove(join(e.parentPath, e.name));
  }

  // Photos: originals/{id}.{ext} and renditions/{id}/ without a row.
  const originals = (await list(join(blobs, 'originals'))).filter((e) => e.isFile()).map((e) => e.name);
  const renditions = (await list(join(blobs, 'renditions'))).filter((e) => e.isDirectory()).map((e) => e.name);
  const idOf = (name: string) => name.replace(/\.[^.]+$/, '');
  const ids = [...new Set([...originals.map(idOf), ...renditions])];
  const unknown = new Set(await deps.store.images.unknownIds(ids));
  for (const name of originals) if (unknown.has(idOf(name))) await remove(join(blobs, 'originals', name));
  for (const id of renditions) if (unknown.has(id)) await remove(join(blobs, 'renditions', id));
  if (out.files) deps.log.info('orphan files removed', out);
  return out;
}
