import { z } from 'zod';
import { Currency } from '../checkout.ts';
import { zonedToEpoch } from '../time.ts';
import { TimeZone } from './admin.ts';
import { PaginationInfo, pageQuery, wholeNumber } from './pagination.ts';

/**
 * Credits, plans and billing (issue 13): request and response models of
 * `/api/v1/admin/{org_id}/credits…`, `…/billing`, `…/payments…` and the operator API `/api/v1/operator/…`.
 * Shared by the server and the console. Not part of the 9Pic reference.
 */

// ---------------------------------------------------------------------------------------------- plans

/** `unlimited` = self-hosted default: nothing metered or locked. Every other plan is metered. */
export const PLANS = ['unlimited', 'trial', 'payg', 'pro', 'enterprise'] as const;
export type PlanName = (typeof PLANS)[number];
export const PlanName = z
  .enum(PLANS)
  .meta({ description: 'unlimited (self-hosted, nothing metered), trial, payg, pro, enterprise' });

export const PLAN_LABELS: Record<PlanName, string> = {
  unlimited: 'Unlimited (self-hosted)',
  trial: 'Trial',
  payg: 'Pay As You Go',
  pro: 'Pro',
  enterprise: 'Enterprise',
};

/** Products a plan may lock. `photo` (gallery, selfie and BIB search) and `stamp` are on every plan. */
export const PRODUCTS = ['certify', 'video', 'buzz_frames', 'checkout', 'api_keys', 'payment_config'] as const;
export type Product = (typeof PRODUCTS)[number];

export const PRODUCT_LABELS: Record<Product, string> = {
  certify: 'Certify',
  video: 'Video',
  buzz_frames: 'Buzz frames',
  checkout: 'Checkout',
  api_keys: 'API keys (Developer Zone)',
  payment_config: 'Payment configuration',
};

/** The cheapest plan that unlocks each product (Enterprise includes everything Pro has). */
export const PRODUCT_PLAN: Record<Product, 'pro' | 'enterprise'> = {
  certify: 'pro',
  video: 'pro',
  buzz_frames: 'pro',
  checkout: 'enterprise',
  api_keys: 'enterprise',
  payment_config: 'enterprise',
};

/** Whether `plan` includes `product` (unlimited includes everything). */
export function planIncludes(plan: PlanName, product: Product): boolean {
  if (plan === 'unlimited' || plan === 'enterprise') return true;
  return plan === 'pro' && PRODUCT_PLAN[product] === 'pro';
}

/** The 403 message for a locked product: it names the plan that unlocks it. */
export function lockedMessage(product: Product, plan: PlanName): string {
  const needed = PLAN_LABELS[PRODUCT_PLAN[product]];
  const also = PRODUCT_PLAN[product] === 'pro' ? ' or Enterprise' : '';
  return `${PRODUCT_LABELS[product]} is not included in the ${PLAN_LABELS[plan]} plan: upgrade to ${needed}${also} to unlock it`;
}

/** Pro renews for this many days. */
export const PRO_TERM_DAYS = 365;

/** Least credits one Add Credits purchase buys on Pay As You Go. */
export const PAYG_MIN_CREDITS = 1000;
/** Most credits one purchase or grant may add. */
export const MAX_CREDITS_PER_OPERATION = 10_000_000;

// ---------------------------------------------------------------------------------------------- subscription badge

export const SubscriptionBadge = z.object({
  kind: z.enum(['expired', 'expires_soon', 'remaining']),
  /** Whole days left (0 when expired). */
  days: z.number().int().nonnegative(),
  /** "Expired", "Expires in 12 days" (≤ 30), "200 days remaining". */
  label: z.string(),
});
export type SubscriptionBadge = z.infer<typeof SubscriptionBadge>;

const DAY_MS = 86_400_000;

/** The badge of a subscription expiring at `expiresAt` (ISO), seen at `now`; null without expiry. */
export function subscriptionBadge(expiresAt: string | null, now = Date.now()): SubscriptionBadge | null {
  if (!expiresAt) return null;
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return { kind: 'expired', days: 0, label: 'Expired' };
  const days = Math.ceil(left / DAY_MS);
  const plural = days === 1 ? 'day' : 'days';
  if (days <= 30) return { kind: 'expires_soon', days, label: `Expires in ${days} ${plural}` };
  return { kind: 'remaining', days, label: `${days} ${plural} remaining` };
}

export const Subscription = z.object({
  plan: PlanName,
  label: z.string(),
  /** ISO time the plan ends (Pro: a year after purchase), or null for no end. */
  expires_at: z.string().nullable(),
  badge: SubscriptionBadge.nullable(),
});
export type Subscription = z.infer<typeof Subscription>;

// ---------------------------------------------------------------------------------------------- balance

export const Money = z.object({
  /** Minor units (cents). */
  amount: z.number().int().nonnegative(),
  currency: z.string(),
});
export type Money = z.infer<typeof Money>;

export const ProductAccess = z.object({
  product: z.enum(PRODUCTS),
  label: z.string(),
  unlocked: z.boolean(),
  /** The plan that unlocks it (shown with the upgrade path when locked). */
  plan_required: z.enum(['pro', 'enterprise']),
});
export type ProductAccess = z.infer<typeof ProductAccess>;

/** `GET /api/v1/admin/{org_id}/credits`. */
export const CreditsSummary = z.object({
  org_id: z.number().int(),
  plan: PlanName,
  plan_label: z.string(),
  /** false on `unlimited`: nothing is charged and nothing waits. */
  metered: z.boolean(),
  /** Sum of the ledger. */
  balance: z.number().int(),
  /** Credits one processed photo costs (default 1). */
  cost_per_photo: z.number().int().nonnegative(),
  /** What one credit costs this organisation; null when not set (or 0): then not shown. */
  cost_per_credit: Money.nullable(),
  subscription: Subscription,
  /** Photos stored but not processed for want of credits. */
  waiting_photos: z.number().int().nonnegative(),
  /** The organisation's time zone (month boundaries of the usage summary). */
  time_zone: z.string(),
  products: z.array(ProductAccess),
});
export type CreditsSummary = z.infer<typeof CreditsSummary>;

// ---------------------------------------------------------------------------------------------- ledger

export const TRANSACTION_TYPES = ['usage', 'purchase', 'admin_grant', 'free_credits', 'refund'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export const TransactionType = z.enum(TRANSACTION_TYPES);

export const TRANSACTION_TYPE_LABELS: Record<TransactionType, string> = {
  usage: 'Usage',
  purchase: 'Purchase',
  admin_grant: 'Admin Grant',
  free_credits: 'Free Credits',
  refund: 'Refund',
};

/** What a Usage row paid for. */
export const USAGE_KINDS = ['event_photo_indexing', 'ai_image_rotation'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];
export const USAGE_LABELS: Record<UsageKind, string> = {
  event_photo_indexing: 'Photo Processing',
  ai_image_rotation: 'AI Image Rotation',
};

export const CreditTransaction = z.object({
  transaction_id: z.number().int(),
  type: TransactionType,
  /** "Usage", "Purchase", "Admin Grant", "Free Credits", "Refund". */
  type_label: z.string(),
  /** For usage rows: what was charged, and its label ("Photo Processing"). */
  usage_kind: z.enum(USAGE_KINDS).nullable(),
  usage_label: z.string().nullable(),
  /** Signed: negative for usage and refunds. */
  delta: z.number().int(),
  event_id: z.number().int().nullable(),
  event_name: z.string().nullable(),
  /** The photo a usage row charged. */
  image_id: z.string().nullable(),
  /** Who did it; null = System. */
  user: z.object({ user_id: z.number().int(), name: z.string(), email: z.string() }).nullable(),
  /** The user's name or email, or "System". */
  actor: z.string(),
  payment_id: z.string().nullable(),
  note: z.string().nullable(),
  created_at: z.string(),
});
export type CreditTransaction = z.infer<typeof CreditTransaction>;

export const TRANSACTIONS_PAGE = { default: 25, max: 100 } as const;

export const TransactionsQuery = pageQuery(TRANSACTIONS_PAGE).extend({
  type: TransactionType.optional().meta({ description: 'only rows of this type' }),
  event_id: wholeNumber('event_id must be a positive integer', (n) => n.positive('must be a positive integer'))
    .optional()
    .meta({ description: 'only rows of this event' }),
});
export type TransactionsQuery = z.infer<typeof TransactionsQuery>;

export const TransactionList = z.object({
  transactions: z.array(CreditTransaction),
  pagination: PaginationInfo,
});
export type TransactionList = z.infer<typeof TransactionList>;

export const MonthUsage = z.object({
  /** `YYYY-MM` in the organisation's time zone. */
  month: z.string(),
  /** First instant of the month and of the next, ISO UTC. */
  from: z.string(),
  to: z.string(),
  /** Credits used (positive numbers), per usage kind, and in total. */
  photo_processing: z.number().int().nonnegative(),
  ai_image_rotation: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  /** Credits added (purchases, grants, free credits) minus refunds. */
  added: z.number().int(),
});
export type MonthUsage = z.infer<typeof MonthUsage>;

/** `GET …/credits/usage/monthly`: this month and the three before, newest first. */
export const MonthlyUsage = z.object({ time_zone: z.string(), months: z.array(MonthUsage) });
export type MonthlyUsage = z.infer<typeof MonthlyUsage>;

export const WaitingPhoto = z.object({
  image_id: z.string(),
  event_id: z.number().int(),
  event_name: z.string(),
  original_name: z.string(),
  received_at: z.string(),
  state: z.literal('waiting_credits'),
  /** Why it is not processed (shown as it is). */
  reason: z.string(),
});
export type WaitingPhoto = z.infer<typeof WaitingPhoto>;

/** `GET …/credits/waiting`. */
export const WaitingPhotoList = z.object({
  photos: z.array(WaitingPhoto),
  pagination: PaginationInfo,
});
export type WaitingPhotoList = z.infer<typeof WaitingPhotoList>;

/** The reason a waiting photo carries. */
export const WAITING_REASON = 'Waiting for credits: the photo is stored but not processed until credits are added';

// ---------------------------------------------------------------------------------------------- billing

const Text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

export const Address = z.strictObject({
  line1: Text(200).min(1, 'must not be empty'),
  line2: Text(200).optional().default(''),
  city: Text(100).min(1, 'must not be empty'),
  postal_code: Text(20).optional().default(''),
  region: Text(100).optional().default(''),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO 3166 country code such as FR or US')
    .transform((c) => c.toUpperCase()),
});
export type Address = z.infer<typeof Address>;

export const BillingDetails = z.object({
  company: z.string(),
  email: z.string(),
  address: Address.nullable(),
  phone: z.string(),
  tax_id: z.string(),
  shipping_address: Address.nullable(),
  /** The organisation's IANA time zone (month boundaries, invoice dates). */
  time_zone: z.string(),
  /** Whether the details are complete enough for an invoice (company, email, address). */
  complete: z.boolean(),
  updated_at: z.string().nullable(),
});
export type BillingDetails = z.infer<typeof BillingDetails>;

/** `PUT …/billing`: the whole billing record (company, email and address are required for invoices). */
export const BillingRequest = z.strictObject({
  company: Text(200).min(1, 'must not be empty'),
  email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
  address: Address,
  phone: Text(40).optional().default(''),
  tax_id: Text(40).optional().default(''),
  shipping_address: Address.nullable().optional().default(null),
  time_zone: TimeZone.optional(),
});
export type BillingRequest = z.input<typeof BillingRequest>;

// ---------------------------------------------------------------------------------------------- payments

export const PAYMENT_STATUSES = ['completed', 'pending', 'failed', 'abandoned'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  completed: 'Completed',
  pending: 'Pending',
  failed: 'Failed',
  abandoned: 'Abandoned',
};

export const PURCHASE_KINDS = ['pro_subscription', 'credits', 'custom'] as const;
export type PurchaseKind = (typeof PURCHASE_KINDS)[number];
export const PURCHASE_LABELS: Record<PurchaseKind | 'enterprise', string> = {
  pro_subscription: 'Pro Subscription',
  credits: 'Add Credits',
  custom: 'Custom Payment',
  enterprise: 'Enterprise',
};

export const Invoice = z.object({
  /** Gapless per server: `PF-2026-000001`. */
  number: z.string(),
  issued_at: z.string(),
  /** Admin path of the PDF. */
  url: z.string(),
});
export type Invoice = z.infer<typeof Invoice>;

export const Payment = z.object({
  payment_id: z.string(),
  kind: z.enum(PURCHASE_KINDS),
  kind_label: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  status_label: z.string(),
  gateway: z.string(),
  /** Minor units of `currency`. */
  amount: z.number().int().nonnegative(),
  currency: z.string(),
  /** Credits the payment adds when completed (0 for a custom payment). */
  credits: z.number().int().nonnegative(),
  /** Days of Pro the payment adds (365 for Pro Subscription, else 0). */
  pro_days: z.number().int().nonnegative(),
  description: z.string(),
  /** The gateway's hosted payment page while pending. */
  checkout_url: z.string().nullable(),
  invoice: Invoice.nullable(),
  /** Why the last invoice attempt failed (e.g. billing details missing), for Retry Invoice. */
  invoice_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
});
export type Payment = z.infer<typeof Payment>;

export const PaymentsQuery = pageQuery({ default: 25, max: 100 }).extend({
  status: z.enum(PAYMENT_STATUSES).optional(),
});
export const PaymentList = z.object({ payments: z.array(Payment), pagination: PaginationInfo });
export type PaymentList = z.infer<typeof PaymentList>;

const Credits = z
  .number({ error: 'must be a whole number of credits' })
  .int('must be a whole number of credits')
  .min(0, 'must be 0 or more')
  .max(MAX_CREDITS_PER_OPERATION, `must be at most ${MAX_CREDITS_PER_OPERATION}`);

/**
 * `POST …/payments`: start a purchase (step 4 of Plan → Credits → Review → Payment).
 * - `pro_subscription`: 365 days of Pro plus `credits` extra (0 allowed);
 * - `credits`: Add Credits (at least 1,000 on Pay As You Go);
 * - `custom`: an operator-instructed amount; adds no credits.
 * Enterprise is not bought here: `GET …/payments/options` gives its contact link.
 */
export const PurchaseRequest = z.strictObject({
  kind: z.enum(PURCHASE_KINDS),
  credits: Credits.optional().default(0),
  /** Custom payments only: the amount in minor units. */
  amount: z
    .number({ error: 'must be a whole number of minor units (cents)' })
    .int('must be a whole number of minor units (cents)')
    .min(1, 'must be at least 1')
    .max(99_999_999, 'must be at most 99999999')
    .optional(),
  description: Text(200).optional(),
  /** The Refund Policy checkbox: the pay button is enabled only once it is ticked. */
  accept_refund_policy: z.literal(true, { error: 'must be true: accept the refund policy to pay' }),
  gateway: z.enum(['stripe', 'test']).optional().meta({ description: 'default: stripe when configured, else test' }),
  /** Where the gateway sends the buyer back (same origin as the console); default the console's credits page. */
  return_url: z.url('must be an absolute URL').max(2000).optional(),
});
export type PurchaseRequest = z.input<typeof PurchaseRequest>;

/** The answer of `POST …/payments`: the pending payment and where to pay it. */
export const PurchaseStarted = z.object({ payment: Payment, pay_url: z.string() });
export type PurchaseStarted = z.infer<typeof PurchaseStarted>;

/** `GET …/payments/options`: what the purchase flow offers this organisation now. */
export const PurchaseOptions = z.object({
  plan: PlanName,
  /** Price of one credit (the organisation's cost per credit, else the server default). */
  price_per_credit: Money,
  /** Pro Subscription: its price, term, included credits; offered only when not subscribed. */
  pro: z.object({ offered: z.boolean(), price: Money, term_days: z.number().int(), included_credits: z.number().int() }),
  /** Minimum credits of an Add Credits purchase on this plan (1,000 on Pay As You Go, else 1). */
  min_credits: z.number().int(),
  custom_payment: z.boolean(),
  enterprise_contact_url: z.string(),
  refund_policy_url: z.string(),
  gateways: z.array(z.object({ name: z.string(), label: z.string() })),
});
export type PurchaseOptions = z.infer<typeof PurchaseOptions>;

export const PaymentIdPath = z.string().regex(/^crp_[A-Za-z0-9_-]{8,64}$/, 'must be a payment id such as crp_…');

// ---------------------------------------------------------------------------------------------- operator

/** `POST /api/v1/operator/orgs/{org_id}/credits`: Admin Grant or Free Credits (a positive number). */
export const GrantRequest = z.strictObject({
  credits: Credits.min(1, 'must be at least 1'),
  type: z.enum(['admin_grant', 'free_credits']).default('admin_grant'),
  note: Text(500).optional(),
});
export type GrantRequest = z.input<typeof GrantRequest>;

/** `POST /api/v1/operator/orgs/{org_id}/refunds`: takes credits back (a Refund row), optionally for a payment. */
export const RefundRequest = z.strictObject({
  credits: Credits.min(1, 'must be at least 1'),
  payment_id: PaymentIdPath.optional(),
  note: Text(500).optional(),
});
export type RefundRequest = z.input<typeof RefundRequest>;

const CostPerCredit = z
  .number({ error: 'must be a whole number of minor units (cents)' })
  .int('must be a whole number of minor units (cents)')
  .min(0, 'must be 0 or more')
  .max(1_000_000, 'must be at most 1000000');

/** `PATCH /api/v1/operator/orgs/{org_id}/plan`. */
export const PlanPatch = z
  .strictObject({
    plan: PlanName.optional(),
    /** YYYY-MM-DD (end of that day in the organisation's time zone), or null for no end. */
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .nullable()
      .optional(),
    cost_per_credit: CostPerCredit.nullable().optional().meta({ description: 'minor units per credit; 0 or null hides it' }),
    currency: Currency.optional(),
    cost_per_photo: z
      .number({ error: 'must be a whole number of credits' })
      .int('must be a whole number of credits')
      .min(0, 'must be 0 or more')
      .max(1000, 'must be at most 1000')
      .optional(),
    time_zone: TimeZone.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' });
export type PlanPatch = z.input<typeof PlanPatch>;

/** One organisation as the operator sees it. */
export const OperatorOrg = z.object({
  org_id: z.number().int(),
  name: z.string(),
  plan: PlanName,
  plan_label: z.string(),
  expires_at: z.string().nullable(),
  balance: z.number().int(),
  waiting_photos: z.number().int(),
  cost_per_photo: z.number().int(),
  cost_per_credit: Money.nullable(),
  time_zone: z.string(),
});
export type OperatorOrg = z.infer<typeof OperatorOrg>;
export const OperatorOrgList = z.object({ orgs: z.array(OperatorOrg) });
export type OperatorOrgList = z.infer<typeof OperatorOrgList>;

/** The answer of a grant or refund: the row written and the new balance, and photos resumed by it. */
export const LedgerWrite = z.object({
  transaction: CreditTransaction,
  balance: z.number().int(),
  /** Waiting photos queued for processing by this write. */
  resumed: z.number().int().nonnegative(),
});
export type LedgerWrite = z.infer<typeof LedgerWrite>;

// ---------------------------------------------------------------------------------------------- months

/** The calendar date (year, month 1–12, day) of an instant in a time zone. */
export function zonedDate(at: number, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(
    new Date(at),
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

export interface MonthWindow {
  /** `YYYY-MM` */
  month: string;
  /** First instant of the month in the zone, and of the next month (epoch ms). */
  from: number;
  to: number;
}

/** The month of `at` in `timeZone` and the `count - 1` months before it, newest first; boundaries at local midnight. */
export function monthWindows(timeZone: string, at: number, count = 4): MonthWindow[] {
  const { year, month } = zonedDate(at, timeZone);
  const out: MonthWindow[] = [];
  for (let i = 0; i < count; i++) {
    const m0 = year * 12 + (month - 1) - i;
    const y = Math.floor(m0 / 12);
    const m = (m0 % 12) + 1;
    const ny = Math.floor((m0 + 1) / 12);
    const nm = ((m0 + 1) % 12) + 1;
    out.push({
      month: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`,
      from: zonedToEpoch(y, m, 1, 0, 0, 0, timeZone),
      to: zonedToEpoch(ny, nm, 1, 0, 0, 0, timeZone),
    });
  }
  return out;
}
