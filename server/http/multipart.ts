import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env.ts';
import { ApiError, badRequest } from './errors.ts';

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
