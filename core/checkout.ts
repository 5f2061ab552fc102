import { z } from 'zod';
import { PaginationInfo } from './api/pagination.ts';

/**
 * Checkout (selling photos): request and response models shared by the server and pf-checkout-button.
 * Not part of the 9Pic reference; these routes are our extensions (see docs/checkout.md):
 * admin `/api/v1/admin/{org_id}/events/{event_id}/{checkout,plans,orders,transactions}` (secret key) and
 * public `/api/v1/ext/{org_id}/event/{event_id}/checkout/…` (publishable key).
 */

/** Plan kinds: one photo, a bundle of up to N photos, or every photo of a BIB or selfie search. */
export const PLAN_KINDS = ['single', 'bundle', 'all'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** Only `published` plans are offered to buyers; `archived` keeps past orders and their price snapshots. */
export const PLAN_STATUSES = ['draft', 'published', 'paused', 'archived'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'failed', 'abandoned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const GATEWAYS = ['stripe', 'test'] as const;
export type GatewayName = (typeof GATEWAYS)[number];

/** Largest price of one plan in minor units (Stripe's limit is 8 digits). */
export const MAX_PRICE = 99_999_999;
/** Most photos one order may name by id. */
export const MAX_ORDER_IMAGES = 1000;

/** ISO 4217 code, upper-cased (`eur` → `EUR`). */
export const Currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 currency code such as EUR or USD')
  .transform((c) => c.toUpperCase());

const Price = z
  .number({ error: 'must be a whole number of minor units (cents)' })
  .int('must be a whole number of minor units (cents), e.g. 500 for 5.00')
  .min(1, 'must be at least 1')
  .max(MAX_PRICE, `must be at most ${MAX_PRICE}`);

const PlanName = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');

/** A plan as the admin API returns it. */
export const Plan = z.object({
  plan_id: z.number().int(),
  event_id: z.number().int(),
  name: z.string(),
  kind: z.enum(PLAN_KINDS),
  /** Photos one purchase of the plan covers: 1 for `single`, N for `bundle`, null for `all`. */
  quantity: z.number().int().nullable(),
  /** Price in minor units of `currency` (500 = 5.00 EUR; 500 = ¥500). */
  price: z.number().int(),
  currency: z.string(),
  /** Whether `price` already includes tax. */
  tax_inclusive: z.boolean(),
  status: z.enum(PLAN_STATUSES),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Plan = z.infer<typeof Plan>;

/** What buyers see of a plan. */
export const PublicPlan = Plan.pick({
  plan_id: true,
  name: true,
  kind: true,
  quantity: true,
  price: true,
  currency: true,
  tax_inclusive: true,
});
export type PublicPlan = z.infer<typeof PublicPlan>;

const BUNDLE_SIZE = 'a bundle covers 2 to 1000 photos';
export const CreatePlanRequest = z
  .strictObject({
    name: PlanName,
    kind: z.enum(PLAN_KINDS),
    /** Bundles only: how many photos one bundle covers. */
    quantity: z.number().int().min(2, BUNDLE_SIZE).max(MAX_ORDER_IMAGES, BUNDLE_SIZE).optional(),
    price: Price,
    currency: Currency,
    tax_inclusive: z.boolean().default(true),
    status: z.enum(PLAN_STATUSES).default('published'),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'bundle' && p.quantity === undefined)
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'a bundle needs quantity: the number of photos it covers' });
    if (p.kind !== 'bundle' && p.quantity !== undefined)
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: `only bundles have a quantity; omit it for a ${p.kind} plan` });
  });
export type CreatePlanRequest = z.infer<typeof CreatePlanRequest>;

/** A partial update. Orders already made keep the price they were made at. */
export const UpdatePlanRequest = z
  .strictObject({
    name: PlanName.optional(),
    quantity: z.number().int().min(2, BUNDLE_SIZE).max(MAX_ORDER_IMAGES, BUNDLE_SIZE).optional(),
    price: Price.optional(),
    currency: Currency.optional(),
    tax_inclusive: z.boolean().optional(),
    status: z.enum(PLAN_STATUSES).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' });
export type UpdatePlanRequest = z.infer<typeof UpdatePlanRequest>;

export const PlanList = z.object({ plans: z.array(Plan) });
export type PlanList = z.infer<typeof PlanList>;

/** Per-event checkout settings (admin). */
export const CheckoutSettings = z.object({
  event_id: z.number().int(),
  /** Orders are accepted only when enabled (needs a gateway and at least one published plan). */
  enabled: z.boolean(),
  gateway: z.enum(GATEWAYS).nullable(),
  /** Gateways this server can use now (Stripe only when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set). */
  gateways_available: z.array(z.enum(GATEWAYS)),
  free_downloads: z.boolean(),
});
export type CheckoutSettings = z.infer<typeof CheckoutSettings>;

export const UpdateCheckoutSettings = z
  .strictObject({ enabled: z.boolean().optional(), gateway: z.enum(GATEWAYS).nullable().optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'send enabled and/or gateway' });
export type UpdateCheckoutSettings = z.infer<typeof UpdateCheckoutSettings>;

/** GET …/checkout (public): whether photos are for sale and at what prices. */
export const CheckoutInfo = z.object({
  /** True when orders can be placed now. */
  enabled: z.boolean(),
  /** Originals are free for everyone: nothing to buy. */
  free_downloads: z.boolean(),
  gateway: z.enum(GATEWAYS).nullable(),
  currency: z.string().nullable(),
  plans: z.array(PublicPlan),
});
export type CheckoutInfo = z.infer<typeof CheckoutInfo>;

const ImageIds = z
  .array(z.string().min(1).max(100))
  .min(1, 'must name at least one photo')
  .max(MAX_ORDER_IMAGES, `must name at most ${MAX_ORDER_IMAGES} photos`);

/** What a buyer picks: photos by id, every photo of a BIB, or every photo of a selfie search. */
const selectionShape = {
  image_ids: ImageIds.optional(),
  bib: z.string().trim().min(1, 'must be a bib number').max(40).optional(),
  request_id: z.string().uuid('must be the request_id (UUID) of a selfie search').optional(),
};
const ONE_SELECTION = 'send exactly one of image_ids, bib or request_id';
const oneSelection = (s: { image_ids?: unknown; bib?: unknown; request_id?: unknown }) =>
  [s.image_ids, s.bib, s.request_id].filter((v) => v !== undefined).length === 1;

export const QuoteRequest = z.strictObject(selectionShape).refine(oneSelection, { message: ONE_SELECTION });
export type QuoteRequest = z.infer<typeof QuoteRequest>;

export const OrderLine = z.object({
  plan_id: z.number().int(),
  name: z.string(),
  kind: z.enum(PLAN_KINDS),
  /** How many of this plan. */
  quantity: z.number().int().positive(),
  /** Photos covered by one unit (null for `all`). */
  photos_per_unit: z.number().int().nullable(),
  unit_amount: z.number().int(),
  amount: z.number().int(),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const Quote = z.object({
  amount: z.number().int(),
  currency: z.string(),
  tax_inclusive: z.boolean(),
  image_count: z.number().int(),
  lines: z.array(OrderLine),
});
export type Quote = z.infer<typeof Quote>;

/**
 * POST …/checkout/orders, with an `Idempotency-Key` header. The server prices the selection; a client may
 * send the price it showed (`expected_amount` + `expected_currency`) and the order is refused (409) when
 * the server's price differs. There is no field to set a price.
 */
export const CreateOrderRequest = z
  .strictObject({
    ...selectionShape,
    expected_amount: z.number().int().min(0).optional(),
    expected_currency: Currency.optional(),
    /** Page to come back to after paying (the server adds `pf_order` and `pf_checkout`). */
    return_url: z
      .string()
      .url('must be an absolute http(s) URL')
      .max(2000)
      .refine((u) => /^https?:\/\//i.test(u), 'must be an absolute http(s) URL'),
    email: z.string().trim().email('must be an e-mail address').max(254).optional(),
  })
  .refine(oneSelection, { message: ONE_SELECTION });
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

export const SelectionKind = z.enum(['image_ids', 'bib', 'selfie']);
export type SelectionKind = z.infer<typeof SelectionKind>;

/** An order as the buyer sees it (GET …/checkout/orders/{id} with X-Order-Token). */
export const Order = z.object({
  order_id: z.string(),
  /** Short reference to quote to the organiser, e.g. `PF-3F9A2C1B`. */
  reference: z.string(),
  event_id: z.number().int(),
  status: z.enum(ORDER_STATUSES),
  amount: z.number().int(),
  currency: z.string(),
  tax_inclusive: z.boolean(),
  lines: z.array(OrderLine),
  selection: z.object({ kind: SelectionKind, value: z.string().nullable() }),
  image_ids: z.array(z.string()),
  gateway: z.enum(GATEWAYS),
  /** Where to pay (pending orders only). */
  checkout_url: z.string().nullable(),
  created_at: z.string(),
  paid_at: z.string().nullable(),
  /** Paid orders only: signed link to every photo as one ZIP (about one hour). */
  zip_url: z.string().nullable(),
});
export type Order = z.infer<typeof Order>;

/** The answer to order creation: the only time the download token is given out. */
export const CreatedOrder = z.object({
  order: Order,
  /** Secret that unlocks the order's photos once paid: send it as `X-Order-Token`. Keep it. */
  download_token: z.string(),
  /** Receipt page (HTML) of this order; carries the token, so treat it like the token. */
  receipt_url: z.string(),
});
export type CreatedOrder = z.infer<typeof CreatedOrder>;

/** One recorded change of an order (admin). */
export const OrderEvent = z.object({
  at: z.string(),
  source: z.string(),
  type: z.string(),
  from_status: z.enum(ORDER_STATUSES).nullable(),
  to_status: z.enum(ORDER_STATUSES).nullable(),
  amount: z.number().int().nullable(),
  gateway_event_id: z.string().nullable(),
  detail: z.string().nullable(),
});
export type OrderEvent = z.infer<typeof OrderEvent>;

export const AdminOrder = Order.omit({ zip_url: true }).extend({
  email: z.string().nullable(),
  gateway_session: z.string().nullable(),
  gateway_payment: z.string().nullable(),
  refunded_amount: z.number().int(),
  updated_at: z.string(),
});
export type AdminOrder = z.infer<typeof AdminOrder>;

export const AdminOrderDetail = AdminOrder.extend({ events: z.array(OrderEvent) });
export type AdminOrderDetail = z.infer<typeof AdminOrderDetail>;

/** Money per currency: paid orders and refunds. */
export const CurrencyTotals = z.object({
  currency: z.string(),
  /** Sum of every payment received (paid and later refunded orders). */
  gross: z.number().int(),
  refunded: z.number().int(),
  net: z.number().int(),
  paid_orders: z.number().int(),
  average_order_value: z.number().int(),
});
export const OrderTotals = z.object({
  orders: z.number().int(),
  by_status: z.record(z.enum(ORDER_STATUSES), z.number().int()),
  by_gateway: z.record(z.string(), z.object({ orders: z.number().int(), paid: z.number().int() })),
  money: z.array(CurrencyTotals),
});
export type OrderTotals = z.infer<typeof OrderTotals>;

export const AdminOrderList = z.object({ orders: z.array(AdminOrder), totals: OrderTotals, pagination: PaginationInfo });
export type AdminOrderList = z.infer<typeof AdminOrderList>;

/** A money movement: a payment received or a refund sent. */
export const Transaction = z.object({
  order_id: z.string(),
  reference: z.string(),
  at: z.string(),
  kind: z.enum(['payment', 'refund']),
  amount: z.number().int(),
  currency: z.string(),
  gateway: z.enum(GATEWAYS),
  source: z.string(),
  gateway_event_id: z.string().nullable(),
});
export type Transaction = z.infer<typeof Transaction>;

export const TransactionList = z.object({ transactions: z.array(Transaction), totals: OrderTotals, pagination: PaginationInfo });
export type TransactionList = z.infer<typeof TransactionList>;

export const OrderListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional().meta({ description: 'only orders in this status' }),
});

// ------------------------------------------------------------------ request headers

/** An Idempotency-Key: 8–255 printable ASCII characters (a UUID is fine). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;
export const IDEMPOTENCY_KEY_PROBLEM =
  'Missing or malformed Idempotency-Key header: send a new random value (8–255 printable characters, e.g. a UUID) per order';

/**
 * The headers of POST …/checkout/orders. A key that fails this schema is a malformed header: the route answers
 * 400 with IDEMPOTENCY_KEY_PROBLEM.
 */
export const CreateOrderHeaders = z.object({
  'idempotency-key': z
    .string({ error: IDEMPOTENCY_KEY_PROBLEM })
    .trim()
    .regex(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_PROBLEM)
    .meta({
      description:
        'a new random value per order (8–255 printable characters, e.g. a UUID): the same key with the same body returns the same order',
    }),
});

/** `X-Order-Token`, the buyer's download token; read trimmed, absent or blank = null. */
export const OrderTokenHeaders = z.object({
  'x-order-token': z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .meta({ description: "the order's download token (`pfo_…`), as given once in the order answer" }),
});

// ------------------------------------------------------------------ webhooks

/** What applying a gateway's event did (`duplicate`: already processed, nothing changed). */
export const GATEWAY_EVENT_OUTCOMES = ['applied', 'unchanged', 'duplicate', 'noted', 'unknown_order', 'mismatch'] as const;
export type GatewayEventOutcome = (typeof GATEWAY_EVENT_OUTCOMES)[number];

/** The answer to a webhook delivery. */
export const WebhookReceipt = z.object({
  /** The gateway's event id. */
  id: z.string(),
  type: z.string(),
  outcome: z.enum(GATEWAY_EVENT_OUTCOMES),
});
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;

export { currencyDigits, formatMoney, orderReference } from './checkout-format.ts';
