import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  AcceptInvitationRequest,
  InvitationInfo,
  LoginRequest,
  PasswordChanged,
  PasswordChangeRequest,
  SessionInfo,
  SignedOut,
} from '../../core/api/auth.ts';
import { SESSION_MAX_AGE_S } from '../auth/service.ts';
import { csrfTokenFor, sameSecret } from '../auth/tokens.ts';
import { clientIp, CSRF_HEADER, SESSION_COOKIE } from '../http/auth.ts';
import { ok } from '../http/envelope.ts';
import type { AppEnv } from '../http/env.ts';
import { forbidden, unauthorized } from '../http/errors.ts';
import { createRouter, defineRoute } from '../http/route.ts';

const TAG = 'Console sign-in';
const json = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });

const InvitationPath = z.object({
  token: z.string().min(1).max(200).meta({ description: 'the token of the invitation link (/console/#/invite/<token>)' }),
});

/** Secure when the server is reached over HTTPS: PUBLIC_URL says so, or the request itself is https. */
const secure = (c: Context<AppEnv>) =>
  (c.get('deps').publicUrl ?? '').startsWith('https:') || new URL(c.req.url).protocol === 'https:';

function setSessionCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(c),
    maxAge: SESSION_MAX_AGE_S,
  });
}

function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c), httpOnly: true, sameSite: 'Lax' });
}

/** The signed-in session (401 without one); state-changing methods also need X-CSRF-Token (403). */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) throw unauthorized('Not signed in: sign in with POST /api/v1/auth/login');
  const active = await c.get('deps').auth.resolve(token);
  if (!active) {
    clearSessionCookie(c);
    throw unauthorized('Your session has ended: sign in again');
  }
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const sent = c.req.header(CSRF_HEADER);
    if (!sent || !sameSecret(sent, csrfTokenFor(token)))
      throw forbidden(`Missing or wrong ${CSRF_HEADER} header: send the csrf_token of GET /api/v1/auth/session`);
  }
  c.set('session', active);
  await next();
};

export const loginRoute = defineRoute({
  method: 'post',
  path: '/login',
  tag: TAG,
  summary: 'Sign in',
  description:
    'Email and password. Sets the session cookie pf_session (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS) and ' +
    'answers the user, their organisations and the CSRF token. Failed sign-ins are throttled per account and per IP (429).',
  auth: 'none',
  request: { body: json(LoginRequest) },
  data: SessionInfo,
  errors: [400, 401, 415, 422, 429],
});

export const sessionRoute = defineRoute({
  method: 'get',
  path: '/session',
  tag: TAG,
  summary: 'The current session',
  description: 'Who is signed in, their organisations and roles, and the CSRF token (401 without a session).',
  auth: 'session',
  middleware: [requireSession],
  data: SessionInfo,
  errors: [],
});

export const logoutRoute = defineRoute({
  method: 'post',
  path: '/logout',
  tag: TAG,
  summary: 'Sign out',
  description: 'Ends this session and clears the cookie.',
  auth: 'session',
  middleware: [requireSession],
  data: SignedOut,
  errors: [],
});

export const logoutAllRoute = defineRoute({
  method: 'post',
  path: '/logout-all',
  tag: TAG,
  summary: 'Sign out everywhere',
  description: 'Ends every session of the user (every browser), this one included.',
  auth: 'session',
  middleware: [requireSession],
  data: SignedOut,
  errors: [],
});

export const passwordRoute = defineRoute({
  method: 'post',
  path: '/password',
  tag: TAG,
  summary: 'Change the password',
  description: 'Needs the current password (403 when wrong). The other sessions of the user end; this one stays.',
  auth: 'session',
  middleware: [requireSession],
  request: { body: json(PasswordChangeRequest) },
  data: PasswordChanged,
  errors: [400, 415, 422],
});

export const invitationInfoRoute = defineRoute({
  method: 'get',
  path: '/invitations/{token}',
  tag: TAG,
  summary: 'An invitation link',
  description: 'The organisation, email and role it invites to; 404 unknown, 410 used or expired.',
  auth: 'none',
  request: { params: InvitationPath },
  data: InvitationInfo,
  errors: [404, 410, 422],
});

export const acceptInvitationRoute = defineRoute({
  method: 'post',
  path: '/invitations/{token}/accept',
  tag: TAG,
  summary: 'Accept an invitation',
  description:
    'Creates the account (name, password) — or, when the email already has one, checks its password — adds the ' +
    'membership, uses up the link and signs in (same answer and cookie as sign-in).',
  auth: 'none',
  request: { params: InvitationPath, body: json(AcceptInvitationRequest) },
  data: SessionInfo,
  errors: [400, 401, 404, 410, 415, 422, 429],
});

/** `/api/v1/auth/…`: console sign-in, session, sign-out, password, invitation links. */
export const authRoutes = createRouter()
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const { token, info } = await c.get('deps').auth.login(email, password, clientIp(c));
    setSessionCookie(c, token);
    return ok(c, 'Signed in', info);
  })
  .openapi(invitationInfoRoute, async (c) => {
    return ok(c, 'Invitation', await c.get('deps').auth.invitationInfo(c.req.valid('param').token));
  })
  .openapi(acceptInvitationRoute, async (c) => {
    const { token: link } = c.req.valid('param');
    const { token, info } = await c.get('deps').auth.acceptInvitation(link, c.req.valid('json'), clientIp(c));
    setSessionCookie(c, token);
    return ok(c, 'Invitation accepted: signed in', info);
  })
  .openapi(sessionRoute, async (c) => {
    const s = c.get('session');
    return ok(c, 'Signed in', await c.get('deps').auth.sessionInfo(s.user, s.token));
  })
  .openapi(logoutRoute, async (c) => {
    const sessions = await c.get('deps').auth.logout(c.get('session'));
    clearSessionCookie(c);
    return ok(c, 'Signed out', { signed_out: true as const, sessions });
  })
  .openapi(logoutAllRoute, async (c) => {
    const sessions = await c.get('deps').auth.logoutEverywhere(c.get('session'));
    clearSessionCookie(c);
    return ok(c, `Signed out of ${sessions} session${sessions === 1 ? '' : 's'}`, { signed_out: true as const, sessions });
  })
  .openapi(passwordRoute, async (c) => {
    const { current_password, new_password } = c.req.valid('json');
    const ended = await c.get('deps').auth.changePassword(c.get('session'), current_password, new_password);
    return ok(c, 'Password changed', { changed: true as const, other_sessions_ended: ended });
  });
