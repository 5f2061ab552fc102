import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env.ts';
import { ApiError, badRequest, unprocessable } from './errors.ts';

/**
 * Request bodies: every body a route declares is read under a size limit (`limitBody`, applied by
 * `defineRoute`: 1 MiB for JSON unless the route says otherwise), multipart forms by `multipart`, and data files
 * (a CSV or JSON of results, bibs…) sent either as one multipart part or as the body itself by `uploadedFile`.
 */

/** The default limit of a declared body (JSON requests are small; uploads name their own limit). */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/**
 * Refuses a request body larger than `maxBytes` (default: the app's `uploadLimitBytes`, config UPLOAD_LIMIT_MB)
 * with 413 in the envelope.
 */
export function limitBody(maxBytes?: number): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const max = maxBytes ?? c.get('deps').uploadLimitBytes;
    return bodyLimit({
      maxSize: max,
      onError: () => {
        // The rest of the body is never read: close the connection after the answer rather than drain it.
        throw new ApiError(
          413,
          `The request body is larger than the limit of ${mib(max)}: send fewer or smaller files per request`,
          {
            Connection: 'close',
          },
        );
      },
    })(c, next);
  };
}

export interface FormParts {
  /** File parts by field name, in the order sent. */
  files: { field: string; file: File }[];
  /** Text parts by field name (the last value wins). */
  fields: Record<string, string>;
}

/** Reads a multipart/form-data body: another content type is 415, a malformed body 400. */
export async function multipart(c: Context, hint: string): Promise<FormParts> {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new ApiError(415, `Send multipart/form-data: ${hint}`);
  }
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw badRequest(`The multipart body could not be read: ${hint}`);
  }
  const parts: FormParts = { files: [], fields: {} };
  form.forEach((value, field) => {
    if (typeof value === 'string') parts.fields[field] = value;
    else parts.files.push({ field: field.replace(/\[\]$/, ''), file: value });
  });
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
  c: Context,
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
