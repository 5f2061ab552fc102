import type { PublicCertificate } from '../../core/api/certificates.ts';
import type { VideoClippingData } from '../../core/api/video.ts';
import type { CheckoutInfo, CreatedOrder, CreateOrderRequest, Order, Quote, QuoteRequest } from '../../core/checkout.ts';
import type {
  DownloadOriginalsData,
  DownloadOriginalsRequest,
  FaceSearchData,
  ImagePage,
  TimelineDays,
} from '../../core/index.ts';
import type { DownloadAllData, DownloadAllRequest, NamesData, NotMeData } from '../../core/api/models.ts';
import { ApiClient, ApiRequestError, type FaceSearchInput } from './client.ts';

/**
 * The endpoints that only some elements call (BIB, name, timeline and selfie searches, video clips, certificates,
 * checkout, downloads), as methods of `ApiClient` that this module adds: a module apart from client.ts, so that a
 * gallery page (pf-event + pf-gallery call only details, images, access and analytics) does not fetch them. Every
 * module that calls one imports this one (test/widgets/unit/endpoints.test.ts checks it), and so does the whole
 * kit (`widgets/index.ts`): there, `ApiClient` has every endpoint.
 */
class Endpoints {
  declare readonly options: ApiClient['options'];
  declare orderToken: string | null;
  declare request: ApiClient['request'];
  declare post: ApiClient['post'];

  /** Name search: the runners whose name matches (accent- and case-insensitive, partial; at most 20). */
  names(q: string, signal?: AbortSignal) {
    return this.request<NamesData>(`/names?q=${encodeURIComponent(q)}`, { signal });
  }

  /** "Download all my photos": a signed, time-limited link to one ZIP of a BIB's, a selfie search's or chosen photos. */
  downloadAll(body: DownloadAllRequest, signal?: AbortSignal) {
    return this.post<DownloadAllData>('/download-all', body, signal);
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

/** The methods this module adds to ApiClient. */
export type EndpointMethods = Omit<Endpoints, 'options' | 'orderToken' | 'request' | 'post'>;

declare module './client.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ApiClient extends EndpointMethods {}
}

for (const name of Object.getOwnPropertyNames(Endpoints.prototype)) {
  if (name !== 'constructor')
    Object.defineProperty(ApiClient.prototype, name, Object.getOwnPropertyDescriptor(Endpoints.prototype, name)!);
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
