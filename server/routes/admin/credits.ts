import { z } from 'zod';
import {
  BillingDetails,
  BillingRequest,
  CreditsSummary,
  MonthlyUsage,
  Payment,
  PaymentIdPath,
  PaymentList,
  PaymentsQuery,
  PurchaseOptions,
  PurchaseRequest,
  PurchaseStarted,
  TransactionList,
  TransactionsQuery,
  WaitingPhotoList,
} from '../../../core/api/credits.ts';
import { pageQuery } from '../../../core/api/pagination.ts';
import type { Principal } from '../../auth/roles.ts';
import { baseUrl } from '../../http/base-url.ts';
import { contentDisposition } from '../../http/content-disposition.ts';
import { ok } from '../../http/envelope.ts';
import { OrgPath } from '../../http/params.ts';
import { createRouter, defineRawRoute, defineRoute } from '../../http/route.ts';

const TAG = 'Admin: credits and billing';

const PaymentPath = OrgPath.extend({
  payment_id: PaymentIdPath.meta({ description: 'payment id, as found at data.payments[].payment_id' }),
});
const YearPath = OrgPath.extend({
  year: z
    .string()
    .regex(/^\d{4}\.zip$/, 'must be a year followed by .zip, e.g. 2026.zip')
    .meta({ description: 'the year, e.g. 2026.zip' }),
});
const WaitingQuery = pageQuery({ default: 25, max: 100 });

const userOf = (p: Principal) => (p.kind === 'user' ? p.user.id : null);

export const creditsRoute = defineRoute({
  method: 'get',
  path: '/credits',
  tag: TAG,
  summary: 'Balance, plan and cost',
  description:
    'The balance (sum of the ledger), the plan and its subscription badge (Expired; Expires in N days within 30 days; else N days ' +
    'remaining), cost per photo, cost per credit (null when not set), photos waiting for credits, and which products the plan unlocks. ' +
    'On the unlimited plan (self-hosted default) nothing is metered.',
  auth: 'secret',
  request: { params: OrgPath },
  data: CreditsSummary,
  errors: [422],
});

export const transactionsRoute = defineRoute({
  method: 'get',
  path: '/credits/transactions',
  tag: TAG,
  summary: 'Credit ledger',
  description:
    'Every credit movement, newest first: Usage (Photo Processing, AI Image Rotation), Purchase, Admin Grant, Free Credits, Refund, with ' +
    'the event, the user (or System) and the time. Filter by type and event.',
  auth: 'secret',
  request: { params: OrgPath, query: TransactionsQuery },
  data: TransactionList,
  errors: [422],
});

export const monthlyUsageRoute = defineRoute({
  method: 'get',
  path: '/credits/usage/monthly',
  tag: TAG,
  summary: 'Monthly usage summary',
  description:
    "This month and the three before, newest first, with month boundaries at midnight in the organisation's time zone (billing " +
    'time_zone): credits used per usage kind, and credits added.',
  auth: 'secret',
  request: { params: OrgPath },
  data: MonthlyUsage,
  errors: [422],
});

export const waitingRoute = defineRoute({
  method: 'get',
  path: '/credits/waiting',
  tag: TAG,
  summary: 'Photos waiting for credits',
  description:
    'Photos received while the organisation had no credits: stored, not processed, not in the public API or searches. ' +
    'Adding credits (a purchase or a grant) processes them, oldest first.',
  auth: 'secret',
  request: { params: OrgPath, query: WaitingQuery },
  data: WaitingPhotoList,
  errors: [422],
});

export const billingRoute = defineRoute({
  method: 'get',
  path: '/billing',
  tag: TAG,
  summary: 'Billing details',
  description:
    'Company, email, address, phone, tax id, optional shipping address, and the time zone of month boundaries and invoice dates.',
  auth: 'secret',
  request: { params: OrgPath },
  data: BillingDetails,
  errors: [422],
});

export const putBillingRoute = defineRoute({
  method: 'put',
  path: '/billing',
  tag: TAG,
  summary: 'Configure billing',
  description:
    'Replaces the billing details (company, email and address required). Invoices already issued keep the details they were issued with.',
  auth: 'secret',
  request: { params: OrgPath, body: { required: true, content: { 'application/json': { schema: BillingRequest } } } },
  data: BillingDetails,
  errors: [400, 415, 422],
});

export const purchaseOptionsRoute = defineRoute({
  method: 'get',
  path: '/payments/options',
  tag: TAG,
  summary: 'What the purchase flow offers',
  description:
    'Price per credit, the Pro Subscription offer (when not subscribed), the minimum credits of an Add Credits purchase (1,000 on Pay As You ' +
    'Go and Trial), Custom Payment, the Enterprise contact link and the gateways.',
  auth: 'secret',
  request: { params: OrgPath },
  data: PurchaseOptions,
  errors: [422],
});

export const listPaymentsRoute = defineRoute({
  method: 'get',
  path: '/payments',
  tag: TAG,
  summary: 'Payments',
  description: 'Newest first, with status (Completed, Pending, Failed, Abandoned), gateway, amount and the invoice when issued.',
  auth: 'secret',
  request: { params: OrgPath, query: PaymentsQuery },
  data: PaymentList,
  errors: [422],
});

export const startPurchaseRoute = defineRoute({
  method: 'post',
  path: '/payments',
  tag: TAG,
  summary: 'Start a purchase',
  description:
    'Pro Subscription (365 days, its included credits plus `credits` extra), Add Credits, or Custom Payment (adds no credits). ' +
    "accept_refund_policy must be true. Answers the pending payment and pay_url, the gateway's payment page; the payment credits the " +
    'ledger once, when the gateway confirms it (however many times it does). 409 on the unlimited plan, for Pro when not offered, or ' +
    'for a gateway this server does not offer; 502 when the gateway cannot be reached.',
  auth: 'secret',
  request: { params: OrgPath, body: { required: true, content: { 'application/json': { schema: PurchaseRequest } } } },
  data: PurchaseStarted,
  status: 201,
  errors: [400, 403, 409, 415, 422, 502],
});

export const paymentRoute = defineRoute({
  method: 'get',
  path: '/payments/{payment_id}',
  tag: TAG,
  summary: 'Payment details',
  auth: 'secret',
  request: { params: PaymentPath },
  data: Payment,
  errors: [404, 422],
});

export const recheckRoute = defineRoute({
  method: 'post',
  path: '/payments/{payment_id}/recheck',
  tag: TAG,
  summary: 'Recheck a payment',
  description: 'Asks the gateway again about a pending or abandoned payment and applies what it says (409 for other statuses).',
  auth: 'secret',
  request: { params: PaymentPath },
  data: Payment,
  errors: [404, 409, 422, 502],
});

export const generateInvoiceRoute = defineRoute({
  method: 'post',
  path: '/payments/{payment_id}/invoice',
  tag: TAG,
  summary: 'Generate or retry the invoice',
  description:
    'Numbers the invoice of a completed payment (one sequence, no gaps: the number is taken in the same transaction) with the billing ' +
    'details of now; a numbered invoice keeps its number. 409 when the payment is not completed or billing details are missing.',
  auth: 'secret',
  request: { params: PaymentPath },
  data: Payment,
  errors: [404, 409, 422],
});

export const invoicePdfRoute = defineRawRoute({
  method: 'get',
  path: '/payments/{payment_id}/invoice.pdf',
  tag: TAG,
  summary: 'Invoice PDF',
  auth: 'secret',
  request: { params: PaymentPath },
  raw: { description: 'The invoice (attachment)', type: 'application/pdf' },
  errors: [404, 422],
});

export const invoicesZipRoute = defineRawRoute({
  method: 'get',
  path: '/invoices/{year}',
  tag: TAG,
  summary: "A year's invoices as a ZIP",
  description: "Every invoice issued in the calendar year (in the organisation's time zone); 404 when there is none.",
  auth: 'secret',
  request: { params: YearPath },
  raw: { description: 'The ZIP (attachment)', type: 'application/zip' },
  errors: [404, 422],
});

/** Credits, plans and billing of the organisation (issue 13, docs/credits.md). */
export const adminCredits = createRouter()
  .openapi(creditsRoute, async (c) => {
    const data = await c.get('deps').credits.summary(c.get('orgId'));
    return ok(c, `${data.balance} credits (${data.plan_label})`, data);
  })
  .openapi(transactionsRoute, async (c) => {
    const data = await c.get('deps').credits.transactions(c.get('orgId'), c.req.valid('query'));
    return ok(c, `${data.pagination.total} transactions`, data);
  })
  .openapi(monthlyUsageRoute, async (c) => ok(c, 'Monthly usage', await c.get('deps').credits.monthlyUsage(c.get('orgId'))))
  .openapi(waitingRoute, async (c) => {
    const data = await c.get('deps').credits.waiting(c.get('orgId'), c.req.valid('query'));
    return ok(c, `${data.pagination.total} photos waiting for credits`, data);
  })
  .openapi(billingRoute, async (c) => ok(c, 'Billing details', await c.get('deps').credits.billing(c.get('orgId'))))
  .openapi(putBillingRoute, async (c) => {
    return ok(c, 'Billing details saved', await c.get('deps').credits.putBilling(c.get('orgId'), c.req.valid('json')));
  })
  .openapi(purchaseOptionsRoute, async (c) =>
    ok(c, 'Purchase options', await c.get('deps').credits.purchaseOptions(c.get('orgId'))),
  )
  .openapi(listPaymentsRoute, async (c) => {
    const data = await c.get('deps').credits.payments(c.get('orgId'), c.req.valid('query'));
    return ok(c, `${data.pagination.total} payments`, data);
  })
  .openapi(startPurchaseRoute, async (c) => {
    const body = c.req.valid('json');
    const data = await c.get('deps').credits.startPurchase(c.get('orgId'), userOf(c.get('principal')), body, baseUrl(c));
    return ok(c, 'Payment started: open pay_url to pay', data, 201);
  })
  .openapi(paymentRoute, async (c) =>
    ok(c, 'Payment', await c.get('deps').credits.payment(c.get('orgId'), c.req.valid('param').payment_id)),
  )
  .openapi(recheckRoute, async (c) =>
    ok(c, 'Payment rechecked', await c.get('deps').credits.recheck(c.get('orgId'), c.req.valid('param').payment_id)),
  )
  .openapi(generateInvoiceRoute, async (c) =>
    ok(c, 'Invoice issued', await c.get('deps').credits.generateInvoice(c.get('orgId'), c.req.valid('param').payment_id)),
  )
  .openapi(invoicePdfRoute, async (c) => {
    const { number, pdf } = await c.get('deps').credits.invoicePdf(c.get('orgId'), c.req.valid('param').payment_id);
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', contentDisposition('attachment', `${number}.pdf`));
    c.header('Cache-Control', 'private, no-store');
    return c.body(new Uint8Array(pdf), 200);
  })
  .openapi(invoicesZipRoute, async (c) => {
    const year = Number(c.req.valid('param').year.slice(0, 4));
    const { zip } = await c.get('deps').credits.invoicesZip(c.get('orgId'), year);
    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', contentDisposition('attachment', `invoices-${year}.zip`));
    c.header('Cache-Control', 'private, no-store');
    return c.body(new Uint8Array(zip), 200);
  });
