import type {
  DownloadOriginalsData,
  DownloadOriginalsRequest,
  Envelope,
  EventDetails,
  ImagePage,
  TimelineDays,
} from '../../core/index.ts';

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
}

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

/** Typed client for the event-scoped 9Pic-compatible API; one per pf-event. */
export class ApiClient {
  readonly options: ClientOptions;
  /** Download token of a paid order; set by the checkout flow, sent with original downloads. */
  orderToken: string | null;

  constructor(options: ClientOptions) {
    this.options = options;
    this.orderToken = options.orderToken ?? null;
  }

  get eventBase(): string {
    const { api, org, event } = this.options;
    return `${api.replace(/\/$/, '')}/api/v1/ext/${org}/event/${event}`;
  }

  async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('X-API-Key', this.options.key);
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
        throw new ApiRequestError(res.status, body?.message ?? `The photo server answered ${res.status}`);
      }
      return body.data;
    }
  }

  details(signal?: AbortSignal) {
    return this.request<EventDetails>('/details', { signal });
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
