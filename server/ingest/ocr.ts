/**
 * The bib OCR stage of the ingest pipeline, as the pipeline sees it (implemented by services/bibtrack.ts).
 * It never throws: when the bibs cannot be read (models missing, an unreadable image) the photo is still
 * stored and the result says why its bibs were not read.
 */
import type { EventRow, NewBibScan, NewBibTag } from '../store/types.ts';
import type { DecodedPhoto } from '../vision/ocr/ocr-engine.ts';

export type OcrStageResult = { ok: true; tags: NewBibTag[] } | { ok: false; reason: string };

export interface OcrStage {
  /**
   * The bib numbers in a photo as `ocr` tags (accepted, or candidate when outside the event's issued list),
   * boxes in original pixels; null when the event does not read bibs (bib search off). `decoded`: the photo already
   * decoded (RGB, EXIF-rotated, long side ≤ OCR_DECODE_SIDE; see vision-input.ts), read instead of `data`.
   */
  readPhoto(event: EventRow, data: Uint8Array, decoded?: DecodedPhoto): Promise<OcrStageResult | null>;
}

/** The scan row stored with the photo. */
export function ocrScan(r: OcrStageResult): NewBibScan {
  return r.ok ? { state: 'read', reads: r.tags.length, error: null } : { state: 'failed', reads: 0, error: r.reason };
}

/** The fields an ingest result gets from the OCR stage. */
export function ocrReport(r: OcrStageResult | null | undefined): { bibs?: number; warning?: string } {
  if (!r) return {};
  return r.ok ? { bibs: r.tags.filter((t) => t.status === 'accepted').length } : { warning: r.reason };
}
