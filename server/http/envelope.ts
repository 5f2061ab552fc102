import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorEnvelope, SuccessEnvelope } from '../../core/index.ts';

/** The success envelope; `status` is typed as given, so a route declared with 201 must answer 201. */
export function ok<T, S extends ContentfulStatusCode = 200>(c: Context, message: string, data: T, status?: S) {
  const body: SuccessEnvelope<T> = { responseType: 'success', message, data };
  return c.json(body, (status ?? 200) as S);
}

export function fail(c: Context, status: ContentfulStatusCode, message: string) {
  const body: ErrorEnvelope = { responseType: 'error', message, data: null };
  return c.json(body, status);
}
