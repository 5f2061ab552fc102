import { html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FaceSearchData, ImagePage } from '../../core/api/models.ts';
import type { SelfieRefusal } from '../../core/face/quality.ts';
import { ApiRequestError, type ApiClient, type FaceSearchInput } from '../api/client.ts';
import '../api/endpoints.ts';
import type { PfHideDetail, PfResultsDetail } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import '../pf-gallery/pf-gallery.ts';
import type { PageLoader } from '../pf-gallery/pf-gallery.ts';
import { SelfieWorker, type SelfieOutcome, type SelfieProgress } from '../selfie-worker/client.ts';
import { defineElement, emit } from '../shared/define.ts';
import { renderCta } from '../shared/cta.ts';
import { DownloadAllController, type DownloadAllTarget } from '../shared/download-all.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { featureNotice, featureState } from '../shared/feature-notice.ts';
import { formatNumber } from '../shared/format.ts';
import { icons } from '../shared/icons.ts';
import { controlStyles } from '../shared/controls.styles.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam, writeParams } from '../shared/url-state.ts';
import { selfieStyles } from './pf-selfie-search.styles.ts';

/** Largest page of a search's results (PAGE_SIZES.faces.max in core/api/pagination.ts, not imported: no zod here). */
const RESULTS_PAGE_MAX = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A v4 UUID for the search, made here so a retried upload can never run the search twice. */
function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const dataUrl = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.onerror = () => reject(r.error ?? new Error('could not read the face picture'));
    r.readAsDataURL(blob);
  });

type Phase =
  | { name: 'idle' }
  | { name: 'working'; progress: SelfieProgress | null }
  | { name: 'refused'; reason: SelfieRefusal | 'unreadable' }
  | { name: 'preview'; crop: Blob; cropUrl: string; embedding: Float32Array | null }
  | { name: 'searching' }
  | { name: 'results' }
  | { name: 'error'; message: string; retry: (() => void) | null };

/**
 * Find your photos with a selfie. The photo is decoded and analysed on the device (a Web Worker running the
 * face models): it checks there is one clear face, aligns it to a 112×112 picture, shows that picture, and
 * sends only it (or, with `privacy="vector"`, only a list of 512 numbers describing it), never the photo.
 * Results appear in a pf-gallery with each photo's match confidence (and, when the event has video clips by
 * selfie, a pf-video-clips with the person's clips above it); "Not me" hides a photo, "Add another
 * selfie" widens the search. The search id is kept in the page URL (`?selfie=<id>`), so a refresh or a shared
 * link shows the same results without a new upload, and can be copied (organisers use it to help). When the
 * event allows it, "Download all my photos" gets the results as one ZIP.
 *
 * The face finder (onnxruntime-web and the models, about 6 MB compressed) loads only when the user agrees and
 * starts; the kit's main script does not contain it.
 *
 * @summary Selfie (face) search: on-device face alignment, results in a gallery.
 * @element pf-selfie-search
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr privacy - "crop" (default: upload the aligned 112×112 face picture) or "vector" (compute the face vector on the device and upload only that)
 * @attr page-size - photos per API request for the results (default 32)
 * @attr layout - layout of the results gallery: justified (default) or grid
 * @attr consent-text - the consent and retention notice, as plain text (or put your own markup in the `consent` slot)
 * @attr retention-hours - hours the server keeps the face data of a search, for the default notice (default 24)
 * @attr asset-base - where the kit's files are (selfie-worker.js, ort/), when not next to the script
 * @attr model-base - where the face models are (default: the API server's /kit/models/)
 * @attr no-url - do not read or write ?selfie= in the page URL
 * @slot consent - your own consent and retention notice (replaces the default text)
 * @fires pf-search - a search started: { method: 'selfie', query: request_id }
 * @fires pf-error - the selfie could not be processed or searched: { source, message, status? }
 * @fires pf-results - (from the results gallery) a page of results arrived
 * @fires pf-hide - (from the results gallery) "Not me" was chosen
 * @fires pf-download - "Download all my photos" started a ZIP download, or was refused: { method: 'selfie', identifier, count, ok, zipUrl?, kind? }
 * @csspart base - the wrapper
 * @csspart consent - the consent notice box
 * @csspart consent-check - the "I agree" checkbox row
 * @csspart actions - the row of buttons
 * @csspart camera-button - "Take a selfie" (phones)
 * @csspart file-button - "Choose a photo"
 * @csspart progress - the progress line while the face finder loads and works
 * @csspart refusal - why the photo cannot be used, with tips
 * @csspart preview - the face picture that will be sent
 * @csspart search-button - "Find my photos"
 * @csspart summary - the "12 photos found" line
 * @csspart request-id - the search id and its Copy button
 * @csspart clips - the video clips of the search (a pf-video-clips), when the event has video clips by selfie on
 * @csspart download-all - the "Download all my photos" row
 * @csspart download-all-button - its button
 * @csspart download-all-status - its progress and outcome line
 * @csspart cta - the organiser's Call to Action (placement "download")
 * @csspart gallery - the results gallery (a pf-gallery)
 * @csspart error - an error message
 * @csspart retry - its "Try again" button
 * @csspart unavailable - the notice shown when selfie search is off for the event
 * @cssprop --pf-selfie-preview-size - size of the face picture preview (default 112px)
 */
export class PfSelfieSearch extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, controlStyles, selfieStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property() privacy: 'crop' | 'vector' = 'crop';
  @property({ type: Number, attribute: 'page-size' }) pageSize = 32;
  @property() layout: 'justified' | 'grid' = 'justified';
  @property({ attribute: 'consent-text' }) consentText = '';
  @property({ type: Number, attribute: 'retention-hours' }) retentionHours = 24;
  @property({ attribute: 'asset-base' }) assetBase = '';
  @property({ attribute: 'model-base' }) modelBase = '';
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  @state() private agreed = false;
  @state() private phase: Phase = { name: 'idle' };
  /** The search shown (null before any). */
  @state() private requestId: string | null = null;
  @state() private total: number | null = null;
  @state() private loader: PageLoader | null = null;
  /** Ids of the results hidden with "Not me". */
  @state() private notMe: ReadonlySet<string> = new Set();
  @state() private copied = false;
  /** Next selfie widens the current search. */
  @state() private adding = false;
  @state() private coarsePointer = false;

  @query('#camera') private cameraInput!: HTMLInputElement;
  @query('#file') private fileInput!: HTMLInputElement;

  private readonly event = new EventConsumer(this, () => this.maybeRestore());
  private readonly downloadAll = new DownloadAllController(this);
  private worker: SelfieWorker | null = null;
  private abort: AbortController | null = null;
  private restored = false;

  /** The id of the search shown (null before any). */
  get value(): string | null {
    return this.requestId;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.coarsePointer = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.worker?.terminate();
    this.worker = null;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if ((changed.has('assetBase') || changed.has('modelBase') || changed.has('privacy')) && this.worker) {
      this.worker.terminate();
      this.worker = null;
    }
  }

  // ── public API ─────────────────────────────────────────────────────────────────────────────────────────

  /** Searches with a photo, as if the user chose it (the consent must have been given). */
  async searchWith(file: Blob): Promise<void> {
    await this.analyse(file);
    if (this.phase.name === 'preview') await this.send();
  }

  /** Shows a stored search by its id (as a shared link does). */
  async show(requestId: string): Promise<void> {
    const client = this.event.value?.client;
    if (!client || !UUID.test(requestId)) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.phase = { name: 'searching' };
    try {
      const first = await client.faceResults(requestId, 1, this.pageSize, abort.signal);
      if (!abort.signal.aborted) this.showResults(client, first);
    } catch (e) {
      if (abort.signal.aborted) return;
      const err = e as ApiRequestError;
      if (err.status === 404) {
        if (!this.noUrl) writeParams({ selfie: null });
        this.fail(
          msg('This selfie search is no longer available. Take a new selfie to search again.', { id: 'selfie.expired' }),
          err.status,
          null,
        );
      } else this.fail(errorMessage(err.status ?? 0, err.message), err.status, () => void this.show(requestId));
    }
  }

  /** Clears the search and its results. */
  clear(): void {
    this.abort?.abort();
    this.phase = { name: 'idle' };
    this.requestId = null;
    this.total = null;
    this.loader = null;
    this.adding = false;
    if (!this.noUrl) writeParams({ selfie: null, photo: null, photo_at: null });
  }

  // ── flow ───────────────────────────────────────────────────────────────────────────────────────────────

  private maybeRestore() {
    if (this.restored || this.noUrl || featureState(this.event.value, 'selfie_search') !== 'on') {
      this.requestUpdate();
      return;
    }
    this.restored = true;
    const id = readParam('selfie');
    if (id && UUID.test(id)) void this.show(id);
    else this.requestUpdate();
  }

  private selfieWorker(): SelfieWorker {
    if (!this.worker) {
      const api = (this.event.value?.client.options.api ?? '').replace(/\/$/, '');
      const modelBase = new URL(this.modelBase || `${api}/kit/models/`, document.baseURI).href;
      this.worker = new SelfieWorker({
        assetBase: this.assetBase || null,
        fallbackBase: `${api}/kit/`,
        modelBase: modelBase.endsWith('/') ? modelBase : `${modelBase}/`,
      });
    }
    return this.worker;
  }

  private onAgree(e: Event) {
    this.agreed = (e.target as HTMLInputElement).checked;
    // Start fetching the face finder while the user picks a photo.
    if (this.agreed)
      this.selfieWorker()
        .prepare(this.privacy === 'vector')
        .catch(() => undefined);
  }

  private pick(camera: boolean) {
    if (!this.agreed) return;
    (camera ? this.cameraInput : this.fileInput).click();
  }

  private onFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.analyse(file);
  }

  private async analyse(file: Blob) {
    if (!this.agreed) {
      this.fail(msg('Tick the box to agree first.', { id: 'selfie.agree-first' }), undefined, null);
      return;
    }
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.phase = { name: 'working', progress: null };
    let outcome: SelfieOutcome;
    try {
      outcome = await this.selfieWorker().analyse(file, {
        embed: this.privacy === 'vector',
        signal: abort.signal,
        onProgress: (p) => {
          if (!abort.signal.aborted) this.phase = { name: 'working', progress: p };
        },
      });
    } catch (e) {
      if (abort.signal.aborted) return;
      this.fail(
        msg('Your photo could not be processed on this device.', { id: 'selfie.worker-failed' }) + ` ${(e as Error).message}`,
        undefined,
        () => void this.analyse(file),
      );
      return;
    }
    if (abort.signal.aborted) return;
    if (!outcome.ok) {
      this.phase = { name: 'refused', reason: outcome.reason };
      return;
    }
    this.phase = { name: 'preview', crop: outcome.crop, cropUrl: await dataUrl(outcome.crop), embedding: outcome.embedding };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[part~="search-button"]')?.focus();
  }

  private async send() {
    const client = this.event.value?.client;
    const phase = this.phase;
    if (!client || phase.name !== 'preview') return;
    const requestId = newRequestId();
    const addTo = this.adding ? this.requestId : null;
    const input: FaceSearchInput =
      this.privacy === 'vector' && phase.embedding
        ? { request_id: requestId, add_to: addTo, embedding: phase.embedding }
        : { request_id: requestId, add_to: addTo, file: phase.crop };
    emit(this, 'pf-search', { method: 'selfie', query: requestId });
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.phase = { name: 'searching' };
    // The id is ours: retrying after a dropped connection or a 5xx returns the stored result, never a second search.
    for (let attempt = 0; ; attempt++) {
      try {
        const first = await client.faceSearch(input, this.pageSize, abort.signal);
        if (!abort.signal.aborted) this.showResults(client, first);
        return;
      } catch (e) {
        if (abort.signal.aborted) return;
        const err = e as ApiRequestError;
        const transient = err instanceof ApiRequestError && (err.status === 0 || err.status === 429 || err.status >= 500);
        if (transient && attempt < 2) {
          await new Promise((r) => setTimeout(r, 600 * 3 ** attempt));
          continue;
        }
        this.phase = phase;
        this.fail(errorMessage(err.status ?? 0, err.message), err.status, () => {
          this.phase = phase;
          void this.send();
        });
        return;
      }
    }
  }

  private showResults(client: ApiClient, first: FaceSearchData) {
    const id = first.request_id;
    const size = this.pageSize;
    this.downloadAll.reset();
    this.notMe = new Set();
    this.requestId = id;
    this.adding = false;
    this.total = first.pagination.total;
    this.loader = (page, pageSize, signal): Promise<ImagePage> =>
      page === 1 && pageSize === size
        ? Promise.resolve({ images: first.images, pagination: first.pagination })
        : client.faceResults(id, page, pageSize, signal);
    this.phase = { name: 'results' };
    if (!this.noUrl) writeParams({ selfie: id, photo: null, photo_at: null });
  }

  private fail(message: string, status: number | undefined, retry: (() => void) | null) {
    this.phase = { name: 'error', message, retry };
    emit(this, 'pf-error', { source: 'pf-selfie-search', message, ...(status === undefined ? {} : { status }) });
  }

  private addAnother() {
    this.adding = true;
    this.phase = { name: 'idle' };
  }

  private cancelAdding() {
    this.abort?.abort();
    this.adding = false;
    this.phase = { name: 'results' };
  }

  private async copyId() {
    if (!this.requestId) return;
    try {
      await navigator.clipboard.writeText(this.requestId);
      this.copied = true;
      setTimeout(() => (this.copied = false), 2000);
    } catch {
      const code = this.renderRoot.querySelector('code');
      if (code) getSelection()?.selectAllChildren(code);
    }
  }

  private onResults(e: CustomEvent<PfResultsDetail>) {
    this.total = e.detail.total;
  }

  /**
   * "Not me" in the results: kept out of "Download all my photos" (unless a listener kept the photo), and sent to
   * the server, which drops it from the stored search and ranks the search again without it. When the stored
   * result then differs from what the gallery shows (more pages than loaded, or the ranking changed), the
   * results are reloaded from the server; a failed call leaves the photo hidden here only.
   */
  private onHide(e: CustomEvent<PfHideDetail>) {
    const id = e.detail.image.image_id;
    queueMicrotask(() => {
      if (e.defaultPrevented || this.notMe.has(id)) return;
      this.notMe = new Set(this.notMe).add(id);
      const client = this.event.value?.client;
      const requestId = this.requestId;
      if (!client || !requestId) return;
      const expected = this.total === null ? null : this.total - this.notMe.size;
      client.notMe(requestId, id).then(
        async (r) => {
          if (this.requestId !== requestId) return;
          if (r.total === expected && (this.total ?? 0) <= this.pageSize) return;
          const first = await client.faceResults(requestId, 1, this.pageSize);
          if (this.requestId === requestId) this.showResults(client, first);
        },
        () => undefined,
      );
    });
  }

  /** What "Download all my photos" asks: the whole search, or, once photos were hidden, the ids of the others. */
  private downloadRequest(requestId: string): DownloadAllTarget['request'] {
    if (!this.notMe.size) return { selfie: requestId };
    const hidden = this.notMe;
    return async (signal) => {
      const client = this.event.value!.client;
      const ids: string[] = [];
      for (let page = 1, last = 1; page <= last; page++) {
        const r = await client.faceResults(requestId, page, RESULTS_PAGE_MAX, signal);
        for (const i of r.images) if (!hidden.has(i.image_id)) ids.push(i.image_id);
        last = r.pagination.totalPages;
      }
      return { image_ids: ids };
    };
  }

  // ── render ─────────────────────────────────────────────────────────────────────────────────────────────

  private refusalText(reason: SelfieRefusal | 'unreadable'): string {
    switch (reason) {
      case 'no_face':
        return msg('No face was found in this photo. Use a photo where your face is clearly visible and turned to the camera.', {
          id: 'selfie.no-face',
        });
      case 'several_faces':
        return msg('There are several faces in this photo. Use a photo of only you, or crop it around your face.', {
          id: 'selfie.several-faces',
        });
      case 'too_small':
        return msg('Your face is too small in this photo. Come closer to the camera, or crop the photo around your face.', {
          id: 'selfie.too-small',
        });
      case 'too_blurry':
        return msg('This photo is too blurry. Hold the phone still, in good light, and try again.', { id: 'selfie.too-blurry' });
      case 'unreadable':
        return msg('This file is not a photo that can be read here. Choose a JPEG or PNG photo.', { id: 'selfie.unreadable' });
    }
  }

  private progressText(p: SelfieProgress | null): string {
    if (!p || p.stage === 'prepare') return msg('Preparing the face finder…', { id: 'selfie.preparing' });
    if (p.stage === 'download') {
      const pct = Math.min(99, Math.floor((p.loaded / Math.max(1, p.total)) * 100));
      return msg(str`Loading the face finder… ${pct}%`, { id: 'selfie.loading' });
    }
    if (p.stage === 'embed') return msg('Describing your face…', { id: 'selfie.embedding' });
    return msg('Looking for your face…', { id: 'selfie.analysing' });
  }

  private renderConsent() {
    const hours = formatNumber(this.retentionHours, this.formatTag);
    const text =
      this.consentText ||
      (this.privacy === 'vector'
        ? msg(
            str`Your photo is analysed on this device. Only a list of numbers describing your face is sent to find your photos, never the photo. It is deleted from the server after ${hours} hours; the list of photos found is kept so you can come back to it.`,
            { id: 'selfie.consent-vector' },
          )
        : msg(
            str`Your photo is analysed on this device. Only a small picture of your face (112 × 112 pixels) is sent to find your photos, never the photo itself. The face data is deleted from the server after ${hours} hours; the list of photos found is kept so you can come back to it.`,
            { id: 'selfie.consent' },
          ));
    return html`<div class="consent notice" part="consent">
      <slot name="consent"><p>${text}</p></slot>
      <label class="check" part="consent-check">
        <input type="checkbox" .checked=${this.agreed} @change=${this.onAgree} />
        <span>${msg('I agree to this use of my face to find my photos.', { id: 'selfie.agree' })}</span>
      </label>
    </div>`;
  }

  private renderActions() {
    const disabled = !this.agreed;
    return html`<div class="actions" part="actions">
        ${
          this.coarsePointer
            ? html`<button class="btn primary" part="camera-button" ?disabled=${disabled} @click=${() => this.pick(true)}>
                ${icons.search}${msg('Take a selfie', { id: 'selfie.camera' })}
              </button>`
            : nothing
        }
        <button
          class="btn ${this.coarsePointer ? '' : 'primary'}"
          part="file-button"
          ?disabled=${disabled}
          @click=${() => this.pick(false)}
        >
          ${this.coarsePointer ? nothing : icons.search}${msg('Choose a photo', { id: 'selfie.choose' })}
        </button>
        ${
          this.adding
            ? html`<button class="btn" part="cancel" @click=${this.cancelAdding}>
                ${msg('Cancel', { id: 'selfie.cancel' })}
              </button>`
            : nothing
        }
      </div>
      <p class="tips muted">${msg('Face the camera, in good light, with nothing covering your face.', { id: 'selfie.tips' })}</p>
      <input id="camera" type="file" accept="image/*" capture="user" tabindex="-1" aria-hidden="true" @change=${this.onFile} />
      <input id="file" type="file" accept="image/*" tabindex="-1" aria-hidden="true" @change=${this.onFile} />`;
  }

  private renderPhase() {
    const p = this.phase;
    switch (p.name) {
      case 'idle':
        return nothing;
      case 'working': {
        const pct = p.progress?.stage === 'download' ? p.progress.loaded / Math.max(1, p.progress.total) : null;
        const text = this.progressText(p.progress);
        return html`<div class="progress" part="progress" role="status">
          <span>${text}</span>
          ${
            pct === null
              ? html`<progress aria-label=${text}></progress>`
              : html`<progress aria-label=${text} max="1" .value=${pct}></progress>`
          }
        </div>`;
      }
      case 'refused':
        return html`<div class="notice" part="refusal" role="alert"><p class="error">${this.refusalText(p.reason)}</p></div>`;
      case 'preview':
        return html`<div class="preview" part="preview">
          <img
            src=${p.cropUrl}
            width="112"
            height="112"
            alt=${msg('Your face, as it will be sent', { id: 'selfie.preview-alt' })}
          />
          <div>
            <p>
              ${
                this.privacy === 'vector'
                  ? msg('This is the face found in your photo. Only numbers describing it will be sent.', {
                      id: 'selfie.preview-vector',
                    })
                  : msg('This picture of your face is all that will be sent.', { id: 'selfie.preview-text' })
              }
            </p>
            <button class="btn primary" part="search-button" @click=${() => void this.send()}>
              ${icons.search}${
                this.adding
                  ? msg('Add the photos of this selfie', { id: 'selfie.add-submit' })
                  : msg('Find my photos', { id: 'selfie.submit' })
              }
            </button>
          </div>
        </div>`;
      case 'searching':
        return html`<div class="progress" part="progress" role="status">
          <span>${msg('Searching the event photos…', { id: 'selfie.searching' })}</span>
          <progress aria-label=${msg('Searching the event photos…', { id: 'selfie.searching' })}></progress>
        </div>`;
      case 'error':
        return html`<div class="notice" part="error" role="alert">
          <p class="error">${p.message}</p>
          ${
            p.retry
              ? html`<button class="btn" part="retry" @click=${p.retry}>${msg('Try again', { id: 'common.retry' })}</button>`
              : nothing
          }
        </div>`;
      case 'results':
        return nothing;
    }
  }

  private summary(): string {
    if (this.total === null) return '';
    if (this.total === 0) return msg('No photos of you were found yet.', { id: 'selfie.none' });
    const n = formatNumber(this.total, this.formatTag);
    return plural(this.formatTag, this.total, {
      one: () => msg(str`${n} photo found`, { id: 'selfie.found-one' }),
      other: () => msg(str`${n} photos found`, { id: 'selfie.found' }),
    });
  }

  private renderResults() {
    if (!this.loader || !this.requestId) return nothing;
    const showing = this.phase.name === 'results';
    return html`${
        showing
          ? html`<p class="summary" part="summary" role="status">${this.summary()}</p>
              <div class="request" part="request-id">
                <span class="muted">${msg('Search id', { id: 'selfie.request-id' })}</span>
                <code>${this.requestId}</code>
                <button class="btn" @click=${this.copyId}>
                  ${this.copied ? msg('Copied', { id: 'selfie.copied' }) : msg('Copy', { id: 'selfie.copy' })}
                </button>
              </div>
              ${this.downloadAll.render(
                this.event.value,
                { request: this.downloadRequest(this.requestId), method: 'selfie', identifier: this.requestId },
                this.total === null ? null : this.total - this.notMe.size,
                this.formatTag,
              )}
              ${this.total ? renderCta(this.event.value, 'download', { selfie: this.requestId }) : nothing}
              <div class="actions">
                <button class="btn" part="add-button" @click=${this.addAnother}>
                  ${msg('Add another selfie', { id: 'selfie.add' })}
                </button>
                <button class="btn" part="clear" @click=${this.clear}>${msg('New search', { id: 'selfie.new' })}</button>
              </div>`
          : nothing
      }
      ${this.renderClips()}
      <pf-gallery
        part="gallery"
        .loader=${this.loader}
        method="selfie"
        query=${this.requestId}
        page-size=${this.pageSize}
        layout=${this.layout}
        hideable
        event-ref=${this.eventRef || nothing}
        ?no-url=${this.noUrl}
        label=${msg('Photos found with your selfie', { id: 'selfie.gallery-label' })}
        ?hidden=${this.total === 0}
        @pf-results=${this.onResults}
        @pf-hide=${this.onHide}
      ></pf-gallery>`;
  }

  /** The event has video clips by selfie: the clips of this search, next to the photos (its module loads now). */
  private renderClips() {
    const d = this.event.value?.details;
    if (!d?.video_search || !d.video_selfie_search || this.phase.name !== 'results' || !this.requestId) return nothing;
    if (!customElements.get('pf-video-clips')) void import('../pf-video-clips/pf-video-clips.ts');
    return html`<pf-video-clips
      part="clips"
      request-id=${this.requestId}
      no-url
      event-ref=${this.eventRef || nothing}
    ></pf-video-clips>`;
  }

  override render() {
    const flag = featureState(this.event.value, 'selfie_search');
    if (flag !== 'on') {
      return html`<div class="root" part="base">
        ${featureNotice(this.event.value, flag, msg('Search by selfie is not available for this event.', { id: 'selfie.off' }))}
      </div>`;
    }
    const choosing = this.phase.name !== 'results' && this.phase.name !== 'searching' && (!this.requestId || this.adding);
    return html`<div class="root" part="base">
      ${choosing ? html`${this.renderConsent()}${this.renderActions()}` : nothing} ${this.renderPhase()} ${this.renderResults()}
    </div>`;
  }
}

defineElement('pf-selfie-search', PfSelfieSearch);

declare global {
  interface HTMLElementTagNameMap {
    'pf-selfie-search': PfSelfieSearch;
  }
}
