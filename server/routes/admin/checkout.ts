import { z } from 'zod';
import { actorName, type Principal } from '../../auth/roles.ts';
import {
  AdminOrderDetail,
  AdminOrderList,
  CheckoutSettings,
  CreatePlanRequest,
  OrderListQuery,
  Plan,
  PlanList,
  TransactionList,
  UpdateCheckoutSettings,
  UpdatePlanRequest,
} from '../../../core/checkout.ts';
import { pageQuery, pageWindow, paginationInfo, wholeNumber } from '../../../core/index.ts';
import { ok } from '../../http/envelope.ts';
import { notFound } from '../../http/errors.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';

/**
 * Checkout of one event (secret key), mounted under `/api/v1/admin/{org_id}/events/{event_id}` by the admin
 * router, which checks the key and loads the event once: settings, plans, orders with totals, transactions,
 * refunds and rechecks.
 */

const TAG = 'Admin: checkout';
const Page = pageQuery({ default: 50, max: 200 });
const PlanPath = EventPath.extend({
  plan_id: wholeNumber('plan_id must be a whole number', (n) => n.positive('must be a positive integer')).meta({
    description: 'a plan of the event',
  }),
});
const OrderPath = EventPath.extend({
  // Not checked as a UUID: an id of another shape is simply an order that is not found (404).
  order_id: z.string().meta({ description: 'order id (UUID)', format: 'uuid' }),
});
const json = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });

/** Who did it, for the order log. */
const adminSource = (c: { get(k: 'principal'): Principal }) => `admin:${actorName(c.get('principal'))}`;
const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export const getSettingsRoute = defineRoute({
  method: 'get',
  path: '/checkout',
  tag: TAG,
  summary: 'Checkout settings',
  description:
    'Whether checkout is on, its gateway, the gateways this server offers now (Stripe only with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET) ' +
    "and the event's free_downloads (orders are refused while the originals are free).",
  auth: 'secret',
  request: { params: EventPath },
  data: CheckoutSettings,
  errors: [404, 422],
});

export const updateSettingsRoute = defineRoute({
  method: 'patch',
  path: '/checkout',
  tag: TAG,
  summary: 'Change checkout settings',
  description:
    'Send enabled and/or gateway ("stripe", "test" or null). Refused (409) with a gateway this server does not offer, or when enabling ' +
    'without a gateway or without a published plan. Checkout switches itself off when its last published plan is archived.',
  auth: 'secret',
  request: { params: EventPath, body: json(UpdateCheckoutSettings) },
  data: CheckoutSettings,
  errors: [400, 404, 409, 415, 422],
});

export const listPlansRoute = defineRoute({
  method: 'get',
  path: '/plans',
  tag: TAG,
  summary: 'List plans',
  description: 'Every plan of the event, archived ones included. Only published plans are offered to buyers.',
  auth: 'secret',
  request: { params: EventPath },
  data: PlanList,
  errors: [404, 422],
});

export const createPlanRoute = defineRoute({
  method: 'post',
  path: '/plans',
  tag: TAG,
  summary: 'Create a plan',
  description:
    'kind single (one photo), bundle (up to quantity photos, 2–1000) or all (every photo of a BIB or selfie search); price in minor units. ' +
    'All plans of an event share one currency and one tax_inclusive value (an order is one payment): another is 409. status defaults to published.',
  auth: 'secret',
  request: { params: EventPath, body: json(CreatePlanRequest) },
  data: Plan,
  status: 201,
  errors: [400, 404, 409, 415, 422],
});

export const getPlanRoute = defineRoute({
  method: 'get',
  path: '/plans/{plan_id}',
  tag: TAG,
  summary: 'Get a plan',
  description: 'One plan of the event.',
  auth: 'secret',
  request: { params: PlanPath },
  data: Plan,
  errors: [404, 422],
});

export const updatePlanRoute = defineRoute({
  method: 'patch',
  path: '/plans/{plan_id}',
  tag: TAG,
  summary: 'Change a plan',
  description:
    'A partial update; orders already made keep the price they were made at. quantity only for bundles (422); the one-currency, ' +
    'one-tax-mode rule applies (409).',
  auth: 'secret',
  request: { params: PlanPath, body: json(UpdatePlanRequest) },
  data: Plan,
  errors: [400, 404, 409, 415, 422],
});

export const archivePlanRoute = defineRoute({
  method: 'delete',
  path: '/plans/{plan_id}',
  tag: TAG,
  summary: 'Archive a plan',
  description:
    'The plan is archived, not deleted: orders keep their price snapshot. Archiving the last published plan switches checkout off.',
  auth: 'secret',
  request: { params: PlanPath },
  data: Plan,
  errors: [404, 422],
});

export const listOrdersRoute = defineRoute({
  method: 'get',
  path: '/orders',
  tag: TAG,
  summary: 'List orders',
  description:
    "Orders of the event, newest first, with the event's totals: orders per status and per gateway, and per currency the gross " +
    '(every payment received), refunded, net, paid orders and average order value.',
  auth: 'secret',
  request: { params: EventPath, query: Page.extend(OrderListQuery.shape) },
  data: AdminOrderList,
  errors: [404, 422],
});

export const getOrderRoute = defineRoute({
  method: 'get',
  path: '/orders/{order_id}',
  tag: TAG,
  summary: 'Get an order',
  description:
    'One order with every recorded change: time, source (api:key N, webhook:stripe, test-gateway, recheck:…, admin:key N) and gateway event id.',
  auth: 'secret',
  request: { params: OrderPath },
  data: AdminOrderDetail,
  errors: [404, 422],
});

export const refundOrderRoute = defineRoute({
  method: 'post',
  path: '/orders/{order_id}/refund',
  tag: TAG,
  summary: 'Refund an order',
  description:
    'Refunds a paid order through its gateway and relocks its downloads at once. 409 unless the order is paid; 503 when its gateway is not ' +
    'configured on this server (refund it at the gateway); 502 when the gateway fails.',
  auth: 'secret',
  request: { params: OrderPath },
  data: AdminOrderDetail,
  errors: [404, 409, 422, 502, 503],
});

export const recheckOrderRoute = defineRoute({
  method: 'post',
  path: '/orders/{order_id}/recheck',
  tag: TAG,
  summary: 'Ask the gateway again',
  description:
    'For a pending order, asks the gateway again about the payment and applies what it says; 502 when the gateway fails.',
  auth: 'secret',
  request: { params: OrderPath },
  data: AdminOrderDetail,
  errors: [404, 422, 502],
});

export const listTransactionsRoute = defineRoute({
  method: 'get',
  path: '/transactions',
  tag: TAG,
  summary: 'List transactions',
  description: "Payments received and refunds sent, newest first, with the event's totals.",
  auth: 'secret',
  request: { params: EventPath, query: Page },
  data: TransactionList,
  errors: [404, 422],
});

export const adminCheckout = createRouter()
  .openapi(getSettingsRoute, async (c) => ok(c, 'Checkout settings', await c.get('deps').checkout.settings(c.get('event'))))
  .openapi(updateSettingsRoute, async (c) => {
    const s = await c.get('deps').checkout.updateSettings(c.get('event'), c.req.valid('json'));
    return ok(c, s.enabled ? 'Checkout is enabled' : 'Checkout is disabled', s);
  })
  .openapi(listPlansRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const plans = (await svc.listPlans(c.get('event'))).map((p) => svc.toPlan(p));
    return ok(c, count(plans.length, 'plan'), { plans });
  })
  .openapi(createPlanRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const plan = await svc.createPlan(c.get('event'), c.req.valid('json'));
    return ok(c, `Plan ${plan.id} created`, svc.toPlan(plan), 201);
  })
  .openapi(getPlanRoute, async (c) => {
    const { plan_id } = c.req.valid('param');
    const svc = c.get('deps').checkout;
    const plan = (await svc.listPlans(c.get('event'))).find((p) => p.id === plan_id);
    if (!plan) throw notFound(`Plan ${plan_id} not found in this event`);
    return ok(c, `Plan ${plan_id}`, svc.toPlan(plan));
  })
  .openapi(updatePlanRoute, async (c) => {
    const { plan_id } = c.req.valid('param');
    const svc = c.get('deps').checkout;
    return ok(c, `Plan ${plan_id} updated`, svc.toPlan(await svc.updatePlan(c.get('event'), plan_id, c.req.valid('json'))));
  })
  .openapi(archivePlanRoute, async (c) => {
    const { plan_id } = c.req.valid('param');
    const svc = c.get('deps').checkout;
    const plan = await svc.archivePlan(c.get('event'), plan_id);
    return ok(c, `Plan ${plan_id} archived (orders keep their price)`, svc.toPlan(plan));
  })
  .openapi(listOrdersRoute, async (c) => {
    const { status, ...page } = c.req.valid('query');
    const svc = c.get('deps').checkout;
    const event = c.get('event');
    const { items, total } = await svc.listOrders(event, status, pageWindow(page));
    return ok(c, count(total, 'order'), {
      orders: await Promise.all(items.map((o) => svc.toAdminOrder(o))),
      totals: await svc.totals(event),
      pagination: paginationInfo(total, page.page, page.page_size),
    });
  })
  .openapi(getOrderRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const order = await svc.orderInEvent(c.get('event'), c.req.valid('param').order_id);
    return ok(c, `Order ${order.id}`, await svc.toAdminOrderDetail(order));
  })
  .openapi(refundOrderRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const order = await svc.refund(c.get('event'), c.req.valid('param').order_id, adminSource(c));
    return ok(c, `Order ${order.id} is ${order.status}`, await svc.toAdminOrderDetail(order));
  })
  .openapi(recheckOrderRoute, async (c) => {
    const svc = c.get('deps').checkout;
    const order = await svc.recheck(
      await svc.orderInEvent(c.get('event'), c.req.valid('param').order_id),
      `recheck:${adminSource(c)}`,
    );
    return ok(c, `Order ${order.id} is ${order.status}`, await svc.toAdminOrderDetail(order));
  })
  .openapi(listTransactionsRoute, async (c) => {
    const page = c.req.valid('query');
    const svc = c.get('deps').checkout;
    const event = c.get('event');
    const { items, total } = await svc.transactions(event, pageWindow(page));
    return ok(c, count(total, 'transaction'), {
      transactions: items,
      totals: await svc.totals(event),
      pagination: paginationInfo(total, page.page, page.page_size),
    });
  });
