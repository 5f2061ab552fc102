import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CreditsSummary, SubscriptionBadge } from '../../core/api/credits.ts';
import { msg } from '../i18n/index.ts';
import { href } from '../router.ts';
import { badge, badgeText, planLabel, productLabel } from '../shared/credit-labels.ts';
import { creditsStyles } from '../shared/credit-styles.ts';
import { ConsoleElement } from '../shared/console-element.ts';
import { ConsolePage } from '../shared/console-page.ts';
import { formatInstant } from '../shared/format.ts';

/**
 * Subscription: the plan, its expiry with a badge ("Expired", "Expires in N days" within 30 days, else "N days
 * remaining"), and which products the plan includes — a locked one names the plan that unlocks it, with the way there.
 *
 * @element pfc-subscription
 */
@customElement('pfc-subscription')
export class PfcSubscription extends ConsolePage {
  static override styles = [ConsoleElement.styles, creditsStyles];

  @state() private summary: CreditsSummary | null = null;

  protected override get loaded() {
    return this.summary !== null;
  }

  protected override async read() {
    this.summary = await this.api.get<CreditsSummary>(this.api.admin(this.org, '/credits'));
  }

  private badgeOf(b: SubscriptionBadge) {
    return badge(badgeText(b), b.kind === 'expired' ? 'bad' : b.kind === 'expires_soon' ? 'warn' : 'ok', b.kind);
  }

  override render() {
    const s = this.summary;
    return html`<h1 tabindex="-1">${msg('Subscription', { id: 'console.subscription' })}</h1>
      ${this.loadStatus()} ${s ? this.renderPlan(s) : nothing}`;
  }

  private renderPlan(s: CreditsSummary) {
    const sub = s.subscription;
    const showPro =
      s.metered && this.canManage && (s.plan !== 'pro' || sub.badge?.kind !== 'remaining') && s.plan !== 'enterprise';
    return html`<dl class="figures">
        <div>
          <dt>${msg('Plan', { id: 'console.plan' })}</dt>
          <dd data-plan=${s.plan}>${planLabel(s.plan)}</dd>
        </div>
        <div>
          <dt>${msg('Expires', { id: 'console.expires' })}</dt>
          <dd>
            ${sub.expires_at ? formatInstant(sub.expires_at, this.formatTag) : msg('No end date', { id: 'console.no-end' })}
            ${sub.badge ? html`<br />${this.badgeOf(sub.badge)}` : nothing}
          </dd>
        </div>
      </dl>
      ${
        showPro
          ? html`<p>
              <a class="btn primary" href=${href('/credits/buy?plan=pro')}
                >${s.plan === 'pro' ? msg('Renew Pro', { id: 'console.renew-pro' }) : msg('Upgrade to Pro', { id: 'console.upgrade-pro' })}</a
              >
            </p>`
          : nothing
      }
      <h2>${msg('Products', { id: 'console.products' })}</h2>
      <div class="table-wrap">
        <table data-products>
          <thead>
            <tr>
              <th scope="col">${msg('Product', { id: 'console.product' })}</th>
              <th scope="col">${msg('Status', { id: 'console.status' })}</th>
              <th scope="col">${msg('Included from', { id: 'console.included-from' })}</th>
            </tr>
          </thead>
          <tbody>
            ${s.products.map(
              (p) =>
                html`<tr data-product=${p.product} data-unlocked=${p.unlocked ? 'true' : 'false'}>
                  <th scope="row">${productLabel(p.product)}</th>
                  <td>
                    ${p.unlocked ? badge(msg('Included', { id: 'console.included' }), 'ok') : badge(msg('Locked', { id: 'console.locked' }), 'bad')}
                  </td>
                  <td>
                    ${planLabel(p.plan_required)}
                    ${
                      !p.unlocked && this.canManage
                        ? p.plan_required === 'pro'
                          ? html` ·
                              <a href=${href('/credits/buy?plan=pro')}
                                >${msg('Upgrade to Pro', { id: 'console.upgrade-pro' })}</a
                              >`
                          : html` ·
                              <a href=${href('/credits/buy?plan=enterprise')}
                                >${msg('Talk to us about Enterprise', { id: 'console.upgrade-enterprise' })}</a
                              >`
                        : nothing
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-subscription': PfcSubscription;
  }
}
