/**
 * The face stage of the ingest pipeline, as the pipeline sees it (implemented by services/faces.ts).
 * It never throws: when the faces cannot be indexed (models missing, a decoder problem) the photo is
 * still stored and the result says why its faces were not indexed.
 */
import type { NewFace } from '../store/face-types.ts';
import type { DecodedImage } from '../vision/face-runner.ts';

export type FaceStageResult = { ok: true; faces: NewFace[] } | { ok: false; reason: string };

export interface FaceStage {
  /**
   * Every face of the photo (tiles over the full frame), boxes in original pixels, packed int8 embeddings.
   * `decoded`: the photo already decoded by `decodeImage` (see vision-input.ts), used instead of decoding `data`.
   */
  indexPhoto(data: Uint8Array, decoded?: DecodedImage): Promise<FaceStageResult>;
  /** The event's faces changed: drop its in-memory index. */
  invalidate(eventId: number): void;
}

/** The fields an ingest result gets from the face stage. */
export function faceReport(r: FaceStageResult | undefined): { faces?: number; warning?: string } {
  if (!r) return {};
  return r.ok ? { faces: r.faces.length } : { warning: r.reason };
}
