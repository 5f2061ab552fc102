import type {
  DownloadOriginalsData,
  DownloadOriginalsRequest,
  Envelope,
  EventDetails,
  ImagePage,
  TimelineDays,
} from '../../core/index.ts';

/** An API failure with the HTTP status and the server's message (shown to the user as is). */
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
}

/** Typed client for the event-scoped 9Pic-compatible API; one per pf-event. */
export class ApiClient {
  readonly options: ClientOptions;
  constructor(options: ClientOptions) {
    this.options = options;
  }

  get eventBase(): string {
    const { api, org, event } = this.options;
    return `${api.replace(/\/$/, '')}/api/v1/ext/${org}/event/${event}`;
  }

  async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('X-API-Key', this.options.key);
    let res: Response;
    try {
      res = await fetch(this.eventBase + path, { ...init, headers });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiRequestError(0, 'The photo server could not be reached. Check your connection and try again.');
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

  originals(req: DownloadOriginalsRequest, page = 1, pageSize = 30) {
    return this.request<DownloadOriginalsData>(`/original-photos?page=${page}&page_size=${pageSize}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(req),
    });
  }
}
