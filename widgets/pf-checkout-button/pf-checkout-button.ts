import { html, nothing, type CSSResultGroup, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { formatMoney, orderReference } from '../../core/checkout-format.ts';
import type { CheckoutInfo, Order, Quote } from '../../core/checkout.ts';
import { ApiRequestError, type ApiClient } from '../api/client.ts';
import '../api/endpoints.ts';
import type { PfResultsDetail, PfSelectionChangeDetail } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import { defineElement, emit } from '../shared/define.ts';
import { downloadOriginals } from '../shared/download.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, urlWith } from '../shared/url-state.ts';
import { newIdempotencyKey, savedOrders, type SavedOrder, type Selection } from './orders.ts';
import { checkoutStyles } from './pf-checkout-button.styles.ts';

/** `pf-checkout`: the checkout moved on. Cancel the `redirect` step to send the buyer to `checkoutUrl` yourself. */
export interface PfCheckoutDetail {
  step: 'redirect' | 'paid' | 'cancelled' | 'failed' | 'refunded';
  orderId: string;
  amount: number;
  currency: string;
  /** Only on `redirect`: the gateway's payment page. */
  checkoutUrl?: string;
}

declare module '../events.ts' {
  interface PfEventMap {
    'pf-checkout': PfCheckoutDetail;
  }
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'redirecting' }
  | { kind: 'confirming'; saved: SavedOrder; gaveUp: boolean }
  | { kind: 'paid'; order: Order; saved: SavedOrder }
  | { kind: 'ended'; order: Order; saved: SavedOrder | null; why: 'cancelled' | 'failed' | 'refunded' };

/** How long a returning buyer waits for the gateway's confirmation before "check again". */
const CONFIRM_FOR_MS = 120_000;

/**
 * Sells the photos a participant picked: shows the server's price of the selection, creates the order,
 * sends the buyer to the payment page, and when they come back waits for the payment's confirmation and
 * offers the originals (one ZIP, or one by one) and the receipt.
 *
 * What it sells, first match wins: the `bib` attribute (all photos of that BIB), `request-id` (all photos of
 * a selfie search), the `imageIds` property, the photos selected in a `pf-gallery selectable` (it listens to
 * `pf-selection-change` from the element named by `for`, else from its pf-event ancestor), else the last BIB
 * or selfie search shown there (`pf-results`).
 *
 * @summary Buy the selected photos, pay on the gateway's page, download the originals.
 * @element pf-checkout-button
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr for - id of the element (a pf-gallery, a pf-bib-search…) whose selection and searches it follows
 * @attr bib - sell all photos of this BIB
 * @attr request-id - sell all photos of this selfie search
 * @attr return-url - page the gateway sends the buyer back to (default: this page)
 * @fires pf-checkout - the checkout moved on: { step, orderId, amount, currency, checkoutUrl? }; cancel `redirect` to navigate yourself
 * @fires pf-error - the order or a download failed: { source, message, status }
 * @fires pf-download - (one by one) originals saved: { method, identifier, count, ok }
 * @csspart base - the wrapper
 * @csspart summary - the price line of the selection
 * @csspart price - the amount
 * @csspart button - the Buy button
 * @csspart status - progress and outcome messages (a live region)
 * @csspart error - an error message
 * @csspart retry - the "Try again" / "Check again" button
 * @csspart downloads - the box offered after payment
 * @csspart zip - the "Download all (ZIP)" button
 * @csspart one-by-one - the "Download one by one" button
 * @csspart receipt - the receipt link
 * @csspart unavailable - the notice shown when nothing is for sale
 * @cssproperty --pf-color-accent - the Buy button's colour
 */
export class PfCheckoutButton extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, checkoutStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property({ attribute: 'for' }) for = '';
  @property() bib = '';
  @property({ attribute: 'request-id' }) requestId = '';
  @property({ attribute: 'return-url' }) returnUrl = '';
  /** Photos to sell, set from script (takes precedence over a gallery's selection). */
  @property({ attribute: false }) imageIds: string[] = [];

  @state() private info: CheckoutInfo | null = null;
  @state() private infoError: ApiRequestError | null = null;
  @state() private quote: Quote | null = null;
  @state() private quoteError: string | null = null;
  @state() private quoting = false;
  @state() private selectedIds: string[] = [];
  @state() private lastSearch: Selection | null = null;
  @state() private phase: Phase = { kind: 'idle' };
  @state() private error: string | null = null;
  @state() private notice: string | null = null;
  @state() private downloading = false;

  private api: ApiClient | null = null;
  private readonly event = new EventConsumer(this, (v) => this.connectEvent(v.client));
  private source: EventTarget | null = null;
  private quoteAbort: AbortController | null = null;
  private quoteTimer: ReturnType<typeof setTimeout> | null = null;
  private quotedKey = '';
  private idempotency: { key: string; selection: string } | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private returnHandled = false;

  private readonly onSelection = (e: Event) => {
    this.selectedIds = [...(e as CustomEvent<PfSelectionChangeDetail>).detail.imageIds];
  };
  private readonly onResults = (e: Event) => {
    const d = (e as CustomEvent<PfResultsDetail>).detail;
    if (d.method === 'bib' && d.query) this.lastSearch = { bib: d.query };
    else if (d.method === 'selfie' && d.query) this.lastSearch = { request_id: d.query };
    else this.lastSearch = null;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten();
    this.quoteAbort?.abort();
    if (this.quoteTimer) clearTimeout(this.quoteTimer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
  }

  /** Follows the selection and searches of the `for` element, else of the pf-event ancestor, else the page. */
  private listen() {
    this.unlisten();
    const attach = () => {
      const target: EventTarget | null = this.for ? document.getElementById(this.for) : (this.closest('pf-event') ?? document);
      if (!target) return false;
      target.addEventListener('pf-selection-change', this.onSelection);
      target.addEventListener('pf-results', this.onResults);
      this.source = target;
      return true;
    };
    if (!attach()) document.addEventListener('DOMContentLoaded', () => attach(), { once: true });
  }

  private unlisten() {
    this.source?.removeEventListener('pf-selection-change', this.onSelection);
    this.source?.removeEventListener('pf-results', this.onResults);
    this.source = null;
  }

  private connectEvent(client: ApiClient) {
    if (this.api === client) return;
    this.api = client;
    this.info = null;
    this.infoError = null;
    this.quote = null;
    this.quotedKey = '';
    void this.loadInfo();
  }

  private async loadInfo() {
    const api = this.api;
    if (!api) return;
    this.infoError = null;
    try {
      const info = await api.checkoutInfo();
      if (api !== this.api) return;
      this.info = info;
      this.handleReturn();
    } catch (e) {
      if (api === this.api) this.infoError = e instanceof ApiRequestError ? e : new ApiRequestError(0, String(e));
    }
  }

  /** The selection to sell now, or null. */
  get selection(): Selection | null {
    if (this.bib.trim()) return { bib: this.bib.trim() };
    if (this.requestId.trim()) return { request_id: this.requestId.trim() };
    if (this.imageIds.length) return { image_ids: [...this.imageIds] };
    if (this.selectedIds.length) return { image_ids: [...this.selectedIds] };
    return this.lastSearch;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('for')) this.listen();
    const sel = this.selection;
    const key = sel ? JSON.stringify(sel) : '';
    if (key !== this.quotedKey && this.info?.enabled && this.phase.kind === 'idle') this.scheduleQuote(sel, key);
  }

  private scheduleQuote(sel: Selection | null, key: string) {
    this.quotedKey = key;
    this.quoteAbort?.abort();
    if (this.quoteTimer) clearTimeout(this.quoteTimer);
    this.quoteError = null;
    if (!sel) {
      this.quote = null;
      this.quoting = false;
      return;
    }
    this.quoting = true;
    // Selections change click by click: ask once they settle.
    this.quoteTimer = setTimeout(() => void this.fetchQuote(sel), 150);
  }

  private async fetchQuote(sel: Selection) {
    const api = this.api;
    if (!api) return;
    const abort = (this.quoteAbort = new AbortController());
    try {
      const quote = await api.quote(sel, abort.signal);
      if (abort.signal.aborted) return;
      this.quote = quote;
      this.quoteError = null;
    } catch (e) {
      if (abort.signal.aborted || (e as Error).name === 'AbortError') return;
      this.quote = null;
      this.quoteError = this.t(() => errorMessage((e as ApiRequestError).status ?? 0, (e as Error).message));
    } finally {
      if (!abort.signal.aborted) this.quoting = false;
    }
  }

  /** Places the order for the shown price and sends the buyer to the payment page. */
  async buy(): Promise<void> {
    const api = this.api;
    const sel = this.selection;
    const quote = this.quote;
    if (!api || !sel || !quote || this.phase.kind !== 'idle') return;
    const selKey = JSON.stringify(sel);
    // One key per attempt: a double click, or a retry after a lost answer, makes one order.
    if (this.idempotency?.selection !== selKey) this.idempotency = { key: newIdempotencyKey(), selection: selKey };
    this.phase = { kind: 'starting' };
    this.error = null;
    this.notice = null;
    try {
      const made = await api.createOrder(
        {
          ...sel,
          expected_amount: quote.amount,
          expected_currency: quote.currency,
          return_url: this.returnUrl || urlWith({ pf_order: null, pf_checkout: null }),
        },
        this.idempotency.key,
      );
      const saved: SavedOrder = {
        orderId: made.order.order_id,
        token: made.download_token,
        receiptUrl: made.receipt_url,
        eventKey: api.eventKey,
        savedAt: Date.now(),
      };
      savedOrders.save(saved);
      this.idempotency = null;
      const url = made.order.checkout_url;
      if (made.order.status === 'paid') return this.showPaid(made.order, saved);
      if (!url)
        throw new ApiRequestError(
          500,
          this.t(() => msg('The payment page is not available. Try again.', { id: 'checkout.no-payment-page' })),
        );
      this.phase = { kind: 'redirecting' };
      const go = emit(this, 'pf-checkout', {
        step: 'redirect',
        orderId: made.order.order_id,
        amount: made.order.amount,
        currency: made.order.currency,
        checkoutUrl: url,
      });
      if (go) location.assign(url);
    } catch (e) {
      const err = e instanceof ApiRequestError ? e : new ApiRequestError(0, String(e));
      this.phase = { kind: 'idle' };
      if (err.status === 409 && /price/i.test(err.message)) {
        // The price changed since it was shown: show the new one and let the buyer decide.
        this.idempotency = null;
        this.quotedKey = '';
        this.notice = this.t(() =>
          msg('The price has changed. Check the new price, then buy again.', { id: 'checkout.price-changed' }),
        );
        this.requestUpdate();
        return;
      }
      this.error = this.t(() => errorMessage(err.status, err.message));
      emit(this, 'pf-error', { source: 'pf-checkout-button', message: this.error, status: err.status });
    }
  }

  /** Coming back from the payment page: `?pf_order=…&pf_checkout=success|cancel`. */
  private handleReturn() {
    if (this.returnHandled || !this.api) return;
    const orderId = readParam('pf_order');
    if (!orderId) return;
    const saved = savedOrders.get(orderId, this.api.eventKey);
    if (!saved) return; // another event's button, or another browser
    this.returnHandled = true;
    this.phase = { kind: 'confirming', saved, gaveUp: false };
    void this.poll(saved, Date.now(), 0);
  }

  private async poll(saved: SavedOrder, since: number, n: number) {
    const api = this.api;
    if (!api) return;
    const cancelled = readParam('pf_checkout') === 'cancel';
    let order: Order;
    try {
      // Every third look asks the gateway itself, in case its webhook is late.
      order = await api.order(saved.orderId, saved.token, n % 3 === 2);
    } catch (e) {
      const err = e as ApiRequestError;
      this.phase = { kind: 'idle' };
      this.error = this.t(() => errorMessage(err.status ?? 0, err.message));
      return;
    }
    if (order.status === 'paid') return this.showPaid(order, saved);
    if (order.status !== 'pending' || cancelled) {
      const why = order.status === 'refunded' ? 'refunded' : order.status === 'failed' ? 'failed' : 'cancelled';
      this.phase = { kind: 'ended', order, saved, why };
      emit(this, 'pf-checkout', { step: why, orderId: order.order_id, amount: order.amount, currency: order.currency });
      return;
    }
    if (Date.now() - since > CONFIRM_FOR_MS) {
      this.phase = { kind: 'confirming', saved, gaveUp: true };
      return;
    }
    const delay = Math.min(5000, 1000 + n * 500);
    this.pollTimer = setTimeout(() => void this.poll(saved, since, n + 1), delay);
  }

  private showPaid(order: Order, saved: SavedOrder) {
    this.phase = { kind: 'paid', order, saved };
    // The event's other widgets (a gallery's lightbox) may now download these originals too.
    if (this.event.value) this.event.value.client.orderToken = saved.token;
    emit(this, 'pf-checkout', { step: 'paid', orderId: order.order_id, amount: order.amount, currency: order.currency });
  }

  private checkAgain(saved: SavedOrder) {
    this.phase = { kind: 'confirming', saved, gaveUp: false };
    void this.poll(saved, Date.now(), 2);
  }

  private startOver() {
    this.phase = { kind: 'idle' };
    this.error = null;
    this.notice = null;
    this.quotedKey = '';
    this.requestUpdate();
  }

  /** Fetches a fresh signed ZIP link (they last an hour) and lets the browser download it. */
  private async downloadZip(saved: SavedOrder) {
    if (!this.api) return;
    this.downloading = true;
    this.error = null;
    try {
      const order = await this.api.order(saved.orderId, saved.token);
      if (!order.zip_url)
        throw new ApiRequestError(
          403,
          this.t(() => msg('This order is not paid: its photos are locked.', { id: 'checkout.locked' })),
        );
      const a = document.createElement('a');
      a.href = order.zip_url;
      a.rel = 'noopener';
      a.download = '';
      a.hidden = true;
      this.renderRoot.append(a);
      a.click();
      a.remove();
      this.notice = this.t(() => msg('Your ZIP download has started.', { id: 'checkout.zip-started' }));
    } catch (e) {
      const err = e as ApiRequestError;
      this.error = this.t(() => errorMessage(err.status ?? 0, err.message));
    } finally {
      this.downloading = false;
    }
  }

  private async downloadEach(order: Order, saved: SavedOrder) {
    const client = this.event.value?.client;
    if (!client) return;
    this.downloading = true;
    this.error = null;
    client.orderToken = saved.token;
    try {
      const out = await downloadOriginals(client, { method: 'image_ids', identifier: order.image_ids });
      this.notice = this.t(() =>
        plural(this.locale, out.saved, {
          one: () => msg(str`${out.saved} photo saved.`, { id: 'checkout.saved-one' }),
          other: () => msg(str`${out.saved} photos saved.`, { id: 'checkout.saved' }),
        }),
      );
      emit(this, 'pf-download', { method: 'image_ids', identifier: order.image_ids, count: out.saved, ok: out.saved > 0 });
    } catch (e) {
      const err = e as ApiRequestError;
      this.error = this.t(() => errorMessage(err.status ?? 0, err.message));
    } finally {
      this.downloading = false;
    }
  }

  private money(amount: number, currency: string) {
    return formatMoney(amount, currency, this.formatTag);
  }

  private photos(n: number) {
    return plural(this.locale, n, {
      one: () => msg(str`${n} photo`, { id: 'checkout.photos-one' }),
      other: () => msg(str`${n} photos`, { id: 'checkout.photos' }),
    });
  }

  private renderIdle(info: CheckoutInfo): TemplateResult {
    const sel = this.selection;
    const q = this.quote;
    const busy = this.phase.kind === 'starting' || this.phase.kind === 'redirecting';
    const cheapest = [...info.plans].filter((p) => p.kind === 'single').sort((a, b) => a.price - b.price)[0];
    let summary: TemplateResult | string;
    if (!sel) {
      summary = cheapest
        ? msg(str`Select photos to buy them: ${this.money(cheapest.price, cheapest.currency)} per photo.`, {
            id: 'checkout.select-hint',
          })
        : msg('Select photos, or search your BIB, to buy them.', { id: 'checkout.select-hint-all' });
    } else if (this.quoteError) {
      summary = html`<span class="error">${this.quoteError}</span>`;
    } else if (!q || this.quoting) {
      summary = msg('Getting the price…', { id: 'checkout.pricing' });
    } else {
      const what =
        'bib' in sel
          ? msg(str`All photos of BIB ${sel.bib}`, { id: 'checkout.all-bib' })
          : 'request_id' in sel
            ? msg('All photos of your selfie search', { id: 'checkout.all-selfie' })
            : '';
      summary = html`${what ? html`${what} · ` : nothing}${this.photos(q.image_count)}:
        <strong part="price" class="price">${this.money(q.amount, q.currency)}</strong>
        <span class="muted"
          >${q.tax_inclusive ? msg('tax included', { id: 'checkout.tax-included' }) : msg('plus tax', { id: 'checkout.plus-tax' })}</span
        >`;
    }
    const ready = Boolean(sel && q && !this.quoting && !this.quoteError);
    const label = busy
      ? msg('Opening the payment page…', { id: 'checkout.starting' })
      : ready
        ? msg(str`Buy for ${this.money(q!.amount, q!.currency)}`, { id: 'checkout.buy-for' })
        : msg('Buy photos', { id: 'checkout.buy' });
    return html`
      <p class="summary" part="summary">${summary}</p>
      <button
        class="btn primary buy"
        part="button"
        ?disabled=${!ready || busy}
        aria-busy=${busy ? 'true' : 'false'}
        @click=${() => this.buy()}
      >
        ${label}
      </button>
    `;
  }

  private renderPaid(order: Order, saved: SavedOrder): TemplateResult {
    return html`<div class="downloads" part="downloads">
      <p class="title">${msg('Thank you! Your photos are ready.', { id: 'checkout.paid' })}</p>
      <p class="muted">
        ${msg(str`Order ${orderReference(order.order_id)} · ${this.money(order.amount, order.currency)}`, { id: 'checkout.order-line' })}
        · ${this.photos(order.image_ids.length)}
      </p>
      <div class="actions">
        <button class="btn primary" part="zip" ?disabled=${this.downloading} @click=${() => this.downloadZip(saved)}>
          ${msg('Download all (ZIP)', { id: 'checkout.zip' })}
        </button>
        <button class="btn" part="one-by-one" ?disabled=${this.downloading} @click=${() => this.downloadEach(order, saved)}>
          ${msg('Download one by one', { id: 'checkout.one-by-one' })}
        </button>
        <a class="btn" part="receipt" href=${saved.receiptUrl} target="_blank" rel="noopener"
          >${msg('Receipt', { id: 'checkout.receipt' })}</a
        >
      </div>
      <p class="muted small">
        ${msg('Keep this page or the receipt: they let you download your photos again.', { id: 'checkout.keep' })}
      </p>
      <button class="link" @click=${() => this.startOver()}>${msg('Buy more photos', { id: 'checkout.buy-more' })}</button>
    </div>`;
  }

  private renderStatus(): TemplateResult | typeof nothing {
    const p = this.phase;
    if (p.kind === 'confirming')
      return p.gaveUp
        ? html`${msg('Your payment is not confirmed yet. It can take a few minutes; you can also come back to this page later.', { id: 'checkout.slow' })}
            <button class="btn" part="retry" @click=${() => this.checkAgain(p.saved)}>
              ${msg('Check again', { id: 'checkout.check-again' })}
            </button>`
        : html`<span class="spinner" aria-hidden="true"></span>${msg('Confirming your payment…', { id: 'checkout.confirming' })}`;
    if (p.kind === 'ended') {
      const text =
        p.why === 'refunded'
          ? msg('This order was refunded: its photos are locked.', { id: 'checkout.refunded' })
          : p.why === 'failed'
            ? msg('The payment did not go through. Nothing was charged.', { id: 'checkout.failed' })
            : msg('Payment cancelled. Nothing was charged.', { id: 'checkout.cancelled' });
      return html`${text}
        <button class="btn" part="retry" @click=${() => this.startOver()}>${msg('Try again', { id: 'common.retry' })}</button>`;
    }
    return this.notice ? html`${this.notice}` : nothing;
  }

  override render() {
    const v = this.event.value;
    let body: TemplateResult | typeof nothing = nothing;
    if (!v) body = html`<p class="muted">${msg('Connecting to the photo server…', { id: 'common.connecting' })}</p>`;
    else if (this.infoError)
      body = html`<div class="notice" part="error" role="alert">
        <p class="error">${errorMessage(this.infoError.status, this.infoError.message)}</p>
        <button class="btn" part="retry" @click=${() => this.loadInfo()}>${msg('Try again', { id: 'common.retry' })}</button>
      </div>`;
    else if (!this.info) body = html`<p class="muted">${msg('Loading prices…', { id: 'checkout.loading' })}</p>`;
    else if (this.phase.kind === 'paid') body = this.renderPaid(this.phase.order, this.phase.saved);
    else if (this.phase.kind === 'confirming' || this.phase.kind === 'ended') body = nothing;
    else if (this.info.free_downloads)
      body = html`<p class="muted" part="unavailable">
        ${msg('The original photos of this event are free to download.', { id: 'checkout.free' })}
      </p>`;
    else if (!this.info.enabled)
      body = html`<p class="muted" part="unavailable">
        ${msg('Photos of this event are not for sale.', { id: 'checkout.off' })}
      </p>`;
    else body = this.renderIdle(this.info);
    return html`<div class="root" part="base">
      ${body}
      <p class="status" part="status" role="status" aria-live="polite">${this.renderStatus()}</p>
      ${this.error ? html`<p class="error" part="error" role="alert">${this.error}</p>` : nothing}
    </div>`;
  }
}

defineElement('pf-checkout-button', PfCheckoutButton);

declare global {
  interface HTMLElementTagNameMap {
    'pf-checkout-button': PfCheckoutButton;
  }
}
