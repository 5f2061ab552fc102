import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type {
  GrantRequest,
  LedgerWrite,
  OperatorOrg,
  OperatorOrgList,
  PlanPatch,
  RefundRequest,
} from '../../core/api/credits.ts';
import { PLANS } from '../shared/credits.ts';
import { msg, str } from '../i18n/index.ts';
import { planLabel } from '../shared/credit-labels.ts';
import { creditsStyles } from '../shared/credit-styles.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { formatInstant, formatMoney, formatNumber } from '../shared/format.ts';

const OPERATOR = '/api/v1/operator';

/**
 * The server operator's page (only for operators; the server refuses everyone else): every organisation's plan,
 * expiry, balance and costs; for one of them, set the plan, expiry and cost per credit, grant credits (Admin Grant
 * or Free Credits) and refund credits.
 *
 * @element pfc-operator
 */
@customElement('pfc-operator')
export class PfcOperator extends ConsoleElement {
  static override styles = [ConsoleElement.styles, creditsStyles];

  @state() private orgs: OperatorOrg[] | null = null;
  @state() private selected: number | null = null;
  @state() private error: unknown = null;
  @state() private formError: { form: string; error: unknown } | null = null;
  @state() private notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = null;
    try {
      this.orgs = (await this.api.get<OperatorOrgList>(`${OPERATOR}/orgs`)).orgs;
    } catch (e) {
      this.error = e;
    }
  }

  private get current(): OperatorOrg | null {
    return this.orgs?.find((o) => o.org_id === this.selected) ?? null;
  }

  private manage(o: OperatorOrg) {
    this.selected = o.org_id;
    this.notice = '';
    this.formError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#manage-title')?.focus());
  }

  private replace(o: OperatorOrg) {
    this.orgs = (this.orgs ?? []).map((x) => (x.org_id === o.org_id ? o : x));
  }

  private n(v: number) {
    return formatNumber(v, this.formatTag);
  }

  private async savePlan(e: SubmitEvent) {
    e.preventDefault();
    const o = this.current;
    if (!o) return;
    const d = new FormData(e.target as HTMLFormElement);
    const cost = String(d.get('cost_per_credit') ?? '').trim();
    const body: PlanPatch = {
      plan: String(d.get('plan')) as PlanPatch['plan'],
      expires: String(d.get('expires') ?? '') || null,
      cost_per_credit: cost === '' ? null : Math.round(Number(cost.replace(',', '.')) * 100),
      currency: String(d.get('currency') ?? '').trim() || undefined,
      cost_per_photo: Number(d.get('cost_per_photo')),
    };
    this.formError = null;
    this.notice = '';
    try {
      const updated = await this.api.patch<OperatorOrg>(`${OPERATOR}/orgs/${o.org_id}/plan`, body);
      this.replace(updated);
      this.notice = msg(str`${o.name}: plan saved.`, { id: 'console.op.plan-saved' });
    } catch (err) {
      this.formError = { form: 'plan', error: err };
    }
  }

  private async ledger(e: SubmitEvent, kind: 'grant' | 'refund') {
    e.preventDefault();
    const o = this.current;
    if (!o) return;
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const note = String(d.get('note') ?? '').trim();
    const credits = Number(d.get('credits'));
    this.formError = null;
    this.notice = '';
    try {
      let res: LedgerWrite;
      if (kind === 'grant') {
        const body: GrantRequest = {
          credits,
          type: String(d.get('type')) as GrantRequest['type'],
          ...(note ? { note } : {}),
        };
        res = await this.api.post<LedgerWrite>(`${OPERATOR}/orgs/${o.org_id}/credits`, body);
      } else {
        const payment = String(d.get('payment_id') ?? '').trim();
        const body: RefundRequest = { credits, ...(payment ? { payment_id: payment } : {}), ...(note ? { note } : {}) };
        res = await this.api.post<LedgerWrite>(`${OPERATOR}/orgs/${o.org_id}/refunds`, body);
      }
      form.reset();
      this.replace({ ...o, balance: res.balance, waiting_photos: Math.max(0, o.waiting_photos - res.resumed) });
      this.notice =
        kind === 'grant'
          ? msg(
              str`${o.name}: ${this.n(credits)} credits granted; balance ${this.n(res.balance)}; ${this.n(res.resumed)} waiting photos resumed.`,
              {
                id: 'console.op.granted',
              },
            )
          : msg(str`${o.name}: ${this.n(credits)} credits refunded; balance ${this.n(res.balance)}.`, {
              id: 'console.op.refunded',
            });
      void this.load();
    } catch (err) {
      this.formError = { form: kind, error: err };
    }
  }

  override render() {
    return html`<h1 tabindex="-1">${msg('Operator', { id: 'console.operator' })}</h1>
      <p class="muted">${msg('Plans, credits and refunds of every organisation on this server.', { id: 'console.op.intro' })}</p>
      ${this.error ? errorBox(this.error, () => void this.load()) : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${!this.orgs && !this.error ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${this.orgs ? this.renderOrgs(this.orgs) : nothing} ${this.current ? this.renderManage(this.current) : nothing}`;
  }

  private renderOrgs(orgs: OperatorOrg[]) {
    return html`<div class="table-wrap">
      <table data-orgs>
        <thead>
          <tr>
            <th scope="col">${msg('Organisation', { id: 'console.organisation' })}</th>
            <th scope="col">${msg('Plan', { id: 'console.plan' })}</th>
            <th scope="col">${msg('Expires', { id: 'console.expires' })}</th>
            <th scope="col" class="num">${msg('Balance', { id: 'console.balance' })}</th>
            <th scope="col" class="num">${msg('Waiting photos', { id: 'console.op.waiting' })}</th>
            <th scope="col">${msg('Cost per credit', { id: 'console.cost-per-credit' })}</th>
            <th scope="col">${msg('Actions', { id: 'console.actions' })}</th>
          </tr>
        </thead>
        <tbody>
          ${orgs.map(
            (o) =>
              html`<tr data-org=${o.org_id}>
                <th scope="row">${o.name} <span class="muted">#${o.org_id}</span></th>
                <td>${planLabel(o.plan)}</td>
                <td>${o.expires_at ? formatInstant(o.expires_at, this.formatTag) : '—'}</td>
                <td class="num">${this.n(o.balance)}</td>
                <td class="num">${this.n(o.waiting_photos)}</td>
                <td>
                  ${o.cost_per_credit ? formatMoney(o.cost_per_credit.amount, o.cost_per_credit.currency, this.formatTag) : '—'}
                </td>
                <td>
                  <button
                    class="btn small"
                    type="button"
                    aria-pressed=${o.org_id === this.selected ? 'true' : 'false'}
                    @click=${() => this.manage(o)}
                  >
                    ${msg('Manage', { id: 'console.op.manage' })}<span class="visually-hidden"> ${o.name}</span>
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private errorFor(form: string) {
    return this.formError?.form === form ? errorBox(this.formError.error) : nothing;
  }

  private renderManage(o: OperatorOrg) {
    const expires = o.expires_at ? o.expires_at.slice(0, 10) : '';
    return html`<section aria-labelledby="manage-title" data-manage=${o.org_id}>
      <h2 id="manage-title" tabindex="-1">${o.name}</h2>
      <form id="plan-form" @submit=${this.savePlan}>
        <fieldset>
          <legend>${msg('Plan and costs', { id: 'console.op.plan-costs' })}</legend>
          <div class="field">
            <label for="op-plan">${msg('Plan', { id: 'console.plan' })}</label>
            <select id="op-plan" name="plan">
              ${PLANS.map((p) => html`<option value=${p} ?selected=${p === o.plan}>${planLabel(p)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="op-expires">${msg('Expires on', { id: 'console.op.expires' })}</label>
            <input id="op-expires" name="expires" type="date" .value=${expires} aria-describedby="op-expires-hint" />
            <span class="hint" id="op-expires-hint">${msg('Empty: no end date.', { id: 'console.op.expires-hint' })}</span>
          </div>
          <div class="field">
            <label for="op-cost">${msg('Cost per credit', { id: 'console.cost-per-credit' })}</label>
            <input
              id="op-cost"
              name="cost_per_credit"
              type="number"
              min="0"
              step="0.0001"
              inputmode="decimal"
              .value=${o.cost_per_credit ? String(o.cost_per_credit.amount / 100) : ''}
              aria-describedby="op-cost-hint"
            />
            <span class="hint" id="op-cost-hint"
              >${msg('In the currency below; empty or 0 hides it from the organisation.', { id: 'console.op.cost-hint' })}</span
            >
          </div>
          <div class="field">
            <label for="op-currency">${msg('Currency', { id: 'console.currency' })}</label>
            <input id="op-currency" name="currency" type="text" maxlength="3" .value=${o.cost_per_credit?.currency ?? 'USD'} />
          </div>
          <div class="field">
            <label for="op-cost-photo">${msg('Credits per processed photo', { id: 'console.cost-per-photo' })}</label>
            <input id="op-cost-photo" name="cost_per_photo" type="number" min="0" step="1" .value=${String(o.cost_per_photo)} />
          </div>
          ${this.errorFor('plan')}
          <button class="btn primary" type="submit">${msg('Save the plan', { id: 'console.op.save-plan' })}</button>
        </fieldset>
      </form>
      <form id="grant-form" novalidate @submit=${(e: SubmitEvent) => this.ledger(e, 'grant')}>
        <fieldset>
          <legend>${msg('Grant credits', { id: 'console.op.grant' })}</legend>
          <div class="field">
            <label for="grant-credits">${msg('Credits', { id: 'console.credits' })}</label>
            <input id="grant-credits" name="credits" type="number" min="1" step="1" required />
          </div>
          <div class="field">
            <label for="grant-type">${msg('Type', { id: 'console.type' })}</label>
            <select id="grant-type" name="type">
              <option value="admin_grant">${msg('Admin Grant', { id: 'console.tx.admin-grant' })}</option>
              <option value="free_credits">${msg('Free Credits', { id: 'console.tx.free-credits' })}</option>
            </select>
          </div>
          <div class="field">
            <label for="grant-note">${msg('Note', { id: 'console.note' })}</label>
            <input id="grant-note" name="note" type="text" maxlength="500" />
          </div>
          ${this.errorFor('grant')}
          <button class="btn primary" type="submit">${msg('Grant', { id: 'console.op.grant-button' })}</button>
        </fieldset>
      </form>
      <form id="refund-form" novalidate @submit=${(e: SubmitEvent) => this.ledger(e, 'refund')}>
        <fieldset>
          <legend>${msg('Refund credits', { id: 'console.op.refund' })}</legend>
          <div class="field">
            <label for="refund-credits">${msg('Credits', { id: 'console.credits' })}</label>
            <input id="refund-credits" name="credits" type="number" min="1" step="1" required />
          </div>
          <div class="field">
            <label for="refund-payment">${msg('Payment ID (optional)', { id: 'console.op.payment' })}</label>
            <input id="refund-payment" name="payment_id" type="text" placeholder="crp_…" />
          </div>
          <div class="field">
            <label for="refund-note">${msg('Note', { id: 'console.note' })}</label>
            <input id="refund-note" name="note" type="text" maxlength="500" />
          </div>
          ${this.errorFor('refund')}
          <button class="btn danger" type="submit">${msg('Refund', { id: 'console.refund' })}</button>
        </fieldset>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-operator': PfcOperator;
  }
}
