/**
 * Storage contract of credits, plans and billing (issue 13): plans per organisation, the append-only ledger,
 * photos waiting for credits, billing details, payments with gapless invoice numbers, gateway events applied once,
 * and server operators.
 */
import type { Address, PaymentStatus, PlanName, PurchaseKind, TransactionType, UsageKind } from '../../core/api/credits.ts';
import type { GatewayName } from '../../core/checkout.ts';
import type { Page } from './types.ts';

export interface OrgAccountRow {
  org_id: number;
  plan: PlanName;
  expires_at: string | null;
  cost_per_photo: number;
  /** Minor units per credit; null or 0 = not set (not shown). */
  cost_per_credit: number | null;
  currency: string;
  time_zone: string;
  /** null when the organisation has no row (the defaults: unlimited). */
  updated_at: string | null;
}

export type OrgAccountPatch = Partial<
  Pick<OrgAccountRow, 'plan' | 'expires_at' | 'cost_per_photo' | 'cost_per_credit' | 'currency' | 'time_zone'>
>;

export interface LedgerRow {
  id: number;
  org_id: number;
  type: TransactionType;
  usage_kind: UsageKind | null;
  delta: number;
  ref_event_id: number | null;
  event_name: string | null;
  image_id: string | null;
  user_id: number | null;
  /** Joined from users when the row has a user still known. */
  user_name: string | null;
  user_email: string | null;
  payment_id: string | null;
  note: string | null;
  idem_key: string | null;
  created_at: string;
}

export type NewLedgerRow = Pick<LedgerRow, 'org_id' | 'type' | 'delta'> &
  Partial<
    Pick<
      LedgerRow,
      'usage_kind' | 'ref_event_id' | 'event_name' | 'image_id' | 'user_id' | 'payment_id' | 'note' | 'idem_key' | 'created_at'
    >
  >;

/** The outcome of charging a photo: charged now, charged before (a re-run), or not enough credits (nothing written). */
export type ChargeOutcome = 'charged' | 'already' | 'insufficient';

export interface PhotoCharge {
  org_id: number;
  event_id: number;
  event_name: string;
  image_id: string;
  cost: number;
}

export interface WaitingRow {
  image_id: string;
  event_id: number;
  event_name: string;
  org_id: number;
  original_name: string;
  bibs: string[];
  clock_offset_ms: number;
  created_at: string;
}

export interface MonthTotals {
  photo_processing: number;
  ai_image_rotation: number;
  added: number;
}

export interface BillingRow {
  org_id: number;
  company: string;
  email: string;
  address: Address;
  phone: string;
  tax_id: string;
  shipping_address: Address | null;
  updated_at: string;
}

export interface CreditPaymentRow {
  id: string;
  org_id: number;
  kind: PurchaseKind;
  status: PaymentStatus;
  gateway: GatewayName;
  amount: number;
  currency: string;
  credits: number;
  pro_days: number;
  description: string;
  gateway_session: string | null;
  gateway_payment: string | null;
  checkout_url: string | null;
  return_url: string;
  user_id: number | null;
  invoice_seq: number | null;
  invoice_number: string | null;
  invoice_issued_at: string | null;
  /** The billing details printed on the invoice (JSON of BillingRow), frozen when it was numbered. */
  invoice_billing: string | null;
  invoice_error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export type NewCreditPayment = Pick<
  CreditPaymentRow,
  'id' | 'org_id' | 'kind' | 'gateway' | 'amount' | 'currency' | 'credits' | 'pro_days' | 'description' | 'return_url' | 'user_id'
>;

/** What applying a completed payment did. */
export interface PaymentSettlement {
  /** false when the payment was already completed (a replayed webhook): nothing written. */
  applied: boolean;
  payment: CreditPaymentRow;
}

export interface CreditStore {
  /** The organisation's plan row, or the defaults (unlimited, cost 1, UTC) when it has none. */
  account(orgId: number): Promise<OrgAccountRow>;
  updateAccount(orgId: number, patch: OrgAccountPatch): Promise<OrgAccountRow>;
  balance(orgId: number): Promise<number>;
  /** Appends a row (a grant, a refund…); with an `idem_key` already used, nothing is written and null returned. */
  append(row: NewLedgerRow): Promise<LedgerRow | null>;
  /**
   * Charges a photo in one transaction: 'already' when a usage row for (org, event_photo_indexing, image) exists,
   * else 'insufficient' when the balance is below the cost, else the usage row is written ('charged').
   */
  chargePhoto(charge: PhotoCharge): Promise<ChargeOutcome>;
  /** Whether the photo has been charged. */
  isCharged(orgId: number, imageId: string): Promise<boolean>;
  transactions(
    orgId: number,
    filter: { type?: TransactionType; eventId?: number },
    page: { offset: number; limit: number },
  ): Promise<Page<LedgerRow>>;
  getTransaction(orgId: number, id: number): Promise<LedgerRow | null>;
  /** Sums of the rows with created_at in [from, to) (ISO instants). */
  monthTotals(orgId: number, from: string, to: string): Promise<MonthTotals>;

  /** Records a photo stored without processing (its image row has state 'waiting_credits'). */
  putWaiting(row: Omit<WaitingRow, 'created_at' | 'event_name' | 'original_name'>): Promise<void>;
  getWaiting(imageId: string): Promise<WaitingRow | null>;
  /** Waiting photos of the organisation, oldest first. */
  listWaiting(orgId: number, page: { offset: number; limit: number }): Promise<Page<WaitingRow>>;
  countWaiting(orgId: number): Promise<number>;
  /** Organisations with waiting photos. */
  orgsWithWaiting(): Promise<number[]>;

  getBilling(orgId: number): Promise<BillingRow | null>;
  putBilling(row: Omit<BillingRow, 'updated_at'>): Promise<BillingRow>;

  createPayment(p: NewCreditPayment): Promise<CreditPaymentRow>;
  getPayment(id: string): Promise<CreditPaymentRow | null>;
  findPaymentBySession(gateway: GatewayName, session: string): Promise<CreditPaymentRow | null>;
  listPayments(
    orgId: number,
    filter: { status?: PaymentStatus },
    page: { offset: number; limit: number },
  ): Promise<Page<CreditPaymentRow>>;
  setSession(id: string, session: string, url: string): Promise<void>;
  /**
   * Applies a gateway event once (by gateway + event id): 'duplicate' when seen before. For a 'completed' outcome
   * the payment turns completed and, in the same transaction, its Purchase row is written (idempotent by payment)
   * and Pro days added to the plan; a completed payment never goes back to pending/failed/abandoned.
   */
  applyGatewayEvent(ev: {
    gateway: GatewayName;
    event_id: string;
    payment_id: string;
    outcome: 'completed' | 'failed' | 'abandoned' | 'none';
    gateway_payment: string | null;
    user_id: number | null;
  }): Promise<{ duplicate: boolean; settlement: PaymentSettlement | null }>;
  /**
   * Numbers the payment's invoice (the next number of the sequence, in the same transaction, so numbers have no
   * gaps), freezing the billing details; an already numbered payment keeps its number. Null when not found.
   */
  numberInvoice(
    id: string,
    billing: BillingRow,
    issuedAt: string,
    format: (seq: number) => string,
  ): Promise<CreditPaymentRow | null>;
  setInvoiceError(id: string, error: string | null): Promise<void>;
  /** Numbered invoices issued in [from, to). */
  invoicesBetween(orgId: number, from: string, to: string): Promise<CreditPaymentRow[]>;

  isOperator(userId: number): Promise<boolean>;
  addOperator(userId: number): Promise<boolean>;
}
