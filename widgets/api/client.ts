import type { Envelope, EventDetails, ImagePage } from '../../core/index.ts';
import type { AccessToken, AnalyticsReport } from '../../core/api/models.ts';

/**
 * A selfie search (POST …/faces, multipart): the aligned face crop as a PNG, or the 512-D embedding (privacy
 * "vector"); `request_id` is ours (a retry returns the stored result), `add_to` merges into an earlier search.
 */
export type FaceSearchInput = { request_id: string; add_to?: string | null } & (
  { file: Blob; embedding?: undefined } | { embedding: ArrayLike<number>; file?: undefined }
);

/** An API failure with the HTTP status (0 = the server could not be reached) and the server's message. */
export class ApiRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
  }
}

export interface ClientOptions {
  /** API origin, e.g. https://photos.example.org ('' = same origin as the page). */
  api: string;
  org: number;
  event: number;
  /** Publishable key. */
  key: string;
  /** Download token of a paid order (sent as X-Order-Token to the download endpoint). */
  orderToken?: string | null;
  /** Retries of a GET answered 429 or 5xx, with backoff (default 2). */
  retries?: number;
  /** Where the visitor came from (the page URL's `source` parameter: a QR poster…), sent as X-PF-Source. */
  source?: string | null;
  /** Token of a password-protected event (POST …/access), sent as X-Event-Token. */
  eventToken?: string | null;
  /** Called when the server answers 401 (the event's page password is needed, or its token expired). */
  onUnauthorized?: () => void;
}

/**
 * Where the visitor came from, for the server's analytics: the page URL's `source` parameter (a QR poster…),
 * else `referrer` when a link on another site led here, else null (counted as direct). Only the word is sent.
 */
export function pageSource(): string | null {
  if (typeof location === 'undefined') return null;
  const v = new URLSearchParams(location.search).get('source')?.trim();
  if (v) return v.slice(0, 64);
  try {
    if (document.referrer && new URL(document.referrer).origin !== location.origin) return 'referrer';
  } catch {
    // An unparsable referrer says nothing about the source.
  }
  return null;
}

/** The server's words when the page's origin is not on the publishable key's list. */
export const ORIGIN_REFUSED = /not allowed to show these photos/i;

const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

/**
 * Typed client for the event-scoped 9Pic-compatible API and its extensions; one per pf-event. Here, what a gallery
 * page calls (details, images, page password, analytics); `endpoints.ts` adds the others.
 */
export class ApiClient {
  readonly options: ClientOptions;
  /** Download token of a paid order; set by the checkout flow, sent with original downloads. */
  orderToken: string | null;
  /** Token of a password-protected event (X-Event-Token); set by pf-event after the password prompt. */
  eventToken: string | null;

  constructor(options: ClientOptions) {
    this.options = options;
    this.orderToken = options.orderToken ?? null;
    this.eventToken = options.eventToken ?? null;
  }

  get eventBase(): string {
    const { api, org, event } = this.options;
    return `${api.replace(/\/$/, '')}/api/v1/ext/${org}/event/${event}`;
  }

  /** Identifies the event across page loads: API origin, organisation, event. */
  get eventKey(): string {
    const { api, org, event } = this.options;
    return `${api.replace(/\/$/, '')}|${org}|${event}`;
  }

  async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('X-API-Key', this.options.key);
    if (this.eventToken) headers.set('X-Event-Token', this.eventToken);
    if (this.options.source) headers.set('X-PF-Source', this.options.source);
    const idempotent = !init.method || init.method === 'GET';
    const retries = idempotent ? (this.options.retries ?? 2) : 0;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.eventBase + path, { ...init, headers });
      } catch (e) {
        if ((e as Error).name === 'AbortError') throw e;
        throw new ApiRequestError(0, 'The photo server could not be reached. Check your connection and try again.');
      }
      if ((res.status === 429 || res.status >= 500) && attempt < retries) {
        const after = Number(res.headers.get('Retry-After'));
        await sleep(after > 0 ? Math.min(after, 10) * 1000 : 400 * 3 ** attempt, init.signal);
        continue;
      }
      let body: Envelope<T> | null = null;
      try {
        body = (await res.json()) as Envelope<T>;
      } catch {
        /* not JSON: handled below */
      }
      if (!res.ok || !body || body.responseType !== 'success') {
        if (res.status === 401) this.options.onUnauthorized?.();
        throw new ApiRequestError(res.status, body?.message ?? `The photo server answered ${res.status}`);
      }
      return body.data;
    }
  }

  details(signal?: AbortSignal) {
    return this.request<EventDetails>('/details', { signal });
  }

  /** A password-protected event: trades its page password for a short-lived token (401 when wrong). */
  access(password: string, signal?: AbortSignal) {
    return this.post<AccessToken>('/access', { password }, signal);
  }

  /** Counts a visit or a share (no cookies, nothing personal); failures are the caller's to ignore. */
  analytics(type: AnalyticsReport['type'], signal?: AbortSignal) {
    const body: AnalyticsReport = { type, ...(this.options.source ? { source: this.options.source } : {}) };
    return this.post<{ recorded: boolean }>('/analytics', body, signal);
  }

  /** A JSON POST (for the endpoints of endpoints.ts too). */
  post<T>(path: string, body: unknown, signal?: AbortSignal) {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  }

  images(page: number, pageSize: number, signal?: AbortSignal) {
    return this.request<ImagePage>(`/images?page=${page}&page_size=${pageSize}`, { signal });
  }
}
