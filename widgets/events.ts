/**
 * The kit's DOM events: every `pf-*` event is a bubbling, composed, cancelable CustomEvent, so a listener on
 * `document` (or any ancestor) hears it from inside any shadow root.
 *
 * ```ts
 * document.addEventListener('pf-download', (e) => analytics.track('download', e.detail.count));
 * ```
 *
 * Another element adds its events by augmenting `PfEventMap` from its own file:
 * ```ts
 * declare module '../events.ts' { interface PfEventMap { 'pf-checkout': { orderId: string } } }
 * ```
 */
import type { DownloadMethod, ImageItem } from '../core/api/models.ts';
import type { EventContextValue } from './shared/context.ts';

/** How a result set was found. */
export type SearchMethod = 'all' | 'bib' | 'selfie' | 'timeline' | 'name';

/** `pf-search`: the user started a search (fired before results arrive). */
export interface PfSearchDetail {
  method: SearchMethod;
  /** The BIB as typed, the selfie request_id, the name typed, or the timeline window as `from/to` (epoch seconds). */
  query: string;
  /** Timeline only: window start, Unix seconds (inclusive). */
  from?: number;
  /** Timeline only: window end, Unix seconds (exclusive). */
  to?: number;
}

/** `pf-results`: a page of a result set arrived. */
export interface PfResultsDetail {
  method: SearchMethod;
  /** The query of the result set ('' for all photos). */
  query: string;
  /** Photos in the whole result set. */
  total: number;
  /** Photos loaded so far. */
  loaded: number;
}

/** `pf-select`: a photo was opened (thumbnail activated, or the lightbox moved to it). */
export interface PfSelectDetail {
  image: ImageItem;
  /** Position in the result set, from 0. */
  index: number;
}

/**
 * `pf-download`: an original download finished, a "download all" ZIP started, or either was refused (then `ok` is
 * false and `reason` says why).
 */
export interface PfDownloadDetail {
  method: DownloadMethod;
  identifier: string | string[];
  /** Files saved. */
  count: number;
  ok: boolean;
  /** Why nothing was saved (shown to the user too). */
  reason?: string;
  /** HTTP status when the server refused. */
  status?: number;
  /** "Download all": the signed link of the ZIP (cancel the event to handle it yourself instead of the browser). */
  zipUrl?: string;
  /** "Download all": originals, or free web-size copies of a sold event. */
  kind?: 'original' | 'web';
}

/** `pf-error`: something failed; the element shows it in place with a retry. */
export interface PfErrorDetail {
  /** The element that failed, e.g. 'pf-gallery'. */
  source: string;
  message: string;
  /** HTTP status (0 = network), when the failure came from the API. */
  status?: number;
}

/** `pf-hide`: the user said "Not me" about a photo. Cancel the event to keep it shown. */
export interface PfHideDetail {
  image: ImageItem;
  index: number;
}

/** `pf-selection-change`: the set of selected photos changed (selection mode). */
export interface PfSelectionChangeDetail {
  /** Selected image ids, in the order they were selected. */
  imageIds: string[];
}

/** `pf-clips`: the video clips of a selfie search are ready (pf-video-clips). */
export interface PfClipsDetail {
  /** The selfie search's request_id. */
  query: string;
  /** Clips found (0 when the person is in none of the event videos). */
  total: number;
}

/** Detail types of every `pf-*` event, by event name. */
export interface PfEventMap {
  'pf-search': PfSearchDetail;
  'pf-results': PfResultsDetail;
  'pf-select': PfSelectDetail;
  'pf-download': PfDownloadDetail;
  'pf-error': PfErrorDetail;
  'pf-hide': PfHideDetail;
  'pf-selection-change': PfSelectionChangeDetail;
  'pf-clips': PfClipsDetail;
  /** pf-event's provided value changed (used by widgets joined with `event-ref`). */
  'pf-event-change': EventContextValue;
}

type PfCustomEvents = { [K in keyof PfEventMap]: CustomEvent<PfEventMap[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends PfCustomEvents {}
}

/** Fires a bubbling, composed, cancelable `pf-*` event; returns false when a listener cancelled it. */
export function emit<K extends keyof PfEventMap>(el: EventTarget, type: K, detail: PfEventMap[K]): boolean {
  return el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: true }));
}
