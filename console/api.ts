import type { Envelope } from '../core/api/envelope.ts';

/**
 * The console's one way to the server: every request of every page goes through `ConsoleApi`. It sends the
 * session cookie (same origin), adds `X-CSRF-Token` to state-changing requests, unwraps the JSON envelope and
 * throws `ConsoleError` (HTTP status + the server's message) on failure. A 401 on a signed-in call means the
 * session ended: listeners of `session-ended` send the user back to the sign-in page.
 */

import type { Role, SessionInfo } from '../core/api/auth.ts';

export type { Role };
/** The signed-in user, their organisations and roles, the CSRF token (`/api/v1/auth/session`, `/login`). */
export type Session = SessionInfo;
export type SessionOrg = SessionInfo['orgs'][number];

/** A failed request: `status` 0 when the server could not be reached; `message` is the server's (or ours). */
export class ConsoleError extends Error {
  readonly status: number;
  readonly retryAfter: number | null;
  constructor(status: number, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ConsoleError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

type Body = unknown;
const SAFE = new Set(['GET', 'HEAD']);

export class ConsoleApi extends EventTarget {
  /** API origin ('' = the page's own). */
  readonly base: string;
  /** The session's CSRF token, sent as X-CSRF-Token with every state-changing request. */
  csrf: string | null = null;

  constructor(base = '') {
    super();
    this.base = base.replace(/\/$/, '');
  }

  /** Absolute URL of an API path (`/api/v1/…`). */
  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** `/api/v1/admin/{org}` + rest. */
  admin(org: number, rest: string): string {
    return `/api/v1/admin/${org}${rest}`;
  }

  headers(method: string, extra?: HeadersInit): Headers {
    const h = new Headers(extra);
    if (!SAFE.has(method) && this.csrf) h.set('X-CSRF-Token', this.csrf);
    return h;
  }

  /** Sends a request; a plain object body is JSON, a FormData / Blob body goes as is. Returns `data`. */
  async request<T>(
    method: string,
    path: string,
    body?: Body,
    init: { signal?: AbortSignal; anonymous?: boolean } = {},
  ): Promise<T> {
    const headers = this.headers(method);
    let payload: BodyInit | undefined;
    if (body instanceof FormData || body instanceof Blob || typeof body === 'string') payload = body;
    else if (body !== undefined) {
      headers.set('Content-Type', 'application/json');
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(this.url(path), { method, headers, body: payload, credentials: 'same-origin', signal: init.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ConsoleError(0, 'The server cannot be reached. Check the connection and try again.');
    }
    let envelope: Envelope<T> | null = null;
    try {
      envelope = (await res.json()) as Envelope<T>;
    } catch {
      envelope = null;
    }
    if (!res.ok || !envelope || envelope.responseType !== 'success') {
      const retry = Number(res.headers.get('Retry-After'));
      const message = envelope?.message || `The server answered ${res.status} ${res.statusText}`.trim();
      if (res.status === 401 && !init.anonymous) this.dispatchEvent(new CustomEvent('session-ended', { detail: message }));
      throw new ConsoleError(res.status, message, Number.isFinite(retry) && retry > 0 ? retry : null);
    }
    return envelope.data;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, { signal });
  }
  post<T>(path: string, body?: Body): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body?: Body): Promise<T> {
    return this.request<T>('PUT', path, body ?? {});
  }
  patch<T>(path: string, body: Body): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** GET of a file (an image preview) as a Blob, with the session. */
  async blob(method: string, path: string, body?: Body): Promise<Blob> {
    const headers = this.headers(method);
    let payload: BodyInit | undefined;
    if (body !== undefined) {
      headers.set('Content-Type', 'application/json');
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(this.url(path), { method, headers, body: payload, credentials: 'same-origin' });
    } catch {
      throw new ConsoleError(0, 'The server cannot be reached. Check the connection and try again.');
    }
    if (!res.ok) {
      let message = `The server answered ${res.status}`;
      try {
        message = ((await res.json()) as { message: string }).message;
      } catch {
        /* not JSON */
      }
      throw new ConsoleError(res.status, message);
    }
    return res.blob();
  }

  // --- session ---

  /** The current session, or null when signed out. */
  async session(): Promise<Session | null> {
    try {
      const s = await this.request<Session>('GET', '/api/v1/auth/session', undefined, { anonymous: true });
      this.csrf = s.csrf_token;
      return s;
    } catch (e) {
      if (e instanceof ConsoleError && e.status === 401) return null;
      throw e;
    }
  }

  async login(email: string, password: string): Promise<Session> {
    const s = await this.request<Session>('POST', '/api/v1/auth/login', { email, password }, { anonymous: true });
    this.csrf = s.csrf_token;
    return s;
  }

  async logout(everywhere = false): Promise<void> {
    await this.request('POST', everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout', {}, { anonymous: true });
    this.csrf = null;
  }

  async acceptInvitation(token: string, name: string, password: string): Promise<Session> {
    const s = await this.request<Session>(
      'POST',
      `/api/v1/auth/invitations/${encodeURIComponent(token)}/accept`,
      { name, password },
      { anonymous: true },
    );
    this.csrf = s.csrf_token;
    return s;
  }
}
