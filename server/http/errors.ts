import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error that becomes a 4xx/5xx in the standard envelope. Services throw it; routes never format errors. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export const badRequest = (m: string) => new ApiError(400, m);
export const unauthorized = (m: string) => new ApiError(401, m);
export const forbidden = (m: string) => new ApiError(403, m);
export const notFound = (m: string) => new ApiError(404, m);
export const unprocessable = (m: string) => new ApiError(422, m);
export const conflict = (m: string) => new ApiError(409, m);
/** 503: the part of the server this route needs is missing or busy; `retryAfter` (seconds) tells when to try again. */
export const unavailable = (m: string, retryAfter?: number) =>
  new ApiError(503, m, retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) });
