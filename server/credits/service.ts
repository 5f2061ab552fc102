import { randomBytes } from 'node:crypto';
import {
  lockedMessage,
  monthWindows,
  PAYG_MIN_CREDITS,
  PAYMENT_STATUS_LABELS,
  PLAN_LABELS,
  planIncludes,
  PRO_TERM_DAYS,
  PRODUCT_LABELS,
  PRODUCT_PLAN,
  PRODUCTS,
  PURCHASE_LABELS,
  subscriptionBadge,
  TRANSACTION_TYPE_LABELS,
  USAGE_LABELS,
  WAITING_REASON,
  type BillingDetails,
  type CreditsSummary,
  type CreditTransaction,
  type LedgerWrite,
  type MonthlyUsage,
  type OperatorOrg,
  type Payment,
  type PaymentList,
  type PaymentStatus,
  type PlanName,
  type PlanPatch,
  type Product,
  type PurchaseOptions,
  type PurchaseStarted,
  type TransactionList,
  type TransactionType,
  type WaitingPhotoList,
} from '../../core/api/credits.ts';
import { paginationInfo, type PageQuery, pageWindow } from '../../core/api/pagination.ts';
import type { GatewayName } from '../../core/checkout.ts';
import { zonedToEpoch } from '../../core/time.ts';
import type { BlobStore } from '../blobs/types.ts';
import { GatewayError, type GatewayEvent, type PaymentGateway } from '../checkout/gateways/types.ts';
import { StripeGateway } from '../checkout/gateways/stripe.ts';
import type { CreditsConfig } from '../config.ts';
import { ApiError, conflict, forbidden, notFound, unprocessable } from '../http/errors.ts';
import type { IngestDeps } from '../ingest/pipeline.ts';
import type { Logger } from '../log.ts';
import type { CreditPaymentRow, LedgerRow, OrgAccountRow } from '../store/credits-types.ts';
import type { OrderRow } from '../store/checkout-types.ts';
import type { Store } from '../store/types.ts';

export interface CreditsDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  /** The ingest stages waiting photos go through when credits arrive (faces and OCR when the server has them). */
  ingest: () => IngestDeps;
}

/** How long a test gateway payment page stays open (as the checkout's test gateway). */
const TEST_SESSION_TTL_MS = 24 * 3600_000;
/** Path of the test gateway's pay page for a credits payment. */
export const creditsPayPath = (session: string) => `/pay/credits/${session}`;

const DAY_MS = 86_400_000;

/**
 * Credits, plans and billing (issue 13, docs/credits.md): the ledger and its views, the plan gate of the paid
 * products, the purchase flow through the checkout's gateways (a payment credits the ledger once however often the
 * gateway reports it), invoices numbered without gaps, the operator's grants, refunds and plans, and the resume of
 * photos that waited for credits (processStoredPhoto, one organisation at a time).
 */
export class CreditsService {
  private readonly resuming = new Map<number, Promise<number>>();
  private closed = false;

  constructor(
    private readonly deps: CreditsDeps,
    private readonly gateways: ReadonlyMap<GatewayName, PaymentGateway>,
    private readonly settings: CreditsConfig,
  ) {}

  // ------------------------------------------------------------------ plans and gating

  /** The plan whose products apply now: a Pro or Enterprise plan past its expiry unlocks nothing more than Pay As You Go. */
  effectivePlan(acc: OrgAccountRow, now = Date.now()): PlanName {
    if ((acc.plan === 'pro' || acc.plan === 'enterprise') && acc.expires_at && Date.parse(acc.expires_at) <= now) return 'payg';
    return acc.plan;
  }

  /** Trial: the organisation's events are private (publishable keys see none of them) until it upgrades. */
  async eventsPrivate(orgId: number, now = Date.now()): Promise<boolean> {
    return this.eventsPrivateFor(await this.deps.store.credits.account(orgId), now);
  }

  /** `eventsPrivate` for an account already read (the API's checks keep it, services/access-cache.ts). */
  eventsPrivateFor(acc: OrgAccountRow, now = Date.now()): boolean {
    return this.effectivePlan(acc, now) === 'trial';
  }

  /** 403 naming the plan that unlocks the product, when the organisation's plan lacks it. */
  async requireProduct(orgId: number, product: Product): Promise<void> {
    const acc = await this.deps.store.credits.account(orgId);
    const plan = this.effectivePlan(acc);
    if (!planIncludes(plan, product)) throw forbidden(lockedMessage(product, plan));
  }

  private async orgOrThrow(orgId: number) {
    const org = await this.deps.store.orgs.get(orgId);
    if (!org) throw notFound(`Organisation ${orgId} not found`);
    return org;
  }

  async summary(orgId: number, now = Date.now()): Promise<CreditsSummary> {
    const { store } = this.deps;
    const acc = await store.credits.account(orgId);
    const plan = this.effectivePlan(acc, now);
    return {
      org_id: orgId,
      plan: acc.plan,
      plan_label: PLAN_LABELS[acc.plan],
      metered: acc.plan !== 'unlimited',
      balance: await store.credits.balance(orgId),
      cost_per_photo: acc.cost_per_photo,
      cost_per_credit: acc.cost_per_credit ? { amount: acc.cost_per_credit, currency: acc.currency } : null,
      subscription: {
        plan: acc.plan,
        label: PLAN_LABELS[acc.plan],
        expires_at: acc.expires_at,
        badge: subscriptionBadge(acc.expires_at, now),
      },
      waiting_photos: await store.credits.countWaiting(orgId),
      time_zone: acc.time_zone,
      products: PRODUCTS.map((p) => ({
        product: p,
        label: PRODUCT_LABELS[p],
        unlocked: planIncludes(plan, p),
        plan_required: PRODUCT_PLAN[p],
      })),
    };
  }

  // ------------------------------------------------------------------ ledger views

  transactionView(r: LedgerRow): CreditTransaction {
    const user =
      r.user_id !== null && r.user_email !== null ? { user_id: r.user_id, name: r.user_name ?? '', email: r.user_email } : null;
    return {
      transaction_id: r.id,
      type: r.type,
      type_label: TRANSACTION_TYPE_LABELS[r.type],
      usage_kind: r.usage_kind,
      usage_label: r.usage_kind ? USAGE_LABELS[r.usage_kind] : null,
      delta: r.delta,
      event_id: r.ref_event_id,
      event_name: r.event_name,
      image_id: r.image_id,
      user,
      actor: user ? user.name || user.email : 'System',
      payment_id: r.payment_id,
      note: r.note,
      created_at: r.created_at,
    };
  }

  async transactions(
    orgId: number,
    q: PageQuery & { type?: TransactionType | undefined; event_id?: number | undefined },
  ): Promise<TransactionList> {
    const filter = { ...(q.type ? { type: q.type } : {}), ...(q.event_id !== undefined ? { eventId: q.event_id } : {}) };
    const { items, total } = await this.deps.store.credits.transactions(orgId, filter, pageWindow(q));
    return { transactions: items.map((r) => this.transactionView(r)), pagination: paginationInfo(total, q.page, q.page_size) };
  }

  async monthlyUsage(orgId: number, now = Date.now()): Promise<MonthlyUsage> {
    const acc = await this.deps.store.credits.account(orgId);
    const months = [];
    for (const w of monthWindows(acc.time_zone, now, 4)) {
      const from = new Date(w.from).toISOString();
      const to = new Date(w.to).toISOString();
      const t = await this.deps.store.credits.monthTotals(orgId, from, to);
      months.push({ month: w.month, from, to, ...t, used: t.photo_processing + t.ai_image_rotation });
    }
    return { time_zone: acc.time_zone, months };
  }

  async waiting(orgId: number, q: PageQuery): Promise<WaitingPhotoList> {
    const { items, total } = await this.deps.store.credits.listWaiting(orgId, pageWindow(q));
    return {
      photos: items.map((w) => ({
        image_id: w.image_id,
        event_id: w.event_id,
        event_name: w.event_name,
        original_name: w.original_name,
        received_at: w.created_at,
        state: 'waiting_credits' as const,
        reason: WAITING_REASON,
      })),
      pagination: paginationInfo(total, q.page, q.page_size),
    };
  }

  // ------------------------------------------------------------------ resume of waiting photos

  /**
   * Processes the organisation's waiting photos (oldest first) while its credits last; one run per organisation at a
   * time (a second call joins the running one, then runs again for photos that arrived meanwhile). Resolves with the
   * number of photos processed.
   */
  resume(orgId: number): Promise<number> {
    const running = this.resuming.get(orgId);
    const run = (running ?? Promise.resolve(0)).then(() => this.resumeNow(orgId));
    const tracked = run.finally(() => {
      if (this.resuming.get(orgId) === tracked) this.resuming.delete(orgId);
    });
    this.resuming.set(orgId, tracked);
    tracked.catch((e: unknown) =>
      this.deps.log.error('credits: resuming waiting photos failed', { org_id: orgId, error: String(e) }),
    );
    return tracked;
  }

  /** Resolves when no resume is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.resuming.size) await Promise.allSettled([...this.resuming.values()]);
  }

  private async resumeNow(orgId: number): Promise<number> {
    let processed = 0;
    const skipped = new Set<string>();
    for (;;) {
      if (this.closed) return processed;
      const { items } = await this.deps.store.credits.listWaiting(orgId, { offset: skipped.size, limit: 25 });
      const next = items.filter((w) => !skipped.has(w.image_id));
      if (next.length === 0) return processed;
      for (const w of next) {
        if (this.closed) return processed;
        // Loaded on first use (sharp, exifr and the vision stages): not at start (issue 20, restart).
        const { processStoredPhoto } = await import('../ingest/stored.ts');
        const res = await processStoredPhoto(this.deps.ingest(), w.image_id);
        if (res.status === 'added' && res.waiting_credits) return processed; // out of credits again
        if (res.status === 'added' || res.status === 'duplicate') processed++;
        else {
          skipped.add(w.image_id);
          this.deps.log.warn('credits: a waiting photo could not be processed', { image_id: w.image_id, error: res.error });
        }
      }
      if (processed) this.deps.log.info('credits: waiting photos processed', { org_id: orgId, processed });
    }
  }

  // ------------------------------------------------------------------ operator

  isOperator(userId: number): Promise<boolean> {
    return this.deps.store.credits.isOperator(userId);
  }

  async grant(
    orgId: number,
    req: { credits: number; type: 'admin_grant' | 'free_credits'; note?: string | undefined },
    userId: number | null,
  ): Promise<LedgerWrite> {
    await this.orgOrThrow(orgId);
    const row = await this.deps.store.credits.append({
      org_id: orgId,
      type: req.type,
      delta: req.credits,
      user_id: userId,
      note: req.note ?? null,
    });
    const waiting = await this.deps.store.credits.countWaiting(orgId);
    if (waiting) void this.resume(orgId);
    return { transaction: this.transactionView(row!), balance: await this.deps.store.credits.balance(orgId), resumed: waiting };
  }

  async refund(
    orgId: number,
    req: { credits: number; payment_id?: string | undefined; note?: string | undefined },
    userId: number | null,
  ): Promise<LedgerWrite> {
    await this.orgOrThrow(orgId);
    if (req.payment_id) {
      const p = await this.deps.store.credits.getPayment(req.payment_id);
      if (!p || p.org_id !== orgId) throw notFound(`Payment ${req.payment_id} not found in this organisation`);
    }
    const balance = await this.deps.store.credits.balance(orgId);
    if (req.credits > balance) throw conflict(`Cannot refund ${req.credits} credits: the balance is ${balance}`);
    const row = await this.deps.store.credits.append({
      org_id: orgId,
      type: 'refund',
      delta: -req.credits,
      user_id: userId,
      payment_id: req.payment_id ?? null,
      note: req.note ?? null,
    });
    return { transaction: this.transactionView(row!), balance: await this.deps.store.credits.balance(orgId), resumed: 0 };
  }

  async setPlan(orgId: number, patch: PlanPatch): Promise<OperatorOrg> {
    await this.orgOrThrow(orgId);
    const acc = await this.deps.store.credits.account(orgId);
    const tz = patch.time_zone ?? acc.time_zone;
    let expires_at = acc.expires_at;
    if (patch.expires !== undefined) {
      if (patch.expires === null) expires_at = null;
      else {
        const [y, m, d] = patch.expires.split('-').map(Number) as [number, number, number];
        const probe = new Date(Date.UTC(y, m - 1, d));
        if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
          throw unprocessable('expires: must be a real date YYYY-MM-DD');
        // The end of that day in the organisation's time zone.
        const next = new Date(Date.UTC(y, m - 1, d + 1));
        expires_at = new Date(
          zonedToEpoch(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, 0, tz),
        ).toISOString();
      }
    }
    await this.deps.store.credits.updateAccount(orgId, {
      ...(patch.plan ? { plan: patch.plan } : {}),
      expires_at,
      ...(patch.cost_per_credit !== undefined ? { cost_per_credit: patch.cost_per_credit || null } : {}),
      ...(patch.currency ? { currency: patch.currency } : {}),
      ...(patch.cost_per_photo !== undefined ? { cost_per_photo: patch.cost_per_photo } : {}),
      ...(patch.time_zone ? { time_zone: patch.time_zone } : {}),
    });
    // A first Trial comes with its Free Credits, once per organisation (the ledger's idempotency key).
    if (patch.plan === 'trial' && acc.plan !== 'trial' && this.settings.trialCredits > 0)
      await this.deps.store.credits.append({
        org_id: orgId,
        type: 'free_credits',
        delta: this.settings.trialCredits,
        user_id: null,
        note: 'Trial',
        idem_key: `trial:${orgId}`,
      });
    // Unlimited or a cost of 0: nothing waits any more.
    if ((await this.deps.store.credits.countWaiting(orgId)) > 0) void this.resume(orgId);
    return this.operatorOrg(orgId);
  }

  async operatorOrg(orgId: number): Promise<OperatorOrg> {
    const org = await this.orgOrThrow(orgId);
    const { store } = this.deps;
    const acc = await store.credits.account(orgId);
    return {
      org_id: org.id,
      name: org.name,
      plan: acc.plan,
      plan_label: PLAN_LABELS[acc.plan],
      expires_at: acc.expires_at,
      balance: await store.credits.balance(orgId),
      waiting_photos: await store.credits.countWaiting(orgId),
      cost_per_photo: acc.cost_per_photo,
      cost_per_credit: acc.cost_per_credit ? { amount: acc.cost_per_credit, currency: acc.currency } : null,
      time_zone: acc.time_zone,
    };
  }

  async operatorOrgs(): Promise<OperatorOrg[]> {
    const orgs = await this.deps.store.orgs.list();
    return Promise.all(orgs.map((o) => this.operatorOrg(o.id)));
  }

  // ------------------------------------------------------------------ billing

  async billing(orgId: number): Promise<BillingDetails> {
    const b = await this.deps.store.credits.getBilling(orgId);
    const acc = await this.deps.store.credits.account(orgId);
    return {
      company: b?.company ?? '',
      email: b?.email ?? '',
      address: b?.address ?? null,
      phone: b?.phone ?? '',
      tax_id: b?.tax_id ?? '',
      shipping_address: b?.shipping_address ?? null,
      time_zone: acc.time_zone,
      complete: Boolean(b),
      updated_at: b?.updated_at ?? null,
    };
  }

  async putBilling(
    orgId: number,
    req: {
      company: string;
      email: string;
      address: NonNullable<BillingDetails['address']>;
      phone: string;
      tax_id: string;
      shipping_address: BillingDetails['shipping_address'];
      time_zone?: string | undefined;
    },
  ): Promise<BillingDetails> {
    const { time_zone, ...rest } = req;
    await this.deps.store.credits.putBilling({ org_id: orgId, ...rest });
    if (time_zone) await this.deps.store.credits.updateAccount(orgId, { time_zone });
    return this.billing(orgId);
  }

  // ------------------------------------------------------------------ purchases

  private pricePerCredit(acc: OrgAccountRow) {
    return acc.cost_per_credit
      ? { amount: acc.cost_per_credit, currency: acc.currency }
      : { amount: this.settings.pricePerCredit, currency: this.settings.currency };
  }

  private proOffered(acc: OrgAccountRow, now = Date.now()) {
    if (acc.plan === 'enterprise' || acc.plan === 'unlimited') return false;
    return acc.plan !== 'pro' || (acc.expires_at !== null && Date.parse(acc.expires_at) - now <= 30 * DAY_MS);
  }

  private minCredits(acc: OrgAccountRow) {
    return acc.plan === 'payg' || acc.plan === 'trial' ? PAYG_MIN_CREDITS : 1;
  }

  async purchaseOptions(orgId: number): Promise<PurchaseOptions> {
    const acc = await this.deps.store.credits.account(orgId);
    const price = this.pricePerCredit(acc);
    return {
      plan: acc.plan,
      price_per_credit: price,
      pro: {
        offered: this.proOffered(acc),
        price: { amount: this.settings.proPrice, currency: price.currency },
        term_days: PRO_TERM_DAYS,
        included_credits: this.settings.proCredits,
      },
      min_credits: this.minCredits(acc),
      custom_payment: true,
      enterprise_contact_url: this.settings.contactUrl,
      refund_policy_url: '/docs/refund-policy',
      gateways: [...this.gateways.values()].map((g) => ({ name: g.name, label: g.label })),
    };
  }

  paymentView(p: CreditPaymentRow): Payment {
    return {
      payment_id: p.id,
      kind: p.kind,
      kind_label: PURCHASE_LABELS[p.kind],
      status: p.status,
      status_label: PAYMENT_STATUS_LABELS[p.status],
      gateway: p.gateway,
      amount: p.amount,
      currency: p.currency,
      credits: p.credits,
      pro_days: p.pro_days,
      description: p.description,
      checkout_url: p.status === 'pending' ? p.checkout_url : null,
      invoice: p.invoice_number
        ? {
            number: p.invoice_number,
            issued_at: p.invoice_issued_at!,
            url: `/api/v1/admin/${p.org_id}/payments/${p.id}/invoice.pdf`,
          }
        : null,
      invoice_error: p.invoice_error,
      created_at: p.created_at,
      updated_at: p.updated_at,
      completed_at: p.completed_at,
    };
  }

  async payments(orgId: number, q: PageQuery & { status?: PaymentStatus | undefined }): Promise<PaymentList> {
    const { items, total } = await this.deps.store.credits.listPayments(
      orgId,
      q.status ? { status: q.status } : {},
      pageWindow(q),
    );
    return { payments: items.map((p) => this.paymentView(p)), pagination: paginationInfo(total, q.page, q.page_size) };
  }

  private async paymentIn(orgId: number, id: string): Promise<CreditPaymentRow> {
    const p = await this.deps.store.credits.getPayment(id);
    if (!p || p.org_id !== orgId) throw notFound(`Payment ${id} not found`);
    return p;
  }

  async payment(orgId: number, id: string): Promise<Payment> {
    return this.paymentView(await this.paymentIn(orgId, id));
  }

  gatewayFor(name: GatewayName | undefined): PaymentGateway {
    const g = name ? this.gateways.get(name) : (this.gateways.get('stripe') ?? this.gateways.get('test'));
    if (!g)
      throw conflict(
        name ? `The ${name} gateway is not offered by this server` : 'No payment gateway is configured on this server',
      );
    return g;
  }

  async startPurchase(
    orgId: number,
    userId: number | null,
    req: {
      kind: 'pro_subscription' | 'credits' | 'custom';
      credits: number;
      amount?: number | undefined;
      description?: string | undefined;
      gateway?: GatewayName | undefined;
      return_url?: string | undefined;
    },
    base: string,
  ): Promise<PurchaseStarted> {
    await this.orgOrThrow(orgId);
    const acc = await this.deps.store.credits.account(orgId);
    const price = this.pricePerCredit(acc);
    let amount: number;
    let credits = 0;
    let proDays = 0;
    let description: string;
    if (req.kind === 'credits') {
      if (acc.plan === 'unlimited')
        throw conflict('This organisation is on the unlimited plan: nothing is metered, there are no credits to buy');
      const min = this.minCredits(acc);
      if (req.credits < min)
        throw unprocessable(`credits: must be at least ${min.toLocaleString('en-US')} on the ${PLAN_LABELS[acc.plan]} plan`);
      if (req.amount !== undefined) throw unprocessable('amount: only for a custom payment');
      credits = req.credits;
      amount = credits * price.amount;
      description = req.description ?? `${credits.toLocaleString('en-US')} credits`;
    } else if (req.kind === 'pro_subscription') {
      if (!this.proOffered(acc))
        throw conflict(
          `Pro Subscription is not offered on the ${PLAN_LABELS[acc.plan]} plan${acc.plan === 'pro' ? ' until 30 days before it expires' : ''}`,
        );
      if (req.amount !== undefined) throw unprocessable('amount: only for a custom payment');
      credits = this.settings.proCredits + req.credits;
      proDays = PRO_TERM_DAYS;
      amount = this.settings.proPrice + req.credits * price.amount;
      description =
        req.description ??
        `Pro Subscription (${PRO_TERM_DAYS} days, ${this.settings.proCredits.toLocaleString('en-US')} credits included${req.credits ? ` + ${req.credits.toLocaleString('en-US')} credits` : ''})`;
    } else {
      if (req.amount === undefined) throw unprocessable('amount: required for a custom payment (minor units)');
      if (req.credits) throw unprocessable('credits: a custom payment adds no credits');
      amount = req.amount;
      description = req.description ?? 'Custom payment';
    }
    if (amount > 99_999_999) throw unprocessable('amount: the purchase is above 99999999 minor units: buy fewer credits at once');
    const returnUrl = req.return_url ?? `${base}/console/`;
    if (new URL(returnUrl).origin !== new URL(base).origin)
      throw forbidden(`return_url must be on this server's origin (${new URL(base).origin})`);
    const gateway = this.gatewayFor(req.gateway);
    const row = await this.deps.store.credits.createPayment({
      id: `crp_${randomBytes(15).toString('base64url')}`,
      org_id: orgId,
      kind: req.kind,
      gateway: gateway.name,
      amount,
      currency: price.currency,
      credits,
      pro_days: proDays,
      description,
      return_url: returnUrl,
      user_id: userId,
    });
    let session: { session: string; url: string };
    if (gateway.name === 'test') {
      const s = `pfcr_${randomBytes(18).toString('base64url')}`;
      session = { session: s, url: `${base}${creditsPayPath(s)}` };
    } else {
      try {
        session = await gateway.createSession({
          order: this.asOrder(row),
          eventName: 'photo-finish',
          lines: [
            { plan_id: 0, name: description, kind: 'single', quantity: 1, photos_per_unit: 1, unit_amount: amount, amount },
          ],
          successUrl: withParams(returnUrl, { pf_payment: row.id, pf_checkout: 'success' }),
          cancelUrl: withParams(returnUrl, { pf_payment: row.id, pf_checkout: 'cancel' }),
          base,
        });
      } catch (e) {
        await this.deps.store.credits.applyGatewayEvent({
          gateway: gateway.name,
          event_id: `create-failed:${row.id}`,
          payment_id: row.id,
          outcome: 'failed',
          gateway_payment: null,
          user_id: null,
        });
        if (e instanceof GatewayError) throw new ApiError(502, `${e.message}. Nothing was charged; it is safe to retry.`);
        throw e;
      }
    }
    await this.deps.store.credits.setSession(row.id, session.session, session.url);
    const fresh = (await this.deps.store.credits.getPayment(row.id))!;
    return { payment: this.paymentView(fresh), pay_url: session.url };
  }

  /** What a gateway needs to see of a credits payment: the shape of a checkout order (its id is the payment's). */
  private asOrder(p: CreditPaymentRow): OrderRow {
    return {
      id: p.id,
      event_id: 0,
      org_id: p.org_id,
      status: p.status === 'completed' ? 'paid' : p.status,
      amount: p.amount,
      currency: p.currency,
      tax_inclusive: true,
      lines: [],
      selection_kind: 'image_ids',
      selection_value: null,
      image_count: 0,
      gateway: p.gateway,
      gateway_session: p.gateway_session,
      checkout_url: p.checkout_url,
      gateway_payment: p.gateway_payment,
      refunded_amount: 0,
      email: null,
      return_url: p.return_url,
      idempotency_hash: p.id,
      request_hash: p.id,
      token_hash: p.id,
      token_sealed: '',
      created_at: p.created_at,
      updated_at: p.updated_at,
      paid_at: p.completed_at,
    } as OrderRow;
  }

  /** Whether a gateway event is about a credits payment (our ids start with `crp_`). */
  static owns(ev: GatewayEvent): boolean {
    return ev.orderId?.startsWith('crp_') ?? false;
  }

  /**
   * Applies a gateway report (webhook, test pay page, recheck) once per gateway event id. A completed payment writes
   * its Purchase row exactly once (the ledger key is the payment), extends Pro, numbers the invoice when the billing
   * details are there, and resumes the photos waiting for credits.
   */
  async applyGatewayEvent(ev: GatewayEvent): Promise<{ outcome: 'duplicate' | 'applied' | 'ignored'; payment: Payment | null }> {
    let payment = ev.orderId ? await this.deps.store.credits.getPayment(ev.orderId) : null;
    if (!payment && ev.session) payment = await this.deps.store.credits.findPaymentBySession(ev.gateway, ev.session);
    if (!payment) return { outcome: 'ignored', payment: null };
    let outcome: 'completed' | 'failed' | 'abandoned' | 'none' =
      ev.outcome === 'paid'
        ? 'completed'
        : ev.outcome === 'failed'
          ? 'failed'
          : ev.outcome === 'abandoned'
            ? 'abandoned'
            : 'none';
    if (outcome === 'completed' && (ev.amount !== payment.amount || (ev.currency ?? '').toUpperCase() !== payment.currency)) {
      this.deps.log.warn('credits: a payment report does not match the payment', {
        payment_id: payment.id,
        amount: ev.amount,
        currency: ev.currency,
      });
      outcome = 'none';
    }
    const r = await this.deps.store.credits.applyGatewayEvent({
      gateway: ev.gateway,
      event_id: ev.id,
      payment_id: payment.id,
      outcome,
      gateway_payment: ev.payment,
      user_id: payment.user_id,
    });
    if (r.duplicate) return { outcome: 'duplicate', payment: this.paymentView(payment) };
    const settled = r.settlement?.payment ?? payment;
    if (r.settlement?.applied && settled.status === 'completed') {
      this.deps.log.info('credits: payment completed', {
        payment_id: settled.id,
        org_id: settled.org_id,
        credits: settled.credits,
      });
      await this.issueInvoice(settled).catch(() => undefined);
      if ((await this.deps.store.credits.countWaiting(settled.org_id)) > 0) void this.resume(settled.org_id);
    }
    const now = (await this.deps.store.credits.getPayment(settled.id))!;
    return { outcome: r.settlement?.applied ? 'applied' : 'ignored', payment: this.paymentView(now) };
  }

  /** The test gateway's pay page: the payment of a session, and whether its page has expired. */
  async testPayment(session: string): Promise<{ payment: CreditPaymentRow; expired: boolean } | null> {
    if (!this.gateways.has('test')) return null;
    const p = await this.deps.store.credits.findPaymentBySession('test', session);
    if (!p) return null;
    return { payment: p, expired: Date.now() - Date.parse(p.created_at) >= TEST_SESSION_TTL_MS };
  }

  /** A button of the test gateway's pay page, applied like a webhook (the event id is per session and action). */
  async testAction(p: CreditPaymentRow, action: 'pay' | 'fail' | 'cancel') {
    return this.applyGatewayEvent({
      gateway: 'test',
      id: `${p.gateway_session}:${action}`,
      type: `test.${action}`,
      outcome: action === 'pay' ? 'paid' : action === 'fail' ? 'failed' : 'abandoned',
      orderId: p.id,
      session: p.gateway_session,
      payment: action === 'pay' ? `pftpay_${p.id}` : null,
      amount: action === 'pay' ? p.amount : null,
      currency: action === 'pay' ? p.currency : null,
      detail: null,
    });
  }

  /** Recheck (pending or abandoned payments): asks the gateway again and applies what it says. */
  async recheck(orgId: number, id: string, now = Date.now()): Promise<Payment> {
    const p = await this.paymentIn(orgId, id);
    if (p.status !== 'pending' && p.status !== 'abandoned')
      throw conflict(`Only pending or abandoned payments can be rechecked (this one is ${p.status})`);
    const gateway = this.gatewayFor(p.gateway);
    let ev: GatewayEvent | null;
    if (gateway.name === 'test') {
      ev =
        p.status === 'pending' && now - Date.parse(p.created_at) >= TEST_SESSION_TTL_MS
          ? {
              gateway: 'test',
              id: `${p.gateway_session}:expired`,
              type: 'test.expired',
              outcome: 'abandoned',
              orderId: p.id,
              session: p.gateway_session,
              payment: null,
              amount: null,
              currency: null,
              detail: 'test session expired',
            }
          : null;
    } else {
      try {
        ev = await gateway.recheck(this.asOrder(p));
      } catch (e) {
        if (e instanceof GatewayError) throw new ApiError(502, `${e.message}. Nothing changed; it is safe to retry.`);
        throw e;
      }
    }
    if (ev) await this.applyGatewayEvent(ev);
    return this.payment(orgId, id);
  }

  /** Stripe's webhook events for credits payments (routes/webhooks.ts hands them over). */
  isStripe(g: PaymentGateway | undefined): g is StripeGateway {
    return g instanceof StripeGateway;
  }

  // ------------------------------------------------------------------ invoices

  /** Numbers the invoice of a completed payment (gapless, in the numbering transaction); 409 without billing details. */
  private async issueInvoice(p: CreditPaymentRow): Promise<CreditPaymentRow> {
    if (p.status !== 'completed') throw conflict(`Only completed payments have an invoice (this one is ${p.status})`);
    if (p.invoice_number) return p;
    const billing = await this.deps.store.credits.getBilling(p.org_id);
    if (!billing) {
      const why = 'Billing details are missing: configure billing, then generate the invoice';
      await this.deps.store.credits.setInvoiceError(p.id, why);
      throw conflict(why);
    }
    const numbered = await this.deps.store.credits.numberInvoice(p.id, billing, new Date().toISOString(), invoiceNumber);
    return numbered!;
  }

  /** Generate Invoice / Retry Invoice. */
  async generateInvoice(orgId: number, id: string): Promise<Payment> {
    return this.paymentView(await this.issueInvoice(await this.paymentIn(orgId, id)));
  }

  async invoicePdf(orgId: number, id: string): Promise<{ number: string; pdf: Uint8Array }> {
    const p = await this.paymentIn(orgId, id);
    if (!p.invoice_number) throw notFound(`Payment ${id} has no invoice yet${p.status === 'completed' ? ': generate it' : ''}`);
    const org = await this.orgOrThrow(orgId);
    const acc = await this.deps.store.credits.account(orgId);
    const { invoicePdf } = await import('./invoice.ts'); // pdf-lib and fonts: on first use
    return { number: p.invoice_number, pdf: await invoicePdf(p, org.name, acc.time_zone) };
  }

  /** The invoices issued in a calendar year (in the organisation's time zone), as one ZIP. */
  async invoicesZip(orgId: number, year: number): Promise<{ zip: Buffer; count: number }> {
    const org = await this.orgOrThrow(orgId);
    const acc = await this.deps.store.credits.account(orgId);
    const from = new Date(zonedToEpoch(year, 1, 1, 0, 0, 0, acc.time_zone)).toISOString();
    const to = new Date(zonedToEpoch(year + 1, 1, 1, 0, 0, 0, acc.time_zone)).toISOString();
    const list = await this.deps.store.credits.invoicesBetween(orgId, from, to);
    if (list.length === 0) throw notFound(`No invoices issued in ${year}`);
    const files = [];
    const { invoicePdf, invoiceZip } = await import('./invoice.ts');
    for (const p of list) files.push({ name: `${p.invoice_number}.pdf`, data: await invoicePdf(p, org.name, acc.time_zone) });
    return { zip: await invoiceZip(files), count: list.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}

/** `INV-000001`: one sequence per server, no gaps. */
export const invoiceNumber = (seq: number) => `INV-${String(seq).padStart(6, '0')}`;

function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}
