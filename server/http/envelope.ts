import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { ErrorEnvelope, SuccessEnvelope } from '../../core/index.ts';

/** The success envelope; `status` is typed as given, so a route declared with 201 must answer 201. */
// The return type is spelled out (it is what c.json gives) so that declaration files can be written for the
// server library (`photo-finish/server`): inferred, it is too long for the compiler to serialise.
/** The success envelope itself (for answers serialised once and kept, see services/gallery.ts). */
export function envelope<T>(message: string, data: T): SuccessEnvelope<T> {
  return { responseType: 'success', message, data };
}

export function ok<T, S extends ContentfulStatusCode = 200>(
  c: Context,
  message: string,
  data: T,
  status?: S,
): Response & TypedResponse<JSONParsed<SuccessEnvelope<T>>, S, 'json'> {
  const body: SuccessEnvelope<T> = { responseType: 'success', message, data };
  return c.json(body, (status ?? 200) as S);
}

export function fail(c: Context, status: ContentfulStatusCode, message: string) {
  const body: ErrorEnvelope = { responseType: 'error', message, data: null };
  return c.json(body, status);
}
