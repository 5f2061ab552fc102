import { AccessRequest, AccessToken } from '../../../core/index.ts';
import { clientIp } from '../../http/auth.ts';
import { ok } from '../../http/envelope.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { ACCESS_TOKEN_TTL_SECONDS, grantAccess } from '../../services/event-access.ts';

export const accessRoute = defineRoute({
  method: 'post',
  path: '/access',
  tag: 'Events',
  summary: 'Page password',
  description:
    `The page password of a protected event (details.password_required) for a token valid ${ACCESS_TOKEN_TTL_SECONDS / 3600} hours. ` +
    'Send it as X-Event-Token with every other request of the event (401 "this event needs its page password" otherwise). ' +
    'Tokens are signed, not stored: changing or removing the password ends them. 401 for a wrong password; ' +
    'more than 10 wrong passwords a minute from one client is 429. An event without a password answers a token too.',
  auth: 'key',
  request: { params: EventPath, body: { required: true, content: { 'application/json': { schema: AccessRequest } } } },
  data: AccessToken,
  errors: [400, 401, 404, 415, 422],
});

export const access = createRouter().openapi(accessRoute, async (c) => {
  const token = await grantAccess(c.get('deps'), c.get('event'), c.req.valid('json').password, clientIp(c));
  return ok(c, 'Access granted: send the token as X-Event-Token', token);
});
