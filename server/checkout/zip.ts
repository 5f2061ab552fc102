import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { BlobStore } from '../blobs/types.ts';
import type { ImageRow } from '../store/types.ts';

/** `a.jpg`, `a.jpg` → `a.jpg`, `a (2).jpg`; path separators and control characters replaced. */
export function zipEntryNames(images: Pick<ImageRow, 'id' | 'original_name' | 'original_key'>[]): string[] {
  const seen = new Map<string, number>();
  return images.map((img) => {
    const clean = img.original_name
      // eslint-disable-next-line no-control-regex
      .replace(/[\\/:\u0000-\u001f]+/g, '_')
      .replace(/^\.+/, '')
      .trim();
    const name = clean || `${img.id}.${img.original_key.split('.').pop() ?? 'jpg'}`;
    const key = name.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n === 1) return name;
    const dot = name.lastIndexOf('.');
    return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  });
}

/**
 * The originals as one ZIP, streamed: each file is read from the BlobStore only when its turn comes
 * (one open blob at a time), stored without recompression (JPEGs do not shrink), so the archive's
 * exact size is known up front and memory stays flat whatever the number of photos.
 */
export function zipOriginals(blobs: BlobStore, images: ImageRow[]): { stream: Readable; size: Promise<number> } {
  const zip = new ZipFile();
  const names = zipEntryNames(images);
  images.forEach((img, i) => {
    zip.addReadStreamLazy(
      names[i]!,
      {
        compress: false,
        size: img.bytes,
        mtime: img.captured_at ? new Date(img.captured_at) : new Date(img.created_at),
        mode: 0o100644,
      },
      (cb) => {
        try {
          cb(null, blobs.stream(img.original_key));
        } catch (e) {
          cb(e, undefined as unknown as Readable);
        }
      },
    );
  });
  const stream = zip.outputStream as Readable;
  // A blob that cannot be read (or whose size changed) aborts the download instead of truncating it silently.
  zip.on('error', (e: Error) => stream.destroy(e));
  return { stream, size: endZip(zip, names) };
}

/**
 * Ends a yazl ZIP and resolves its exact size. yazl 3.3 predicts the ZIP64 end records once the central directory
 * reaches 64 KiB (about 800 photos) but writes them only past 4 GiB, so its predicted size (our Content-Length)
 * was 76 bytes too large and such downloads were cut off at the end. Forcing the ZIP64 end records exactly when
 * the prediction counts them makes both agree. The entries must have been added without compression or comment.
 */
export function endZip(zip: ZipFile, names: readonly string[]): Promise<number> {
  // Central directory record: 46 bytes + the name + yazl's 9-byte Info-ZIP timestamp field.
  const centralDirectory = names.reduce((n, name) => n + 46 + 9 + Buffer.byteLength(name), 0);
  const options = { forceZip64Format: centralDirectory >= 0xffff, comment: '' };
  return new Promise<number>((resolve) => zip.end(options, ((n: number) => resolve(n)) as unknown as () => void));
}
