import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorEnvelope, SuccessEnvelope } from '../../core/index.ts';

export function ok<T>(c: Context, message: string, data: T, status: ContentfulStatusCode = 200) {
  const body: SuccessEnvelope<T> = { responseType: 'success', message, data };
  return c.json(body, status);
}

export function fail(c: Context, status: ContentfulStatusCode, message: string) {
  const body: ErrorEnvelope = { responseType: 'error', message, data: null };
  return c.json(body, status);
}
