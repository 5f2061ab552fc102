import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CreditsSummary, Payment, PurchaseOptions, PurchaseRequest, PurchaseStarted } from '../../core/api/credits.ts';
import { msg, str } from '../i18n/index.ts';
import { href } from '../router.ts';
import { kindLabel, statusLabel } from '../shared/credit-labels.ts';
import { creditsStyles } from '../shared/credit-styles.ts';
import {
  canPay,
  draftTotal,
  emptyDraft,
  nextStep,
  PURCHASE_STEPS,
  purchaseKinds,
  reachable,
  stepProblem,
  type DraftProblem,
  type PurchaseChoice,
  type PurchaseDraft,
  type PurchaseStep,
} from '../shared/credits.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { formatMoney, formatNumber } from '../shared/format.ts';

/** How often a payment that came back still pending is asked again (the gateway's webhook may come a bit later). */
const RETURN_POLL_MS = 1500;
const RETURN_POLLS = 40;
const PENDING_KEY = 'pfc.payment';
const MAX_CREDITS = 10_000_000;

/**
 * Buying credits in four steps — Plan → Credits → Review → Payment: Pro Subscription (when not subscribed; 0 extra
 * credits allowed), Add Credits (at least 1,000 on Pay As You Go), Custom Payment, or Enterprise (a contact link, not a
 * payment). The pay button is on once the Refund Policy is accepted; it goes to the gateway's page, whose return lands
 * back here (`#/credits/buy?…`) with the payment's outcome and the new balance.
 *
 * @element pfc-purchase
 */
@customElement('pfc-purchase')
export class PfcPurchase extends ConsoleElement {
  static override styles = [ConsoleElement.styles, creditsStyles];

  /** The hash route's query: `plan=pro|enterprise` preselects a plan; `payment=crp_…` (or `returned`) is a return. */
  @property({ attribute: false }) query: Record<string, string> = {};
  /** Where the gateway sends the buyer back (same origin as the server); default: this page at `#/credits/buy?returned=1`. */
  @property({ attribute: false }) returnUrl = '';
  /** Goes to the gateway's payment page (the browser leaves the console; tests read where it would go). */
  @property({ attribute: false }) navigate: (url: string) => void = (url) => location.assign(url);

  @state() private options: PurchaseOptions | null = null;
  @state() private error: unknown = null;
  @state() private step: PurchaseStep = 'plan';
  @state() private draft: PurchaseDraft = emptyDraft();
  @state() private problem: DraftProblem | null = null;
  @state() private payError: unknown = null;
  @state() private paying = false;
  @state() private gateway = '';
  /** After the gateway's return: the payment and the balance now. */
  @state() private returned: { payment: Payment | null; balance: number | null; error: unknown } | null = null;
  private polls = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  private path(rest: string) {
    return this.api.admin(this.org, rest);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const id = this.returnedPaymentId();
    if (id !== null) void this.followReturn(id);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The payment a gateway return is about: the route's `payment`, else (on `returned`) the gateway's `pf_payment`
   * (the query it adds before the hash; tidied away once read), else the one this tab started; null when not a return.
   */
  private returnedPaymentId(): string | null {
    const q = this.query;
    if (q.payment) return q.payment;
    if (q.returned === undefined) return null;
    const search = new URLSearchParams(location.search);
    const fromGateway = search.get('pf_payment');
    if (search.has('pf_payment') || search.has('pf_checkout'))
      history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
    if (fromGateway) return fromGateway;
    try {
      return sessionStorage.getItem(`${PENDING_KEY}.${this.org}`) ?? '';
    } catch {
      return '';
    }
  }

  private async load() {
    this.error = null;
    try {
      const o = await this.api.get<PurchaseOptions>(this.path('/payments/options'));
      this.options = o;
      this.gateway = o.gateways[0]?.name ?? '';
      const wanted = this.query.plan;
      const kinds = purchaseKinds(o.pro.offered, o.custom_payment);
      const pick: PurchaseChoice | null =
        wanted === 'pro' && kinds.includes('pro_subscription')
          ? 'pro_subscription'
          : wanted === 'enterprise'
            ? 'enterprise'
            : wanted === 'credits'
              ? 'credits'
              : null;
      if (pick) this.choose(pick);
    } catch (e) {
      this.error = e;
    }
  }

  private async followReturn(id: string) {
    this.returned = { payment: null, balance: null, error: null };
    if (!id) {
      this.returned = {
        payment: null,
        balance: null,
        error: new Error(msg('The payment to look up is not known.', { id: 'console.pay-unknown' })),
      };
      return;
    }
    try {
      const payment = await this.api.get<Payment>(this.path(`/payments/${encodeURIComponent(id)}`));
      const summary = await this.api.get<CreditsSummary>(this.path('/credits'));
      this.returned = { payment, balance: summary.balance, error: null };
      if (payment.status === 'pending' && this.polls++ < RETURN_POLLS && this.isConnected)
        this.timer = setTimeout(() => void this.followReturn(id), RETURN_POLL_MS);
      else
        try {
          sessionStorage.removeItem(`${PENDING_KEY}.${this.org}`);
        } catch {
          /* storage blocked */
        }
    } catch (e) {
      this.returned = { payment: null, balance: null, error: e };
    }
  }

  private get rules() {
    return { minCredits: this.options?.min_credits ?? 1, maxCredits: MAX_CREDITS };
  }

  private choose(kind: PurchaseChoice) {
    const o = this.options;
    const credits = kind === 'pro_subscription' ? 0 : kind === 'credits' ? Math.max(o?.min_credits ?? 1, this.draft.credits) : 0;
    this.draft = { ...this.draft, kind, credits };
    this.problem = null;
  }

  private update_(patch: Partial<PurchaseDraft>) {
    this.draft = { ...this.draft, ...patch };
    if (this.problem) this.problem = stepProblem(this.step, this.draft, this.rules);
  }

  private next() {
    const problem = stepProblem(this.step, this.draft, this.rules);
    this.problem = problem;
    if (problem) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true], .step-problem')?.focus(),
      );
      return;
    }
    this.go(nextStep(this.step, this.draft, this.rules));
  }

  /** Enter in a field (or the step's main button): the next step, or the payment on the last one. */
  private submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.step === 'payment') void this.pay();
    else this.next();
  }

  private back() {
    const i = PURCHASE_STEPS.indexOf(this.step);
    if (i > 0) this.go(PURCHASE_STEPS[i - 1]!);
  }

  private go(step: PurchaseStep) {
    if (!reachable(step, this.draft, this.rules)) return;
    this.step = step;
    this.problem = null;
    this.payError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#step-title')?.focus());
  }

  private total(): number {
    const o = this.options;
    if (!o) return 0;
    return draftTotal(this.draft, o.price_per_credit.amount, o.pro.price.amount);
  }

  private money(minor: number) {
    return formatMoney(minor, this.options?.price_per_credit.currency ?? 'USD', this.formatTag);
  }

  private n(v: number) {
    return formatNumber(v, this.formatTag);
  }

  private async pay() {
    const d = this.draft;
    if (!canPay(d, this.rules) || d.kind === 'enterprise' || !d.kind) {
      this.problem = stepProblem('payment', d, this.rules);
      return;
    }
    this.paying = true;
    this.payError = null;
    const back = new URL(this.returnUrl || location.href);
    if (!this.returnUrl) {
      back.search = '';
      back.hash = '#/credits/buy?returned=1';
    }
    const body: PurchaseRequest = {
      kind: d.kind,
      credits: d.kind === 'custom' ? 0 : d.credits,
      accept_refund_policy: true,
      return_url: back.href,
      ...(this.gateway ? { gateway: this.gateway as 'stripe' | 'test' } : {}),
      ...(d.kind === 'custom' ? { amount: d.customAmount, description: d.customNote.trim() } : {}),
    };
    try {
      const started = await this.api.post<PurchaseStarted>(this.path('/payments'), body);
      try {
        sessionStorage.setItem(`${PENDING_KEY}.${this.org}`, started.payment.payment_id);
      } catch {
        /* storage blocked: the return names the payment */
      }
      this.navigate(started.pay_url);
    } catch (e) {
      this.payError = e;
      this.paying = false;
    }
  }

  override render() {
    if (this.returned) return this.renderReturn();
    return html`<h1 tabindex="-1">${msg('Buy credits', { id: 'console.buy-credits' })}</h1>
      ${this.error ? errorBox(this.error, () => void this.load()) : nothing}
      ${!this.options && !this.error ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${this.options ? this.renderFlow(this.options) : nothing}`;
  }

  private stepLabel(s: PurchaseStep): string {
    switch (s) {
      case 'plan':
        return msg('Plan', { id: 'console.plan' });
      case 'credits':
        return msg('Credits', { id: 'console.credits' });
      case 'review':
        return msg('Review', { id: 'console.review' });
      case 'payment':
        return msg('Payment', { id: 'console.payment-step' });
    }
  }

  private renderFlow(o: PurchaseOptions) {
    const i = PURCHASE_STEPS.indexOf(this.step);
    return html`<nav aria-label=${msg('Purchase steps', { id: 'console.purchase-steps' })}>
        <ol class="steps">
          ${PURCHASE_STEPS.map((s, k) => {
            const can = k < i && reachable(s, this.draft, this.rules);
            const label = msg(str`Step ${k + 1}: ${this.stepLabel(s)}`, { id: 'console.step-n' });
            return html`<li data-step=${s} aria-current=${s === this.step ? 'step' : nothing} class=${k < i ? 'done' : ''}>
              ${can ? html`<button class="link" type="button" @click=${() => this.go(s)}>${label}</button>` : html`<span>${label}</span>`}
            </li>`;
          })}
        </ol>
      </nav>
      <section aria-labelledby="step-title">
        <h2 id="step-title" tabindex="-1">${this.stepLabel(this.step)}</h2>
        <form novalidate @submit=${this.submit}>
          ${this.step === 'plan' ? this.renderPlan(o) : nothing} ${this.step === 'credits' ? this.renderCredits(o) : nothing}
          ${this.step === 'review' ? this.renderReview(o) : nothing} ${this.step === 'payment' ? this.renderPayment(o) : nothing}
        </form>
      </section>`;
  }

  private problemText(p: DraftProblem): string {
    const min = this.n(this.options?.min_credits ?? 1);
    switch (p) {
      case 'choose-plan':
        return msg('Choose what to buy.', { id: 'console.problem.choose' });
      case 'credits-min':
        return this.draft.kind === 'pro_subscription'
          ? msg(str`Add 0 extra credits, or at least ${min}.`, { id: 'console.problem.pro-min' })
          : msg(str`Buy at least ${min} credits.`, { id: 'console.problem.min' });
      case 'credits-max':
        return msg(str`At most ${this.n(MAX_CREDITS)} credits at once.`, { id: 'console.problem.max' });
      case 'credits-whole':
        return msg('Credits are whole numbers.', { id: 'console.problem.whole' });
      case 'amount':
        return msg('Enter the amount to pay.', { id: 'console.problem.amount' });
      case 'note':
        return msg('Say what the payment is for.', { id: 'console.problem.note' });
      case 'refund-policy':
        return msg('Accept the Refund Policy to pay.', { id: 'console.problem.refund' });
      case 'enterprise':
        return msg('Enterprise is arranged with us: use the contact link.', { id: 'console.problem.enterprise' });
    }
  }

  private problemBox(ids: DraftProblem[]): TemplateResult | typeof nothing {
    const p = this.problem;
    if (!p || !ids.includes(p)) return nothing;
    return html`<p class="field-error step-problem" id="step-problem" role="alert" tabindex="-1">${this.problemText(p)}</p>`;
  }

  private kindText(k: PurchaseChoice, o: PurchaseOptions): string {
    switch (k) {
      case 'pro_subscription':
        return msg(
          str`${this.money(o.pro.price.amount)} for ${this.n(o.pro.term_days)} days, ${this.n(o.pro.included_credits)} credits included. Unlocks Certify, video and Buzz frames.`,
          { id: 'console.buy.pro-text' },
        );
      case 'credits':
        return msg(str`${this.money(o.price_per_credit.amount)} per credit, at least ${this.n(o.min_credits)} credits.`, {
          id: 'console.buy.credits-text',
        });
      case 'custom':
        return msg('An amount agreed with us (setup, services). Adds no credits.', { id: 'console.buy.custom-text' });
      case 'enterprise':
        return msg('Checkout, API keys and payment configuration. Talk to us: we answer with an offer.', {
          id: 'console.buy.enterprise-text',
        });
    }
  }

  private renderPlan(o: PurchaseOptions) {
    const kinds = purchaseKinds(o.pro.offered, o.custom_payment);
    const d = this.draft;
    return html`<fieldset aria-describedby="step-problem">
        <legend>${msg('What do you want to buy?', { id: 'console.buy.what' })}</legend>
        ${kinds.map(
          (k) =>
            html`<label class="choice">
              <input type="radio" name="kind" value=${k} .checked=${d.kind === k} @change=${() => this.choose(k)} />
              <span><strong>${kindLabel(k)}</strong><br /><span class="muted">${this.kindText(k, o)}</span></span>
            </label>`,
        )}
      </fieldset>
      ${this.problemBox(['choose-plan'])}
      <div class="row">
        ${
          d.kind === 'enterprise'
            ? html`<a class="btn primary" href=${o.enterprise_contact_url} target="_blank" rel="noopener" data-contact
                >${msg('Contact us about Enterprise', { id: 'console.buy.contact' })}</a
              >`
            : html`<button class="btn primary" type="submit">${msg('Next', { id: 'console.next-step' })}</button>`
        }
      </div>`;
  }

  private renderCredits(o: PurchaseOptions) {
    const d = this.draft;
    const invalid = this.problem && ['credits-min', 'credits-max', 'credits-whole', 'amount', 'note'].includes(this.problem);
    if (d.kind === 'custom')
      return html`<div class="field">
          <label for="amount">${msg(str`Amount (${o.price_per_credit.currency})`, { id: 'console.buy.amount' })}</label>
          <input
            id="amount"
            type="number"
            min="0.01"
            step="0.01"
            inputmode="decimal"
            aria-invalid=${this.problem === 'amount' ? 'true' : 'false'}
            aria-describedby="step-problem"
            .value=${d.customAmount ? String(d.customAmount / 100) : ''}
            @input=${(e: Event) =>
              this.update_({
                customAmount: Math.round(Number((e.target as HTMLInputElement).value.replace(',', '.')) * 100) || 0,
              })}
          />
        </div>
        <div class="field">
          <label for="note">${msg('What it is for', { id: 'console.buy.note' })}</label>
          <input
            id="note"
            type="text"
            maxlength="200"
            aria-invalid=${this.problem === 'note' ? 'true' : 'false'}
            aria-describedby="step-problem"
            .value=${d.customNote}
            @input=${(e: Event) => this.update_({ customNote: (e.target as HTMLInputElement).value })}
          />
        </div>
        ${this.problemBox(['amount', 'note'])} ${this.navButtons()}`;
    const pro = d.kind === 'pro_subscription';
    return html`<div class="field">
        <label for="credits"
          >${pro ? msg('Extra credits', { id: 'console.buy.extra-credits' }) : msg('Credits to add', { id: 'console.buy.credits-to-add' })}</label
        >
        <input
          id="credits"
          type="number"
          min=${pro ? 0 : o.min_credits}
          step="1"
          inputmode="numeric"
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby="credits-hint step-problem"
          .value=${String(d.credits)}
          @input=${(e: Event) => this.update_({ credits: Number((e.target as HTMLInputElement).value) })}
        />
        <span class="hint" id="credits-hint"
          >${
            pro
              ? msg(str`0 or at least ${this.n(o.min_credits)}; ${this.n(o.pro.included_credits)} credits come with Pro.`, {
                  id: 'console.buy.extra-hint',
                })
              : msg(str`At least ${this.n(o.min_credits)} credits, ${this.money(o.price_per_credit.amount)} each.`, {
                  id: 'console.buy.credits-hint',
                })
          }</span
        >
      </div>
      ${this.problemBox(['credits-min', 'credits-max', 'credits-whole'])}
      <p>${msg('Total', { id: 'console.total' })}: <strong data-total>${this.money(this.total())}</strong></p>
      ${this.navButtons()}`;
  }

  private navButtons(label?: string) {
    return html`<div class="row">
      <button class="btn" type="button" @click=${this.back}>${msg('Back', { id: 'console.back' })}</button>
      <button class="btn primary" type="submit">${label ?? msg('Next', { id: 'console.next-step' })}</button>
    </div>`;
  }

  private summaryList(o: PurchaseOptions) {
    const d = this.draft;
    const row = (label: string, value: unknown) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    return html`<dl class="review" data-review>
      ${row(msg('Purchase', { id: 'console.purchase' }), kindLabel(d.kind!))}
      ${d.kind === 'pro_subscription' ? row(msg('Pro Subscription', { id: 'console.buy.pro' }), `${this.money(o.pro.price.amount)} · ${this.n(o.pro.term_days)} ${msg('days', { id: 'console.days' })}`) : nothing}
      ${d.kind === 'custom' ? row(msg('Description', { id: 'console.description' }), d.customNote) : nothing}
      ${d.kind !== 'custom' ? row(msg('Credits', { id: 'console.credits' }), this.n(d.credits)) : nothing}
      ${d.kind !== 'custom' && d.credits ? row(msg('Price per credit', { id: 'console.price-per-credit' }), this.money(o.price_per_credit.amount)) : nothing}
      ${row(msg('Total', { id: 'console.total' }), html`<strong data-total>${this.money(this.total())}</strong>`)}
    </dl>`;
  }

  private renderReview(o: PurchaseOptions) {
    return html`${this.summaryList(o)} ${this.navButtons(msg('Continue to payment', { id: 'console.continue-payment' }))}`;
  }

  private renderPayment(o: PurchaseOptions) {
    const d = this.draft;
    const ok = canPay(d, this.rules);
    return html`${this.summaryList(o)}
      ${
        o.gateways.length > 1
          ? html`<fieldset>
              <legend>${msg('Pay with', { id: 'console.pay-with' })}</legend>
              ${o.gateways.map(
                (g) =>
                  html`<label class="check"
                    ><input
                      type="radio"
                      name="gateway"
                      value=${g.name}
                      .checked=${this.gateway === g.name}
                      @change=${() => (this.gateway = g.name)}
                    />${g.label}</label
                  >`,
              )}
            </fieldset>`
          : o.gateways[0]
            ? html`<p class="muted">${msg(str`Payment through ${o.gateways[0].label}.`, { id: 'console.pay-through' })}</p>`
            : nothing
      }
      <label class="check">
        <input
          type="checkbox"
          id="refund-policy"
          .checked=${d.refundAccepted}
          aria-describedby="step-problem"
          @change=${(e: Event) => this.update_({ refundAccepted: (e.target as HTMLInputElement).checked })}
        />
        <span
          >${msg('I have read and accept the', { id: 'console.refund-accept' })}
          <a href=${o.refund_policy_url} target="_blank" rel="noopener"
            >${msg('Refund Policy', { id: 'console.refund-policy' })}</a
          ></span
        >
      </label>
      ${this.problemBox(['refund-policy'])} ${this.payError ? errorBox(this.payError) : nothing}
      <div class="row">
        <button class="btn" type="button" @click=${this.back}>${msg('Back', { id: 'console.back' })}</button>
        <button class="btn primary" type="submit" data-pay ?disabled=${!ok || this.paying}>
          ${msg(str`Pay ${this.money(this.total())}`, { id: 'console.pay' })}
        </button>
      </div>`;
  }

  private renderReturn() {
    const r = this.returned!;
    const p = r.payment;
    let text: TemplateResult | string = msg('Checking the payment…', { id: 'console.pay-checking' });
    if (p?.status === 'completed')
      text = p.credits
        ? msg(str`Payment completed: ${this.n(p.credits)} credits added.`, { id: 'console.pay-done-credits' })
        : msg('Payment completed.', { id: 'console.pay-done' });
    else if (p?.status === 'pending')
      text = msg('The payment is still pending: this page updates when the gateway confirms it.', { id: 'console.pay-pending' });
    else if (p) text = msg(str`The payment is ${statusLabel(p.status)}: nothing was charged.`, { id: 'console.pay-not-done' });
    return html`<h1 tabindex="-1">${msg('Payment', { id: 'console.payment-step' })}</h1>
      ${r.error ? errorBox(r.error) : nothing}
      ${
        r.error
          ? nothing
          : html`<p class="notice" role="status" data-outcome=${p?.status ?? 'checking'}>${text}</p>
              ${
                r.balance !== null
                  ? html`<dl class="figures">
                      <div>
                        <dt>${msg('Available credits', { id: 'console.credits-available' })}</dt>
                        <dd data-balance>${this.n(r.balance)}</dd>
                      </div>
                    </dl>`
                  : nothing
              }`
      }
      <p class="row">
        <a class="btn primary" href=${href('/credits')}>${msg('Back to Credits', { id: 'console.back-to-credits' })}</a>
        ${
          p?.invoice
            ? html`<a class="btn" href=${this.api.url(p.invoice.url)} download data-invoice=${p.invoice.number}
                >${msg(str`Invoice ${p.invoice.number} (PDF)`, { id: 'console.invoice-pdf' })}</a
              >`
            : nothing
        }
        <a class="btn" href=${href('/credits/billing')}>${msg('Billing & Transactions', { id: 'console.billing' })}</a>
        ${
          p && p.status !== 'completed' && p.status !== 'pending'
            ? html`<a class="btn" href=${href('/credits/buy')}>${msg('Try again', { id: 'console.retry' })}</a>`
            : nothing
        }
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-purchase': PfcPurchase;
  }
}
