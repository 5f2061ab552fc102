import type { Context } from 'hono';
import { Readable } from 'node:stream';
import { contentTypeFor } from '../blobs/content-type.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { AppEnv } from './env.ts';
import { notFound } from './errors.ts';
import { contentDisposition } from './content-disposition.ts';

export { contentTypeFor };

export interface ServeOptions {
  cacheControl: string;
  contentType?: string;
  /** Sets Content-Disposition: attachment with this file name. */
  downloadName?: string;
  /** A strong validator known in advance (e.g. the content hash taken at ingest); default: from the blob's stat. */
  etag?: string;
}

/** Serves a blob with ETag / If-None-Match, Range (single range) and the given Cache-Control. */
export async function serveBlob(c: Context<AppEnv>, blobs: BlobStore, key: string, opts: ServeOptions) {
  const found = await blobs.stat(key);
  if (!found) throw notFound('File not found');
  const stat = opts.etag ? { ...found, etag: opts.etag } : found;
  const headers: Record<string, string> = {
    'Content-Type': opts.contentType ?? contentTypeFor(key),
    'Cache-Control': opts.cacheControl,
    ETag: stat.etag,
    'Last-Modified': stat.modified.toUTCString(),
    'Accept-Ranges': 'bytes',
  };
  if (opts.downloadName) headers['Content-Disposition'] = contentDisposition('attachment', opts.downloadName);
  const inm = c.req.header('if-none-match');
  if (inm && inm.split(',').some((t) => t.trim() === stat.etag)) return c.body(null, 304, headers);

  const range = c.req.header('range');
  const ifRange = c.req.header('if-range');
  if (range && (!ifRange || ifRange === stat.etag)) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    let start = m?.[1] ? Number(m[1]) : NaN;
    let end = m?.[2] ? Number(m[2]) : stat.bytes - 1;
    if (m && !m[1] && m[2]) {
      start = Math.max(0, stat.bytes - Number(m[2]));
      end = stat.bytes - 1;
    }
    end = Math.min(end, stat.bytes - 1);
    if (!m || Number.isNaN(start) || start > end || start >= stat.bytes) {
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${stat.bytes}` });
    }
    const body = Readable.toWeb(blobs.stream(key, { start, end })) as ReadableStream;
    return c.body(body, 206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${stat.bytes}`,
      'Content-Length': String(end - start + 1),
    });
  }
  if (c.req.method === 'HEAD') return c.body(null, 200, { ...headers, 'Content-Length': String(stat.bytes) });
  const body = Readable.toWeb(blobs.stream(key)) as ReadableStream;
  return c.body(body, 200, { ...headers, 'Content-Length': String(stat.bytes) });
}
