import type { MiddlewareHandler } from 'hono';
import { GrantRequest, LedgerWrite, OperatorOrg, OperatorOrgList, PlanPatch, RefundRequest } from '../../core/api/credits.ts';
import { ok } from '../http/envelope.ts';
import type { AppEnv } from '../http/env.ts';
import { forbidden } from '../http/errors.ts';
import { OrgPath } from '../http/params.ts';
import { createRouter, defineRoute } from '../http/route.ts';
import { requireSession } from './auth.ts';

const TAG = 'Operator';

/** A console session of a server operator (`photo-finish operator create`); 403 for anyone else. */
const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { user } = c.get('session');
  if (!(await c.get('deps').credits.isOperator(user.id)))
    throw forbidden('Only server operators can do this: `photo-finish operator create --email …` makes one');
  await next();
};

const OperatorOrgPath = OrgPath.extend({});

export const operatorOrgsRoute = defineRoute({
  method: 'get',
  path: '/orgs',
  tag: TAG,
  summary: 'Every organisation with its plan and balance',
  auth: 'session',
  middleware: [requireSession, requireOperator],
  request: {},
  data: OperatorOrgList,
  errors: [],
});

export const operatorOrgRoute = defineRoute({
  method: 'get',
  path: '/orgs/{org_id}',
  tag: TAG,
  summary: 'One organisation with its plan and balance',
  auth: 'session',
  middleware: [requireSession, requireOperator],
  request: { params: OperatorOrgPath },
  data: OperatorOrg,
  errors: [404, 422],
});

export const setPlanRoute = defineRoute({
  method: 'patch',
  path: '/orgs/{org_id}/plan',
  tag: TAG,
  summary: 'Set plan, expiry, cost per credit, cost per photo, time zone',
  description:
    "expires is a date (YYYY-MM-DD): the plan ends at the end of that day in the organisation's time zone; null for no end. " +
    'cost_per_credit 0 or null hides it. Photos waiting for credits are processed when the change lets them (unlimited, cost 0).',
  auth: 'session',
  middleware: [requireSession, requireOperator],
  request: { params: OperatorOrgPath, body: { required: true, content: { 'application/json': { schema: PlanPatch } } } },
  data: OperatorOrg,
  errors: [400, 404, 415, 422],
});

export const grantRoute = defineRoute({
  method: 'post',
  path: '/orgs/{org_id}/credits',
  tag: TAG,
  summary: 'Grant credits (Admin Grant or Free Credits)',
  description:
    'Appends a positive row to the ledger, by this operator; photos waiting for credits are then processed in the background.',
  auth: 'session',
  middleware: [requireSession, requireOperator],
  request: { params: OperatorOrgPath, body: { required: true, content: { 'application/json': { schema: GrantRequest } } } },
  data: LedgerWrite,
  status: 201,
  errors: [400, 404, 415, 422],
});

export const refundRoute = defineRoute({
  method: 'post',
  path: '/orgs/{org_id}/refunds',
  tag: TAG,
  summary: 'Refund credits',
  description:
    'Appends a Refund row (negative) to the ledger, optionally naming the payment refunded (its money is refunded in the gateway by the ' +
    'operator). 409 when the balance is smaller than the credits refunded.',
  auth: 'session',
  middleware: [requireSession, requireOperator],
  request: { params: OperatorOrgPath, body: { required: true, content: { 'application/json': { schema: RefundRequest } } } },
  data: LedgerWrite,
  status: 201,
  errors: [400, 404, 409, 415, 422],
});

/** `/api/v1/operator/…`: the server operator's API (issue 13, docs/credits.md): console session, CSRF on writes. */
export const operatorRoutes = createRouter()
  .openapi(operatorOrgsRoute, async (c) => {
    const orgs = await c.get('deps').credits.operatorOrgs();
    return ok(c, `${orgs.length} organisations`, { orgs });
  })
  .openapi(operatorOrgRoute, async (c) =>
    ok(c, 'Organisation', await c.get('deps').credits.operatorOrg(c.req.valid('param').org_id)),
  )
  .openapi(setPlanRoute, async (c) => {
    const data = await c.get('deps').credits.setPlan(c.req.valid('param').org_id, c.req.valid('json'));
    return ok(c, `Plan: ${data.plan_label}`, data);
  })
  .openapi(grantRoute, async (c) => {
    const body = c.req.valid('json');
    const data = await c.get('deps').credits.grant(c.req.valid('param').org_id, body, c.get('session').user.id);
    return ok(c, `${body.credits} credits granted`, data, 201);
  })
  .openapi(refundRoute, async (c) => {
    const body = c.req.valid('json');
    const data = await c.get('deps').credits.refund(c.req.valid('param').org_id, body, c.get('session').user.id);
    return ok(c, `${body.credits} credits refunded`, data, 201);
  });
