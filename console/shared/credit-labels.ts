import { html, nothing, type TemplateResult } from 'lit';
import type {
  PaymentStatus,
  PlanName,
  Product,
  PurchaseKind,
  SubscriptionBadge,
  TransactionType,
  UsageKind,
} from '../../core/api/credits.ts';
import { msg, str } from '../i18n/index.ts';
import { href } from '../router.ts';

/** The Credits area's words in the console's language (the server's English labels are not shown as they are). */

export function planLabel(p: PlanName): string {
  switch (p) {
    case 'unlimited':
      return msg('Unlimited (self-hosted)', { id: 'console.plan-name.unlimited' });
    case 'trial':
      return msg('Trial', { id: 'console.plan-name.trial' });
    case 'payg':
      return msg('Pay As You Go', { id: 'console.plan-name.payg' });
    case 'pro':
      return msg('Pro', { id: 'console.plan-name.pro' });
    case 'enterprise':
      return msg('Enterprise', { id: 'console.plan-name.enterprise' });
  }
}

export function typeLabel(t: TransactionType): string {
  switch (t) {
    case 'usage':
      return msg('Usage', { id: 'console.tx.usage' });
    case 'purchase':
      return msg('Purchase', { id: 'console.tx.purchase' });
    case 'admin_grant':
      return msg('Admin Grant', { id: 'console.tx.admin-grant' });
    case 'free_credits':
      return msg('Free Credits', { id: 'console.tx.free-credits' });
    case 'refund':
      return msg('Refund', { id: 'console.tx.refund' });
  }
}

export function usageLabel(k: UsageKind): string {
  return k === 'event_photo_indexing'
    ? msg('Photo Processing', { id: 'console.usage.photo-processing' })
    : msg('AI Image Rotation', { id: 'console.usage.ai-rotation' });
}

export function statusLabel(s: PaymentStatus): string {
  switch (s) {
    case 'completed':
      return msg('Completed', { id: 'console.pay-status.completed' });
    case 'pending':
      return msg('Pending', { id: 'console.pay-status.pending' });
    case 'failed':
      return msg('Failed', { id: 'console.pay-status.failed' });
    case 'abandoned':
      return msg('Abandoned', { id: 'console.pay-status.abandoned' });
  }
}

export function kindLabel(k: PurchaseKind | 'enterprise'): string {
  switch (k) {
    case 'pro_subscription':
      return msg('Pro Subscription', { id: 'console.buy.pro' });
    case 'credits':
      return msg('Add Credits', { id: 'console.buy.credits' });
    case 'custom':
      return msg('Custom Payment', { id: 'console.buy.custom' });
    case 'enterprise':
      return msg('Enterprise', { id: 'console.plan-name.enterprise' });
  }
}

export function productLabel(p: Product): string {
  switch (p) {
    case 'certify':
      return msg('Certify', { id: 'console.product.certify' });
    case 'video':
      return msg('Video', { id: 'console.product.video' });
    case 'buzz_frames':
      return msg('Buzz frames', { id: 'console.product.buzz-frames' });
    case 'checkout':
      return msg('Checkout', { id: 'console.product.checkout' });
    case 'api_keys':
      return msg('API keys (Developer Zone)', { id: 'console.product.api-keys' });
    case 'payment_config':
      return msg('Payment configuration', { id: 'console.product.payment-config' });
  }
}

export function badgeText(b: SubscriptionBadge): string {
  if (b.kind === 'expired') return msg('Expired', { id: 'console.badge.expired' });
  if (b.kind === 'expires_soon')
    return b.days === 1
      ? msg('Expires in 1 day', { id: 'console.badge.expires-1' })
      : msg(str`Expires in ${b.days} days`, { id: 'console.badge.expires-in' });
  return b.days === 1
    ? msg('1 day remaining', { id: 'console.badge.remaining-1' })
    : msg(str`${b.days} days remaining`, { id: 'console.badge.remaining' });
}

/** A small labelled badge; `tone` picks its colour class. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'info' = 'info', attrs?: string): TemplateResult {
  return html`<span class="badge ${tone}" data-badge=${attrs ?? nothing}>${text}</span>`;
}

/**
 * A product the organisation's plan does not include: what it is, the plan that unlocks it and the way there (the
 * purchase flow). Shown in place of the page that needs it.
 */
export function lockedPanel(product: Product, current: PlanName, needed: 'pro' | 'enterprise'): TemplateResult {
  const name = productLabel(product);
  const plan = planLabel(needed);
  return html`<section class="locked card" aria-labelledby="locked-title" data-locked=${product}>
    <h2 id="locked-title">${msg(str`${name} is locked`, { id: 'console.locked-title' })}</h2>
    <p>
      ${msg(str`${name} is not included in the ${planLabel(current)} plan. The ${plan} plan unlocks it.`, {
        id: 'console.locked-text',
      })}
    </p>
    <p>
      ${
        needed === 'pro'
          ? html`<a class="btn primary" href=${href('/credits/buy?plan=pro')}
              >${msg('Upgrade to Pro', { id: 'console.upgrade-pro' })}</a
            >`
          : html`<a class="btn primary" href=${href('/credits/buy?plan=enterprise')}
              >${msg('Talk to us about Enterprise', { id: 'console.upgrade-enterprise' })}</a
            >`
      }
    </p>
  </section>`;
}
