/**
 * Storage contract of face–bib links (which face of a photo wears which bib read in it) and of the "Not me"
 * feedback on selfie searches. Implemented by `store/sqlite/face-links.ts`.
 */
import type { FaceBox, FaceHit } from './face-types.ts';

export interface FaceBibLink {
  face_id: number;
  image_id: string;
  /** The bib tag (bib_tags.id) the face is linked to. */
  tag_id: number;
  bib_norm: string;
  /** 0..1: how clearly this face, and no other, wears this bib (see server/ingest/face-bib-links.ts). */
  confidence: number;
}

/** A face with its packed int8 embedding (as stored), its box and its photo. */
export interface FaceWithEmbedding {
  id: number;
  image_id: string;
  box: FaceBox;
  packed: Uint8Array;
}

/** A linked face of a bib: the face, its photo and the link's confidence. */
export interface BibFace extends FaceWithEmbedding {
  confidence: number;
}

export interface FaceLinkStore {
  /** Replaces the links of one photo (one transaction). Faces or tags deleted meanwhile are skipped. */
  replaceForImage(eventId: number, imageId: string, links: readonly FaceBibLink[]): Promise<void>;
  listForImage(imageId: string): Promise<FaceBibLink[]>;
  /** Photos of the event with at least one face and one bib tag with a box (what a backfill relinks). */
  linkableImageIds(eventId: number): Promise<string[]>;
  /**
   * The accepted bibs linked to these faces: per face, its bib (normalised) and link confidence. Links to a
   * tag a person rejected (or still a candidate) are not returned.
   */
  bibsOfFaces(faceIds: readonly number[]): Promise<{ face_id: number; bib_norm: string; confidence: number }[]>;
  /** Faces linked (through an accepted tag) to a bib whose key is one of `bibKeys` (normalised, as `idsByBib`). */
  facesOfBib(eventId: number, bibKeys: readonly string[], minConfidence: number): Promise<BibFace[]>;
  /** The faces of these photos of the event, with their embeddings. */
  facesOfImages(eventId: number, imageIds: readonly string[]): Promise<FaceWithEmbedding[]>;
  /** Per photo of `imageIds`: the bibs (normalised) linked to each of its faces, keyed by face id. */
  linksOfImages(imageIds: readonly string[]): Promise<FaceBibLink[]>;
  counts(eventId: number): Promise<{ links: number; photos: number }>;

  /** "Not me": records that a selfie search's person is not in this photo. */
  addReject(requestId: string, imageId: string): Promise<void>;
  rejects(requestId: string): Promise<string[]>;
  /** Replaces a stored search's ranked hits (after "Not me"); false when the search is unknown. */
  replaceSearchHits(requestId: string, hits: readonly FaceHit[]): Promise<boolean>;
}
