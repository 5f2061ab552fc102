/**
 * Storage contract of the event page area: the registration list for name search, the analytics counters,
 * and the renditions to re-render after a watermark change.
 */
import type { RenditionRow } from './types.ts';

export interface RunnerRow {
  bib: string;
  bib_norm: string;
  name: string;
  /** `foldName(name)`. */
  name_key: string;
}

export interface AnalyticsRow {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  source: string;
  metric: string;
  count: number;
}

/** A photo with at least one rendition drawn with an older watermark version. */
export interface StaleImage {
  id: string;
  original_key: string;
  /** Size after auto-rotation. */
  width: number;
  height: number;
}

export interface EventPageStore {
  /** A new import id for the event's registration list (rows of older imports go at `finishRunners`). */
  nextRunnersImport(eventId: number): Promise<number>;
  /** Upserts a batch of registration rows, by normalised bib, marked with `importId`. */
  putRunners(eventId: number, importId: number, rows: RunnerRow[]): Promise<void>;
  /** Ends a replacing import: deletes the rows no batch of `importId` wrote; returns the list's size. */
  finishRunners(eventId: number, importId: number, replace: boolean): Promise<number>;
  countRunners(eventId: number): Promise<number>;
  /**
   * Runners whose folded name contains every term, from the results (certificate records) and the registration
   * list; one per bib (the results' name first), by name, at most `limit`.
   */
  searchNames(eventId: number, terms: string[], limit: number): Promise<{ bib: string; name: string }[]>;

  /** Adds `n` to a counter. */
  count(eventId: number, day: string, source: string, metric: string, n?: number): Promise<void>;
  /** Counters of days in [fromDay, toDay], by day. */
  analytics(eventId: number, fromDay: string, toDay: string): Promise<AnalyticsRow[]>;
  /** Orders created and paid per UTC day in [fromDay, toDay] (checkout conversion). */
  orderDays(eventId: number, fromDay: string, toDay: string): Promise<{ day: string; created: number; paid: number }[]>;

  /** Photos without a capture time. */
  countUndated(eventId: number): Promise<number>;

  /** Photos of the event with a rendition older than `version`, in id order after `afterId`. */
  staleImages(eventId: number, version: number, afterId: string, limit: number): Promise<StaleImage[]>;
  countStale(eventId: number, version: number): Promise<number>;
  /** Events with renditions older than their watermark version (to resume the refresh after a restart). */
  eventsWithStale(): Promise<number[]>;
  /**
   * Replaces a photo's renditions in one transaction; returns the blob keys of the old ones no longer used
   * (to delete). False when the photo is gone.
   */
  replaceRenditions(imageId: string, renditions: RenditionRow[]): Promise<string[] | false>;
}
