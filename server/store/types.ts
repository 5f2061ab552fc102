/**
 * Storage contracts. Routes and services see only these interfaces; only adapters under
 * `store/<engine>/` know a driver. Every method is async so a networked engine (PostgreSQL)
 * can implement the same contract.
 */
import type { FeatureFlag } from '../../core/index.ts';
import type { CertificateStore } from './certify-types.ts';
import type { CheckoutStore } from './checkout-types.ts';
import type { FaceStore, NewFace } from './face-types.ts';

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
  renditions: RenditionRow[];
}

export type NewImage = Omit<ImageRow, 'created_at'>;

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
}

export type NewBibTag = Omit<BibTagRow, 'id' | 'image_id'>;

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
  delete(orgId: number, id: number): Promise<boolean>;
}

export interface EventStore {
  create(orgId: number, settings: Partial<EventSettings> & { name: string }): Promise<EventRow>;
  get(id: number): Promise<EventRow | null>;
  update(id: number, patch: Partial<EventSettings>): Promise<EventRow | null>;
  listForOrg(orgId: number, page: { offset: number; limit: number }, onlyIds?: number[] | null): Promise<Page<EventRow>>;
}

export interface ImageStore {
  /** Inserts the image, its renditions and bib tags in one transaction. Returns false when the hash exists. */
  insert(image: NewImage, bibs?: NewBibTag[], faces?: NewFace[] | null): Promise<boolean>;
  get(eventId: number, id: string): Promise<ImageRow | null>;
  /** By id alone (ids are unique across events): the signed original route knows no event. */
  getById(id: string): Promise<ImageRow | null>;
  getMany(eventId: number, ids: string[]): Promise<ImageRow[]>;
  findByHash(eventId: number, hash: string): Promise<ImageRow | null>;
  /** Capture time ascending, untimed last, stable by id. */
  list(eventId: number, page: { offset: number; limit: number }): Promise<Page<ImageRow>>;
  count(eventId: number): Promise<number>;
  /** The ids among `ids` that are photos of the event, in the order given. */
  existingIds(eventId: number, ids: string[]): Promise<string[]>;
  /** Every id whose accepted bib tags match any of the normalised keys, in gallery order. */
  idsByBib(eventId: number, bibKeys: string[]): Promise<string[]>;
  /** Photos whose accepted bib tags match any of the normalised keys, in gallery order. */
  listByBib(eventId: number, bibKeys: string[], page: { offset: number; limit: number }): Promise<Page<ImageRow>>;
  /** Photos with captured_at in [fromMs, toMs), ascending. */
  listByTime(eventId: number, fromMs: number, toMs: number, page: { offset: number; limit: number }): Promise<Page<ImageRow>>;
  timelineBuckets(eventId: number): Promise<TimelineBucket[]>;
  /** Deletes the image and its rows; returns the blob keys it owned (for the caller to delete). */
  delete(eventId: number, id: string): Promise<string[] | null>;
}

export interface BibStore {
  listForImage(imageId: string): Promise<BibTagRow[]>;
  add(imageId: string, tag: NewBibTag): Promise<BibTagRow>;
  setStatus(imageId: string, tagId: number, status: BibStatus): Promise<boolean>;
  remove(imageId: string, tagId: number): Promise<boolean>;
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
  /** Checks the database file; returns problems found (empty when healthy). */
  check(): Promise<string[]>;
  close(): Promise<void>;
}
