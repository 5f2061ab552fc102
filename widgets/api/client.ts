import type { PublicCertificate } from '../../core/api/certificates.ts';
import type { VideoClippingData } from '../../core/api/video.ts';
import type { CheckoutInfo, CreatedOrder, CreateOrderRequest, Order, Quote, QuoteRequest } from '../../core/checkout.ts';
import type {
  DownloadOriginalsData,
  DownloadOriginalsRequest,
  Envelope,
  EventDetails,
  FaceSearchData,
  ImagePage,
  TimelineDays,
} from '../../core/index.ts';
import type {
  AccessToken,
  AnalyticsReport,
  DownloadAllData,
  DownloadAllRequest,
  NamesData,
  NotMeData,
} from '../../core/api/models.ts';

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

/** Typed client for the event-scoped 9Pic-compatible API and its extensions; one per pf-event. */
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

  /** Name search: the runners whose name matches (accent- and case-insensitive, partial; at most 20). */
  names(q: string, signal?: AbortSignal) {
    return this.request<NamesData>(`/names?q=${encodeURIComponent(q)}`, { signal });
  }

  /** "Download all my photos": a signed, time-limited link to one ZIP of a BIB's, a selfie search's or chosen photos. */
  downloadAll(body: DownloadAllRequest, signal?: AbortSignal) {
    return this.post<DownloadAllData>('/download-all', body, signal);
  }

  /** Counts a visit or a share (no cookies, nothing personal); failures are the caller's to ignore. */
  analytics(type: AnalyticsReport['type'], signal?: AbortSignal) {
    const body: AnalyticsReport = { type, ...(this.options.source ? { source: this.options.source } : {}) };
    return this.post<{ recorded: boolean }>('/analytics', body, signal);
  }

  private post<T>(path: string, body: unknown, signal?: AbortSignal) {
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

  bib(bib: string, page: number, pageSize: number, signal?: AbortSignal) {
    return this.request<ImagePage>(`/bibs/${encodeURIComponent(bib)}?page=${page}&page_size=${pageSize}`, { signal });
  }

  timelineDays(signal?: AbortSignal) {
    return this.request<TimelineDays>('/timeline/days', { signal });
  }

  timelineImages(from: number, to: number, page: number, pageSize: number, signal?: AbortSignal) {
    return this.request<ImagePage>(`/timeline/images?from=${from}&to=${to}&page=${page}&page_size=${pageSize}`, { signal });
  }

  /** A selfie search (spec §3.6); the first page of its matches. */
  faceSearch(input: FaceSearchInput, pageSize: number, signal?: AbortSignal) {
    const form = new FormData();
    if (input.file) form.append('file', new File([input.file], 'face.png', { type: 'image/png' }));
    else form.append('embedding', JSON.stringify(Array.from(input.embedding)));
    form.append('request_id', input.request_id);
    if (input.add_to) form.append('add_to', input.add_to);
    return this.request<FaceSearchData>(`/faces?page=1&page_size=${pageSize}`, { method: 'POST', body: form, signal });
  }

  /** A page of a stored selfie search (spec §3.7). */
  faceResults(requestId: string, page: number, pageSize: number, signal?: AbortSignal) {
    return this.request<FaceSearchData>(`/faces/${encodeURIComponent(requestId)}?page=${page}&page_size=${pageSize}`, {
      signal,
    });
  }

  /** "Not me" on a photo of a stored selfie search: the server drops it and ranks the search again without it. */
  notMe(requestId: string, imageId: string, signal?: AbortSignal) {
    return this.post<NotMeData>(`/faces/${encodeURIComponent(requestId)}/not-me`, { image_id: imageId }, signal);
  }

  /**
   * Video Clipping start (spec §3.10) from a Face Search `request_id` (its selfie is reused; nothing is uploaded).
   * The same id again returns the same job: safe to retry.
   */
  videoClipsStart(requestId: string, signal?: AbortSignal) {
    const form = new FormData();
    form.append('request_id', requestId);
    return this.request<VideoClippingData>('/video-clipping/search-by-selfie', { method: 'POST', body: form, signal });
  }

  /** Video Clipping result (spec §3.11): the job's state and, once completed, its clips. */
  videoClips(requestId: string, signal?: AbortSignal) {
    return this.request<VideoClippingData>(`/video-clipping/${encodeURIComponent(requestId)}`, { signal });
  }

  /** The finisher certificate of a BIB, with signed PNG/PDF links (403 unpublished, 404 none). */
  certificate(bib: string, signal?: AbortSignal) {
    return this.request<PublicCertificate>(`/certificates/${encodeURIComponent(bib)}`, { signal });
  }

  /** Checkout: whether the event sells its originals, and its plans (docs/checkout.md). */
  checkoutInfo(signal?: AbortSignal) {
    return this.request<CheckoutInfo>('/checkout', { signal });
  }

  /** Checkout: the server's price for a selection. */
  quote(selection: QuoteRequest, signal?: AbortSignal) {
    return this.request<Quote>('/checkout/quote', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(selection),
      signal,
    });
  }

  /** Checkout: places an order (one per `idempotencyKey`); the only answer that carries the download token. */
  createOrder(body: CreateOrderRequest, idempotencyKey: string) {
    return this.request<CreatedOrder>('/checkout/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify(body),
    });
  }

  /** Checkout: an order as its buyer sees it; `recheck` asks the payment gateway first. */
  order(id: string, token: string, recheck = false, signal?: AbortSignal) {
    return this.request<Order>(`/checkout/orders/${encodeURIComponent(id)}${recheck ? '/recheck' : ''}`, {
      method: recheck ? 'POST' : 'GET',
      headers: { 'X-Order-Token': token },
      signal,
    });
  }

  /** Download Originals (spec §3.12): presigned links; sends the order token when one is set. */
  originals(req: DownloadOriginalsRequest, page = 1, pageSize = 30, signal?: AbortSignal) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.orderToken) headers['X-Order-Token'] = this.orderToken;
    return this.request<DownloadOriginalsData>(`/original-photos?page=${page}&page_size=${pageSize}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(req),
      signal,
    });
  }
}

/**
 * Fetches a signed file the server linked to (an original, a certificate PNG/PDF). Throws ApiRequestError with
 * the server's message when it answers an error, and lets a network or CORS failure (TypeError) through, so the
 * caller can fall back to a plain link.
 */
export async function fetchSignedFile(url: string, signal?: AbortSignal): Promise<Blob> {
  const res = await fetch(url, { signal });
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      message = ((await res.json()) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiRequestError(res.status, message);
  }
  return res.blob();
}
