import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminEvent } from '../../core/api/admin.ts';
import type {
  AdminOrder,
  AdminOrderList,
  CheckoutSettings,
  CreatePlanRequest,
  Plan,
  PlanList,
  PlanStatus,
  TransactionList,
} from '../../core/checkout.ts';
import { msg, str } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { ConsolePage } from '../shared/console-page.ts';
import { formatInstant, formatMoney } from '../shared/format.ts';

/**
 * Sales of an event: checkout on/off and gateway, the plans (create, publish, pause, archive), the orders with
 * the totals per currency, the transactions, and refunds (with a confirmation).
 *
 * @element pfc-sales
 */
@customElement('pfc-sales')
export class PfcSales extends ConsolePage {
  static override styles = [
    ConsoleElement.styles,
    css`
      dl.totals {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
        gap: 0.75rem;
      }
      dl.totals div {
        border: 1px solid var(--pf-color-border, #767676);
        border-radius: var(--pf-radius, 6px);
        padding: 0.5rem 0.75rem;
      }
      dt {
        color: var(--pf-color-text-muted, #555);
      }
      dd {
        margin: 0;
        font-size: 1.25rem;
      }
      form.plan {
        display: grid;
        gap: 0 1rem;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        align-items: end;
      }
    `,
  ];

  @property({ attribute: false }) event!: AdminEvent;
  @state() private settings: CheckoutSettings | null = null;
  @state() private plans: Plan[] = [];
  @state() private orders: AdminOrderList | null = null;
  @state() private transactions: TransactionList | null = null;
  @state() private formError: unknown = null;
  @state() private rowError: unknown = null;
  @state() private kind: Plan['kind'] = 'single';
  @state() private refunding: AdminOrder | null = null;
  @state() private notice = '';

  private base(rest: string) {
    return this.api.admin(this.org, `/events/${this.event.event_id}${rest}`);
  }

  protected override get loaded() {
    return this.settings !== null;
  }

  protected override async read() {
    const [s, p, o, t] = await Promise.all([
      this.api.get<CheckoutSettings>(this.base('/checkout')),
      this.api.get<PlanList>(this.base('/plans')),
      this.api.get<AdminOrderList>(this.base('/orders?page_size=50')),
      this.api.get<TransactionList>(this.base('/transactions?page_size=50')),
    ]);
    this.settings = s;
    this.plans = p.plans;
    this.orders = o;
    this.transactions = t;
  }

  private money(minor: number, currency: string) {
    return formatMoney(minor, currency, this.formatTag);
  }

  private async saveSettings(e: SubmitEvent) {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    this.formError = null;
    this.notice = '';
    try {
      const gateway = String(d.get('gateway') ?? '');
      this.settings = await this.api.patch<CheckoutSettings>(this.base('/checkout'), {
        enabled: d.get('enabled') === 'on',
        gateway: gateway ? gateway : null,
      });
      this.notice = msg('Checkout settings saved.', { id: 'console.checkout-saved' });
    } catch (err) {
      this.formError = err;
    }
  }

  private async createPlan(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    this.formError = null;
    const price = Math.round(Number(String(d.get('price') ?? '').replace(',', '.')) * 100);
    const body: Partial<CreatePlanRequest> = {
      name: String(d.get('name') ?? '').trim(),
      kind: this.kind,
      price,
      currency: String(d.get('currency') ?? 'EUR').trim(),
      tax_inclusive: true,
      status: 'published',
      ...(this.kind === 'bundle' ? { quantity: Number(d.get('quantity')) } : {}),
    };
    try {
      await this.api.post<Plan>(this.base('/plans'), body);
      form.reset();
      this.kind = 'single';
      await this.load();
    } catch (err) {
      this.formError = err;
    }
  }

  private async setPlanStatus(p: Plan, status: PlanStatus) {
    this.rowError = null;
    try {
      if (status === 'archived') await this.api.delete(this.base(`/plans/${p.plan_id}`));
      else await this.api.patch(this.base(`/plans/${p.plan_id}`), { status });
      await this.load();
    } catch (err) {
      this.rowError = err;
    }
  }

  private askRefund(o: AdminOrder) {
    this.refunding = o;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLDialogElement>('#refund')?.showModal());
  }

  private closeRefund() {
    this.renderRoot.querySelector<HTMLDialogElement>('#refund')?.close();
    this.refunding = null;
  }

  private async refund() {
    const o = this.refunding;
    this.closeRefund();
    if (!o) return;
    this.rowError = null;
    try {
      await this.api.post(this.base(`/orders/${o.order_id}/refund`));
      this.notice = msg(str`Order ${o.reference} refunded.`, { id: 'console.refunded' });
      await this.load();
    } catch (err) {
      this.rowError = err;
    }
  }

  private kindLabel(k: Plan['kind']) {
    return k === 'single'
      ? msg('One photo', { id: 'console.plan.single' })
      : k === 'bundle'
        ? msg('Bundle of photos', { id: 'console.plan.bundle' })
        : msg('All photos of a runner', { id: 'console.plan.all' });
  }

  override render() {
    return html`<h1 tabindex="-1">${msg('Sales', { id: 'console.tab.sales' })}</h1>
      ${this.loadStatus()} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.settings ? this.renderSettings(this.settings) : nothing} ${this.settings ? this.renderPlans() : nothing}
      ${this.orders ? this.renderOrders(this.orders) : nothing}
      ${this.transactions ? this.renderTransactions(this.transactions) : nothing}
      ${
        this.refunding
          ? html`<dialog id="refund" aria-labelledby="refund-title" @close=${() => (this.refunding = null)}>
              <h2 id="refund-title">${msg('Refund this order?', { id: 'console.refund-confirm' })}</h2>
              <p>${this.refunding.reference} · ${this.money(this.refunding.amount, this.refunding.currency)}</p>
              <p>${msg('The buyer’s download links stop working at once.', { id: 'console.refund-text' })}</p>
              <div class="row">
                <button class="btn danger" type="button" @click=${this.refund}>${msg('Refund', { id: 'console.refund' })}</button>
                <button class="btn" type="button" autofocus @click=${this.closeRefund}>
                  ${msg('Cancel', { id: 'console.cancel' })}
                </button>
              </div>
            </dialog>`
          : nothing
      }`;
  }

  private renderSettings(s: CheckoutSettings) {
    const ro = !this.canManage;
    return html`<h2 id="checkout-title">${msg('Checkout', { id: 'console.checkout' })}</h2>
      ${
        s.free_downloads
          ? html`<p class="notice">
              ${msg('Originals are free for this event: switch “Original photos” to sold in the settings to sell them.', { id: 'console.free-note' })}
            </p>`
          : nothing
      }
      ${this.formError ? errorBox(this.formError) : nothing}
      <form @submit=${this.saveSettings} aria-labelledby="checkout-title">
        <label class="check"
          ><input type="checkbox" name="enabled" ?checked=${s.enabled} ?disabled=${ro} />
          ${msg('Sell photos of this event', { id: 'console.checkout-enabled' })}</label
        >
        <div class="field">
          <label for="gateway">${msg('Payment gateway', { id: 'console.gateway' })}</label>
          <select id="gateway" name="gateway" ?disabled=${ro}>
            <option value="" ?selected=${!s.gateway}>${msg('none', { id: 'console.none-option' })}</option>
            ${s.gateways_available.map((g) => html`<option value=${g} ?selected=${s.gateway === g}>${g}</option>`)}
          </select>
        </div>
        ${ro ? nothing : html`<button class="btn" type="submit">${msg('Save', { id: 'console.save' })}</button>`}
      </form>`;
  }

  private renderPlans() {
    const ro = !this.canManage;
    return html`<h2>${msg('Plans', { id: 'console.plans' })}</h2>
      ${this.rowError ? errorBox(this.rowError) : nothing}
      ${
        this.plans.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${msg('Name', { id: 'console.name' })}</th>
                    <th scope="col">${msg('Kind', { id: 'console.kind' })}</th>
                    <th scope="col" class="num">${msg('Price', { id: 'console.price' })}</th>
                    <th scope="col">${msg('Status', { id: 'console.status' })}</th>
                    <th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'console.actions' })}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.plans.map(
                    (p) =>
                      html`<tr>
                        <td>${p.name}</td>
                        <td>${this.kindLabel(p.kind)}${p.quantity && p.kind === 'bundle' ? ` (${p.quantity})` : ''}</td>
                        <td class="num">${this.money(p.price, p.currency)}</td>
                        <td>${p.status}</td>
                        <td class="row">
                          ${
                            ro || p.status === 'archived'
                              ? nothing
                              : html`${
                                    p.status === 'published'
                                      ? html`<button
                                          class="btn small"
                                          type="button"
                                          @click=${() => this.setPlanStatus(p, 'paused')}
                                        >
                                          ${msg('Pause', { id: 'console.pause' })}
                                        </button>`
                                      : html`<button
                                          class="btn small"
                                          type="button"
                                          @click=${() => this.setPlanStatus(p, 'published')}
                                        >
                                          ${msg('Publish', { id: 'console.publish' })}
                                        </button>`
                                  }
                                  <button
                                    class="btn small danger"
                                    type="button"
                                    @click=${() => this.setPlanStatus(p, 'archived')}
                                  >
                                    ${msg('Archive', { id: 'console.archive-yes' })}
                                  </button>`
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p>${msg('No plans yet.', { id: 'console.no-plans' })}</p>`
      }
      ${
        ro
          ? nothing
          : html`<h3 id="plan-title">${msg('New plan', { id: 'console.new-plan' })}</h3>
              <form class="plan" @submit=${this.createPlan} aria-labelledby="plan-title">
                <div class="field">
                  <label for="plan-name">${msg('Name', { id: 'console.name' })}</label
                  ><input id="plan-name" name="name" type="text" required />
                </div>
                <div class="field">
                  <label for="plan-kind">${msg('Kind', { id: 'console.kind' })}</label>
                  <select
                    id="plan-kind"
                    name="kind"
                    @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as Plan['kind'])}
                  >
                    ${(['single', 'bundle', 'all'] as const).map((k) => html`<option value=${k} ?selected=${k === this.kind}>${this.kindLabel(k)}</option>`)}
                  </select>
                </div>
                ${
                  this.kind === 'bundle'
                    ? html`<div class="field">
                        <label for="plan-qty">${msg('Photos in the bundle', { id: 'console.quantity' })}</label
                        ><input id="plan-qty" name="quantity" type="number" min="2" max="1000" required />
                      </div>`
                    : nothing
                }
                <div class="field">
                  <label for="plan-price">${msg('Price', { id: 'console.price' })}</label
                  ><input id="plan-price" name="price" type="number" min="0.01" step="0.01" required />
                </div>
                <div class="field">
                  <label for="plan-currency">${msg('Currency', { id: 'console.currency' })}</label
                  ><input id="plan-currency" name="currency" type="text" value="EUR" maxlength="3" required />
                </div>
                <div class="field">
                  <button class="btn primary" type="submit">${msg('Add the plan', { id: 'console.add-plan' })}</button>
                </div>
              </form>`
      }`;
  }

  private renderOrders(l: AdminOrderList) {
    const t = l.totals;
    return html`<h2>${msg('Orders', { id: 'console.orders' })}</h2>
      <dl class="totals">
        <div>
          <dt>${msg('Orders', { id: 'console.orders' })}</dt>
          <dd>${t.orders}</dd>
        </div>
        ${t.money.map(
          (m) =>
            html`<div>
                <dt>${msg(str`Gross (${m.currency})`, { id: 'console.gross' })}</dt>
                <dd>${this.money(m.gross, m.currency)}</dd>
              </div>
              <div>
                <dt>${msg(str`Refunded (${m.currency})`, { id: 'console.refunded-total' })}</dt>
                <dd>${this.money(m.refunded, m.currency)}</dd>
              </div>
              <div>
                <dt>${msg(str`Net (${m.currency})`, { id: 'console.net' })}</dt>
                <dd>${this.money(m.net, m.currency)}</dd>
              </div>
              <div>
                <dt>${msg('Paid orders', { id: 'console.paid-orders' })}</dt>
                <dd>${m.paid_orders}</dd>
              </div>`,
        )}
      </dl>
      ${
        l.orders.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${msg('Reference', { id: 'console.reference' })}</th>
                    <th scope="col">${msg('Date', { id: 'console.date' })}</th>
                    <th scope="col">${msg('Buyer', { id: 'console.buyer' })}</th>
                    <th scope="col">${msg('Status', { id: 'console.status' })}</th>
                    <th scope="col" class="num">${msg('Amount', { id: 'console.amount' })}</th>
                    <th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'console.actions' })}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${l.orders.map(
                    (o) =>
                      html`<tr>
                        <td>${o.reference}</td>
                        <td>${formatInstant(o.created_at, this.formatTag)}</td>
                        <td>${o.email ?? ''}</td>
                        <td>${o.status}</td>
                        <td class="num">${this.money(o.amount, o.currency)}</td>
                        <td>
                          ${
                            o.status === 'paid' && this.canManage
                              ? html`<button
                                  class="btn small danger"
                                  type="button"
                                  aria-label=${`${msg('Refund', { id: 'console.refund' })} ${o.reference}`}
                                  @click=${() => this.askRefund(o)}
                                >
                                  ${msg('Refund…', { id: 'console.refund-ask' })}
                                </button>`
                              : nothing
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p>${msg('No orders yet.', { id: 'console.no-orders' })}</p>`
      }`;
  }

  private renderTransactions(l: TransactionList) {
    return html`<h2>${msg('Transactions', { id: 'console.transactions' })}</h2>
      ${
        l.transactions.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${msg('Date', { id: 'console.date' })}</th>
                    <th scope="col">${msg('Reference', { id: 'console.reference' })}</th>
                    <th scope="col">${msg('Kind', { id: 'console.kind' })}</th>
                    <th scope="col">${msg('Gateway', { id: 'console.gateway-col' })}</th>
                    <th scope="col" class="num">${msg('Amount', { id: 'console.amount' })}</th>
                  </tr>
                </thead>
                <tbody>
                  ${l.transactions.map(
                    (t) =>
                      html`<tr>
                        <td>${formatInstant(t.at, this.formatTag)}</td>
                        <td>${t.reference}</td>
                        <td>
                          ${t.kind === 'payment' ? msg('payment', { id: 'console.payment' }) : msg('refund', { id: 'console.refund-kind' })}
                        </td>
                        <td>${t.gateway}</td>
                        <td class="num">${this.money(t.kind === 'refund' ? -t.amount : t.amount, t.currency)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p>${msg('No transactions yet.', { id: 'console.no-transactions' })}</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-sales': PfcSales;
  }
}
