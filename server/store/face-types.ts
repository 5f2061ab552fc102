/**
 * Storage contract of face search: the faces of each photo and the stored selfie searches.
 * Implemented by `store/sqlite/faces.ts`; services see only this interface.
 */
import type { Page } from './types.ts';

/** `[x1, y1, x2, y2]` in pixels of the original (EXIF-rotated) photo. */
export type FaceBox = [number, number, number, number];

/** A face to store: where it is, how sure the detector was, and its packed int8 embedding (516 bytes). */
export interface NewFace {
  box: FaceBox;
  score: number;
  /** Variance of the Laplacian of the face crop (low = blurry), or null. */
  sharpness: number | null;
  /** `packEmbeddingInt8` of the L2-normalised 512-D embedding. */
  embedding: Uint8Array;
  /** `faceQuality` 0..1 (size and sharpness); null/absent = unknown (treated as 1). Migration 0121. */
  quality?: number | null;
  /** File name of the feature model that computed the embedding; null/absent = `fr_feature.onnx`. Migration 0121. */
  model?: string | null;
}

export interface FaceRow extends Omit<NewFace, 'embedding'> {
  id: number;
  image_id: string;
  event_id: number;
}

/** One face row as the in-memory index loads it. */
export interface PackedFace {
  /** The face's id (`faces.id`; `loadEvent` gives it). */
  id?: number;
  image_id: string;
  packed: Uint8Array;
  /** `faceQuality`, null = unknown (a face indexed before migration 0121). */
  quality?: number | null;
  /** Feature model file name, null = `fr_feature.onnx`. */
  model?: string | null;
}

export type FaceSearchSource = 'photo' | 'crop' | 'vector' | 'union';

export interface FaceHit {
  image_id: string;
  /** Cosine similarity of the photo's best-matching face (for a photo found only by its bib: `match_confidence`). */
  score: number;
  /** Why the photo matched: the person's face, the bib the person wears, or both (absent on searches stored before). */
  match?: 'face' | 'bib' | 'both';
  /** 0..1 */
  match_confidence?: number;
}

export interface NewFaceSearch {
  request_id: string;
  event_id: number;
  source: FaceSearchSource;
  /** Cosine threshold the search used. */
  threshold: number;
  /** The query embedding(s): float32 little-endian, 512 values each; null = not kept. */
  embedding: Uint8Array | null;
}

export interface FaceSearchRow extends NewFaceSearch {
  /** Photos matched when the search ran. */
  matched: number;
  created_at: string;
  /** When the retention sweep deleted the embedding (the matches stay), or null. */
  embedding_deleted_at: string | null;
}

export interface FaceStats {
  images: number;
  /** Photos whose faces were indexed. */
  scanned: number;
  faces: number;
}

export interface FaceStore {
  /** Replaces a photo's faces and marks it scanned, in one transaction (re-index). */
  replaceForImage(eventId: number, imageId: string, faces: NewFace[]): Promise<void>;
  listForImage(imageId: string): Promise<FaceRow[]>;
  /** Every face of the event and the face version they were read at (one read transaction). */
  loadEvent(eventId: number): Promise<{ version: number; faces: PackedFace[] }>;
  /** Changes whenever a face of the event is added or removed. 0 = the event never had a face. */
  version(eventId: number): Promise<number>;
  /** Photos of the event whose faces were never indexed (e.g. the models were missing at ingest). */
  unscannedImageIds(eventId: number): Promise<string[]>;
  stats(eventId: number): Promise<FaceStats>;

  /** Stores a search and its ranked matches; false (and nothing written) when the request_id exists. */
  createSearch(search: NewFaceSearch, hits: FaceHit[]): Promise<boolean>;
  getSearch(requestId: string): Promise<FaceSearchRow | null>;
  /** A page of a search's matches, best first (photos deleted since are gone from it). */
  searchHits(requestId: string, page: { offset: number; limit: number }): Promise<Page<FaceHit>>;
  allSearchHits(requestId: string): Promise<FaceHit[]>;
  /** Deletes the embeddings of searches created before `beforeIso`; the matches stay. Returns how many. */
  expireEmbeddings(beforeIso: string): Promise<number>;
}
