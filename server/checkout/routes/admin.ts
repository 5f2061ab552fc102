import { Hono } from 'hono';
import { z } from 'zod';
import { CreatePlanRequest, ORDER_STATUSES, UpdateCheckoutSettings, UpdatePlanRequest } from '../../../core/checkout.ts';
import { paginationInfo } from '../../../core/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { notFound } from '../../http/errors.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { jsonBody, parse, query } from '../../http/validate.ts';
import { checkoutFor } from '../registry.ts';
import { eventGuard, keyGuard } from './guards.ts';

const whole = (name: string) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`);
const Page = z.object({
  page: whole('page').min(1, 'must be 1 or more').default(1),
  page_size: whole('page_size').min(1, 'must be 1 or more').max(200, 'must be at most 200').default(50),
});
const OrdersQuery = Page.extend({ status: z.enum(ORDER_STATUSES).optional() });
const PlanId = z.object({ plan_id: whole('plan_id').positive('must be a positive integer') });

/**
 * Admin routes under `/api/v1/admin/{org_id}/event/{event_id}` (secret key): checkout settings, plans,
 * orders with totals, transactions, refunds and rechecks.
 */
export function adminCheckoutRoutes(limiter: RateLimiter) {
  const source = (c: { get(k: 'apiKey'): { id: number } }) => `admin:key ${c.get('apiKey').id}`;
  const guard = [keyGuard(limiter, true), eventGuard] as const;
  // Scoped to these paths only: other areas mount their own routes under the same event prefix.
  return new Hono<AppEnv>()
    .use('/checkout', ...guard)
    .use('/plans', ...guard)
    .use('/plans/*', ...guard)
    .use('/orders', ...guard)
    .use('/orders/*', ...guard)
    .use('/transactions', ...guard)
    .get('/checkout', async (c) => ok(c, 'Checkout settings', await checkoutFor(c.get('deps')).settings(c.get('event'))))
    .patch('/checkout', async (c) => {
      const body = await jsonBody(c, UpdateCheckoutSettings);
      const s = await checkoutFor(c.get('deps')).updateSettings(c.get('event'), body);
      return ok(c, s.enabled ? 'Checkout is enabled' : 'Checkout is disabled', s);
    })
    .get('/plans', async (c) => {
      const svc = checkoutFor(c.get('deps'));
      const plans = (await svc.listPlans(c.get('event'))).map((p) => svc.toPlan(p));
      return ok(c, `${plans.length} plan${plans.length === 1 ? '' : 's'}`, { plans });
    })
    .post('/plans', async (c) => {
      const body = await jsonBody(c, CreatePlanRequest);
      const svc = checkoutFor(c.get('deps'));
      const plan = await svc.createPlan(c.get('event'), body);
      return ok(c, `Plan ${plan.id} created`, svc.toPlan(plan), 201);
    })
    .get('/plans/:plan_id', async (c) => {
      const { plan_id } = parse(PlanId, c.req.param());
      const svc = checkoutFor(c.get('deps'));
      const plan = (await svc.listPlans(c.get('event'))).find((p) => p.id === plan_id);
      if (!plan) throw notFound(`Plan ${plan_id} not found in this event`);
      return ok(c, `Plan ${plan_id}`, svc.toPlan(plan));
    })
    .patch('/plans/:plan_id', async (c) => {
      const { plan_id } = parse(PlanId, c.req.param());
      const body = await jsonBody(c, UpdatePlanRequest);
      const svc = checkoutFor(c.get('deps'));
      return ok(c, `Plan ${plan_id} updated`, svc.toPlan(await svc.updatePlan(c.get('event'), plan_id, body)));
    })
    .delete('/plans/:plan_id', async (c) => {
      const { plan_id } = parse(PlanId, c.req.param());
      const svc = checkoutFor(c.get('deps'));
      const plan = await svc.archivePlan(c.get('event'), plan_id);
      return ok(c, `Plan ${plan_id} archived (orders keep their price)`, svc.toPlan(plan));
    })
    .get('/orders', async (c) => {
      const { page, page_size, status } = query(c, OrdersQuery);
      const svc = checkoutFor(c.get('deps'));
      const event = c.get('event');
      const { items, total } = await svc.listOrders(event, status, { offset: (page - 1) * page_size, limit: page_size });
      return ok(c, `${total} order${total === 1 ? '' : 's'}`, {
        orders: await Promise.all(items.map((o) => svc.toAdminOrder(o))),
        totals: await svc.totals(event),
        pagination: paginationInfo(total, page, page_size),
      });
    })
    .get('/orders/:order_id', async (c) => {
      const svc = checkoutFor(c.get('deps'));
      const order = await svc.orderInEvent(c.get('event'), c.req.param('order_id'));
      return ok(c, `Order ${order.id}`, await svc.toAdminOrderDetail(order));
    })
    .post('/orders/:order_id/refund', async (c) => {
      const svc = checkoutFor(c.get('deps'));
      const order = await svc.refund(c.get('event'), c.req.param('order_id'), source(c));
      return ok(c, `Order ${order.id} is ${order.status}`, await svc.toAdminOrderDetail(order));
    })
    .post('/orders/:order_id/recheck', async (c) => {
      const svc = checkoutFor(c.get('deps'));
      const order = await svc.recheck(await svc.orderInEvent(c.get('event'), c.req.param('order_id')), `recheck:${source(c)}`);
      return ok(c, `Order ${order.id} is ${order.status}`, await svc.toAdminOrderDetail(order));
    })
    .get('/transactions', async (c) => {
      const { page, page_size } = query(c, Page);
      const svc = checkoutFor(c.get('deps'));
      const event = c.get('event');
      const { items, total } = await svc.transactions(event, { offset: (page - 1) * page_size, limit: page_size });
      return ok(c, `${total} transaction${total === 1 ? '' : 's'}`, {
        transactions: items,
        totals: await svc.totals(event),
        pagination: paginationInfo(total, page, page_size),
      });
    });
}
