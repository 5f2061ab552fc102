import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AdminEvent, CreateEventRequest, UpdateEventRequest } from '../../core/api/admin.ts';
import type { Cta, FeatureFlag } from '../../core/api/models.ts';
import type { VideoSettingName } from '../../core/api/video.ts';

/** The video settings, in the order shown (the type keeps the list equal to core's; no zod in the page). */
const VIDEO_SETTINGS = [
  'fps',
  'quality',
  'max_clip_duration_s',
  'min_segment_s',
  'max_gap_s',
  'padding_start_s',
  'padding_end_s',
  'confidence_threshold',
] as const satisfies readonly VideoSettingName[];
const _allVideo: Exclude<VideoSettingName, (typeof VIDEO_SETTINGS)[number]> extends never ? true : false = true;
void _allVideo;

/** The event's feature flags, in the order shown (the type keeps it equal to core's FEATURE_FLAGS; no zod in the page). */
const FEATURE_FLAGS = [
  'bib_search',
  'selfie_search',
  'name_search',
  'timeline_search',
  'video_search',
  'video_selfie_search',
] as const satisfies readonly FeatureFlag[];
type AllFlags<T extends readonly FeatureFlag[]> = Exclude<FeatureFlag, T[number]> extends never ? true : false;
const _allFlags: AllFlags<typeof FEATURE_FLAGS> = true;
void _allFlags;
import { msg } from '../i18n/index.ts';
import { go, href } from '../router.ts';
import { ConsoleElement, errorBox } from '../shared/console-element.ts';
import { drawWatermark } from '../shared/watermark-preview.ts';

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const list = all.includes('UTC') ? all : ['UTC', ...all];
  return list.includes(current) ? list : [current, ...list];
}

/**
 * Create an event, or edit every setting the admin API has: name, slug, date, time zone, status, public access,
 * free or sold originals, face threshold, feature flags, watermark text and image (with a live preview of the
 * preview photos), archive / restore with a confirmation, and delete for good once the organiser types the event's
 * name (then back to the events list). Saves with PATCH (POST for a new event) and shows
 * the server's validation message in place.
 *
 * @element pfc-event-settings
 * @fires event-changed - detail: the saved AdminEvent
 */
@customElement('pfc-event-settings')
export class PfcEventSettings extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      .grid {
        display: grid;
        gap: 0 1.5rem;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr));
      }
      canvas {
        width: 100%;
        max-width: 32rem;
        height: auto;
        border-radius: var(--pf-radius, 6px);
        border: 1px solid var(--pf-color-border, #767676);
      }
      .danger {
        border-color: var(--pf-color-danger, #b00020);
      }
      img.cover {
        display: block;
        max-width: 16rem;
        border-radius: var(--pf-radius, 6px);
        margin: 0 0 0.5rem;
      }
      .saved {
        color: var(--pf-color-text, #1a1a1a);
      }
    `,
  ];

  /** The event to edit; unset with `create`. */
  @property({ attribute: false }) event: AdminEvent | null = null;
  /** A form for a new event (name, date, time zone; the rest after creation). */
  @property({ type: Boolean }) create = false;

  @state() private busy = false;
  @state() private error: unknown = null;
  @state() private saved = '';
  @state() private flags: Record<FeatureFlag, boolean> = Object.fromEntries(
    FEATURE_FLAGS.map((f) => [f, f !== 'video_search' && f !== 'video_selfie_search']),
  ) as Record<FeatureFlag, boolean>;
  @state() private watermarkText = '';
  @state() private watermarkFile: File | null = null;
  @state() private watermarkError: unknown = null;
  @state() private confirming: 'archive' | 'delete' | null = null;
  @state() private deleteName = '';
  @state() private deleteError: unknown = null;
  @state() private ctaOn = false;
  @query('canvas') private canvas!: HTMLCanvasElement | null;
  private markImage: ImageBitmap | null = null;
  private photo: HTMLImageElement | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('event') && this.event) {
      this.flags = { ...this.event.flags };
      this.watermarkText = this.event.watermark_text ?? '';
      this.ctaOn = this.event.cta !== null;
    }
  }

  protected override updated(): void {
    this.drawPreview();
  }

  private drawPreview() {
    if (!this.canvas) return;
    drawWatermark(this.canvas, {
      text: this.watermarkText,
      image: this.markImage,
      imageSize: this.markImage ? { width: this.markImage.width, height: this.markImage.height } : undefined,
      photo: this.photo,
    });
  }

  private flagLabel(f: FeatureFlag): string {
    switch (f) {
      case 'bib_search':
        return msg('BIB search (reads bib numbers on the photos)', { id: 'console.flag.bib' });
      case 'selfie_search':
        return msg('Selfie search (find photos by face)', { id: 'console.flag.selfie' });
      case 'name_search':
        return msg('Name search', { id: 'console.flag.name' });
      case 'timeline_search':
        return msg('Timeline (browse by time of day)', { id: 'console.flag.timeline' });
      case 'video_search':
        return msg('Video search', { id: 'console.flag.video' });
      case 'video_selfie_search':
        return msg('Selfie search in videos', { id: 'console.flag.video-selfie' });
    }
  }

  private read(form: HTMLFormElement): CreateEventRequest {
    const d = new FormData(form);
    const s = (k: string) => String(d.get(k) ?? '').trim();
    const body: CreateEventRequest = { name: s('name') };
    const date = s('event_date');
    body.event_date = date ? date : null;
    body.time_zone = s('time_zone') || 'UTC';
    if (this.create) return body;
    body.slug = s('slug') || null;
    body.status = s('status') === 'draft' ? 'draft' : 'active';
    body.event_enabled = d.get('event_enabled') === 'on';
    body.free_downloads = s('originals') !== 'sold';
    const t = Number(s('face_threshold'));
    if (s('face_threshold') !== '' && Number.isFinite(t)) body.face_threshold = t;
    body.watermark_text = this.watermarkText.trim() || null;
    body.flags = { ...this.flags };
    const vis = s('visibility');
    if (vis === 'public' || vis === 'unlisted' || vis === 'private') body.visibility = vis;
    if (d.get('clear_password') === 'on') body.page_password = null;
    else if (s('page_password')) body.page_password = s('page_password');
    body.location = s('location') || null;
    body.event_type = s('event_type') || null;
    body.show_all_images = d.get('show_all_images') === 'on';
    body.bulk_download = d.get('bulk_download') === 'on';
    body.show_photo_count = d.get('show_photo_count') === 'on';
    body.web_download = d.get('web_download') === 'on';
    body.cta =
      d.get('cta_on') === 'on'
        ? {
            url: s('cta_url'),
            text: s('cta_text'),
            placement: s('cta_placement') as Cta['placement'],
            style: s('cta_style') as Cta['style'],
          }
        : null;
    const video: Partial<Record<VideoSettingName, number>> = {};
    for (const n of VIDEO_SETTINGS) {
      const v = s(`video_${n}`);
      if (v !== '' && Number(v) !== this.event?.video[n]) video[n] = Number(v);
    }
    if (Object.keys(video).length) body.video = video;
    return body;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const body = this.read(e.target as HTMLFormElement);
    this.busy = true;
    this.error = null;
    this.saved = '';
    try {
      if (this.create) {
        const ev = await this.api.post<AdminEvent>(this.api.admin(this.org, '/events'), body);
        go(`/events/${ev.event_id}/settings`);
        return;
      }
      let ev = await this.api.patch<AdminEvent>(
        this.api.admin(this.org, `/events/${this.event!.event_id}`),
        body as UpdateEventRequest,
      );
      if (this.watermarkFile) ev = await this.uploadWatermark(this.watermarkFile);
      const cover = this.renderRoot.querySelector<HTMLInputElement>('#cover')?.files?.[0];
      if (cover) ev = await this.uploadCover(cover);
      this.changed(ev);
      this.saved = msg('Settings saved.', { id: 'console.saved' });
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private changed(ev: AdminEvent) {
    this.event = ev;
    this.dispatchEvent(new CustomEvent('event-changed', { detail: ev, bubbles: true, composed: true }));
  }

  private async uploadWatermark(file: File): Promise<AdminEvent> {
    const form = new FormData();
    form.append('file', file, file.name);
    const ev = await this.api.put<AdminEvent>(this.api.admin(this.org, `/events/${this.event!.event_id}/watermark`), form);
    this.watermarkFile = null;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#watermark_image');
    if (input) input.value = '';
    return ev;
  }

  private async uploadCover(file: File): Promise<AdminEvent> {
    const form = new FormData();
    form.append('file', file, file.name);
    const ev = await this.api.put<AdminEvent>(this.api.admin(this.org, `/events/${this.event!.event_id}/cover`), form);
    const input = this.renderRoot.querySelector<HTMLInputElement>('#cover');
    if (input) input.value = '';
    return ev;
  }

  private async removeCover() {
    this.error = null;
    try {
      this.changed(await this.api.delete<AdminEvent>(this.api.admin(this.org, `/events/${this.event!.event_id}/cover`)));
      this.saved = msg('Cover image removed.', { id: 'console.cover-removed' });
    } catch (err) {
      this.error = err;
    }
  }

  private async pickWatermark(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0] ?? null;
    this.watermarkError = null;
    this.watermarkFile = file;
    this.markImage?.close();
    this.markImage = null;
    if (!file) return;
    try {
      this.markImage = await createImageBitmap(file);
    } catch {
      this.watermarkError = new Error(
        msg('This file is not an image the browser can read (use PNG or JPEG).', { id: 'console.bad-image' }),
      );
      this.watermarkFile = null;
    }
    this.requestUpdate();
  }

  private async removeWatermark() {
    this.watermarkError = null;
    try {
      this.changed(await this.api.delete<AdminEvent>(this.api.admin(this.org, `/events/${this.event!.event_id}/watermark`)));
      this.markImage = null;
      this.saved = msg('Watermark image removed.', { id: 'console.watermark-removed' });
    } catch (err) {
      this.watermarkError = err;
    }
  }

  private openConfirm(what: 'archive' | 'delete' = 'archive') {
    this.confirming = what;
    this.deleteName = '';
    this.deleteError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.showModal());
  }

  private closeConfirm() {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.close();
    this.confirming = null;
  }

  private async archive(archive: boolean) {
    this.closeConfirm();
    this.error = null;
    try {
      const body: UpdateEventRequest = archive
        ? { status: 'draft', event_enabled: false }
        : { status: 'active', event_enabled: true };
      this.changed(await this.api.patch<AdminEvent>(this.api.admin(this.org, `/events/${this.event!.event_id}`), body));
      this.saved = archive
        ? msg('Event archived: it is hidden from the public.', { id: 'console.archived' })
        : msg('Event restored and published.', { id: 'console.restored' });
    } catch (err) {
      this.error = err;
    }
  }

  /** Deletes the event (the typed name matches it), then goes back to the events list; an error stays in the dialog. */
  private async deleteEvent() {
    const ev = this.event!;
    if (this.deleteName.trim() !== ev.name.trim() || this.busy) return;
    this.busy = true;
    this.deleteError = null;
    try {
      await this.api.delete<{ event_id: number }>(this.api.admin(this.org, `/events/${ev.event_id}?confirm=${ev.event_id}`));
      this.closeConfirm();
      go('/events');
    } catch (err) {
      this.deleteError = err;
    } finally {
      this.busy = false;
    }
  }

  private setFlag(f: FeatureFlag, on: boolean) {
    const next = { ...this.flags, [f]: on };
    if (f === 'video_search' && !on) next.video_selfie_search = false;
    this.flags = next;
  }

  override render() {
    const ev = this.event;
    const create = this.create;
    const disabled = !this.canManage;
    const local = ev?.event_date ? ev.event_date.slice(0, 16) : '';
    return html`<h1 tabindex="-1">
        ${create ? msg('New event', { id: 'console.new-event' }) : msg('Event settings', { id: 'console.settings-title' })}
      </h1>
      ${this.error ? errorBox(this.error) : nothing}
      ${this.saved ? html`<p class="notice saved" role="status">${this.saved}</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <div class="grid">
          <div>
            <div class="field">
              <label for="name">${msg('Name', { id: 'console.name' })}</label>
              <input id="name" name="name" type="text" required maxlength="1000" .value=${ev?.name ?? ''} ?disabled=${disabled} />
            </div>
            <div class="field">
              <label for="event_date">${msg('Date and start time', { id: 'console.event-date' })}</label>
              <input
                id="event_date"
                name="event_date"
                type="datetime-local"
                .value=${local}
                ?disabled=${disabled}
                aria-describedby="date-hint"
              />
              <span class="hint" id="date-hint"
                >${msg('Local time of the event, in its time zone.', { id: 'console.event-date-hint' })}</span
              >
            </div>
            <div class="field">
              <label for="time_zone">${msg('Time zone', { id: 'console.time-zone' })}</label>
              <select id="time_zone" name="time_zone" ?disabled=${disabled}>
                ${zones(ev?.time_zone ?? 'UTC').map((z) => html`<option ?selected=${z === (ev?.time_zone ?? 'UTC')}>${z}</option>`)}
              </select>
            </div>
            ${create ? nothing : this.renderMore(ev!, disabled)}
          </div>
          ${create ? nothing : this.renderWatermark(ev!, disabled)}
        </div>
        ${create ? nothing : this.renderFlags(disabled)} ${create ? nothing : this.renderPage(this.event!, disabled)}
        ${create ? nothing : this.renderVideo(this.event!, disabled)}
        ${
          disabled
            ? html`<p class="muted">
                ${msg('Your role can read these settings but not change them.', { id: 'console.read-only' })}
              </p>`
            : html`<div class="row">
                <button class="btn primary" type="submit" ?disabled=${this.busy}>
                  ${create ? msg('Create event', { id: 'console.create-event' }) : msg('Save settings', { id: 'console.save-settings' })}
                </button>
                ${create ? html`<a class="btn" href=${href('/events')}>${msg('Cancel', { id: 'console.cancel' })}</a>` : nothing}
              </div>`
        }
      </form>
      ${create || disabled ? nothing : this.renderArchive(ev!)} ${create || disabled ? nothing : this.renderDelete(ev!)}`;
  }

  private renderMore(ev: AdminEvent, disabled: boolean) {
    return html`<div class="field">
        <label for="slug">${msg('URL slug', { id: 'console.slug' })}</label>
        <input
          id="slug"
          name="slug"
          type="text"
          maxlength="80"
          .value=${ev.slug ?? ''}
          ?disabled=${disabled}
          aria-describedby="slug-hint"
        />
        <span class="hint" id="slug-hint"
          >${msg('Lower-case letters, digits and dashes; made from the name when empty.', { id: 'console.slug-hint' })}</span
        >
      </div>
      <div class="field">
        <label for="status">${msg('Status', { id: 'console.status' })}</label>
        <select id="status" name="status" ?disabled=${disabled}>
          <option value="active" ?selected=${ev.status === 'active'}>${msg('Active', { id: 'console.status-active' })}</option>
          <option value="draft" ?selected=${ev.status === 'draft'}>${msg('Draft', { id: 'console.status-draft' })}</option>
        </select>
      </div>
      <label class="check"
        ><input type="checkbox" name="event_enabled" ?checked=${ev.event_enabled} ?disabled=${disabled} />
        ${msg('Visible to the public (the embed snippet works)', { id: 'console.event-enabled' })}</label
      >
      <fieldset>
        <legend>${msg('Original photos', { id: 'console.originals' })}</legend>
        <label class="check"
          ><input type="radio" name="originals" value="free" ?checked=${ev.free_downloads} ?disabled=${disabled} />
          ${msg('Free download for everyone', { id: 'console.originals-free' })}</label
        >
        <label class="check"
          ><input type="radio" name="originals" value="sold" ?checked=${!ev.free_downloads} ?disabled=${disabled} />
          ${msg('Sold (only buyers download them)', { id: 'console.originals-sold' })}</label
        >
      </fieldset>
      <div class="field">
        <label for="face_threshold">${msg('Face match threshold', { id: 'console.face-threshold' })}</label>
        <input
          id="face_threshold"
          name="face_threshold"
          type="number"
          min="0"
          max="1"
          step="0.01"
          .value=${String(ev.face_threshold)}
          ?disabled=${disabled}
          aria-describedby="face-hint"
        />
        <span class="hint" id="face-hint"
          >${msg('Between 0 and 1: higher finds fewer, surer matches (default 0.45).', { id: 'console.face-threshold-hint' })}</span
        >
      </div>`;
  }

  private renderFlags(disabled: boolean) {
    return html`<fieldset>
      <legend>${msg('Features', { id: 'console.features' })}</legend>
      ${FEATURE_FLAGS.map(
        (f) =>
          html`<label class="check"
            ><input
              type="checkbox"
              name=${`flag_${f}`}
              .checked=${this.flags[f]}
              ?disabled=${disabled || (f === 'video_selfie_search' && !this.flags.video_search)}
              @change=${(e: Event) => this.setFlag(f, (e.target as HTMLInputElement).checked)}
            />
            ${this.flagLabel(f)}</label
          >`,
      )}
    </fieldset>`;
  }

  private renderPage(ev: AdminEvent, disabled: boolean) {
    const cta = ev.cta;
    const check = (name: keyof AdminEvent, label: string) =>
      html`<label class="check"
        ><input type="checkbox" name=${name} ?checked=${ev[name] === true} ?disabled=${disabled} /> ${label}</label
      >`;
    return html`<fieldset>
      <legend>${msg('Public page and gallery', { id: 'console.page' })}</legend>
      <div class="grid">
        <div>
          <div class="field">
            <label for="visibility">${msg('Visibility', { id: 'console.visibility' })}</label>
            <select id="visibility" name="visibility" ?disabled=${disabled}>
              <option value="public" ?selected=${ev.visibility === 'public'}>
                ${msg('Public: listed and open', { id: 'console.visibility-public' })}
              </option>
              <option value="unlisted" ?selected=${ev.visibility === 'unlisted'}>
                ${msg('Unlisted: open to those with the link', { id: 'console.visibility-unlisted' })}
              </option>
              <option value="private" ?selected=${ev.visibility === 'private'}>
                ${msg('Private: only the console', { id: 'console.visibility-private' })}
              </option>
            </select>
          </div>
          <div class="field">
            <label for="page_password">${msg('Page password', { id: 'console.page-password' })}</label>
            <input
              id="page_password"
              name="page_password"
              type="password"
              autocomplete="new-password"
              minlength="4"
              ?disabled=${disabled}
              aria-describedby="pw-hint"
            />
            <span class="hint" id="pw-hint"
              >${
                ev.page_password_set
                  ? msg('A password is set. Type a new one to change it.', { id: 'console.page-password-set' })
                  : msg('None: anyone with the link sees the photos.', { id: 'console.page-password-none' })
              }</span
            >
          </div>
          ${
            ev.page_password_set
              ? html`<label class="check"
                  ><input type="checkbox" name="clear_password" ?disabled=${disabled} />
                  ${msg('Remove the password', { id: 'console.page-password-clear' })}</label
                >`
              : nothing
          }
          <div class="field">
            <label for="location">${msg('Location', { id: 'console.location' })}</label>
            <input id="location" name="location" type="text" maxlength="200" .value=${ev.location ?? ''} ?disabled=${disabled} />
          </div>
          <div class="field">
            <label for="event_type">${msg('Kind of event', { id: 'console.event-type' })}</label>
            <input
              id="event_type"
              name="event_type"
              type="text"
              maxlength="80"
              .value=${ev.event_type ?? ''}
              ?disabled=${disabled}
              aria-describedby="type-hint"
            />
            <span class="hint" id="type-hint">${msg('e.g. marathon, trail, cycling', { id: 'console.event-type-hint' })}</span>
          </div>
        </div>
        <div>
          <div class="field">
            <label for="cover">${msg('Cover image', { id: 'console.cover' })}</label>
            <input id="cover" type="file" accept="image/png,image/jpeg,image/webp" ?disabled=${disabled} />
          </div>
          ${
            ev.cover_image
              ? html`<img class="cover" src=${ev.cover_image} alt=${msg('Current cover image', { id: 'console.cover-alt' })} />
                  ${disabled ? nothing : html`<button class="btn small" type="button" @click=${this.removeCover}>${msg('Remove the cover', { id: 'console.cover-remove' })}</button>`}`
              : nothing
          }
          ${check('show_all_images', msg('Show every photo (off: only through a search)', { id: 'console.show-all' }))}
          ${check('bulk_download', msg('Offer “download all my photos”', { id: 'console.bulk' }))}
          ${check('show_photo_count', msg('Show the number of photos', { id: 'console.photo-count' }))}
          ${check('web_download', msg('Sold originals: free web-size download', { id: 'console.web-download' }))}
        </div>
      </div>
      <label class="check"
        ><input
          type="checkbox"
          name="cta_on"
          ?checked=${this.ctaOn}
          ?disabled=${disabled}
          @change=${(e: Event) => (this.ctaOn = (e.target as HTMLInputElement).checked)}
        />
        ${msg('A call to action (a link of yours in the gallery)', { id: 'console.cta' })}</label
      >
      ${
        this.ctaOn
          ? html`<div class="grid">
              <div class="field">
                <label for="cta_url">${msg('Link address', { id: 'console.cta-url' })}</label>
                <input id="cta_url" name="cta_url" type="url" required .value=${cta?.url ?? ''} ?disabled=${disabled} />
              </div>
              <div class="field">
                <label for="cta_text">${msg('Link text', { id: 'console.cta-text' })}</label>
                <input
                  id="cta_text"
                  name="cta_text"
                  type="text"
                  maxlength="80"
                  required
                  .value=${cta?.text ?? ''}
                  ?disabled=${disabled}
                />
              </div>
              <div class="field">
                <label for="cta_placement">${msg('Where', { id: 'console.cta-placement' })}</label>
                <select id="cta_placement" name="cta_placement" ?disabled=${disabled}>
                  <option value="gallery" ?selected=${cta?.placement === 'gallery'}>
                    ${msg('above the gallery', { id: 'console.cta-gallery' })}
                  </option>
                  <option value="lightbox" ?selected=${cta?.placement === 'lightbox'}>
                    ${msg('on each opened photo', { id: 'console.cta-lightbox' })}
                  </option>
                  <option value="download" ?selected=${cta?.placement === 'download'}>
                    ${msg('after a download', { id: 'console.cta-download' })}
                  </option>
                </select>
              </div>
              <div class="field">
                <label for="cta_style">${msg('Look', { id: 'console.cta-style' })}</label>
                <select id="cta_style" name="cta_style" ?disabled=${disabled}>
                  <option value="button" ?selected=${cta?.style !== 'link'}>
                    ${msg('button', { id: 'console.cta-button' })}
                  </option>
                  <option value="link" ?selected=${cta?.style === 'link'}>${msg('link', { id: 'console.cta-link' })}</option>
                </select>
              </div>
            </div>`
          : nothing
      }
    </fieldset>`;
  }

  private videoLabel(n: VideoSettingName): string {
    switch (n) {
      case 'fps':
        return msg('Frames read per second of video', { id: 'console.video.fps' });
      case 'quality':
        return msg('Frame quality (1 best – 31)', { id: 'console.video.quality' });
      case 'max_clip_duration_s':
        return msg('Longest clip (s)', { id: 'console.video.max-clip' });
      case 'min_segment_s':
        return msg('Shortest moment kept (s)', { id: 'console.video.min-segment' });
      case 'max_gap_s':
        return msg('Longest gap inside a moment (s)', { id: 'console.video.max-gap' });
      case 'padding_start_s':
        return msg('Seconds added before', { id: 'console.video.pad-start' });
      case 'padding_end_s':
        return msg('Seconds added after', { id: 'console.video.pad-end' });
      case 'confidence_threshold':
        return msg('Face match threshold in videos (%)', { id: 'console.video.threshold' });
    }
  }

  private renderVideo(ev: AdminEvent, disabled: boolean) {
    return html`<fieldset>
      <legend>${msg('Video clips', { id: 'console.video' })}</legend>
      <div class="grid">
        ${VIDEO_SETTINGS.map(
          (n) =>
            html`<div class="field">
              <label for=${`video_${n}`}>${this.videoLabel(n)}</label>
              <input
                id=${`video_${n}`}
                name=${`video_${n}`}
                type="number"
                step="any"
                .value=${String(ev.video[n])}
                ?disabled=${disabled}
              />
            </div>`,
        )}
      </div>
    </fieldset>`;
  }

  private renderWatermark(ev: AdminEvent, disabled: boolean) {
    return html`<fieldset>
      <legend>${msg('Watermark', { id: 'console.watermark' })}</legend>
      <div class="field">
        <label for="watermark_text">${msg('Watermark text', { id: 'console.watermark-text' })}</label>
        <input
          id="watermark_text"
          type="text"
          maxlength="100"
          .value=${this.watermarkText}
          ?disabled=${disabled}
          @input=${(e: Event) => (this.watermarkText = (e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="watermark_image">${msg('Watermark image (PNG or JPEG)', { id: 'console.watermark-image' })}</label>
        <input
          id="watermark_image"
          type="file"
          accept="image/png,image/jpeg"
          ?disabled=${disabled}
          @change=${this.pickWatermark}
          aria-describedby="wm-hint"
        />
        <span class="hint" id="wm-hint"
          >${
            ev.watermark_image
              ? msg('An image is set. Choose another to replace it.', { id: 'console.watermark-set' })
              : msg('No image set.', { id: 'console.watermark-none' })
          }
          ${msg('Applies to photos uploaded from now on.', { id: 'console.watermark-applies' })}</span
        >
      </div>
      ${this.watermarkError ? errorBox(this.watermarkError) : nothing}
      ${
        ev.watermark_image && !disabled
          ? html`<button class="btn small" type="button" @click=${this.removeWatermark}>
              ${msg('Remove the image', { id: 'console.watermark-remove' })}
            </button>`
          : nothing
      }
      <p class="label" id="wm-preview">${msg('Preview', { id: 'console.preview' })}</p>
      <canvas width="640" height="427" role="img" aria-labelledby="wm-preview" aria-describedby="wm-preview-desc"></canvas>
      <p class="hint muted" id="wm-preview-desc">
        ${msg('How the watermark looks on a preview photo. The image shows here once chosen.', { id: 'console.watermark-preview' })}
      </p>
    </fieldset>`;
  }

  private renderArchive(ev: AdminEvent) {
    const archived = ev.status === 'draft' && !ev.event_enabled;
    return html`<section aria-labelledby="archive-title">
      <h2 id="archive-title">${msg('Archive', { id: 'console.archive-title' })}</h2>
      ${
        archived
          ? html`<p>
                ${msg('This event is archived: hidden from the public, its photos kept.', { id: 'console.archived-text' })}
              </p>
              <button class="btn" type="button" @click=${() => this.archive(false)}>
                ${msg('Restore and publish', { id: 'console.restore' })}
              </button>`
          : html`<p>
                ${msg('Archiving hides the event from the public (the embed snippet stops working); photos, sales and certificates are kept.', { id: 'console.archive-text' })}
              </p>
              <button class="btn danger" type="button" @click=${() => this.openConfirm('archive')}>
                ${msg('Archive the event…', { id: 'console.archive' })}
              </button>`
      }
      ${
        this.confirming === 'archive'
          ? html`<dialog aria-labelledby="confirm-title" @close=${() => (this.confirming = null)}>
              <h2 id="confirm-title">${msg('Archive this event?', { id: 'console.archive-confirm' })}</h2>
              <p>${ev.name}</p>
              <div class="row">
                <button class="btn danger" type="button" @click=${() => this.archive(true)}>
                  ${msg('Archive', { id: 'console.archive-yes' })}
                </button>
                <button class="btn" type="button" autofocus @click=${this.closeConfirm}>
                  ${msg('Cancel', { id: 'console.cancel' })}
                </button>
              </div>
            </dialog>`
          : nothing
      }
    </section>`;
  }

  private renderDelete(ev: AdminEvent) {
    const matches = this.deleteName.trim() === ev.name.trim();
    return html`<section aria-labelledby="delete-title">
      <h2 id="delete-title">${msg('Delete', { id: 'console.delete-title' })}</h2>
      <p>
        ${msg('Deleting removes the event for good: its photos, faces, bibs, certificates and unsold orders. An event with paid orders cannot be deleted: archive it instead.', { id: 'console.delete-text' })}
      </p>
      <button class="btn danger" type="button" @click=${() => this.openConfirm('delete')}>
        ${msg('Delete the event…', { id: 'console.delete' })}
      </button>
      ${
        this.confirming === 'delete'
          ? html`<dialog aria-labelledby="delete-confirm-title" @close=${() => (this.confirming = null)}>
              <h2 id="delete-confirm-title">${msg('Delete this event for good?', { id: 'console.delete-confirm' })}</h2>
              <p id="delete-confirm-text">
                ${msg('This cannot be undone. Type the event name to confirm:', { id: 'console.delete-confirm-text' })}
                <strong>${ev.name}</strong>
              </p>
              ${this.deleteError ? errorBox(this.deleteError) : nothing}
              <div class="field">
                <label for="delete-name">${msg('Event name', { id: 'console.delete-name' })}</label>
                <input
                  id="delete-name"
                  type="text"
                  autocomplete="off"
                  aria-describedby="delete-confirm-text"
                  autofocus
                  .value=${this.deleteName}
                  @input=${(e: Event) => (this.deleteName = (e.target as HTMLInputElement).value)}
                  @keydown=${(e: KeyboardEvent) => {
                    if (e.key === 'Enter') void this.deleteEvent();
                  }}
                />
              </div>
              <div class="row">
                <button class="btn danger" type="button" ?disabled=${!matches || this.busy} @click=${this.deleteEvent}>
                  ${msg('Delete the event', { id: 'console.delete-yes' })}
                </button>
                <button class="btn" type="button" @click=${this.closeConfirm}>${msg('Cancel', { id: 'console.cancel' })}</button>
              </div>
            </dialog>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-event-settings': PfcEventSettings;
  }
}
