import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { AdminEvent } from '../core/api/admin.ts';
import type { CreditsSummary, Product } from '../core/api/credits.ts';
import { ConsoleApi, type Role, type Session, type SessionOrg } from './api.ts';
import { LANGUAGES, msg, setLanguage } from './i18n/index.ts';
import { CREDITS_TABS, EVENT_TABS, go, href, parseRoute, type CreditsTab, type EventTab, type Route } from './router.ts';
import { ConsoleElement, errorBox } from './shared/console-element.ts';
import { lockedPanel } from './shared/credit-labels.ts';
import './pages/pfc-sign-in.ts';

/** Pages load on demand (one chunk each): the first load is the shell and the sign-in form. */
const PAGES: Record<string, () => Promise<unknown>> = {
  events: () => import('./pages/pfc-events.ts'),
  'new-event': () => import('./pages/pfc-event-settings.ts'),
  settings: () => import('./pages/pfc-event-settings.ts'),
  upload: () => import('./pages/pfc-upload.ts'),
  processing: () => import('./pages/pfc-processing.ts'),
  review: () => import('./pages/pfc-bib-review.ts'),
  certificates: () => import('./pages/pfc-certificates.ts'),
  sales: () => import('./pages/pfc-sales.ts'),
  share: () => import('./pages/pfc-share.ts'),
  members: () => import('./pages/pfc-members.ts'),
  jobs: () => import('./pages/pfc-failed-jobs.ts'),
  account: () => import('./pages/pfc-account.ts'),
  invite: () => import('./pages/pfc-invite.ts'),
  credits: () => import('./pages/pfc-credits.ts'),
  billing: () => import('./pages/pfc-billing.ts'),
  subscription: () => import('./pages/pfc-subscription.ts'),
  buy: () => import('./pages/pfc-purchase.ts'),
  operator: () => import('./pages/pfc-operator.ts'),
};

/** The product an event tab needs (its page is shown locked when the organisation's plan does not include it). */
export const TAB_PRODUCT: Partial<Record<EventTab, Product>> = { certificates: 'certify', sales: 'checkout' };

/** Whether the signed-in user is a server operator (`operator: true` in the session). */
export function isOperator(s: Session | null): boolean {
  return s?.operator === true;
}

/** Which event tabs a role sees (the server enforces the same rules). */
export function tabsFor(role: Role): EventTab[] {
  if (role === 'owner' || role === 'admin') return [...EVENT_TABS];
  if (role === 'photographer') return ['upload', 'processing'];
  return ['processing', 'review', 'sales'];
}

const ORG_KEY = 'pfc.org';

/**
 * The console's shell: the session (or the sign-in page), the organisation switcher, the navigation, the language
 * menu and the page of the current hash route. A failure anywhere shows in place with a retry, never a blank page.
 *
 * @element pfc-app
 */
@customElement('pfc-app')
export class PfcApp extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      :host {
        min-height: 100vh;
        background: var(--pf-color-bg, transparent);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.5rem 1rem;
        border-bottom: 1px solid var(--pf-color-border, #767676);
        background: var(--pf-color-surface, #fff);
      }
      .brand {
        font-weight: 700;
        margin-right: auto;
        text-decoration: none;
        color: inherit;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0 0.75rem;
        border-radius: var(--pf-radius, 6px);
        color: inherit;
      }
      nav a[aria-current='page'] {
        font-weight: 700;
        background: var(--pf-color-surface-hover, rgba(26, 86, 219, 0.1));
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .tools select {
        width: auto;
      }
      .tools label {
        font-size: 0.875rem;
      }
      main {
        padding: 1rem;
        max-width: 72rem;
        margin: 0 auto;
      }
      main:focus {
        outline: none;
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 0.5rem;
        top: 0.5rem;
        z-index: 10;
      }
      .tabs {
        margin: 0 0 1rem;
        border-bottom: 1px solid var(--pf-color-border, #767676);
      }
      .event-title {
        margin: 0 0 0.25rem;
        font-size: 0.95rem;
        color: var(--pf-color-text-muted, #555);
      }
      @media (max-width: 40rem) {
        header {
          padding: 0.5rem;
        }
        main {
          padding: 0.75rem 0.5rem;
        }
      }
    `,
  ];

  @state() private session: Session | null = null;
  /** null: asking the server; 'ready'; an error while asking. */
  @state() private boot: 'loading' | 'ready' | { error: unknown } = 'loading';
  @state() private route: Route = parseRoute(location.hash);
  @state() private loaded = new Set<string>();
  @state() private pageError: unknown = null;
  @state() private event: AdminEvent | null = null;
  @state() private eventError: unknown = null;
  /** The organisation's plan and products (null: not known, e.g. the role may not read it; nothing is locked then). */
  @state() private credits: CreditsSummary | null = null;
  /** A message for the sign-in page, translated when it renders. */
  @state() private notice: '' | 'session-ended' | 'signed-out' = '';

  constructor() {
    super();
    this.api = new ConsoleApi('');
  }

  private onHash = () => {
    this.route = parseRoute(location.hash);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.api.addEventListener('session-ended', this.onSessionEnded);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    this.api.removeEventListener('session-ended', this.onSessionEnded);
  }

  private onSessionEnded = () => {
    if (!this.session) return;
    this.session = null;
    this.notice = 'session-ended';
  };

  private async start() {
    this.boot = 'loading';
    try {
      this.signedIn(await this.api.session());
      this.boot = 'ready';
    } catch (error) {
      this.boot = { error };
    }
  }

  private signedIn(session: Session | null) {
    this.session = session;
    if (!session) return;
    this.notice = '';
    let saved = 0;
    try {
      saved = Number(localStorage.getItem(ORG_KEY));
    } catch {
      /* storage blocked */
    }
    const org = session.orgs.find((o) => o.org_id === saved) ?? session.orgs[0];
    this.org = org?.org_id ?? 0;
    this.access = org?.role ?? 'viewer';
  }

  private get currentOrg(): SessionOrg | undefined {
    return this.session?.orgs.find((o) => o.org_id === this.org);
  }

  private switchOrg(e: Event) {
    const id = Number((e.target as HTMLSelectElement).value);
    const org = this.session?.orgs.find((o) => o.org_id === id);
    if (!org) return;
    this.org = org.org_id;
    this.access = org.role;
    this.event = null;
    try {
      localStorage.setItem(ORG_KEY, String(org.org_id));
    } catch {
      /* storage blocked */
    }
    go('/events');
  }

  private async signOut() {
    try {
      await this.api.logout(false);
    } catch {
      /* signed out locally anyway */
    }
    this.session = null;
    this.notice = 'signed-out';
    go('/sign-in');
  }

  /** The page module a route needs, or null. */
  private pageKey(route: Route): string | null {
    switch (route.name) {
      case 'events':
      case 'home':
        return 'events';
      case 'new-event':
        return 'new-event';
      case 'event':
        return route.tab ?? tabsFor(this.access)[0]!;
      case 'members':
      case 'jobs':
      case 'account':
      case 'invite':
      case 'operator':
        return route.name;
      case 'credits':
        return route.tab;
      default:
        return null;
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    // The plan decides which tabs show locked: asked per organisation, and again on each visit to the Credits area.
    if (
      this.session &&
      this.org &&
      ((changed.has('org') || changed.has('session')) && this.credits?.org_id !== this.org
        ? true
        : changed.has('route') && this.route.name === 'credits')
    )
      void this.loadCredits(this.org);
    if (changed.has('route') || changed.has('session') || changed.has('access')) {
      const key = this.pageKey(this.route);
      if (key && !this.loaded.has(key) && (this.session || key === 'invite')) void this.load(key);
      const r = this.route;
      if (r.name === 'event' && this.session && (this.event?.event_id !== r.eventId || changed.has('access')))
        void this.loadEvent(r.eventId);
    }
  }

  /** Set by a navigation: the next page that renders takes the focus on its heading (once its module is loaded). */
  private focusPending = false;

  protected override updated(changed: PropertyValues): void {
    if (changed.has('route') || changed.has('loaded') || changed.has('session') || changed.has('event')) {
      document.title = `${this.pageTitle()} · photo-finish`;
    }
    // Not on the very first render (the page is the document's start); after any navigation or sign-in.
    if (changed.get('route') !== undefined || changed.get('session') !== undefined) this.focusPending = true;
    if (this.focusPending) {
      const page = this.renderRoot.querySelector<ConsoleElement>('main > [data-page]');
      if (page) {
        this.focusPending = false;
        void page.updateComplete.then(() => page.focusHeading?.());
      }
    }
  }

  private async load(key: string) {
    this.pageError = null;
    try {
      await PAGES[key]!();
      this.loaded = new Set([...this.loaded, key]);
    } catch (e) {
      this.pageError = e;
    }
  }

  /** The organisation's plan and products, for the locked tabs; refreshed on each visit to the Credits area. */
  private async loadCredits(org: number) {
    if (this.credits?.org_id !== org) this.credits = null;
    try {
      const c = await this.api.get<CreditsSummary>(this.api.admin(org, '/credits'));
      if (org === this.org) this.credits = c;
    } catch {
      /* not readable by this role: nothing shows locked, the server still refuses what the plan lacks */
    }
  }

  /** The plan's verdict on a product: null when included (or not known). */
  private locked(product: Product | undefined): { needed: 'pro' | 'enterprise' } | null {
    if (!product || !this.credits) return null;
    const p = this.credits.products.find((x) => x.product === product);
    return p && !p.unlocked ? { needed: p.plan_required } : null;
  }

  private async loadEvent(id: number) {
    this.eventError = null;
    if (this.event?.event_id !== id) this.event = null;
    try {
      this.event = await this.api.get<AdminEvent>(this.api.admin(this.org, `/events/${id}`));
    } catch (e) {
      this.eventError = e;
    }
  }

  private pageTitle(): string {
    const r = this.route;
    if (!this.session && r.name !== 'invite') return msg('Sign in', { id: 'console.sign-in' });
    switch (r.name) {
      case 'invite':
        return msg('Invitation', { id: 'console.invitation' });
      case 'members':
        return msg('Members', { id: 'console.members' });
      case 'jobs':
        return msg('Failed jobs', { id: 'console.failed-jobs' });
      case 'account':
        return msg('Account', { id: 'console.account' });
      case 'credits':
        return this.creditsTabLabel(r.tab);
      case 'operator':
        return msg('Operator', { id: 'console.operator' });
      case 'new-event':
        return msg('New event', { id: 'console.new-event' });
      case 'event':
        return this.event?.name ?? msg('Event', { id: 'console.event' });
      case 'not-found':
        return msg('Page not found', { id: 'console.not-found' });
      default:
        return msg('Events', { id: 'console.events' });
    }
  }

  private tabLabel(tab: EventTab): string {
    switch (tab) {
      case 'settings':
        return msg('Settings', { id: 'console.tab.settings' });
      case 'upload':
        return msg('Upload', { id: 'console.tab.upload' });
      case 'processing':
        return msg('Processing', { id: 'console.tab.processing' });
      case 'review':
        return msg('BIB review', { id: 'console.tab.review' });
      case 'certificates':
        return msg('Certificates', { id: 'console.tab.certificates' });
      case 'sales':
        return msg('Sales', { id: 'console.tab.sales' });
      case 'share':
        return msg('Share', { id: 'console.tab.share' });
    }
  }

  private creditsTabLabel(tab: CreditsTab): string {
    switch (tab) {
      case 'credits':
        return msg('Credits', { id: 'console.credits' });
      case 'billing':
        return msg('Billing & Transactions', { id: 'console.billing' });
      case 'subscription':
        return msg('Subscription', { id: 'console.subscription' });
      case 'buy':
        return msg('Buy credits', { id: 'console.buy-credits' });
    }
  }

  private skip() {
    const page = this.renderRoot.querySelector<ConsoleElement>('main > [data-page]');
    if (page?.focusHeading) page.focusHeading();
    else this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  private changeLanguage(e: Event) {
    setLanguage((e.target as HTMLSelectElement).value);
  }

  private renderHeader(): TemplateResult {
    const s = this.session;
    const r = this.route;
    const current = (name: string) =>
      r.name === name || (name === 'events' && (r.name === 'home' || r.name === 'event' || r.name === 'new-event'))
        ? 'page'
        : nothing;
    return html`<header>
      <button class="btn small skip" type="button" @click=${this.skip}>${msg('Skip to content', { id: 'console.skip' })}</button>
      <a class="brand" href=${href('/events')}
        >photo-finish <span class="muted">${msg('console', { id: 'console.brand' })}</span></a
      >
      ${
        s
          ? html`<nav aria-label=${msg('Main', { id: 'console.nav-main' })}>
              <ul>
                <li>
                  <a href=${href('/events')} aria-current=${current('events')}>${msg('Events', { id: 'console.events' })}</a>
                </li>
                ${
                  this.canManage
                    ? html`<li>
                        <a href=${href('/members')} aria-current=${current('members')}
                          >${msg('Members', { id: 'console.members' })}</a
                        >
                      </li>`
                    : nothing
                }
                ${
                  this.access !== 'photographer'
                    ? html`<li>
                        <a href=${href('/jobs')} aria-current=${current('jobs')}
                          >${msg('Failed jobs', { id: 'console.failed-jobs' })}</a
                        >
                      </li>`
                    : nothing
                }
                ${
                  this.canManage
                    ? html`<li>
                        <a href=${href('/credits')} aria-current=${current('credits')}
                          >${msg('Credits', { id: 'console.credits' })}</a
                        >
                      </li>`
                    : nothing
                }
                ${
                  isOperator(s)
                    ? html`<li>
                        <a href=${href('/operator')} aria-current=${current('operator')}
                          >${msg('Operator', { id: 'console.operator' })}</a
                        >
                      </li>`
                    : nothing
                }
                <li>
                  <a href=${href('/account')} aria-current=${current('account')}>${msg('Account', { id: 'console.account' })}</a>
                </li>
              </ul>
            </nav>`
          : nothing
      }
      <div class="tools">
        ${
          s && s.orgs.length > 1
            ? html`<label for="org">${msg('Organisation', { id: 'console.organisation' })}</label>
                <select id="org" @change=${this.switchOrg}>
                  ${s.orgs.map((o) => html`<option value=${o.org_id} ?selected=${o.org_id === this.org}>${o.name}</option>`)}
                </select>`
            : s && this.currentOrg
              ? html`<span>${this.currentOrg.name}</span>`
              : nothing
        }
        <label for="lang">${msg('Language', { id: 'console.language' })}</label>
        <select id="lang" @change=${this.changeLanguage}>
          ${LANGUAGES.map((l) => html`<option value=${l.tag} lang=${l.tag} ?selected=${this.locale === l.tag}>${l.name}</option>`)}
        </select>
        ${
          s
            ? html`<span class="muted">${s.user.email}</span>
                <button class="btn small" type="button" @click=${this.signOut}>
                  ${msg('Sign out', { id: 'console.sign-out' })}
                </button>`
            : nothing
        }
      </div>
    </header>`;
  }

  private renderPage(): TemplateResult | typeof nothing {
    const r = this.route;
    if (this.boot === 'loading') return html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>`;
    if (typeof this.boot === 'object') return errorBox(this.boot.error, () => void this.start());
    if (r.name === 'invite')
      return this.pageOrLoading(
        'invite',
        () => html`<pfc-invite data-page .api=${this.api} token=${r.token} @signed-in=${this.onSignedIn}></pfc-invite>`,
      );
    if (!this.session) {
      return html`${
          this.notice
            ? html`<p class="notice" role="status">
                ${
                  this.notice === 'session-ended'
                    ? msg('Your session has ended. Sign in again.', { id: 'console.session-ended' })
                    : msg('You are signed out.', { id: 'console.signed-out' })
                }
              </p>`
            : nothing
        } <pfc-sign-in data-page .api=${this.api} @signed-in=${this.onSignedIn}></pfc-sign-in>`;
    }
    if (!this.currentOrg) {
      return html`<h1 tabindex="-1">${msg('No organisation', { id: 'console.no-org' })}</h1>
        <p>
          ${msg('Your account belongs to no organisation yet. Ask an owner for an invitation link.', { id: 'console.no-org-text' })}
        </p>`;
    }
    const common = { api: this.api, org: this.org, access: this.access };
    switch (r.name) {
      case 'sign-in':
      case 'home':
      case 'events':
        return this.pageOrLoading(
          'events',
          () => html`<pfc-events data-page .api=${common.api} org=${common.org} access=${common.access}></pfc-events>`,
        );
      case 'new-event':
        return this.pageOrLoading(
          'new-event',
          () =>
            html`<pfc-event-settings
              data-page
              .api=${common.api}
              org=${common.org}
              access=${common.access}
              .create=${true}
            ></pfc-event-settings>`,
        );
      case 'members':
        return this.pageOrLoading(
          'members',
          () => html`<pfc-members data-page .api=${common.api} org=${common.org} access=${common.access}></pfc-members>`,
        );
      case 'jobs':
        return this.pageOrLoading(
          'jobs',
          () => html`<pfc-failed-jobs data-page .api=${common.api} org=${common.org} access=${common.access}></pfc-failed-jobs>`,
        );
      case 'account':
        return this.pageOrLoading(
          'account',
          () =>
            html`<pfc-account
              data-page
              .api=${common.api}
              org=${common.org}
              access=${common.access}
              .session=${this.session}
              @signed-out=${this.onSignedOut}
            ></pfc-account>`,
        );
      case 'event':
        return this.renderEvent(r.eventId, r.tab);
      case 'credits':
        return this.renderCredits(r.tab, r.query);
      case 'operator':
        if (!isOperator(this.session))
          return html`<h1 tabindex="-1">${msg('Operator', { id: 'console.operator' })}</h1>
            <p class="error" role="alert">
              ${msg('Only server operators can use this page.', { id: 'console.operator-only' })}
            </p>`;
        return this.pageOrLoading(
          'operator',
          () => html`<pfc-operator data-page .api=${common.api} org=${common.org} access=${common.access}></pfc-operator>`,
        );
      default:
        return html`<h1 tabindex="-1">${msg('Page not found', { id: 'console.not-found' })}</h1>
          <p><a href=${href('/events')}>${msg('Back to the events', { id: 'console.back-to-events' })}</a></p>`;
    }
  }

  private pageOrLoading(key: string, page: () => TemplateResult): TemplateResult {
    if (this.loaded.has(key)) return page();
    if (this.pageError) return errorBox(this.pageError, () => void this.load(key));
    return html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>`;
  }

  /** The Credits area: its pages (Buy credits for owners and admins only) under one navigation. */
  private renderCredits(tab: CreditsTab, query: Record<string, string>): TemplateResult {
    const tabs = CREDITS_TABS.filter((t) => t !== 'buy' || this.canManage);
    const c = { api: this.api, org: this.org, access: this.access };
    const pages: Record<CreditsTab, () => TemplateResult> = {
      credits: () => html`<pfc-credits data-page .api=${c.api} org=${c.org} access=${c.access}></pfc-credits>`,
      billing: () => html`<pfc-billing data-page .api=${c.api} org=${c.org} access=${c.access}></pfc-billing>`,
      subscription: () => html`<pfc-subscription data-page .api=${c.api} org=${c.org} access=${c.access}></pfc-subscription>`,
      buy: () => html`<pfc-purchase data-page .api=${c.api} org=${c.org} access=${c.access} .query=${query}></pfc-purchase>`,
    };
    return html`<nav class="tabs" aria-label=${msg('Credits pages', { id: 'console.nav-credits' })}>
        <ul>
          ${tabs.map(
            (t) =>
              html`<li>
                <a href=${href(t === 'credits' ? '/credits' : `/credits/${t}`)} aria-current=${t === tab ? 'page' : nothing}
                  >${this.creditsTabLabel(t)}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      ${
        this.canManage
          ? this.pageOrLoading(tab, pages[tab])
          : html`<h1 tabindex="-1">${this.creditsTabLabel(tab)}</h1>
              <p class="error" role="alert">
                ${msg('Your role does not give access to this page.', { id: 'console.forbidden' })}
              </p>`
      }`;
  }

  private renderEvent(eventId: number, tab: EventTab | null): TemplateResult {
    const tabs = tabsFor(this.access);
    const active = tab ?? tabs[0]!;
    if (this.eventError) return errorBox(this.eventError, () => void this.loadEvent(eventId));
    if (!this.event || this.event.event_id !== eventId)
      return html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>`;
    const ev = this.event;
    const c = { api: this.api, org: this.org, access: this.access };
    const pages: Record<EventTab, () => TemplateResult> = {
      settings: () =>
        html`<pfc-event-settings
          data-page
          .api=${c.api}
          org=${c.org}
          access=${c.access}
          .event=${ev}
          @event-changed=${this.onEventChanged}
        ></pfc-event-settings>`,
      upload: () => html`<pfc-upload data-page .api=${c.api} org=${c.org} access=${c.access} .event=${ev}></pfc-upload>`,
      processing: () =>
        html`<pfc-processing data-page .api=${c.api} org=${c.org} access=${c.access} .event=${ev}></pfc-processing>`,
      review: () => html`<pfc-bib-review data-page .api=${c.api} org=${c.org} access=${c.access} .event=${ev}></pfc-bib-review>`,
      certificates: () =>
        html`<pfc-certificates data-page .api=${c.api} org=${c.org} access=${c.access} .event=${ev}></pfc-certificates>`,
      sales: () => html`<pfc-sales data-page .api=${c.api} org=${c.org} access=${c.access} .event=${ev}></pfc-sales>`,
      share: () => html`<pfc-share data-page .api=${c.api} org=${c.org} access=${c.access} .event=${ev}></pfc-share>`,
    };
    return html`<p class="event-title"><a href=${href('/events')}>${msg('Events', { id: 'console.events' })}</a> › ${ev.name}</p>
      <nav class="tabs" aria-label=${msg('Event pages', { id: 'console.nav-event' })}>
        <ul>
          ${tabs.map(
            (t) =>
              html`<li>
                <a href=${href(`/events/${eventId}/${t}`)} aria-current=${t === active ? 'page' : nothing}
                  >${this.tabLabel(t)}${
                    this.locked(TAB_PRODUCT[t])
                      ? html` <span class="lock">(${msg('locked', { id: 'console.tab-locked' })})</span>`
                      : nothing
                  }</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      ${
        tabs.includes(active)
          ? this.locked(TAB_PRODUCT[active])
            ? html`<h1 tabindex="-1">${this.tabLabel(active)}</h1>
                ${lockedPanel(TAB_PRODUCT[active]!, this.credits!.plan, this.locked(TAB_PRODUCT[active])!.needed)}`
            : this.pageOrLoading(active, pages[active])
          : html`<h1 tabindex="-1">${this.tabLabel(active)}</h1>
              <p class="error" role="alert">
                ${msg('Your role does not give access to this page.', { id: 'console.forbidden' })}
              </p>`
      }`;
  }

  private onSignedIn = (e: CustomEvent<Session>) => {
    this.signedIn(e.detail);
    this.boot = 'ready';
    const r = this.route;
    if (r.name === 'sign-in' || r.name === 'invite') go('/events');
  };

  private onSignedOut = () => {
    this.session = null;
    this.notice = 'signed-out';
    go('/sign-in');
  };

  private onEventChanged = (e: CustomEvent<AdminEvent>) => {
    this.event = e.detail;
  };

  /** Pages are made anew for another organisation or event (each loads its data when it connects). */
  private pageIdentity(): string {
    const r = this.route;
    const where =
      r.name === 'event'
        ? `${r.eventId}/${r.tab ?? ''}`
        : r.name === 'credits'
          ? `${r.tab}?${new URLSearchParams(r.query).toString()}`
          : '';
    return `${this.org}|${r.name}|${where}|${this.session ? 1 : 0}`;
  }

  override render() {
    return html`${this.renderHeader()}
      <main id="main" tabindex="-1">${keyed(this.pageIdentity(), this.renderPage())}</main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-app': PfcApp;
  }
}
