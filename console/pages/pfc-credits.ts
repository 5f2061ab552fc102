import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type {
  CreditsSummary,
  CreditTransaction,
  MonthlyUsage,
  PaymentList,
  TransactionList,
  TransactionType,
  WaitingPhotoList,
} from '../../core/api/credits.ts';
import { TRANSACTION_TYPES } from '../shared/credits.ts';
import { msg, str } from '../i18n/index.ts';
import { href } from '../router.ts';
import { badge, kindLabel, planLabel, typeLabel, usageLabel } from '../shared/credit-labels.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { ConsolePage } from '../shared/console-page.ts';
import { creditsStyles } from '../shared/credit-styles.ts';
import { formatInstant, formatMoney, formatNumber } from '../shared/format.ts';

const PAGE_SIZE = 25;

/**
 * The Credits tab: the available balance, the cost per credit (Show/Hide, only when set), photos waiting for
 * credits, the Monthly Usage Summary (this month and the three before, from the server), the Credit Usage table
 * (type, delta, event, user or System, date; filtered by type, paged) and the Purchase History.
 *
 * @element pfc-credits
 */
@customElement('pfc-credits')
export class PfcCredits extends ConsolePage {
  static override styles = [ConsoleElement.styles, creditsStyles];

  @state() private summary: CreditsSummary | null = null;
  @state() private monthly: MonthlyUsage | null = null;
  @state() private transactions: TransactionList | null = null;
  @state() private purchases: PaymentList | null = null;
  @state() private waiting: WaitingPhotoList | null = null;
  @state() private tableError: unknown = null;
  @state() private showCost = false;
  @state() private filter: TransactionType | '' = '';
  @state() private page = 1;

  protected override get loaded() {
    return this.summary !== null;
  }

  protected override async read() {
    const [s, m, p] = await Promise.all([
      this.api.get<CreditsSummary>(this.orgPath('/credits')),
      this.api.get<MonthlyUsage>(this.orgPath('/credits/usage/monthly')),
      this.api.get<PaymentList>(this.orgPath('/payments?status=completed&page_size=25')),
    ]);
    this.summary = s;
    this.monthly = m;
    this.purchases = p;
    this.waiting =
      s.waiting_photos > 0 ? await this.api.get<WaitingPhotoList>(this.orgPath('/credits/waiting?page_size=50')) : null;
    await this.loadTransactions();
  }

  private async loadTransactions() {
    this.tableError = null;
    const q = new URLSearchParams({ page: String(this.page), page_size: String(PAGE_SIZE) });
    if (this.filter) q.set('type', this.filter);
    try {
      this.transactions = await this.api.get<TransactionList>(this.orgPath(`/credits/transactions?${q}`));
    } catch (e) {
      this.tableError = e;
    }
  }

  private setFilter(e: Event) {
    this.filter = (e.target as HTMLSelectElement).value as TransactionType | '';
    this.page = 1;
    void this.loadTransactions();
  }

  private goPage(n: number) {
    this.page = n;
    void this.loadTransactions();
  }

  private n(v: number) {
    return formatNumber(v, this.formatTag);
  }

  private signed(v: number) {
    return v > 0 ? `+${this.n(v)}` : v < 0 ? `−${this.n(-v)}` : this.n(0);
  }

  private monthName(month: string) {
    const [y, m] = month.split('-').map(Number);
    if (!y || !m) return month;
    return new Intl.DateTimeFormat(this.formatTag, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, 1)),
    );
  }

  override render() {
    const s = this.summary;
    return html`<h1 tabindex="-1">${msg('Credits', { id: 'console.credits' })}</h1>
      ${this.loadStatus()} ${s ? this.renderSummary(s) : nothing} ${this.waiting ? this.renderWaiting(this.waiting) : nothing}
      ${this.monthly ? this.renderMonthly(this.monthly) : nothing} ${s ? this.renderTransactions() : nothing}
      ${this.purchases ? this.renderPurchases(this.purchases) : nothing}`;
  }

  private renderSummary(s: CreditsSummary) {
    const cost = s.cost_per_credit && s.cost_per_credit.amount > 0 ? s.cost_per_credit : null;
    return html`${
        s.metered
          ? nothing
          : html`<p class="notice">
              ${msg('This organisation is on the Unlimited plan: nothing is metered and nothing is locked.', {
                id: 'console.credits-unlimited',
              })}
            </p>`
      }
      <dl class="figures">
        <div>
          <dt>${msg('Available credits', { id: 'console.credits-available' })}</dt>
          <dd data-balance>${this.n(s.balance)}</dd>
        </div>
        <div>
          <dt>${msg('Plan', { id: 'console.plan' })}</dt>
          <dd><a href=${href('/credits/subscription')}>${planLabel(s.plan)}</a></dd>
        </div>
        <div>
          <dt>${msg('Credits per processed photo', { id: 'console.cost-per-photo' })}</dt>
          <dd>${this.n(s.cost_per_photo)}</dd>
        </div>
        ${
          cost
            ? html`<div>
                <dt id="cost-label">${msg('Cost per credit', { id: 'console.cost-per-credit' })}</dt>
                <dd>
                  <span data-cost aria-live="polite"
                    >${
                      this.showCost
                        ? formatMoney(cost.amount, cost.currency, this.formatTag)
                        : html`<span aria-hidden="true">•••</span
                            ><span class="visually-hidden">${msg('hidden', { id: 'console.hidden' })}</span>`
                    }</span
                  >
                  <button
                    class="btn small"
                    type="button"
                    aria-pressed=${this.showCost ? 'true' : 'false'}
                    aria-describedby="cost-label"
                    @click=${() => (this.showCost = !this.showCost)}
                  >
                    ${this.showCost ? msg('Hide', { id: 'console.hide' }) : msg('Show', { id: 'console.show' })}
                  </button>
                </dd>
              </div>`
            : nothing
        }
      </dl>
      ${
        s.metered && this.canManage
          ? html`<p class="row">
              <a class="btn primary" href=${href('/credits/buy')}>${msg('Buy credits', { id: 'console.buy-credits' })}</a>
              <a class="btn" href=${href('/credits/billing')}>${msg('Billing & Transactions', { id: 'console.billing' })}</a>
            </p>`
          : nothing
      }`;
  }

  private renderWaiting(w: WaitingPhotoList) {
    const count = w.pagination.total;
    return html`<section aria-labelledby="waiting-title">
      <h2 id="waiting-title">${msg('Photos waiting for credits', { id: 'console.waiting-credits' })}</h2>
      <p class="error" role="status" data-waiting=${count}>
        ${msg(
          str`${this.n(count)} photos are stored but not processed: the organisation has no credits left. Adding credits processes them.`,
          {
            id: 'console.waiting-credits-text',
          },
        )}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('File', { id: 'console.file' })}</th>
              <th scope="col">${msg('Event', { id: 'console.event' })}</th>
              <th scope="col">${msg('Received', { id: 'console.received' })}</th>
              <th scope="col">${msg('Reason', { id: 'console.reason' })}</th>
            </tr>
          </thead>
          <tbody>
            ${w.photos.map(
              (p) =>
                html`<tr>
                  <td>${p.original_name}</td>
                  <td><a href=${href(`/events/${p.event_id}/processing`)}>${p.event_name}</a></td>
                  <td>${formatInstant(p.received_at, this.formatTag)}</td>
                  <td>${msg('Waiting for credits', { id: 'console.waiting-for-credits' })}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private renderMonthly(m: MonthlyUsage) {
    return html`<section aria-labelledby="monthly-title">
      <h2 id="monthly-title">${msg('Monthly Usage Summary', { id: 'console.monthly-usage' })}</h2>
      <p class="muted">${msg(str`Months in the ${m.time_zone} time zone.`, { id: 'console.months-zone' })}</p>
      <div class="table-wrap">
        <table data-monthly>
          <thead>
            <tr>
              <th scope="col">${msg('Month', { id: 'console.month' })}</th>
              <th scope="col" class="num">${msg('Photo Processing', { id: 'console.usage.photo-processing' })}</th>
              <th scope="col" class="num">${msg('AI Image Rotation', { id: 'console.usage.ai-rotation' })}</th>
              <th scope="col" class="num">${msg('Credits used', { id: 'console.credits-used' })}</th>
              <th scope="col" class="num">${msg('Credits added', { id: 'console.credits-added' })}</th>
            </tr>
          </thead>
          <tbody>
            ${m.months.map(
              (row) =>
                html`<tr>
                  <th scope="row">${this.monthName(row.month)}</th>
                  <td class="num">${this.n(row.photo_processing)}</td>
                  <td class="num">${this.n(row.ai_image_rotation)}</td>
                  <td class="num">${this.n(row.used)}</td>
                  <td class="num">${this.signed(row.added)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private typeBadge(t: CreditTransaction) {
    const tone = t.type === 'usage' ? 'info' : t.type === 'refund' ? 'bad' : 'ok';
    return html`${badge(typeLabel(t.type), tone)}${t.usage_kind ? html` <span>${usageLabel(t.usage_kind)}</span>` : nothing}`;
  }

  private renderTransactions() {
    const list = this.transactions;
    const p = list?.pagination;
    return html`<section aria-labelledby="usage-title">
      <h2 id="usage-title">${msg('Credit Usage', { id: 'console.credit-usage' })}</h2>
      <div class="toolbar">
        <div class="field">
          <label for="tx-type">${msg('Type', { id: 'console.type' })}</label>
          <select id="tx-type" @change=${this.setFilter}>
            <option value="" ?selected=${this.filter === ''}>${msg('All types', { id: 'console.all-types' })}</option>
            ${TRANSACTION_TYPES.map((t) => html`<option value=${t} ?selected=${this.filter === t}>${typeLabel(t)}</option>`)}
          </select>
        </div>
      </div>
      ${this.tableError ? errorBox(this.tableError, () => void this.loadTransactions()) : nothing}
      ${
        list && list.transactions.length === 0
          ? html`<p>${msg('No credit transactions yet.', { id: 'console.no-transactions' })}</p>`
          : nothing
      }
      ${
        list && list.transactions.length
          ? html`<div class="table-wrap">
              <table data-transactions>
                <thead>
                  <tr>
                    <th scope="col">${msg('Type', { id: 'console.type' })}</th>
                    <th scope="col" class="num">${msg('Credits', { id: 'console.credits' })}</th>
                    <th scope="col">${msg('Event', { id: 'console.event' })}</th>
                    <th scope="col">${msg('Event ID', { id: 'console.event-id' })}</th>
                    <th scope="col">${msg('User', { id: 'console.user' })}</th>
                    <th scope="col">${msg('Date', { id: 'console.date' })}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.transactions.map(
                    (t) =>
                      html`<tr data-type=${t.type}>
                        <td>${this.typeBadge(t)}</td>
                        <td class="num ${t.delta < 0 ? 'neg' : ''}">${this.signed(t.delta)}</td>
                        <td>
                          ${
                            t.event_id
                              ? html`<a href=${href(`/events/${t.event_id}/processing`)}>${t.event_name ?? `#${t.event_id}`}</a>`
                              : (t.event_name ?? '—')
                          }
                        </td>
                        <td>${t.event_id ?? '—'}</td>
                        <td>${t.user ? t.user.name || t.user.email : msg('System', { id: 'console.system' })}</td>
                        <td>${formatInstant(t.created_at, this.formatTag)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      ${
        p && p.totalPages > 1
          ? html`<nav class="row" aria-label=${msg('Credit Usage pages', { id: 'console.usage-pages' })}>
              <button class="btn small" type="button" ?disabled=${!p.hasPreviousPage} @click=${() => this.goPage(this.page - 1)}>
                ${msg('Previous', { id: 'console.previous' })}
              </button>
              <span>${msg(str`Page ${p.currentPage} of ${p.totalPages}`, { id: 'console.page-of' })}</span>
              <button class="btn small" type="button" ?disabled=${!p.hasNextPage} @click=${() => this.goPage(this.page + 1)}>
                ${msg('Next', { id: 'console.next' })}
              </button>
            </nav>`
          : nothing
      }
    </section>`;
  }

  private renderPurchases(list: PaymentList) {
    return html`<section aria-labelledby="purchases-title">
      <h2 id="purchases-title">${msg('Purchase History', { id: 'console.purchase-history' })}</h2>
      ${
        list.payments.length === 0
          ? html`<p>${msg('No purchases yet.', { id: 'console.no-purchases' })}</p>`
          : html`<div class="table-wrap">
              <table data-purchases>
                <thead>
                  <tr>
                    <th scope="col">${msg('Date', { id: 'console.date' })}</th>
                    <th scope="col">${msg('Purchase', { id: 'console.purchase' })}</th>
                    <th scope="col" class="num">${msg('Credits', { id: 'console.credits' })}</th>
                    <th scope="col" class="num">${msg('Amount', { id: 'console.amount' })}</th>
                    <th scope="col">${msg('Invoice', { id: 'console.invoice' })}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.payments.map(
                    (p) =>
                      html`<tr>
                        <td>${formatInstant(p.completed_at ?? p.created_at, this.formatTag)}</td>
                        <td>${kindLabel(p.kind)}</td>
                        <td class="num">${this.n(p.credits)}</td>
                        <td class="num">${formatMoney(p.amount, p.currency, this.formatTag)}</td>
                        <td>
                          ${
                            p.invoice
                              ? html`<a href=${this.api.url(p.invoice.url)} download
                                  >${msg(str`Invoice ${p.invoice.number} (PDF)`, { id: 'console.invoice-pdf' })}</a
                                >`
                              : '—'
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-credits': PfcCredits;
  }
}
