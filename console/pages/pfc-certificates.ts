import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminEvent } from '../../core/api/admin.ts';
import type {
  BuiltinTemplateList,
  CertificateRecordPage,
  CertificateStatus,
  EventTemplate,
  ImportSummary,
} from '../../core/api/certificates.ts';
import type { CertificateField, CertificateTemplate } from '../../core/certify.ts';
import { cssomStyle } from '../../widgets/shared/cssom-style.ts';
import { ConsoleError } from '../api.ts';
import { msg, str } from '../i18n/index.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { formatInstant } from '../shared/format.ts';

const FONTS = ['PT Sans', 'PT Serif', 'Playfair Display'];
const COLUMNS = ['name', 'first_name', 'last_name', 'bib', 'category', 'gender', 'finish_time', 'rank'];
/** Width of the editor's preview, px (the template is scaled to it). */
const PREVIEW_WIDTH = 720;

/** Moves a field by the arrow keys: 1 px, 10 px with Shift. Returns null for other keys. */
export function nudge(key: string, shift: boolean): { dx: number; dy: number } | null {
  const step = shift ? 10 : 1;
  switch (key) {
    case 'ArrowLeft':
      return { dx: -step, dy: 0 };
    case 'ArrowRight':
      return { dx: step, dy: 0 };
    case 'ArrowUp':
      return { dx: 0, dy: -step };
    case 'ArrowDown':
      return { dx: 0, dy: step };
    default:
      return null;
  }
}

/**
 * Certificates of an event: a visual template editor (start from a built-in design or a background image, drag
 * the fields on the page or move them with the arrow keys, font, size, weight, colour, alignment, auto-shrink)
 * with a live preview rendered by the server on a real record; the results CSV upload with its row report; and
 * publishing (which says what is missing).
 *
 * @element pfc-certificates
 */
@customElement('pfc-certificates')
export class PfcCertificates extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      .editor {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 1fr) minmax(16rem, 20rem);
        align-items: start;
      }
      @media (max-width: 60rem) {
        .editor {
          grid-template-columns: 1fr;
        }
      }
      .page {
        position: relative;
        max-width: 100%;
        overflow: hidden;
        border: 1px solid var(--pf-color-border, #767676);
        background: #fff;
        touch-action: none;
      }
      .page img {
        display: block;
        width: 100%;
        height: 100%;
      }
      .fieldbox {
        position: absolute;
        border: 2px dashed rgba(26, 86, 219, 0.8);
        background: rgba(26, 86, 219, 0.06);
        cursor: move;
        padding: 0;
        margin: 0;
        color: transparent;
        font-size: 0;
      }
      .fieldbox[aria-pressed='true'] {
        border-style: solid;
        border-color: #d40;
        background: rgba(221, 68, 0, 0.1);
      }
      .busy {
        position: absolute;
        top: 0.25rem;
        right: 0.25rem;
        background: var(--pf-color-surface, #fff);
        padding: 0 0.4rem;
        font-size: 0.85rem;
      }
      .steps li[data-done='true'] {
        color: var(--pf-color-text-muted, #555);
      }
      .two {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 9rem), 1fr));
        gap: 0 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) event!: AdminEvent;
  @state() private status: CertificateStatus | null = null;
  @state() private template: CertificateTemplate | null = null;
  @state() private source = '';
  @state() private builtins: BuiltinTemplateList['templates'] = [];
  @state() private bibs: { bib: string; name: string }[] = [];
  @state() private previewBib = '';
  @state() private previewUrl = '';
  @state() private previewError: unknown = null;
  @state() private previewBusy = false;
  @state() private selected = '';
  @state() private dirty = false;
  @state() private error: unknown = null;
  @state() private saveError: unknown = null;
  @state() private notice = '';
  @state() private report: ImportSummary | null = null;
  @state() private importError: unknown = null;
  @state() private importing = false;
  @state() private publishError: unknown = null;
  private previewTimer: ReturnType<typeof setTimeout> | null = null;
  private previewSeq = 0;
  private drag: { id: string; startX: number; startY: number; x: number; y: number; scale: number } | null = null;

  private base(rest: string) {
    return this.api.admin(this.org, `/events/${this.event.event_id}/certificates${rest}`);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
  }

  private async load() {
    this.error = null;
    try {
      const [status, builtins, records] = await Promise.all([
        this.api.get<CertificateStatus>(this.base('')),
        this.api.get<BuiltinTemplateList>(this.base('/templates')),
        this.api.get<CertificateRecordPage>(this.base('/records?page_size=50')),
      ]);
      this.status = status;
      this.builtins = builtins.templates;
      this.bibs = records.records.map((r) => ({ bib: r.bib, name: r.name }));
      this.report = records.last_import;
      if (!this.previewBib || !this.bibs.some((b) => b.bib === this.previewBib)) this.previewBib = this.bibs[0]?.bib ?? '';
      if (status.template) {
        const t = await this.api.get<EventTemplate>(this.base('/template'));
        this.template = t.template;
        this.source = t.source;
        this.dirty = false;
        this.schedulePreview(0);
      } else this.template = null;
    } catch (e) {
      this.error = e;
    }
  }

  private async useBuiltin(id: string) {
    this.saveError = null;
    try {
      await this.api.put(this.base('/template'), { builtin: id.replace(/^builtin:/, '') });
      this.notice = msg('Template set. Adjust it below, then save.', { id: 'console.cert.template-set' });
      await this.load();
    } catch (e) {
      this.saveError = e;
    }
  }

  private schedulePreview(delay = 350) {
    if (this.previewTimer) clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => void this.renderPreview(), delay);
  }

  /** Asks the server to render the template as it is now (saved or not) for the chosen record. */
  private async renderPreview() {
    if (!this.template) return;
    const seq = ++this.previewSeq;
    this.previewBusy = true;
    const scale = Math.min(1, Math.max(0.1, PREVIEW_WIDTH / this.template.width));
    const q = new URLSearchParams({ scale: scale.toFixed(3) });
    if (this.previewBib) q.set('bib', this.previewBib);
    try {
      const blob = await this.api.blob('POST', this.base(`/preview?${q}`), { template: this.template });
      if (seq !== this.previewSeq) return;
      if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
      this.previewUrl = URL.createObjectURL(blob);
      this.previewError = null;
    } catch (e) {
      if (seq === this.previewSeq) this.previewError = e;
    } finally {
      if (seq === this.previewSeq) this.previewBusy = false;
    }
  }

  private patchField(id: string, patch: Partial<CertificateField>) {
    if (!this.template) return;
    this.template = { ...this.template, fields: this.template.fields.map((f) => (f.id === id ? { ...f, ...patch } : f)) };
    this.dirty = true;
    this.schedulePreview();
  }

  private addField() {
    if (!this.template) return;
    let n = this.template.fields.length + 1;
    while (this.template.fields.some((f) => f.id === `field${n}`)) n++;
    const t = this.template;
    const field: CertificateField = {
      id: `field${n}`,
      source: { text: msg('New text', { id: 'console.cert.new-text' }) },
      x: Math.round(t.width * 0.1),
      y: Math.round(t.height * 0.5),
      width: Math.round(t.width * 0.8),
      align: 'center',
      font: 'PT Sans',
      size: 32,
      weight: 400,
      italic: false,
      color: '#1f1f1f',
      autoShrink: true,
      minSize: 10,
      letterSpacing: 0,
      uppercase: false,
      hideIfEmpty: false,
    };
    this.template = { ...t, fields: [...t.fields, field] };
    this.selected = field.id;
    this.dirty = true;
    this.schedulePreview(0);
  }

  private removeField(id: string) {
    if (!this.template) return;
    this.template = { ...this.template, fields: this.template.fields.filter((f) => f.id !== id) };
    this.selected = '';
    this.dirty = true;
    this.schedulePreview(0);
  }

  private async save() {
    if (!this.template) return;
    this.saveError = null;
    try {
      await this.api.put(this.base('/template'), { template: this.template });
      this.dirty = false;
      this.notice = msg('Template saved.', { id: 'console.cert.saved' });
      this.status = await this.api.get<CertificateStatus>(this.base(''));
    } catch (e) {
      this.saveError = e;
    }
  }

  private async uploadBackground(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const fit = this.renderRoot.querySelector<HTMLSelectElement>('#bg-fit')?.value ?? 'cover';
    this.saveError = null;
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      await this.api.put(this.base(`/template/background?fit=${fit}`), form);
      input.value = '';
      this.notice = msg('Background image set.', { id: 'console.cert.background-set' });
      await this.load();
    } catch (err) {
      this.saveError = err;
    }
  }

  private async uploadRecords(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const file = d.get('file');
    if (!(file instanceof File) || !file.size) {
      this.importError = new ConsoleError(400, msg('Choose a results file (CSV or JSON).', { id: 'console.cert.choose-file' }));
      return;
    }
    this.importing = true;
    this.importError = null;
    try {
      const body = new FormData();
      body.append('mode', String(d.get('mode') ?? 'upsert'));
      body.append('file', file, file.name);
      this.report = await this.api.post<ImportSummary>(this.base('/records'), body);
      form.reset();
      await this.load();
    } catch (err) {
      this.importError = err;
    } finally {
      this.importing = false;
    }
  }

  private async publish(on: boolean) {
    this.publishError = null;
    try {
      this.status = await this.api.post<CertificateStatus>(this.base(on ? '/publish' : '/unpublish'));
      this.notice = on
        ? msg('Certificates published: participants can download theirs.', { id: 'console.cert.published' })
        : msg('Certificates unpublished.', { id: 'console.cert.unpublished' });
    } catch (e) {
      this.publishError = e;
    }
  }

  // --- dragging (pointer) and moving (keyboard) the fields on the page ---

  private scale(): number {
    const page = this.renderRoot.querySelector<HTMLElement>('.page');
    return page && this.template ? page.clientWidth / this.template.width : 1;
  }

  private down(e: PointerEvent, f: CertificateField) {
    if (!this.canManage) return;
    this.selected = f.id;
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    this.drag = { id: f.id, startX: e.clientX, startY: e.clientY, x: f.x, y: f.y, scale: this.scale() };
  }

  private move(e: PointerEvent) {
    const d = this.drag;
    if (!d || !this.template) return;
    const x = Math.round(d.x + (e.clientX - d.startX) / d.scale);
    const y = Math.round(d.y + (e.clientY - d.startY) / d.scale);
    this.template = { ...this.template, fields: this.template.fields.map((f) => (f.id === d.id ? { ...f, x, y } : f)) };
    this.dirty = true;
  }

  private up() {
    if (!this.drag) return;
    this.drag = null;
    this.schedulePreview(0);
  }

  private key(e: KeyboardEvent, f: CertificateField) {
    const n = nudge(e.key, e.shiftKey);
    if (!n || !this.canManage) return;
    e.preventDefault();
    this.selected = f.id;
    this.patchField(f.id, { x: f.x + n.dx, y: f.y + n.dy });
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('previewBib') && changed.get('previewBib') !== undefined) this.schedulePreview(0);
  }

  private fieldLabel(f: CertificateField): string {
    return 'column' in f.source ? `{${f.source.column}}` : f.source.text.slice(0, 40) || f.id;
  }

  override render() {
    const s = this.status;
    return html`<h1 tabindex="-1">${msg('Certificates', { id: 'console.tab.certificates' })}</h1>
      ${this.error ? errorBox(this.error, () => void this.load()) : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${!s && !this.error ? html`<p role="status">${msg('Loading…', { id: 'console.loading' })}</p>` : nothing}
      ${s ? this.renderStatus(s) : nothing} ${s ? this.renderTemplate() : nothing} ${s ? this.renderRecords(s) : nothing}`;
  }

  private renderStatus(s: CertificateStatus) {
    const done = (step: string) => !s.missing.includes(step as never);
    return html`<section aria-labelledby="pub-title">
      <h2 id="pub-title">${msg('Publishing', { id: 'console.cert.publishing' })}</h2>
      <p>
        ${
          s.published
            ? msg(str`Published since ${formatInstant(s.published_at, this.formatTag)}.`, { id: 'console.cert.published-since' })
            : msg('Not published.', { id: 'console.cert.not-published' })
        }
        ${msg(str`${s.records} participant records.`, { id: 'console.cert.records-count' })}
      </p>
      <ol class="steps">
        <li data-done=${String(done('template'))}>
          ${msg('A template', { id: 'console.cert.step-template' })} ${done('template') ? '✓' : ''}
        </li>
        <li data-done=${String(done('data_source') && done('records'))}>
          ${msg('A results file with at least one record', { id: 'console.cert.step-records' })}
          ${done('data_source') && done('records') ? '✓' : ''}
        </li>
      </ol>
      ${this.publishError ? errorBox(this.publishError) : nothing}
      ${
        this.canManage
          ? s.published
            ? html`<button class="btn" type="button" @click=${() => this.publish(false)}>
                ${msg('Unpublish', { id: 'console.cert.unpublish' })}
              </button>`
            : html`<button class="btn primary" type="button" ?disabled=${!s.setup_complete} @click=${() => this.publish(true)}>
                ${msg('Publish the certificates', { id: 'console.cert.publish' })}
              </button>`
          : nothing
      }
    </section>`;
  }

  private renderTemplate() {
    const t = this.template;
    return html`<section aria-labelledby="tpl-title">
      <h2 id="tpl-title">${msg('Template', { id: 'console.cert.template' })}</h2>
      ${this.saveError ? errorBox(this.saveError) : nothing}
      ${
        this.canManage
          ? html`<div class="row">
              <span>${msg('Start from a design:', { id: 'console.cert.start-from' })}</span>
              ${this.builtins.map(
                (b) =>
                  html`<button class="btn small" type="button" title=${b.description} @click=${() => this.useBuiltin(b.id)}>
                    ${b.name}
                  </button>`,
              )}
            </div>`
          : nothing
      }
      ${t ? this.renderEditor(t) : html`<p>${msg('No template yet: pick a design above.', { id: 'console.cert.no-template' })}</p>`}
    </section>`;
  }

  private renderEditor(t: CertificateTemplate) {
    const sel = t.fields.find((f) => f.id === this.selected);
    const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(3)}%`;
    return html`<div class="editor">
      <div>
        <div class="field">
          <label for="bib-preview">${msg('Preview with the record of', { id: 'console.cert.preview-with' })}</label>
          <select id="bib-preview" @change=${(e: Event) => (this.previewBib = (e.target as HTMLSelectElement).value)}>
            ${this.bibs.length ? nothing : html`<option value="">${msg('a sample record', { id: 'console.cert.sample' })}</option>`}
            ${this.bibs.map((b) => html`<option value=${b.bib} ?selected=${b.bib === this.previewBib}>${b.bib} — ${b.name}</option>`)}
          </select>
        </div>
        <div
          class="page"
          ${cssomStyle({ 'aspect-ratio': `${t.width} / ${t.height}` })}
          @pointermove=${this.move}
          @pointerup=${this.up}
          @pointercancel=${this.up}
        >
          ${this.previewUrl ? html`<img src=${this.previewUrl} alt=${msg('Preview of the certificate', { id: 'console.cert.preview-alt' })} />` : nothing}
          ${t.fields.map(
            (f) =>
              html`<button
                type="button"
                class="fieldbox"
                aria-pressed=${f.id === this.selected ? 'true' : 'false'}
                aria-label=${msg(str`Field ${this.fieldLabel(f)}: drag, or use the arrow keys to move it`, { id: 'console.cert.field-box' })}
                ${cssomStyle({
                  left: pct(f.align === 'left' ? f.x : f.x, t.width),
                  top: pct(f.y - f.size, t.height),
                  width: pct(f.width, t.width),
                  height: pct(f.size * 1.25, t.height),
                })}
                @pointerdown=${(e: PointerEvent) => this.down(e, f)}
                @click=${() => (this.selected = f.id)}
                @keydown=${(e: KeyboardEvent) => this.key(e, f)}
              >
                ${this.fieldLabel(f)}
              </button>`,
          )}
          ${this.previewBusy ? html`<span class="busy" role="status">${msg('Rendering…', { id: 'console.cert.rendering' })}</span>` : nothing}
        </div>
        ${this.previewError ? errorBox(this.previewError, () => void this.renderPreview()) : nothing}
        ${
          this.canManage
            ? html`<div class="row">
                  <button class="btn primary" type="button" ?disabled=${!this.dirty} @click=${this.save}>
                    ${msg('Save the template', { id: 'console.cert.save' })}
                  </button>
                  <button class="btn" type="button" @click=${this.addField}>
                    ${msg('Add a field', { id: 'console.cert.add-field' })}
                  </button>
                  <span class="muted">${this.dirty ? msg('Unsaved changes', { id: 'console.cert.unsaved' }) : ''}</span>
                </div>
                <div class="two">
                  <div class="field">
                    <label for="bg">${msg('Background image', { id: 'console.cert.background' })}</label>
                    <input id="bg" type="file" accept="image/png,image/jpeg" @change=${this.uploadBackground} />
                  </div>
                  <div class="field">
                    <label for="bg-fit">${msg('Fit', { id: 'console.cert.fit' })}</label>
                    <select id="bg-fit">
                      <option value="cover">${msg('cover the page', { id: 'console.cert.fit-cover' })}</option>
                      <option value="contain">${msg('whole image', { id: 'console.cert.fit-contain' })}</option>
                      <option value="fill">${msg('stretch', { id: 'console.cert.fit-fill' })}</option>
                    </select>
                  </div>
                </div>`
            : nothing
        }
      </div>
      <div>
        ${sel ? this.renderFieldPanel(sel) : html`<p class="muted">${msg('Select a field on the page to change it.', { id: 'console.cert.select-field' })}</p>`}
      </div>
    </div>`;
  }

  private renderFieldPanel(f: CertificateField) {
    const ro = !this.canManage;
    const isColumn = 'column' in f.source;
    const num = (e: Event) => Number((e.target as HTMLInputElement).value);
    return html`<fieldset>
      <legend>${msg(str`Field ${f.id}`, { id: 'console.cert.field' })}</legend>
      <div class="field">
        <label for="f-source">${msg('Shows', { id: 'console.cert.shows' })}</label>
        <select
          id="f-source"
          ?disabled=${ro}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.patchField(f.id, {
              source:
                v === '__text'
                  ? { text: isColumn ? `{${(f.source as { column: string }).column}}` : (f.source as { text: string }).text }
                  : { column: v },
            });
          }}
        >
          ${COLUMNS.map((c) => html`<option value=${c} ?selected=${isColumn && (f.source as { column: string }).column === c}>${c}</option>`)}
          <option value="__text" ?selected=${!isColumn}>${msg('text with {placeholders}', { id: 'console.cert.text' })}</option>
        </select>
      </div>
      ${
        isColumn
          ? nothing
          : html`<div class="field">
              <label for="f-text">${msg('Text', { id: 'console.cert.text-label' })}</label>
              <input
                id="f-text"
                type="text"
                ?disabled=${ro}
                .value=${(f.source as { text: string }).text}
                @change=${(e: Event) => this.patchField(f.id, { source: { text: (e.target as HTMLInputElement).value } })}
              />
            </div>`
      }
      <div class="field">
        <label for="f-font">${msg('Font', { id: 'console.cert.font' })}</label>
        <select
          id="f-font"
          ?disabled=${ro}
          @change=${(e: Event) => this.patchField(f.id, { font: (e.target as HTMLSelectElement).value })}
        >
          ${(FONTS.includes(f.font) ? FONTS : [f.font, ...FONTS]).map((n) => html`<option ?selected=${n === f.font}>${n}</option>`)}
        </select>
      </div>
      <div class="two">
        <div class="field">
          <label for="f-size">${msg('Size (px)', { id: 'console.cert.size' })}</label>
          <input
            id="f-size"
            type="number"
            min="4"
            max="400"
            ?disabled=${ro}
            .value=${String(f.size)}
            @change=${(e: Event) => this.patchField(f.id, { size: num(e), minSize: Math.min(f.minSize, num(e)) })}
          />
        </div>
        <div class="field">
          <label for="f-color">${msg('Colour', { id: 'console.cert.color' })}</label>
          <input
            id="f-color"
            type="color"
            ?disabled=${ro}
            .value=${f.color}
            @change=${(e: Event) => this.patchField(f.id, { color: (e.target as HTMLInputElement).value })}
          />
        </div>
      </div>
      <div class="field">
        <label for="f-align">${msg('Alignment', { id: 'console.cert.align' })}</label>
        <select
          id="f-align"
          ?disabled=${ro}
          @change=${(e: Event) => this.patchField(f.id, { align: (e.target as HTMLSelectElement).value as CertificateField['align'] })}
        >
          <option value="left" ?selected=${f.align === 'left'}>${msg('left', { id: 'console.cert.left' })}</option>
          <option value="center" ?selected=${f.align === 'center'}>${msg('centre', { id: 'console.cert.center' })}</option>
          <option value="right" ?selected=${f.align === 'right'}>${msg('right', { id: 'console.cert.right' })}</option>
        </select>
      </div>
      <div class="two">
        <div class="field">
          <label for="f-x">X</label>
          <input
            id="f-x"
            type="number"
            ?disabled=${ro}
            .value=${String(f.x)}
            @change=${(e: Event) => this.patchField(f.id, { x: num(e) })}
          />
        </div>
        <div class="field">
          <label for="f-y">${msg('Y (baseline)', { id: 'console.cert.y' })}</label>
          <input
            id="f-y"
            type="number"
            ?disabled=${ro}
            .value=${String(f.y)}
            @change=${(e: Event) => this.patchField(f.id, { y: num(e) })}
          />
        </div>
      </div>
      <div class="field">
        <label for="f-width">${msg('Box width (px)', { id: 'console.cert.width' })}</label>
        <input
          id="f-width"
          type="number"
          min="1"
          ?disabled=${ro}
          .value=${String(f.width)}
          @change=${(e: Event) => this.patchField(f.id, { width: num(e) })}
        />
      </div>
      <label class="check"
        ><input
          type="checkbox"
          ?disabled=${ro}
          .checked=${f.weight >= 600}
          @change=${(e: Event) => this.patchField(f.id, { weight: (e.target as HTMLInputElement).checked ? 700 : 400 })}
        />
        ${msg('Bold', { id: 'console.cert.bold' })}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          ?disabled=${ro}
          .checked=${f.italic}
          @change=${(e: Event) => this.patchField(f.id, { italic: (e.target as HTMLInputElement).checked })}
        />
        ${msg('Italic', { id: 'console.cert.italic' })}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          ?disabled=${ro}
          .checked=${f.uppercase}
          @change=${(e: Event) => this.patchField(f.id, { uppercase: (e.target as HTMLInputElement).checked })}
        />
        ${msg('Capitals', { id: 'console.cert.uppercase' })}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          ?disabled=${ro}
          .checked=${f.autoShrink}
          @change=${(e: Event) => this.patchField(f.id, { autoShrink: (e.target as HTMLInputElement).checked })}
        />
        ${msg('Shrink long text to fit the box', { id: 'console.cert.autoshrink' })}</label
      >
      ${
        f.autoShrink
          ? html`<div class="field">
              <label for="f-min">${msg('Smallest size (px)', { id: 'console.cert.min-size' })}</label>
              <input
                id="f-min"
                type="number"
                min="1"
                max=${f.size}
                ?disabled=${ro}
                .value=${String(f.minSize)}
                @change=${(e: Event) => this.patchField(f.id, { minSize: Math.min(num(e), f.size) })}
              />
            </div>`
          : nothing
      }
      ${ro ? nothing : html`<button class="btn small danger" type="button" @click=${() => this.removeField(f.id)}>${msg('Remove the field', { id: 'console.cert.remove-field' })}</button>`}
    </fieldset>`;
  }

  private renderRecords(s: CertificateStatus) {
    const r = this.report;
    return html`<section aria-labelledby="rec-title">
      <h2 id="rec-title">${msg('Results file', { id: 'console.cert.results' })}</h2>
      <p>
        ${msg('A CSV (or JSON) with a bib column and names, times, categories, ranks: one row per finisher.', { id: 'console.cert.results-help' })}
      </p>
      ${this.importError ? errorBox(this.importError) : nothing}
      ${
        this.canManage
          ? html`<form @submit=${this.uploadRecords}>
              <div class="field">
                <label for="records">${msg('Results file (CSV or JSON)', { id: 'console.cert.results-file' })}</label>
                <input id="records" name="file" type="file" accept=".csv,.json,.txt,text/csv,application/json" />
              </div>
              <fieldset>
                <legend>${msg('Records already there', { id: 'console.cert.mode' })}</legend>
                <label class="check"
                  ><input type="radio" name="mode" value="upsert" checked />
                  ${msg('Keep them; add and update from the file', { id: 'console.cert.upsert' })}</label
                >
                <label class="check"
                  ><input type="radio" name="mode" value="replace" />
                  ${msg('Replace them all with the file', { id: 'console.cert.replace' })}</label
                >
              </fieldset>
              <button class="btn primary" type="submit" ?disabled=${this.importing}>
                ${msg('Upload the results', { id: 'console.cert.upload' })}
              </button>
            </form>`
          : nothing
      }
      ${
        r
          ? html`<h3>${msg('Last upload', { id: 'console.cert.last-upload' })}</h3>
              <p role="status" id="import-report">
                ${msg(str`${r.rows} rows read: ${r.imported} imported (${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged), ${r.skipped} skipped, ${r.errors} errors, ${r.warnings} warnings.`, { id: 'console.cert.report' })}
              </p>
              ${
                r.issues.length
                  ? html`<div class="table-wrap">
                      <table>
                        <caption class="visually-hidden">
                          ${msg('Rows with problems', { id: 'console.cert.issues' })}
                        </caption>
                        <thead>
                          <tr>
                            <th scope="col" class="num">${msg('Row', { id: 'console.cert.row' })}</th>
                            <th scope="col">${msg('Column', { id: 'console.cert.column' })}</th>
                            <th scope="col">${msg('Problem', { id: 'console.cert.problem' })}</th>
                            <th scope="col">${msg('Outcome', { id: 'console.cert.outcome' })}</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${r.issues.slice(0, 200).map(
                            (i) =>
                              html`<tr>
                                <td class="num">${i.row}</td>
                                <td>${i.column ?? ''}</td>
                                <td>${i.problem}</td>
                                <td>
                                  ${i.severity === 'error' ? msg('row skipped', { id: 'console.cert.skipped' }) : msg('imported, value left out', { id: 'console.cert.warning' })}
                                </td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>`
                  : nothing
              }`
          : s.records
            ? nothing
            : html`<p class="muted">${msg('No results uploaded yet.', { id: 'console.cert.no-results' })}</p>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-certificates': PfcCertificates;
  }
}
