import type { PlanName, PurchaseKind, TransactionType } from '../../core/api/credits.ts';

// The lists the pages offer, written out here so that no zod code reaches the console's bundle; `satisfies` makes
// a value missing from core's types a type error.
const TYPE_KEYS = { usage: 1, purchase: 1, admin_grant: 1, free_credits: 1, refund: 1 } satisfies Record<TransactionType, 1>;
const PLAN_KEYS = { unlimited: 1, trial: 1, payg: 1, pro: 1, enterprise: 1 } satisfies Record<PlanName, 1>;
/** Every ledger row type, in the order of the filter. */
export const TRANSACTION_TYPES = Object.keys(TYPE_KEYS) as TransactionType[];
/** Every plan, in the order of the operator's select. */
export const PLANS = Object.keys(PLAN_KEYS) as PlanName[];

/**
 * The purchase flow's logic without DOM (unit-tested in test/widgets/unit/console-logic.test.ts): its four steps
 * and what each one lets through. The server checks everything again (`PurchaseRequest` in core/api/credits.ts).
 */

/** The four steps of a purchase, in order. */
export const PURCHASE_STEPS = ['plan', 'credits', 'review', 'payment'] as const;
export type PurchaseStep = (typeof PURCHASE_STEPS)[number];

/** What is being bought (Enterprise is a contact link, never paid here). */
export type PurchaseChoice = PurchaseKind | 'enterprise';

export interface PurchaseDraft {
  kind: PurchaseChoice | null;
  /** Credits to add (extra credits with Pro). */
  credits: number;
  /** Custom payment: the amount in minor units and what it is for. */
  customAmount: number;
  customNote: string;
  refundAccepted: boolean;
}

export const emptyDraft = (): PurchaseDraft => ({
  kind: null,
  credits: 0,
  customAmount: 0,
  customNote: '',
  refundAccepted: false,
});

/** The rules the flow checks before a step may be left (the server checks them again). */
export interface PurchaseRules {
  /** Least credits in one top-up (Pay As You Go: 1,000). */
  minCredits: number;
  /** Most credits in one purchase. */
  maxCredits: number;
}

export type DraftProblem =
  'choose-plan' | 'credits-min' | 'credits-max' | 'credits-whole' | 'amount' | 'note' | 'refund-policy' | 'enterprise';

/** Which plans can be chosen: Pro only when not subscribed to it already. */
export function purchaseKinds(proOffered: boolean, customPayment: boolean): PurchaseChoice[] {
  const out: PurchaseChoice[] = [];
  if (proOffered) out.push('pro_subscription');
  out.push('credits');
  if (customPayment) out.push('custom');
  out.push('enterprise');
  return out;
}

/** The first problem that keeps `step` from being left, or null. */
export function stepProblem(step: PurchaseStep, d: PurchaseDraft, rules: PurchaseRules): DraftProblem | null {
  if (!d.kind) return 'choose-plan';
  if (step === 'plan') return d.kind === 'enterprise' ? 'enterprise' : null;
  if (step === 'credits') {
    if (d.kind === 'custom') {
      if (!Number.isInteger(d.customAmount) || d.customAmount <= 0) return 'amount';
      if (!d.customNote.trim()) return 'note';
      return null;
    }
    if (!Number.isInteger(d.credits)) return 'credits-whole';
    if (d.credits > rules.maxCredits) return 'credits-max';
    // Pro may come with 0 extra credits; a top-up has a minimum.
    if (d.kind === 'pro_subscription') return d.credits === 0 || d.credits >= rules.minCredits ? null : 'credits-min';
    return d.credits >= rules.minCredits ? null : 'credits-min';
  }
  if (step === 'review') return null;
  // The pay button stays off until the Refund Policy is accepted.
  return d.refundAccepted ? null : 'refund-policy';
}

/** The next step once this one is fine, else the same step. */
export function nextStep(step: PurchaseStep, d: PurchaseDraft, rules: PurchaseRules): PurchaseStep {
  if (stepProblem(step, d, rules)) return step;
  const i = PURCHASE_STEPS.indexOf(step);
  return PURCHASE_STEPS[Math.min(i + 1, PURCHASE_STEPS.length - 1)]!;
}

/** Whether `step` can be shown: every step before it is fine. */
export function reachable(step: PurchaseStep, d: PurchaseDraft, rules: PurchaseRules): boolean {
  for (const s of PURCHASE_STEPS) {
    if (s === step) return true;
    if (stepProblem(s, d, rules)) return false;
  }
  return false;
}

/** Whether the pay button is on: every step is fine, the Refund Policy accepted included. */
export function canPay(d: PurchaseDraft, rules: PurchaseRules): boolean {
  return PURCHASE_STEPS.every((s) => stepProblem(s, d, rules) === null);
}

/** Credits and amount to pay for a draft, from a price per credit (minor units, may be fractional) and Pro's price. */
export function draftTotal(d: PurchaseDraft, pricePerCredit: number, proPrice: number): number {
  if (d.kind === 'custom') return d.customAmount;
  const credits = Math.round(d.credits * pricePerCredit);
  return d.kind === 'pro_subscription' ? proPrice + credits : credits;
}
