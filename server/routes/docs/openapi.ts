import { registerErrorResponses, type Router } from '../../http/route.ts';
import { nameComponents } from './components.ts';

/**
 * The OpenAPI 3.1 document of an app, generated from its route declarations (`defineRoute`): the schemas
 * that validate requests and type the handlers are the ones described here, so the two cannot drift.
 * `docs/openapi.json` is this document committed; `npm run openapi` writes it, a test compares them.
 */

const TAGS: { name: string; description: string }[] = [
  { name: 'Events', description: 'The 9Pic-compatible event routes.' },
  { name: 'Browse', description: "The event's photos, page by page." },
  { name: 'Search', description: 'BIB and time search.' },
  { name: 'Face search', description: 'Selfie search: a selfie, its aligned crop or its embedding.' },
  { name: 'Downloads', description: 'Signed links to originals.' },
  { name: 'Certificates', description: 'Finisher certificates (our extension).' },
  { name: 'Checkout', description: 'Selling photos (our extension).' },
  { name: 'Admin: events', description: 'Events and their settings (secret key or console session).' },
  { name: 'Admin: photos', description: 'Uploads, photos and their bibs (secret key or console session).' },
  { name: 'Admin: bibs', description: 'Bib OCR: overview, re-runs, issued list, review (secret key or console session).' },
  { name: 'Admin: certificates', description: 'Certificate template, records and publishing (secret key or console session).' },
  { name: 'Admin: checkout', description: 'Plans, orders, transactions and refunds (secret key or console session).' },
  { name: 'Admin: keys', description: 'API keys of the organisation (secret key or console session).' },
  {
    name: 'Admin: uploads',
    description: 'Resumable uploads (tus 1.0) and the processing view of an event (secret key or console session).',
  },
  {
    name: 'Admin: members',
    description: 'Members, roles, invitations and photographers’ camera clocks (secret key or console session).',
  },
  { name: 'Console sign-in', description: 'Console accounts: sign-in, session, sign-out, password, invitation links.' },
  { name: 'Webhooks', description: 'Signed events from payment gateways.' },
  { name: 'Files', description: 'Thumbnails, previews and signed files.' },
  { name: 'Pages', description: 'Pages a buyer opens in the browser.' },
  { name: 'Operations', description: 'Health and the API document.' },
];

/** The document's shared parts: the API key scheme and the error answers. */
export function registerComponents(app: Router): void {
  registerErrorResponses(app);
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'Secret keys (sk_…) for servers and the CLI; publishable keys (pk_…) read-only, for embeds.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'pf_session',
    description:
      'The console’s session cookie (POST /api/v1/auth/login). With it, every POST, PUT, PATCH and DELETE also sends ' +
      'X-CSRF-Token (the csrf_token of the session); roles limit what a member may do.',
  });
}

export function openApiDocument(app: Router, opts: { version?: string } = {}): Record<string, unknown> {
  nameComponents();
  const doc = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'photo-finish API',
      version: opts.version ?? '0.1.0',
      description:
        'The 9Pic-compatible event-photo API (/api/v1/ext), our admin API (/api/v1/admin, a secret key or a console session), console sign-in (/api/v1/auth) and the file routes. ' +
        'Every JSON response is the envelope {responseType, message, data}; errors have data null.',
    },
    tags: TAGS,
  }) as unknown as Record<string, unknown>;
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
}
