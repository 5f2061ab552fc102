import { html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { VideoClip, VideoClippingData } from '../../core/api/video.ts';
import { ApiRequestError } from '../api/client.ts';
import '../api/endpoints.ts';
import type { PfResultsDetail } from '../events.ts';
import { msg, plural, str } from '../i18n/localize.ts';
import { defineElement, emit } from '../shared/define.ts';
import { EventConsumer } from '../shared/event-consumer.ts';
import { errorMessage } from '../shared/feature.ts';
import { featureNotice } from '../shared/feature-notice.ts';
import { formatNumber } from '../shared/format.ts';
import { PfElement } from '../shared/pf-element.ts';
import { readParam } from '../shared/url-state.ts';
import { videoClipsStyles } from './pf-video-clips.styles.ts';
import { pollClips } from './poll.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type View =
  | { kind: 'idle' }
  | { kind: 'pending'; status: 'queued' | 'processing' | 'starting' }
  | { kind: 'done'; data: VideoClippingData }
  | { kind: 'error'; message: string };

const clock = (s: number) => {
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
};

/**
 * Video clips of a participant (9Pic Motion): the short MP4s of the event's videos (finish-line cameras, drones)
 * in which the person of a selfie search appears, one per source video, playable and downloadable. The clips
 * are made on the server in the background: the element shows a pending state and polls until they are ready.
 *
 * The search is a selfie search's id: the `request-id` attribute, else the search a `pf-selfie-search` of the
 * page just ran (its results event), else `?selfie=` in the page URL. The selfie itself is never sent again.
 * `pf-selfie-search` shows this element next to the photos when the event has video clips on.
 *
 * @summary Video clips by selfie: pending while the server cuts them, then playable and downloadable.
 * @element pf-video-clips
 * @attr event-ref - id of a pf-event elsewhere on the page
 * @attr request-id - the selfie search (Face Search request_id) to show the clips of
 * @attr no-url - do not read ?selfie= from the page URL, nor follow the page's selfie searches
 * @fires pf-clips - the clips are ready: { query: request_id, total }
 * @fires pf-error - the clips could not be made or read: { source, message, status? }
 * @csspart base - the wrapper
 * @csspart pending - the "making your clips" line
 * @csspart count - the "2 video clips found" line
 * @csspart clips - the list of clips
 * @csspart clip - one clip (a figure with the video and its caption)
 * @csspart video - the video element of a clip
 * @csspart download - the download link of a clip
 * @csspart empty - the "no clip of you" line
 * @csspart error - an error message
 * @csspart unavailable - the notice shown when video clips are off for the event
 * @cssprop --pf-video-clip-min-width - narrowest column of the clip grid (default 16em)
 */
export class PfVideoClips extends PfElement {
  static override styles: CSSResultGroup = [PfElement.styles, videoClipsStyles];

  @property({ attribute: 'event-ref' }) eventRef = '';
  @property({ attribute: 'request-id' }) requestId = '';
  @property({ type: Boolean, attribute: 'no-url' }) noUrl = false;

  @state() private view: View = { kind: 'idle' };
  /** The search followed when `request-id` is not set (the page's selfie search, or ?selfie=). */
  @state() private followed = '';

  private readonly event = new EventConsumer(this, () => this.requestUpdate());
  private abort: AbortController | null = null;
  private loadedFor = '';

  private readonly onResults = (e: Event) => {
    const d = (e as CustomEvent<PfResultsDetail>).detail;
    if (this.noUrl || d.method !== 'selfie' || !UUID.test(d.query)) return;
    this.followed = d.query;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pf-results', this.onResults);
    if (!this.noUrl) this.followed = readParam('selfie') ?? '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pf-results', this.onResults);
    this.abort?.abort();
    this.loadedFor = '';
  }

  /** The search shown. */
  private get searchId(): string {
    const id = this.requestId || this.followed;
    return UUID.test(id) ? id.toLowerCase() : '';
  }

  private get enabled(): boolean {
    const d = this.event.value?.details;
    return !!d && d.video_search && d.video_selfie_search;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const id = this.searchId;
    if (this.enabled && this.event.value?.client && id && id !== this.loadedFor) void this.load(id);
  }

  /** Starts (or finds) the clip job of `requestId` and follows it to the end. */
  async load(requestId: string): Promise<void> {
    const client = this.event.value?.client;
    if (!client) return;
    this.loadedFor = requestId;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.view = { kind: 'pending', status: 'starting' };
    try {
      const data = await pollClips(
        () => client.videoClipsStart(requestId, abort.signal),
        () => client.videoClips(requestId, abort.signal),
        {
          signal: abort.signal,
          onState: (d) => {
            if ((d.status === 'queued' || d.status === 'processing') && !abort.signal.aborted)
              this.view = { kind: 'pending', status: d.status };
          },
        },
      );
      if (abort.signal.aborted) return;
      if (data.status === 'failed') throw new ApiRequestError(500, data.error ?? 'The clips could not be made');
      this.view = { kind: 'done', data };
      emit(this, 'pf-clips', { query: requestId, total: data.clips.length });
    } catch (e) {
      if (abort.signal.aborted || (e as Error).name === 'AbortError') return;
      const err = e as ApiRequestError;
      const message =
        err.status === 404
          ? msg('This selfie search is no longer available. Take a new selfie to look for your clips.', {
              id: 'video.expired',
            })
          : errorMessage(err.status ?? 0, err.message);
      this.view = { kind: 'error', message };
      emit(this, 'pf-error', { source: 'pf-video-clips', message, ...(err.status ? { status: err.status } : {}) });
    }
  }

  private renderClip(c: VideoClip) {
    const n = (v: number) => formatNumber(v, this.formatTag);
    const label = msg(str`Clip from ${c.source_name}, ${clock(c.start_s)} to ${clock(c.end_s)}`, { id: 'video.clip-label' });
    const download = `${c.clip_url}${c.clip_url.includes('?') ? '&' : '?'}download=1`;
    return html`<li>
      <figure part="clip">
        <video part="video" controls playsinline preload="metadata" poster=${c.poster_url} aria-label=${label}>
          <source src=${c.clip_url} type="video/mp4" />
        </video>
        <figcaption>
          <span>${clock(c.start_s)}–${clock(c.end_s)} · ${n(Math.round(c.duration_s))} s · ${n(Math.round(c.confidence))} %</span>
          <a
            class="btn"
            part="download"
            href=${download}
            download
            aria-label=${msg(str`Download ${label}`, { id: 'video.download-label' })}
            >${msg('Download', { id: 'video.download' })}</a
          >
        </figcaption>
      </figure>
    </li>`;
  }

  private renderView() {
    const v = this.view;
    switch (v.kind) {
      case 'idle':
        return nothing;
      case 'pending':
        return html`<p class="pending muted" part="pending" role="status">
          <span class="spinner" aria-hidden="true"></span>
          ${
            v.status === 'processing'
              ? msg('Making your video clips…', { id: 'video.processing' })
              : msg('Looking for you in the event videos…', { id: 'video.queued' })
          }
        </p>`;
      case 'error':
        return html`<p class="error" part="error" role="alert">${v.message}</p>`;
      case 'done': {
        const clips = v.data.clips;
        if (clips.length === 0)
          return html`<p class="muted" part="empty" role="status">
            ${msg('No video clip of you was found.', { id: 'video.none' })}
          </p>`;
        const total = formatNumber(clips.length, this.formatTag);
        return html`<p part="count" role="status">
            ${plural(this.formatTag, clips.length, {
              one: () => msg(str`${total} video clip found`, { id: 'video.found-one' }),
              other: () => msg(str`${total} video clips found`, { id: 'video.found' }),
            })}
          </p>
          <ul class="clips" part="clips">
            ${clips.map((c) => this.renderClip(c))}
          </ul>`;
      }
    }
  }

  override render() {
    const value = this.event.value;
    if (value?.details && !this.enabled)
      return html`<div class="root" part="base">
        ${featureNotice(value, 'off', msg('Video clips are not available for this event.', { id: 'video.off' }))}
      </div>`;
    return html`<section class="root" part="base" aria-label=${msg('Your video clips', { id: 'video.heading' })}>
      <h3>${msg('Your video clips', { id: 'video.heading' })}</h3>
      ${
        this.searchId
          ? this.renderView()
          : html`<p class="muted">${msg('Search with a selfie to find your video clips.', { id: 'video.hint' })}</p>`
      }
    </section>`;
  }
}

defineElement('pf-video-clips', PfVideoClips);

declare global {
  interface HTMLElementTagNameMap {
    'pf-video-clips': PfVideoClips;
  }
}
