import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './deps.ts';
import { fail } from './http/envelope.ts';
import { EMBED_CORS, embedCors, requestIdOf, setFinalHeader } from './http/headers.ts';
import { ApiError } from './http/errors.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { authRoutes } from './routes/auth.ts';
import { docsRoutes } from './routes/docs/index.ts';
import { registerComponents } from './routes/docs/openapi.ts';
import { createRouter, describeHttpException } from './http/route.ts';
import { healthRoutes } from './routes/health.ts';
import { extRoutes } from './routes/ext/index.ts';
import { certificateFiles } from './routes/files/certificates.ts';
import { coverFiles } from './routes/files/covers.ts';
import { originalFiles } from './routes/files/originals.ts';
import { renditionFiles } from './routes/files/renditions.ts';
import { videoFiles } from './routes/files/videos.ts';
import { zipFiles } from './routes/files/zips.ts';
import { checkoutPages } from './routes/pages/checkout.ts';
import { creditsPages } from './routes/pages/credits.ts';
import { operatorRoutes } from './routes/operator.ts';
import { eventPages } from './routes/pages/event-page.ts';
import { embedPages } from './routes/pages/embed.ts';
import { consolePages } from './routes/pages/console.ts';
import { staticRoutes } from './routes/static.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export function createApp(deps: AppDeps) {
  const app = createRouter();
  registerComponents(app);
  const limiter = deps.limiter;

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('requestId', requestIdOf(c.req.header('x-request-id')));
    const t0 = performance.now();
    await next();
    // Every answer, files and errors included: browsers never guess another type than the one sent. Set in place
    // (http/headers.ts): c.header() here would rebuild every answer from a stream. An answer built with every header
    // already (http/headers.ts finalHeaders) is left as it is.
    if (!c.get('headersDone')) {
      setFinalHeader(c, 'X-Content-Type-Options', 'nosniff');
      if (!c.res.headers.has('X-Request-Id')) setFinalHeader(c, 'X-Request-Id', c.get('requestId'));
    }
    deps.log.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      ...(c.get('apiKey') ? { key_id: c.get('apiKey').id } : {}),
      ...(c.get('principal')?.kind === 'user' ? { user_id: (c.get('principal') as { user: { id: number } }).user.id } : {}),
      ...(c.get('error') ? { error: c.get('error') } : {}),
    });
  });

  // Embedding on any page: CORS for the API and the kit's files, and CORP so a cross-origin-isolated
  // host page may load them. Which origins a publishable key accepts is enforced by requireKey: its 403 carries
  // these CORS headers too, so the page can read "this site is not allowed to show these photos".
  for (const path of ['/api/*', '/kit/*', '/files/*']) {
    app.use(path, embedCors(EMBED_CORS), async (c, next) => {
      await next();
      if (!c.get('headersDone')) setFinalHeader(c, 'Cross-Origin-Resource-Policy', 'cross-origin');
    });
  }

  app.route('/', healthRoutes);
  app.route('/api/v1/ext/:org_id', extRoutes(limiter));
  app.route('/api/v1/auth', authRoutes);
  app.route('/api/v1/admin/:org_id', adminRoutes(limiter));
  app.route('/api/v1/operator', operatorRoutes);
  app.route('/api/v1/webhooks', webhookRoutes);
  app.route('/', checkoutPages);
  app.route('/', creditsPages);
  app.route('/', eventPages);
  app.route('/', embedPages);
  app.route('/files', renditionFiles);
  app.route('/files', originalFiles);
  app.route('/files', certificateFiles);
  app.route('/files', coverFiles);
  app.route('/files', videoFiles);
  app.route('/files', zipFiles);
  // Last of the API: the document describes every router mounted above.
  app.route('/', docsRoutes(app));
  if (deps.site) {
    app.route('/', consolePages(deps.site.consoleDir));
    app.route('/', staticRoutes(deps.site));
  }

  app.notFound((c) => {
    const message = `No route for ${c.req.method} ${c.req.path}`;
    c.set('error', message);
    return fail(c, 404, message);
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      c.set('error', err.message);
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return fail(c, err.status, err.message);
    }
    if (err instanceof HTTPException) {
      const message = describeHttpException(err);
      c.set('error', message);
      return fail(c, err.status, message);
    }
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
