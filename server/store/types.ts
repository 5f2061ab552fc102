/**
 * Storage contracts. Routes and services see only these interfaces; only adapters under
 * `store/<engine>/` know a driver. Every method is async so a networked engine (PostgreSQL)
 * can implement the same contract.
 */
import type { Cta, EventVisibility, FeatureFlag } from '../../core/index.ts';
import type { EventPageStore } from './event-page-types.ts';
import type { AuthStore, UploadStore } from './auth-types.ts';
import type { CertificateStore } from './certify-types.ts';
import type { CheckoutStore } from './checkout-types.ts';
import type { FaceStore, NewFace } from './face-types.ts';
import type { FaceLinkStore } from './face-link-types.ts';
import type { VideoStore } from './video-types.ts';
import type { CreditStore } from './credits-types.ts';
import type { ThrottleStore } from './throttle-types.ts';

export interface OrgRow {
  id: number;
  name: string;
  created_at: string;
}

export type KeyKind = 'secret' | 'publishable';

export interface ApiKeyRow {
  id: number;
  org_id: number;
  kind: KeyKind;
  /** First characters of the key, for display (`pk_live_ab***`). */
  prefix: string;
  label: string | null;
  active: boolean;
  /** Publishable keys: the events they may read; null = every event of the org. */
  event_ids: number[] | null;
  /** Publishable keys: allowed browser origins; null or empty = any origin. */
  origins: string[] | null;
  created_at: string;
}

export interface EventSettings {
  name: string;
  slug: string | null;
  event_date: string | null;
  time_zone: string;
  status: 'active' | 'draft';
  event_enabled: boolean;
  free_downloads: boolean;
  /** Face match threshold, cosine in [0,1]. */
  face_threshold: number;
  watermark_text: string | null;
  /** Blob key of a watermark image (PNG), or null. */
  watermark_image: string | null;
  flags: Record<FeatureFlag, boolean>;
  visibility: EventVisibility;
  /** argon2 hash of the page password, or null (never leaves the server). */
  page_password: string | null;
  location: string | null;
  event_type: string | null;
  /** Blob key of the cover image (JPEG), or null. */
  cover_image: string | null;
  show_all_images: boolean;
  bulk_download: boolean;
  show_photo_count: boolean;
  web_download: boolean;
  cta: Cta | null;
  /** Bumped when the watermark changes: renditions drawn with an older version are re-rendered. */
  watermark_version: number;
}

export interface EventRow extends EventSettings {
  id: number;
  org_id: number;
  created_at: string;
  updated_at: string;
}

export type RenditionKind = 'thumb' | 'preview';

export interface RenditionRow {
  kind: RenditionKind;
  width: number;
  height: number;
  format: 'webp' | 'avif' | 'jpeg';
  blob_key: string;
  bytes: number;
  /** The event's watermark version this rendition was drawn with. */
  watermark_version: number;
}

export interface ImageRow {
  id: string;
  event_id: number;
  content_hash: string;
  original_name: string;
  /** Capture time in ms since the epoch (UTC), or null. */
  captured_at: number | null;
  width: number;
  height: number;
  mime: string;
  bytes: number;
  original_key: string;
  created_at: string;
  /** 'waiting_credits': stored but not processed (no renditions, faces or tags) until its organisation has credits. */
  state: ImageState;
  renditions: RenditionRow[];
}

/** CONTRACTS.md (issue 13): only 'ready' photos are seen by public reads and searches. */
export type ImageState = 'ready' | 'waiting_credits';

/** A new photo; `state` defaults to 'ready'. Inserting a 'ready' photo over a waiting one of the same hash completes it. */
export type NewImage = Omit<ImageRow, 'created_at' | 'state'> & { state?: ImageState };

export type BibSource = 'manual' | 'sidecar' | 'ocr';
export type BibStatus = 'accepted' | 'rejected' | 'candidate';

export interface BibTagRow {
  id: number;
  image_id: string;
  bib: string;
  bib_norm: string;
  source: BibSource;
  status: BibStatus;
  confidence: number | null;
  /** Pixel box in the original image: [x1, y1, x2, y2], or null. */
  box: [number, number, number, number] | null;
  /** When a person accepted or rejected the tag (an OCR re-run keeps its status), or null. */
  reviewed_at: string | null;
}

export type NewBibTag = Omit<BibTagRow, 'id' | 'image_id' | 'reviewed_at'>;

/** Whether the OCR read a photo (`read`, with how many bib reads it kept) or could not (`failed`, why). */
export interface BibScanRow {
  image_id: string;
  state: 'read' | 'failed';
  reads: number;
  error: string | null;
  scanned_at: string;
}

export type NewBibScan = Omit<BibScanRow, 'image_id' | 'scanned_at'>;

/** What `BibStore.replaceOcr` did to a photo's OCR tags. */
export interface OcrMergeReport {
  added: number;
  updated: number;
  removed: number;
  /** Reads whose tag a person had reviewed: their status was kept. */
  kept: number;
}

export interface BibStats {
  images: number;
  /** Photos the OCR read / could not read; the rest were never read (OCR off, or ingested before it). */
  read: number;
  failed: number;
  /** Photos with at least one accepted tag (any source). */
  tagged: number;
  ocr_accepted: number;
  ocr_candidates: number;
  rejected: number;
  manual: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface TimelineBucket {
  /** UTC date YYYY-MM-DD */
  date: string;
  hour: number;
  count: number;
}

export interface OrgStore {
  create(name: string): Promise<OrgRow>;
  get(id: number): Promise<OrgRow | null>;
  list(): Promise<OrgRow[]>;
}

export interface KeyStore {
  create(key: Omit<ApiKeyRow, 'id' | 'created_at' | 'active'> & { hash: string }): Promise<ApiKeyRow>;
  findByHash(hash: string): Promise<ApiKeyRow | null>;
  listForOrg(orgId: number): Promise<ApiKeyRow[]>;
  setActive(orgId: number, id: number, active: boolean): Promise<boolean>;
  /** Replaces a publishable key's allowed origins (null = any). */
  setOrigins(orgId: number, id: number, origins: string[] | null): Promise<boolean>;
  delete(orgId: number, id: number): Promise<boolean>;
  /**
   * The access data version (migration 017): moves with every write to api_keys, events or org_accounts, by any
   * process. What the API's key and event checks keep in memory is valid while it has not moved.
   */
  accessVersion(): Promise<number>;
  /**
   * What one public API request needs to know before it may use what the server keeps in memory, in one statement:
   * the access data version and, for an event (null: none), its gallery data version, its photo count (migration
   * 014) and whether its certificates are published. services/ready-answers.ts and access-cache.ts key on it.
   */
  requestVersions(eventId: number | null): Promise<RequestVersions>;
}

/** See KeyStore.requestVersions; for no event (or an unknown one) the gallery fields are 0 and false. */
export interface RequestVersions {
  access: number;
  /** The event's gallery data version (image_counts.version): moves with every photo and bib tag write. */
  gallery: number;
  /** The event's ready photos (image_counts.images). */
  total: number;
  certificates: boolean;
}

export interface EventStore {
  create(orgId: number, settings: Partial<EventSettings> & { name: string }): Promise<EventRow>;
  get(id: number): Promise<EventRow | null>;
  update(id: number, patch: Partial<EventSettings>): Promise<EventRow | null>;
  /** `listedOnly`: only public, active (not draft) events — what a publishable key's event list shows. */
  listForOrg(
    orgId: number,
    page: { offset: number; limit: number },
    onlyIds?: number[] | null,
    opts?: { listedOnly?: boolean },
  ): Promise<Page<EventRow>>;
  /** The organisation's event with this slug (the newest when several share it), or null. */
  findBySlug(orgId: number, slug: string): Promise<EventRow | null>;
  /**
   * Deletes the event and every row that belongs to it in one transaction, and drops its id from the event
   * scopes of keys, memberships and invitations (a scope left empty stays empty: never widened to every event).
   * Refused (nothing changed) while the event has paid or refunded orders: buyers' receipts need them.
   * Returns null when the event does not exist; the blobs are the caller's to remove after the commit.
   */
  delete(id: number): Promise<EventDeletion | null>;
}

/** What `EventStore.delete` did: refused for paid orders, or the blobs and tus uploads the deleted rows named. */
export type EventDeletion =
  | { deleted: false; paid_orders: number }
  | {
      deleted: true;
      /** Blob keys named by the deleted rows (originals, renditions, certificate renders, videos, clips, images). */
      blob_keys: string[];
      /** Blob folders that belonged to the event (`covers/7/`, `certificates/7/`, `renditions/{image}/`, …). */
      blob_prefixes: string[];
      /** tus upload ids whose partial files may still be in the upload folder. */
      upload_ids: string[];
    };

export interface ImageStore {
  /**
   * Inserts the image, its renditions, bib tags, faces and bib scan in one transaction. Returns false when
   * the hash exists — except that a 'ready' photo over one 'waiting_credits' of the same hash completes it.
   * The reads below (`get`, `getMany`, lists, counts, searches) see only 'ready' photos; `getById` and
   * `findByHash` see every state.
   */
  insert(image: NewImage, bibs?: NewBibTag[], faces?: NewFace[] | null, bibScan?: NewBibScan | null): Promise<boolean>;
  get(eventId: number, id: string): Promise<ImageRow | null>;
  /** By id alone (ids are unique across events): the signed original route knows no event. */
  getById(id: string): Promise<ImageRow | null>;
  getMany(eventId: number, ids: string[]): Promise<ImageRow[]>;
  findByHash(eventId: number, hash: string): Promise<ImageRow | null>;
  /** Capture time ascending, untimed last, stable by id. */
  list(eventId: number, page: { offset: number; limit: number }): Promise<Page<ImageRow>>;
  count(eventId: number): Promise<number>;
  /**
   * The event's photo count and gallery data version: the version changes whenever a page of `list` could
   * (a photo added, deleted, re-timed, its renditions replaced, by any process). Keys the page cache and ETags.
   */
  listVersion(eventId: number): Promise<{ total: number; version: number }>;
  /** The ids among `ids` that are photos of the event, in the order given. */
  existingIds(eventId: number, ids: string[]): Promise<string[]>;
  /** The ids among `ids` that are no photo of any event (files left by an interrupted ingest). */
  unknownIds(ids: string[]): Promise<string[]>;
  /**
   * Every id whose accepted bib tags match any of the normalised keys, in gallery order. Leading zeros
   * do not matter on either side: "0427" finds a tag "427" and "427" finds a tag "0427".
   */
  idsByBib(eventId: number, bibKeys: string[]): Promise<string[]>;
  /** Photos whose accepted bib tags match any of the normalised keys (as `idsByBib`), in gallery order. */
  listByBib(eventId: number, bibKeys: string[], page: { offset: number; limit: number }): Promise<Page<ImageRow>>;
  /** Photos with captured_at in [fromMs, toMs), ascending. */
  listByTime(eventId: number, fromMs: number, toMs: number, page: { offset: number; limit: number }): Promise<Page<ImageRow>>;
  timelineBuckets(eventId: number): Promise<TimelineBucket[]>;
  /** Deletes the image and its rows; returns the blob keys it owned (for the caller to delete). */
  delete(eventId: number, id: string): Promise<string[] | null>;
}

export interface BibStore {
  listForImage(imageId: string): Promise<BibTagRow[]>;
  get(imageId: string, tagId: number): Promise<BibTagRow | null>;
  /**
   * Adds a tag; the same bib from the same source again updates its status, except that a tag a person
   * rejected stays rejected unless the new one is `manual`.
   */
  add(imageId: string, tag: NewBibTag): Promise<BibTagRow>;
  /** A person's decision: sets the status and marks the tag reviewed (an OCR re-run keeps it). */
  setStatus(imageId: string, tagId: number, status: BibStatus): Promise<boolean>;
  remove(imageId: string, tagId: number): Promise<boolean>;

  /**
   * Replaces a photo's OCR tags with a new read, in one transaction, and records the scan. Tags of other
   * sources are untouched. A reviewed OCR tag keeps its status (a rejected read stays rejected, an accepted
   * one stays even when not read again); a new read of a bib a person rejected on this photo is stored
   * rejected; unreviewed OCR tags not read again are removed.
   */
  replaceOcr(imageId: string, tags: NewBibTag[], scan: NewBibScan): Promise<OcrMergeReport>;
  /** Records a scan without touching the tags (a failed read). */
  recordScan(imageId: string, scan: NewBibScan): Promise<void>;
  getScan(imageId: string): Promise<BibScanRow | null>;
  stats(eventId: number): Promise<BibStats>;
  /** Photos of the event in id order after `afterId`; `unreadOnly`: only those the OCR has not read. */
  photosToRead(
    eventId: number,
    opts: { afterId: string | null; limit: number; unreadOnly?: boolean },
  ): Promise<{ id: string; original_key: string }[]>;
  /** Photos without an accepted tag (of any source), in gallery order: the manual tagging queue. */
  untaggedIds(eventId: number, page: { offset: number; limit: number }): Promise<Page<string>>;
  /** Unreviewed OCR tags of the event in id order after `afterId` (for re-applying the issued list). */
  unreviewedOcrTags(eventId: number, afterId: number, limit: number): Promise<BibTagRow[]>;
  /** Sets status and confidence of OCR tags (not marking them reviewed). */
  updateOcrStatuses(updates: { id: number; status: 'accepted' | 'candidate'; confidence: number | null }[]): Promise<void>;

  /** The event's issued bibs (normalised), in bib order. */
  issuedBibs(eventId: number): Promise<string[]>;
  listIssued(eventId: number, page: { offset: number; limit: number }): Promise<Page<{ bib: string; bib_norm: string }>>;
  /** Replaces (or, with `append`, adds to) the event's issued list in one transaction; returns its size. */
  putIssued(eventId: number, bibs: { bib: string; bib_norm: string }[], mode: 'replace' | 'append'): Promise<number>;
}

export interface Store {
  orgs: OrgStore;
  keys: KeyStore;
  events: EventStore;
  images: ImageStore;
  bibs: BibStore;
  certificates: CertificateStore;
  checkout: CheckoutStore;
  faces: FaceStore;
  /** Face–bib links and "Not me" feedback on selfie searches. */
  faceLinks: FaceLinkStore;
  /** Event page: registration runners, analytics counters, renditions to refresh. */
  eventPage: EventPageStore;
  /** Motion: videos, their faces, video settings, clip jobs and clips. */
  videos: VideoStore;
  /** Console accounts, memberships, sessions, invitations, photographer clocks. */
  auth: AuthStore;
  /** tus uploads and their processing state. */
  uploads: UploadStore;
  /** Credits, plans, billing, payments, operators (issue 13). */
  credits: CreditStore;
  /** Sign-in and page-password throttles, shared by every process over the database. */
  throttles: ThrottleStore;
  /** Checks the database file; returns problems found (empty when healthy). */
  check(): Promise<string[]>;
  close(): Promise<void>;
}
