import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { AppDeps } from './deps.ts';
import type { AppEnv } from './http/env.ts';
import { fail } from './http/envelope.ts';
import { ApiError } from './http/errors.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { extRoutes } from './routes/ext/index.ts';
import { renditionFiles } from './routes/files/renditions.ts';
import { staticRoutes } from './routes/static.ts';

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const limiter = new RateLimiter(deps.rateLimitPerMinute);

  app.use('*', requestId({ headerName: 'X-Request-Id' }), async (c, next) => {
    c.set('deps', deps);
    const t0 = performance.now();
    await next();
    deps.log.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - t0) * 10) / 10,
    });
  });

  // Embedding on any page: CORS for the API and the kit's files, and CORP so a cross-origin-isolated
  // host page may load them. Which origins a publishable key accepts is enforced by requireKey (403).
  for (const path of ['/api/*', '/kit/*', '/files/*']) {
    app.use(
      path,
      cors({
        origin: (origin) => origin || '*',
        allowHeaders: ['X-API-Key', 'Content-Type', 'Idempotency-Key', 'Range'],
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: ['Retry-After', 'X-Request-Id', 'Content-Range', 'Content-Disposition'],
        maxAge: 600,
      }),
      async (c, next) => {
        await next();
        c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    );
  }

  app.get('/healthz', async (c) => {
    await deps.store.images.count(0);
    return c.json({ status: 'ok' });
  });
  app.route('/api/v1/ext/:org_id', extRoutes(limiter));
  app.route('/files', renditionFiles);
  if (deps.site) app.route('/', staticRoutes(deps.site));

  app.notFound((c) => fail(c, 404, `No route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return fail(c, err.status, err.message);
    }
    if (err instanceof HTTPException) return fail(c, err.status, err.message || 'Request refused');
    deps.log.error('unhandled error', {
      request_id: c.get('requestId'),
      path: c.req.path,
      error: String(err),
      stack: (err as Error).stack,
    });
    return fail(c, 500, 'Internal error: the request could not be completed; it is safe to retry');
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
