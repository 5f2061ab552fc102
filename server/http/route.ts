import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { HTTPException } from 'hono/http-exception';
import { z, type ZodType } from 'zod';
import { flattenIssues } from '../../core/index.ts';
import type { AppEnv } from './env.ts';
import { JSON_BODY_MAX_BYTES, limitBody } from './body.ts';
import { ApiError } from './errors.ts';

/**
 * One way to declare a route: `defineRoute({...})` is at once the request validator (params, query, headers,
 * JSON body), the TypeScript types of the handler's input and output, and the route's OpenAPI entry.
 *
 *   const listImages = defineRoute({ method: 'get', path: '/images', tag: 'Browse', summary: 'List Images',
 *     auth: 'key', request: { params: EventPath, query: pageQuery('images') }, data: ImagePage, errors: [404, 422] });
 *   router.openapi(listImages, async (c) => ok(c, 'Records', await listImagesOf(...c.req.valid('query'))));
 *
 * Every router is made by `createRouter()`, whose validation hook turns a zod mismatch into the standard
 * 422 envelope with the `field.path: description; …` message.
 */

export type Router = OpenAPIHono<AppEnv>;

/**
 * How a caller proves who it is: an API key of either kind, a secret key or a console session (the admin API), a
 * console session only (`/api/v1/auth/…`), a signed URL, or nothing.
 */
export type Auth = 'key' | 'secret' | 'session' | 'signed' | 'none';

export const createRouter = (): Router =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      // A header that fails its schema is a malformed request (400, the schema's own words); anything else is 422.
      if (result.target === 'header') throw new ApiError(400, result.error.issues[0]?.message ?? 'Malformed header');
      throw new ApiError(422, flattenIssues(result.error.issues));
    },
  });

/** The error envelope of spec §1.4 (data is always null). */
export const ErrorEnvelope = z.object({ responseType: z.literal('error'), message: z.string(), data: z.null() });

/** The success envelope of spec §1.4 around a route's `data` schema. */
export const successEnvelope = <D extends ZodType>(data: D) =>
  z.object({ responseType: z.literal('success'), message: z.string(), data });

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work goes on in the background',
  204: 'No content',
  302: 'Redirect',
  400: 'Bad request (malformed JSON or multipart, a malformed id or header)',
  401: 'Missing X-API-Key (or, on the admin API, no valid console session), a wrong page password, or no valid X-Event-Token for a password-protected event',
  403: 'Key unknown, inactive, of another organisation or event, origin not allowed, publishable key on a secret route, feature switched off, a bad or expired signature, or (console session) a missing or wrong X-CSRF-Token or a role that may not do this',
  404: 'Not found',
  409: 'Conflict with the current state',
  410: 'Gone',
  412: 'Precondition failed (tus: the Tus-Resumable header is missing)',
  413: 'Request body too large',
  415: 'Wrong content type',
  416: 'Range not satisfiable',
  422: 'Validation failed; the message lists each problem as field.path: description',
  429: 'Too many requests (see Retry-After)',
  500: 'Internal error',
  503: 'Not available on this server right now',
};

type SuccessStatus = 200 | 201 | 202;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Request = NonNullable<RouteConfig['request']>;
/** A plain OpenAPI schema object (for what zod cannot describe, such as file parts). */
type MediaType = Extract<NonNullable<NonNullable<Request['body']>['content'][string]>, { schema?: unknown }>;
type SchemaObject = Exclude<NonNullable<MediaType['schema']>, ZodType | { $ref: string }>;

interface Common<M extends Method, P extends string, R extends Request | undefined> {
  method: M;
  /** Path inside its router, with `{param}` placeholders. */
  path: P;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  request?: R;
  /** Route middleware (feature gates…); runs after the router's auth and before the body is read. */
  middleware?: RouteConfig['middleware'];
  /**
   * The largest body this route reads, in bytes (413 above), or `'upload'` for the app's upload limit
   * (UPLOAD_LIMIT_MB). Only for a route that declares a body; default JSON_BODY_MAX_BYTES.
   */
  bodyLimit?: number | 'upload';
  /** Error statuses this route answers beyond those of its auth (401/403/429) and 500. */
  errors: number[];
  /** Kept out of the document (a deprecated alias documented once under its new path). */
  hide?: boolean;
  deprecated?: boolean;
}

interface JsonRoute<
  M extends Method,
  P extends string,
  R extends Request | undefined,
  D extends ZodType,
  S extends SuccessStatus,
> extends Common<M, P, R> {
  /** The schema of the success envelope's `data`. */
  data: D;
  /** The success status (default 200), or the statuses when it depends (`[200, 201]`: saved or created). */
  status?: S | readonly S[];
}

interface RawRoute<M extends Method, P extends string, R extends Request | undefined> extends Common<M, P, R> {
  /** A response that is not the JSON envelope: a file, a page, a redirect. */
  raw: { description: string; type: string; status?: number };
  /** The route may also answer with a redirect (302, Location) instead: when and where to. */
  redirect?: string;
}

type JsonResponses<D extends ZodType, S extends SuccessStatus> = {
  [K in S]: { description: string; content: { 'application/json': { schema: ReturnType<typeof successEnvelope<D>> } } };
};

/** Error answers are shared components of the document (`#/components/responses/Error404`, …). */
export const errorResponseName = (status: number) => `Error${status}`;

function errorResponses(auth: Auth, errors: number[]) {
  const codes = new Set(errors);
  if (auth === 'key' || auth === 'secret' || auth === 'session') for (const s of [401, 403, 429]) codes.add(s);
  if (auth === 'signed') codes.add(403);
  codes.add(500);
  const out: Record<number, { $ref: string }> = {};
  for (const s of [...codes].sort((a, b) => a - b)) out[s] = { $ref: `#/components/responses/${errorResponseName(s)}` };
  return out;
}

/** Registers the shared error answers on the app whose document lists them. */
export function registerErrorResponses(app: Router): void {
  app.openAPIRegistry.register('ErrorEnvelope', ErrorEnvelope);
  for (const [status, description] of Object.entries(STATUS_TEXT)) {
    if (Number(status) < 400) continue;
    app.openAPIRegistry.registerComponent('responses', errorResponseName(Number(status)), {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
    });
  }
}

function common(def: Common<Method, string, Request | undefined>) {
  // Every declared body is read under a limit: the route's own, or the JSON default.
  const limit = def.request?.body
    ? [limitBody(def.bodyLimit === 'upload' ? undefined : (def.bodyLimit ?? JSON_BODY_MAX_BYTES))]
    : [];
  const middleware = [def.middleware ?? []].flat().concat(limit);
  return {
    method: def.method,
    path: def.path,
    tags: [def.tag],
    summary: def.summary,
    ...(def.description ? { description: def.description } : {}),
    ...(def.request ? { request: def.request } : {}),
    ...(middleware.length ? { middleware } : {}),
    ...(def.hide ? { hide: true } : {}),
    ...(def.deprecated ? { deprecated: true } : {}),
    security:
      def.auth === 'key'
        ? [{ ApiKey: [] }]
        : def.auth === 'secret'
          ? [{ ApiKey: [] }, { Session: [] }]
          : def.auth === 'session'
            ? [{ Session: [] }]
            : [],
    ...(def.auth === 'secret' ? { 'x-key-kind': 'secret' } : {}),
  };
}

/** A route answering the JSON envelope. */
export function defineRoute<
  M extends Method,
  P extends string,
  D extends ZodType,
  R extends Request | undefined = undefined,
  S extends SuccessStatus = 200,
>(def: JsonRoute<M, P, R, D, S>) {
  const statuses = [def.status ?? 200].flat() as S[];
  const schema = successEnvelope(def.data);
  const responses = {
    ...errorResponses(def.auth, def.errors),
    ...Object.fromEntries(
      statuses.map((st) => [st, { description: STATUS_TEXT[st]!, content: { 'application/json': { schema } } }]),
    ),
  } as unknown as JsonResponses<D, S>;
  return createRoute({ ...common(def), responses } as unknown as {
    method: M;
    path: P;
    request: R;
    responses: JsonResponses<D, S>;
  } & Omit<RouteConfig, 'method' | 'path' | 'request' | 'responses'>);
}

/** A route answering something else than the envelope (a file, an HTML page, a redirect, a ZIP). */
export function defineRawRoute<M extends Method, P extends string, R extends Request | undefined = undefined>(
  def: RawRoute<M, P, R>,
) {
  const json = /json/.test(def.raw.type);
  const binary = !json && !/^text\//.test(def.raw.type);
  const responses = {
    ...errorResponses(def.auth, def.errors),
    [def.raw.status ?? 200]: {
      description: def.raw.description,
      content: {
        [def.raw.type]: {
          schema: json ? z.record(z.string(), z.unknown()) : binary ? z.string().meta({ format: 'binary' }) : z.string(),
        },
      },
    },
    ...(def.redirect
      ? { 302: { description: def.redirect, headers: { Location: { description: 'where to', schema: { type: 'string' } } } } }
      : {}),
  };
  return createRoute({ ...common(def), responses } as unknown as {
    method: M;
    path: P;
    request: R;
    responses: RouteConfig['responses'];
  } & Omit<RouteConfig, 'method' | 'path' | 'request' | 'responses'>);
}

/**
 * Turns what Hono's validators throw (malformed JSON, wrong media type) into clear messages; `onError` calls it.
 */
export function describeHttpException(err: HTTPException): string {
  if (/malformed json/i.test(err.message))
    return 'The request body is not valid JSON: send a JSON object with Content-Type: application/json';
  if (err.status === 415) return 'Unsupported content type: send the body as application/json';
  return err.message || 'Request refused';
}

/**
 * A multipart body for the document. Its parts are read by `multipart()` in the handler (files cannot be
 * validated by zod), so this schema documents and does not validate.
 */
export function multipartBody(
  parts: Record<string, { description: string; file?: boolean; many?: boolean; required?: boolean }>,
) {
  const properties: Record<string, object> = {};
  for (const [name, p] of Object.entries(parts)) {
    const one =
      p.file === false
        ? { type: 'string', description: p.description }
        : { type: 'string', format: 'binary', description: p.description };
    properties[name] = p.many ? { type: 'array', items: one, description: p.description } : one;
  }
  const required = Object.entries(parts)
    .filter(([, p]) => p.required)
    .map(([n]) => n);
  return { type: 'object', properties, ...(required.length ? { required } : {}) } as unknown as SchemaObject;
}
