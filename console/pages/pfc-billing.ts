import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Address, BillingDetails, BillingRequest, Payment, PaymentList } from '../../core/api/credits.ts';
import { msg, str } from '../i18n/index.ts';
import { badge, kindLabel, statusLabel } from '../shared/credit-labels.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { ConsolePage } from '../shared/console-page.ts';
import { formatInstant, formatMoney, formatNumber } from '../shared/format.ts';
import { creditsStyles } from '../shared/credit-styles.ts';

const PAGE_SIZE = 25;

/** The address fields of the form, in order, with their labels. */
function addressFields(): { name: keyof Address; label: string; required: boolean; autocomplete: string }[] {
  return [
    { name: 'line1', label: msg('Address', { id: 'console.addr.line1' }), required: true, autocomplete: 'address-line1' },
    {
      name: 'line2',
      label: msg('Address (line 2)', { id: 'console.addr.line2' }),
      required: false,
      autocomplete: 'address-line2',
    },
    { name: 'city', label: msg('City', { id: 'console.addr.city' }), required: true, autocomplete: 'address-level2' },
    {
      name: 'postal_code',
      label: msg('Postal code', { id: 'console.addr.postal-code' }),
      required: false,
      autocomplete: 'postal-code',
    },
    { name: 'region', label: msg('Region', { id: 'console.addr.region' }), required: false, autocomplete: 'address-level1' },
    {
      name: 'country',
      label: msg('Country (two-letter code, e.g. FR)', { id: 'console.addr.country' }),
      required: true,
      autocomplete: 'country',
    },
  ];
}

/**
 * Billing & Transactions: the organisation's billing details (company, email, address, phone, tax id, an optional
 * shipping address) and its payments (id, status, gateway, amount, date) with their actions — Details, Recheck
 * (pending or abandoned), the invoice PDF, Generate Invoice, Retry Invoice, Configure Billing — and a year's
 * invoices as one ZIP.
 *
 * @element pfc-billing
 */
@customElement('pfc-billing')
export class PfcBilling extends ConsolePage {
  static override styles = [ConsoleElement.styles, creditsStyles];

  @state() private billing: BillingDetails | null = null;
  @state() private payments: PaymentList | null = null;
  @state() private formError: unknown = null;
  @state() private rowError: unknown = null;
  @state() private notice = '';
  @state() private shipping = false;
  @state() private details: Payment | null = null;
  @state() private busy = '';
  @state() private page = 1;
  @state() private year = new Date().getFullYear();

  protected override get loaded() {
    return this.billing !== null;
  }

  protected override async read() {
    const [b, p] = await Promise.all([
      this.api.get<BillingDetails>(this.orgPath('/billing')),
      this.api.get<PaymentList>(this.orgPath(`/payments?page=${this.page}&page_size=${PAGE_SIZE}`)),
    ]);
    this.billing = b;
    this.shipping = !!b.shipping_address;
    this.payments = p;
  }

  private async loadPayments() {
    try {
      this.payments = await this.api.get<PaymentList>(this.orgPath(`/payments?page=${this.page}&page_size=${PAGE_SIZE}`));
    } catch (e) {
      this.rowError = e;
    }
  }

  private address(d: FormData, prefix: string): Address {
    const a = {} as Record<keyof Address, string>;
    for (const f of addressFields()) a[f.name] = String(d.get(`${prefix}${f.name}`) ?? '').trim();
    return a;
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    this.formError = null;
    this.notice = '';
    const body: BillingRequest = {
      company: String(d.get('company') ?? '').trim(),
      email: String(d.get('email') ?? '').trim(),
      address: this.address(d, 'addr-'),
      phone: String(d.get('phone') ?? '').trim(),
      tax_id: String(d.get('tax_id') ?? '').trim(),
      shipping_address: this.shipping ? this.address(d, 'ship-') : null,
    };
    try {
      this.billing = await this.api.put<BillingDetails>(this.orgPath('/billing'), body);
      this.notice = msg('Billing details saved.', { id: 'console.billing-saved' });
    } catch (err) {
      this.formError = err;
    }
  }

  /** Configure Billing: to the form, its first field focused. */
  private configure() {
    this.closeDetails();
    const first = this.renderRoot.querySelector<HTMLInputElement>('#company');
    first?.scrollIntoView({ block: 'center' });
    first?.focus();
  }

  private async act(p: Payment, action: 'recheck' | 'invoice') {
    this.rowError = null;
    this.notice = '';
    this.busy = `${p.payment_id}:${action}`;
    try {
      const updated = await this.api.post<Payment>(this.orgPath(`/payments/${p.payment_id}/${action}`));
      this.notice =
        action === 'recheck'
          ? msg(str`Payment ${p.payment_id} rechecked: ${statusLabel(updated.status)}.`, { id: 'console.rechecked' })
          : msg(str`Invoice ${updated.invoice?.number ?? ''} issued.`, { id: 'console.invoice-issued' });
      await this.loadPayments();
    } catch (err) {
      this.rowError = err;
      await this.loadPayments();
    } finally {
      this.busy = '';
    }
  }

  private showDetails(p: Payment) {
    this.details = p;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLDialogElement>('#details')?.showModal());
  }

  private closeDetails() {
    this.renderRoot.querySelector<HTMLDialogElement>('#details')?.close();
    this.details = null;
  }

  private goPage(n: number) {
    this.page = n;
    void this.loadPayments();
  }

  override render() {
    return html`<h1 tabindex="-1">${msg('Billing & Transactions', { id: 'console.billing' })}</h1>
      ${this.loadStatus()} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.billing ? this.renderForm(this.billing) : nothing} ${this.payments ? this.renderPayments(this.payments) : nothing}
      ${this.payments ? this.renderZip() : nothing} ${this.details ? this.renderDetails(this.details) : nothing}`;
  }

  private input(
    id: string,
    label: string,
    value: string,
    opts: { type?: string; required?: boolean; autocomplete?: string; name?: string } = {},
  ): TemplateResult {
    return html`<div class="field">
      <label for=${id}>${label}${opts.required ? html` <span aria-hidden="true">*</span>` : nothing}</label>
      <input
        id=${id}
        name=${opts.name ?? id}
        type=${opts.type ?? 'text'}
        .value=${value}
        ?required=${!!opts.required}
        autocomplete=${opts.autocomplete ?? 'off'}
        ?disabled=${!this.canManage}
      />
    </div>`;
  }

  private addressFieldset(prefix: string, legend: string, a: Address | null, required: boolean, section: string) {
    return html`<fieldset>
      <legend>${legend}</legend>
      ${addressFields().map((f) =>
        this.input(`${prefix}${f.name}`, f.label, a?.[f.name] ?? '', {
          required: required && f.required,
          autocomplete: `${section} ${f.autocomplete}`,
        }),
      )}
    </fieldset>`;
  }

  private renderForm(b: BillingDetails) {
    return html`<section aria-labelledby="billing-title">
      <h2 id="billing-title">${msg('Billing details', { id: 'console.billing-details' })}</h2>
      ${
        b.complete
          ? nothing
          : html`<p class="notice">
              ${msg('Invoices need the company, the email and the address.', { id: 'console.billing-incomplete' })}
            </p>`
      }
      <form @submit=${this.save} novalidate>
        ${this.input('company', msg('Company', { id: 'console.company' }), b.company, { required: true, autocomplete: 'organization' })}
        ${this.input('email', msg('Billing email', { id: 'console.billing-email' }), b.email, {
          type: 'email',
          required: true,
          autocomplete: 'email',
        })}
        ${this.addressFieldset('addr-', msg('Billing address', { id: 'console.billing-address' }), b.address, true, 'billing')}
        ${this.input('phone', msg('Phone', { id: 'console.phone' }), b.phone, { type: 'tel', autocomplete: 'tel' })}
        ${this.input('tax_id', msg('Tax ID (VAT number)', { id: 'console.tax-id' }), b.tax_id)}
        <label class="check">
          <input
            type="checkbox"
            name="shipping_on"
            .checked=${this.shipping}
            ?disabled=${!this.canManage}
            @change=${(e: Event) => (this.shipping = (e.target as HTMLInputElement).checked)}
          />
          ${msg('Use a different shipping address', { id: 'console.shipping-on' })}
        </label>
        ${
          this.shipping
            ? this.addressFieldset(
                'ship-',
                msg('Shipping address', { id: 'console.shipping-address' }),
                b.shipping_address,
                true,
                'shipping',
              )
            : nothing
        }
        ${this.formError ? errorBox(this.formError) : nothing}
        ${
          this.canManage
            ? html`<button class="btn primary" type="submit">
                ${msg('Save billing details', { id: 'console.save-billing' })}
              </button>`
            : nothing
        }
      </form>
    </section>`;
  }

  private statusBadge(p: Payment) {
    const tone = p.status === 'completed' ? 'ok' : p.status === 'pending' ? 'warn' : 'bad';
    return badge(statusLabel(p.status), tone);
  }

  private actions(p: Payment) {
    const busy = (a: string) => this.busy === `${p.payment_id}:${a}`;
    const out: TemplateResult[] = [
      html`<button class="btn small" type="button" @click=${() => this.showDetails(p)}>
        ${msg('Details', { id: 'console.details' })}<span class="visually-hidden"> ${p.payment_id}</span>
      </button>`,
    ];
    if (p.invoice)
      out.push(
        html`<a class="btn small" href=${this.api.url(p.invoice.url)} download data-invoice=${p.invoice.number}
          >${msg(str`Invoice ${p.invoice.number} (PDF)`, { id: 'console.invoice-pdf' })}</a
        >`,
      );
    if (!this.canManage) return out;
    if (p.status === 'pending' || p.status === 'abandoned')
      out.push(
        html`<button class="btn small" type="button" ?disabled=${busy('recheck')} @click=${() => this.act(p, 'recheck')}>
          ${msg('Recheck', { id: 'console.recheck' })}<span class="visually-hidden"> ${p.payment_id}</span>
        </button>`,
      );
    if (p.status === 'pending' && p.checkout_url)
      out.push(
        html`<a class="btn small" href=${p.checkout_url}>${msg('Continue to payment', { id: 'console.continue-payment' })}</a>`,
      );
    if (p.status === 'completed' && !p.invoice) {
      if (p.invoice_error)
        out.push(
          html`<button class="btn small" type="button" ?disabled=${busy('invoice')} @click=${() => this.act(p, 'invoice')}>
              ${msg('Retry Invoice', { id: 'console.retry-invoice' })}<span class="visually-hidden"> ${p.payment_id}</span>
            </button>
            <button class="btn small" type="button" @click=${this.configure}>
              ${msg('Configure Billing', { id: 'console.configure-billing' })}
            </button>`,
        );
      else
        out.push(
          html`<button class="btn small" type="button" ?disabled=${busy('invoice')} @click=${() => this.act(p, 'invoice')}>
            ${msg('Generate Invoice', { id: 'console.generate-invoice' })}<span class="visually-hidden"> ${p.payment_id}</span>
          </button>`,
        );
    }
    return out;
  }

  private renderPayments(list: PaymentList) {
    const pg = list.pagination;
    return html`<section aria-labelledby="payments-title">
      <h2 id="payments-title">${msg('Payments', { id: 'console.payments' })}</h2>
      ${this.rowError ? errorBox(this.rowError) : nothing}
      ${
        list.payments.length === 0
          ? html`<p>${msg('No payments yet.', { id: 'console.no-payments' })}</p>`
          : html`<div class="table-wrap">
              <table data-payments>
                <thead>
                  <tr>
                    <th scope="col">${msg('Payment ID', { id: 'console.payment-id' })}</th>
                    <th scope="col">${msg('Status', { id: 'console.status' })}</th>
                    <th scope="col">${msg('Gateway', { id: 'console.gateway' })}</th>
                    <th scope="col" class="num">${msg('Amount', { id: 'console.amount' })}</th>
                    <th scope="col">${msg('Date', { id: 'console.date' })}</th>
                    <th scope="col">${msg('Actions', { id: 'console.actions' })}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.payments.map(
                    (p) =>
                      html`<tr data-payment=${p.payment_id} data-status=${p.status}>
                        <td><code>${p.payment_id}</code></td>
                        <td>
                          ${this.statusBadge(p)}
                          ${p.invoice_error ? html`<p class="field-error">${p.invoice_error}</p>` : nothing}
                        </td>
                        <td>${p.gateway}</td>
                        <td class="num">${formatMoney(p.amount, p.currency, this.formatTag)}</td>
                        <td>${formatInstant(p.created_at, this.formatTag)}</td>
                        <td><div class="row">${this.actions(p)}</div></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${
        pg.totalPages > 1
          ? html`<nav class="row" aria-label=${msg('Payment pages', { id: 'console.payment-pages' })}>
              <button class="btn small" type="button" ?disabled=${!pg.hasPreviousPage} @click=${() => this.goPage(this.page - 1)}>
                ${msg('Previous', { id: 'console.previous' })}
              </button>
              <span>${msg(str`Page ${pg.currentPage} of ${pg.totalPages}`, { id: 'console.page-of' })}</span>
              <button class="btn small" type="button" ?disabled=${!pg.hasNextPage} @click=${() => this.goPage(this.page + 1)}>
                ${msg('Next', { id: 'console.next' })}
              </button>
            </nav>`
          : nothing
      }
    </section>`;
  }

  private renderZip() {
    const now = new Date().getFullYear();
    const years = [now, now - 1, now - 2, now - 3];
    return html`<section aria-labelledby="zip-title">
      <h2 id="zip-title">${msg('Invoices of a year', { id: 'console.invoices-year' })}</h2>
      <div class="toolbar">
        <div class="field">
          <label for="zip-year">${msg('Year', { id: 'console.year' })}</label>
          <select id="zip-year" @change=${(e: Event) => (this.year = Number((e.target as HTMLSelectElement).value))}>
            ${years.map((y) => html`<option value=${y} ?selected=${y === this.year}>${y}</option>`)}
          </select>
        </div>
        <a class="btn" data-zip href=${this.api.url(this.orgPath(`/invoices/${this.year}.zip`))} download
          >${msg(str`Download the ${this.year} invoices (ZIP)`, { id: 'console.invoices-zip' })}</a
        >
      </div>
    </section>`;
  }

  private renderDetails(p: Payment) {
    const n = (v: number) => formatNumber(v, this.formatTag);
    const row = (label: string, value: unknown) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    return html`<dialog id="details" aria-labelledby="details-title" @close=${() => (this.details = null)}>
      <h2 id="details-title">${msg(str`Payment ${p.payment_id}`, { id: 'console.payment-title' })}</h2>
      <dl>
        ${row(msg('Purchase', { id: 'console.purchase' }), kindLabel(p.kind))}
        ${row(msg('Description', { id: 'console.description' }), p.description)}
        ${row(msg('Status', { id: 'console.status' }), statusLabel(p.status))}
        ${row(msg('Gateway', { id: 'console.gateway' }), p.gateway)}
        ${row(msg('Amount', { id: 'console.amount' }), formatMoney(p.amount, p.currency, this.formatTag))}
        ${row(msg('Credits', { id: 'console.credits' }), n(p.credits))}
        ${p.pro_days ? row(msg('Days of Pro', { id: 'console.pro-days' }), n(p.pro_days)) : nothing}
        ${row(msg('Created', { id: 'console.created' }), formatInstant(p.created_at, this.formatTag))}
        ${p.completed_at ? row(msg('Completed', { id: 'console.pay-status.completed' }), formatInstant(p.completed_at, this.formatTag)) : nothing}
        ${p.invoice ? row(msg('Invoice', { id: 'console.invoice' }), p.invoice.number) : nothing}
        ${p.invoice_error ? row(msg('Invoice problem', { id: 'console.invoice-problem' }), p.invoice_error) : nothing}
      </dl>
      <div class="row">
        <button class="btn" type="button" autofocus @click=${this.closeDetails}>${msg('Close', { id: 'console.close' })}</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-billing': PfcBilling;
  }
}
