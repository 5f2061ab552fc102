import Busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import type { ErrorEnvelope } from '../../core/index.ts';
import { ApiError, badRequest, unprocessable } from './errors.ts';

/**
 * Request bodies: every body a route declares is read under a size limit (`limitBody`, applied by
 * `defineRoute`: 1 MiB for JSON unless the route says otherwise), multipart forms by `multipart` (streamed: file
 * parts go to temp files under DATA_DIR/tmp, removed when the request ends), and data files (a CSV or JSON of
 * results, bibs…) sent either as one multipart part or as the body itself by `uploadedFile`. Nothing here holds a
 * whole body in memory.
 */

/** The default limit of a declared body (JSON requests are small; uploads name their own limit). */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

/** Text fields of a multipart form: at most this many, each at most FIELD_MAX_BYTES. */
const MAX_FIELDS = 100;
const FIELD_MAX_BYTES = 1024 * 1024;

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

const tooLarge = (max: number) =>
  new ApiError(413, `The request body is larger than the limit of ${mib(max)}: send fewer or smaller files per request`, {
    // The rest of the body is never used: the connection closes after the answer (a lingering close, so that a
    // client still sending reads the answer: http/lingering-close.ts).
    Connection: 'close',
  });

/** Per-request state of the body reader (a WeakMap, not a context variable: it is private to this module). */
const state = new WeakMap<Context, { overflow: number | null; tmpDir: string | null }>();

/**
 * Refuses a request body larger than `maxBytes` (default: the app's `uploadLimitBytes`, config UPLOAD_LIMIT_MB)
 * with 413 in the envelope, without buffering it: a larger Content-Length is refused before anything is read; a
 * body without one (chunked) is counted as the handler reads it, and the read fails past the limit. Whatever the
 * reader then made of that failure (malformed JSON, a broken multipart…), the answer is 413. Temp files of a
 * multipart body are removed when the request ends.
 */
export function limitBody(maxBytes?: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const max = maxBytes ?? c.get('deps').uploadLimitBytes;
    const raw = c.req.raw;
    if (!raw.body) return next();
    const length = raw.headers.get('content-length');
    if (length !== null && !raw.headers.has('transfer-encoding')) {
      if (!/^\d+$/.test(length.trim())) throw badRequest('Malformed Content-Length header');
      if (Number(length) > max) {
        throw tooLarge(max);
      }
    }
    const s = { overflow: null as number | null, tmpDir: null as string | null };
    state.set(c, s);
    // Counts what the reader takes. Past the limit the read fails, and the source is left alone (not cancelled,
    // which would reset the connection before the answer is out): the adapter discards the rest after the answer.
    let seen = 0;
    const source = raw.body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(ctl) {
        const { done, value } = await source.read();
        if (done) return ctl.close();
        seen += value.byteLength;
        if (seen > max) {
          s.overflow = max;
          source.releaseLock();
          return ctl.error(tooLarge(max));
        }
        ctl.enqueue(value);
      },
      cancel: (reason) => source.cancel(reason),
    });
    c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
    try {
      await next();
    } finally {
      if (s.tmpDir) await rm(s.tmpDir, { recursive: true, force: true });
    }
    if (s.overflow !== null) {
      // However the reader reported the cut body, the answer is the 413.
      const err = tooLarge(s.overflow);
      c.set('error', err.message);
      const res = Response.json({ responseType: 'error', message: err.message, data: null } satisfies ErrorEnvelope, {
        status: 413,
        headers: err.headers,
      });
      // Replaces the reader's answer, keeping the headers set on it (CORS, request id).
      c.res = res;
    }
  };
}

export interface FormParts {
  /** File parts by field name, in the order sent (each backed by a temp file, removed when the request ends). */
  files: { field: string; file: File }[];
  /** Text parts by field name (the last value wins). */
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data body as it arrives: another content type is 415, a malformed body 400, too many
 * fields or a field over 1 MiB 413. File parts are written to temp files (DATA_DIR/tmp, removed when the request
 * ends), so memory stays small whatever the size of the upload.
 */
export async function multipart(c: Context<AppEnv>, hint: string): Promise<FormParts> {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new ApiError(415, `Send multipart/form-data: ${hint}`);
  }
  const s = state.get(c) ?? { overflow: null, tmpDir: null };
  state.set(c, s);
  const body = c.req.raw.body;
  const parts: FormParts = { files: [], fields: {} };
  if (!body) throw badRequest(`The multipart body is empty: ${hint}`);
  let bb: Busboy.Busboy;
  try {
    bb = Busboy({
      headers: { 'content-type': type },
      limits: { fields: MAX_FIELDS, fieldSize: FIELD_MAX_BYTES },
      defParamCharset: 'utf8',
    });
  } catch {
    throw badRequest(`The multipart body could not be read (no boundary): ${hint}`);
  }
  const dir = (s.tmpDir ??= join(c.get('deps').tmpDir, `upload-${randomUUID()}`));
  await mkdir(dir, { recursive: true });
  const written: Promise<void>[] = [];
  const pending: { field: string; path: string; name: string; type: string }[] = [];
  let limitHit: string | null = null;
  let writeError: unknown = null;
  bb.on('file', (name, stream, info) => {
    const path = join(dir, String(pending.length));
    pending.push({ field: name.replace(/\[\]$/, ''), path, name: info.filename ?? '', type: info.mimeType });
    // A failed write rejects once the form is read (never unhandled: the body may fail first).
    written.push(pipeline(stream, createWriteStream(path)).catch((e: unknown) => void (writeError ??= e)));
  });
  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) limitHit = `the field \`${name}\` is longer than ${mib(FIELD_MAX_BYTES)}`;
    parts.fields[name] = value;
  });
  bb.on('fieldsLimit', () => (limitHit = `more than ${MAX_FIELDS} text fields`));
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), bb).finally(() => Promise.all(written));
    if (writeError) throw writeError;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (s.overflow !== null) throw tooLarge(s.overflow);
    throw badRequest(`The multipart body could not be read: ${hint}`);
  }
  if (limitHit) throw new ApiError(413, `The form has ${limitHit as string}: ${hint}`);
  for (const p of pending) {
    const blob = await openAsBlob(p.path, { type: p.type });
    parts.files.push({ field: p.field, file: new File([blob], p.name, { type: p.type }) });
  }
  return parts;
}

/** Content types a CSV may come with (browsers and tools label CSV files in several ways). */
export const CSV_CONTENT_TYPES = /^(text\/(csv|plain|tab-separated-values)|application\/(csv|vnd\.ms-excel|octet-stream))\b/i;

export type UploadedFile =
  | { kind: 'part'; file: File; fields: Record<string, string> }
  | { kind: 'body'; body: ReadableStream<Uint8Array> | string; contentType: string };

/**
 * A data file sent as one multipart part (the first of `fields` present; with `onlyOne`, no other file may be
 * sent) or as the body itself with a content type `bodyTypes` accepts. Anything else is 415 with `hint`.
 * The body is handed over as a stream: the route's size limit applies while it is read.
 */
export async function uploadedFile(
  c: Context<AppEnv>,
  o: { hint: string; fields: readonly string[]; bodyTypes: RegExp; onlyOne?: boolean; anyPart?: boolean },
): Promise<UploadedFile> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const { files, fields } = await multipart(c, o.hint);
    const named = o.fields.map((f) => files.find((p) => p.field === f)).find((p) => p);
    const part = named ?? (o.anyPart ? files[0] : undefined);
    if (!part || (o.onlyOne && files.length !== 1))
      throw unprocessable(
        `${o.fields[0]}: attach ${o.onlyOne ? 'exactly one file' : 'the file'} in the field \`${o.fields[0]}\``,
      );
    return { kind: 'part', file: part.file, fields };
  }
  if (o.bodyTypes.test(type)) return { kind: 'body', body: c.req.raw.body ?? '', contentType: type };
  throw new ApiError(415, `Send ${o.hint}`);
}

/** The text of an uploaded file. */
export const uploadedText = (u: UploadedFile): Promise<string> =>
  u.kind === 'part' ? u.file.text() : new Response(u.body).text();
