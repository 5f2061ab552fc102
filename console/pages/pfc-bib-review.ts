import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminEvent } from '../../core/api/admin.ts';
import type { BibPhoto, BibPhotoPage, BibTag } from '../../core/api/bibtrack.ts';
import { bibProblem } from '../../core/bib.ts';
import { cssomStyle } from '../../widgets/shared/cssom-style.ts';
import { msg, str } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';

const PAGE_SIZE = 50;

/**
 * The BIB review queue, keyboard first: the photos without an accepted bib, one at a time, with the OCR's read
 * boxes drawn on the photo and its candidate reads. A accepts the first candidate, R rejects it, typing a bib and
 * Enter tags the photo by hand, N / → next, P / ← previous. A photo that gets a bib leaves the queue.
 *
 * @element pfc-bib-review
 */
@customElement('pfc-bib-review')
export class PfcBibReview extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      .layout {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
      }
      @media (max-width: 48rem) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      .photo {
        position: relative;
        display: inline-block;
        max-width: 100%;
      }
      .photo img {
        display: block;
        max-width: 100%;
        max-height: 70vh;
        height: auto;
      }
      .box {
        position: absolute;
        border: 3px solid #ffd400;
        outline: 1px solid #000;
        pointer-events: none;
      }
      .box span {
        position: absolute;
        top: -1.6em;
        left: -3px;
        background: #ffd400;
        color: #000;
        font-size: 0.8rem;
        padding: 0 0.25rem;
        white-space: nowrap;
      }
      ul.cands {
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      ul.cands li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        padding: 0.25rem 0;
      }
      kbd {
        border: 1px solid var(--pf-color-border, #767676);
        border-radius: 3px;
        padding: 0 0.3rem;
        font-size: 0.85em;
      }
    `,
  ];

  @property({ attribute: false }) event!: AdminEvent;
  @state() private photos: BibPhoto[] = [];
  @state() private total = 0;
  @state() private index = 0;
  @state() private loading = true;
  @state() private error: unknown = null;
  @state() private actionError: unknown = null;
  @state() private bibError = '';
  @state() private announce = '';
  @state() private cleared = 0;
  private page = 1;

  private base(rest: string) {
    return this.api.admin(this.org, `/events/${this.event.event_id}${rest}`);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The keys work wherever the focus is in the page (heading, buttons), not only in the form.
    this.addEventListener('keydown', this.onKey);
    void this.load();
  }

  private async load() {
    this.loading = true;
    this.error = null;
    try {
      const p = await this.api.get<BibPhotoPage>(this.base(`/bibs/untagged?page=${this.page}&page_size=${PAGE_SIZE}`));
      this.photos = p.photos;
      this.total = p.pagination.total;
      this.index = 0;
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  private get current(): BibPhoto | undefined {
    return this.photos[this.index];
  }

  private candidates(p: BibPhoto): BibTag[] {
    return p.bibs.filter((b) => b.status === 'candidate').sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0));
  }

  private move(by: number) {
    const next = this.index + by;
    if (next >= 0 && next < this.photos.length) {
      this.index = next;
      this.actionError = null;
      this.bibError = '';
    } else if (next >= this.photos.length && this.photos.length) {
      // The end of this batch: fetch the queue again (tagged photos have left it).
      void this.load();
    }
  }

  /** Applies the server's answer; a photo with an accepted bib leaves the queue and the next one shows. */
  private applied(p: BibPhoto, said: string) {
    const done = p.bibs.some((b) => b.status === 'accepted');
    if (done) {
      this.photos = this.photos.filter((x) => x.image_id !== p.image_id);
      this.total = Math.max(0, this.total - 1);
      this.cleared++;
      if (this.index >= this.photos.length) {
        if (this.total > 0) void this.load();
        else this.index = Math.max(0, this.photos.length - 1);
      }
    } else {
      this.photos = this.photos.map((x) => (x.image_id === p.image_id ? p : x));
    }
    this.announce = said;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#bib')?.focus());
  }

  private async review(tag: BibTag, status: 'accepted' | 'rejected') {
    const p = this.current;
    if (!p) return;
    this.actionError = null;
    try {
      const r = await this.api.patch<BibPhoto>(this.base(`/photos/${encodeURIComponent(p.image_id)}/bibs/${tag.tag_id}`), {
        status,
      });
      this.applied(
        r,
        status === 'accepted'
          ? msg(str`Bib ${tag.bib} accepted.`, { id: 'console.bib-accepted' })
          : msg(str`Read ${tag.bib} rejected.`, { id: 'console.bib-rejected' }),
      );
    } catch (e) {
      this.actionError = e;
    }
  }

  private async typed(e: SubmitEvent) {
    e.preventDefault();
    const p = this.current;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#bib');
    if (!p || !input) return;
    const bib = input.value.trim();
    const problem = bib ? bibProblem(bib) : msg('Type a bib number.', { id: 'console.bib-empty' });
    this.bibError = problem ?? '';
    if (problem) return;
    this.actionError = null;
    try {
      const r = await this.api.post<BibPhoto>(this.base(`/photos/${encodeURIComponent(p.image_id)}/bibs`), { bib });
      input.value = '';
      this.applied(r, msg(str`Bib ${bib} added.`, { id: 'console.bib-added' }));
    } catch (err) {
      this.actionError = err;
    }
  }

  private onKey = (e: KeyboardEvent) => {
    const t = e.composedPath()[0] as HTMLElement;
    const typing = t instanceof HTMLInputElement && t.type === 'text';
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const p = this.current;
    if (typing) {
      if (e.key === 'Escape') (t as HTMLInputElement).blur();
      return;
    }
    const first = p ? this.candidates(p)[0] : undefined;
    switch (e.key) {
      case 'a':
      case 'A':
        if (first && this.canManage) void this.review(first, 'accepted');
        break;
      case 'r':
      case 'R':
        if (first && this.canManage) void this.review(first, 'rejected');
        break;
      case 'n':
      case 'N':
      case 'ArrowRight':
        this.move(1);
        break;
      case 'p':
      case 'P':
      case 'ArrowLeft':
        this.move(-1);
        break;
      case 'b':
      case '/':
        this.renderRoot.querySelector<HTMLInputElement>('#bib')?.focus();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  private renderBoxes(p: BibPhoto) {
    return p.bibs
      .filter((b) => b.box && b.status !== 'rejected')
      .map((b) => {
        const [x1, y1, x2, y2] = b.box!;
        const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(2)}%`;
        return html`<div
          class="box"
          ${cssomStyle({ left: pct(x1, p.width), top: pct(y1, p.height), width: pct(x2 - x1, p.width), height: pct(y2 - y1, p.height) })}
        >
          <span>${b.bib}</span>
        </div>`;
      });
  }

  override render() {
    const p = this.current;
    return html`<h1 tabindex="-1">${msg('BIB review', { id: 'console.tab.review' })}</h1>
      <p class="muted">
        ${msg('Keys:', { id: 'console.keys' })} <kbd>A</kbd> ${msg('accept the first read', { id: 'console.key-a' })},
        <kbd>R</kbd> ${msg('reject it', { id: 'console.key-r' })}, <kbd>B</kbd> ${msg('type a bib', { id: 'console.key-b' })},
        <kbd>N</kbd> / <kbd>→</kbd> ${msg('next', { id: 'console.key-n' })}, <kbd>P</kbd> /
        <kbd>←</kbd> ${msg('previous', { id: 'console.key-p' })}.
      </p>
      <p role="status" aria-live="polite" class="visually-hidden">${this.announce}</p>
      ${this.error ? errorBox(this.error, () => void this.load()) : nothing}
      ${this.loading && !this.photos.length ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${
        !this.loading && !this.error && !p
          ? html`<p class="notice" role="status">
              ${msg('Every photo has a bib. Nothing to review.', { id: 'console.review-empty' })}
            </p>`
          : nothing
      }
      ${p ? this.renderPhoto(p) : nothing}`;
  }

  private renderPhoto(p: BibPhoto) {
    const cands = this.candidates(p);
    const rejected = p.bibs.filter((b) => b.status === 'rejected');
    return html`<p>
        ${msg(str`Photo ${this.index + 1} of ${this.photos.length} in this batch · ${this.total} without a bib · ${this.cleared} cleared`, { id: 'console.review-count' })}
      </p>
      <div class="layout" id="review">
        <div>
          <div class="photo">
            <img src=${p.preview_url || p.thumbnail_url} alt=${msg(str`Photo ${p.original_name}`, { id: 'console.photo-alt' })} />
            ${this.renderBoxes(p)}
          </div>
        </div>
        <div>
          <h2>${p.original_name}</h2>
          ${this.actionError ? errorBox(this.actionError) : nothing}
          <h3>${msg('Candidate reads', { id: 'console.candidates' })}</h3>
          ${
            cands.length
              ? html`<ul class="cands">
                  ${cands.map(
                    (b) =>
                      html`<li>
                        <strong>${b.bib}</strong>
                        <span class="muted">${b.confidence !== null ? `${Math.round(b.confidence * 100)} %` : ''}</span>
                        ${
                          this.canManage
                            ? html`<button class="btn small" type="button" @click=${() => this.review(b, 'accepted')}>
                                  ${msg(str`Accept ${b.bib}`, { id: 'console.accept-bib' })}
                                </button>
                                <button class="btn small danger" type="button" @click=${() => this.review(b, 'rejected')}>
                                  ${msg(str`Reject ${b.bib}`, { id: 'console.reject-bib' })}
                                </button>`
                            : nothing
                        }
                      </li>`,
                  )}
                </ul>`
              : html`<p class="muted">
                  ${p.scan ? msg('The OCR found no bib on this photo.', { id: 'console.no-reads' }) : msg('The OCR has not read this photo.', { id: 'console.not-read' })}
                </p>`
          }
          ${rejected.length ? html`<p class="muted">${msg('Rejected:', { id: 'console.rejected' })} ${rejected.map((b) => b.bib).join(', ')}</p>` : nothing}
          ${
            this.canManage
              ? html`<form @submit=${this.typed}>
                  <div class="field">
                    <label for="bib">${msg('Bib number', { id: 'console.bib-number' })}</label>
                    <input
                      id="bib"
                      type="text"
                      inputmode="text"
                      autocomplete="off"
                      aria-describedby="bib-error"
                      aria-invalid=${this.bibError ? 'true' : 'false'}
                    />
                    <p class="field-error" id="bib-error">${this.bibError}</p>
                  </div>
                  <div class="row">
                    <button class="btn primary" type="submit">${msg('Add the bib', { id: 'console.add-bib' })}</button>
                    <button class="btn" type="button" @click=${() => this.move(-1)} ?disabled=${this.index === 0}>
                      ${msg('Previous', { id: 'console.previous' })}
                    </button>
                    <button class="btn" type="button" @click=${() => this.move(1)}>${msg('Next', { id: 'console.next' })}</button>
                  </div>
                </form>`
              : html`<div class="row">
                  <button class="btn" type="button" @click=${() => this.move(-1)} ?disabled=${this.index === 0}>
                    ${msg('Previous', { id: 'console.previous' })}
                  </button>
                  <button class="btn" type="button" @click=${() => this.move(1)}>${msg('Next', { id: 'console.next' })}</button>
                </div>`
          }
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-bib-review': PfcBibReview;
  }
}
