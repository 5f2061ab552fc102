/**
 * Storage contract of Certify: the event's certificate template, its participant records (one per
 * normalised BIB), the publish flag with the last import's report, and the index of rendered
 * certificates kept as blobs.
 */
import type { ImportSummary } from '../../core/api/certificates.ts';
import type { CertificateRecord, CertificateTemplate } from '../../core/certify.ts';
import type { Page } from './types.ts';

export interface CertificateTemplateRow {
  event_id: number;
  template: CertificateTemplate;
  /** `builtin:classic`… or `custom`. */
  source: string;
  /** 1 for the first template; +1 on every change. */
  version: number;
  updated_at: string;
}

export interface CertificateRecordRow {
  event_id: number;
  /** Normalised (`normaliseBib`). */
  bib: string;
  record: CertificateRecord;
  /** 1 when created; +1 whenever the record's content changes. */
  version: number;
  /** Hash of the content: with `version`, the record part of the render cache key. */
  digest: string;
  updated_at: string;
}

export interface CertificateStateRow {
  event_id: number;
  published: boolean;
  published_at: string | null;
  last_import: ImportSummary | null;
}

export type CertificateFormatName = 'png' | 'pdf';

export interface CertificateRenderRow {
  event_id: number;
  bib: string;
  format: CertificateFormatName;
  /** `certificateCacheKey(…)` of the render. */
  cache_key: string;
  blob_key: string;
  bytes: number;
  created_at: string;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface CertificateStore {
  getTemplate(eventId: number): Promise<CertificateTemplateRow | null>;
  /** Saves the template; the version goes up only when the template or source differs from the stored one. */
  putTemplate(
    eventId: number,
    template: CertificateTemplate,
    source: string,
  ): Promise<{ row: CertificateTemplateRow; changed: boolean }>;

  /** The event's state (a default, unpublished one when nothing was stored yet). */
  getState(eventId: number): Promise<CertificateStateRow>;
  /** Whether the event's certificates are published: the flag on and a template stored (one read, for details). */
  isPublished(eventId: number): Promise<boolean>;
  setPublished(eventId: number, published: boolean): Promise<CertificateStateRow>;
  setLastImport(eventId: number, summary: ImportSummary): Promise<void>;

  /**
   * Inserts or updates records by BIB, in one transaction. A record whose content is unchanged keeps its
   * version; `importId`, when given, marks every record of the batch as seen by that import.
   */
  upsertRecords(eventId: number, records: CertificateRecord[], importId?: number): Promise<UpsertCounts>;
  /** A new import id for the event (for `deleteRecordsNotSeen`). */
  nextImportId(eventId: number): Promise<number>;
  /** Deletes the event's records the import `importId` did not see (their renders are pruned lazily). */
  deleteRecordsNotSeen(eventId: number, importId: number): Promise<number>;
  getRecord(eventId: number, bib: string): Promise<CertificateRecordRow | null>;
  /** The record of a typed BIB: exact normalised match, else the one record equal but for leading zeros. */
  findRecord(eventId: number, bib: string): Promise<CertificateRecordRow | null>;
  /** Records by BIB (numeric BIBs in number order); `q` filters on BIB prefix or name. */
  listRecords(eventId: number, page: { offset: number; limit: number }, q?: string): Promise<Page<CertificateRecordRow>>;
  countRecords(eventId: number): Promise<number>;
  /** Deletes a record (its renders are pruned lazily). */
  deleteRecord(eventId: number, bib: string): Promise<boolean>;

  getRender(eventId: number, bib: string, format: CertificateFormatName): Promise<CertificateRenderRow | null>;
  /** Records a render; returns the row it replaced (whose blob the caller deletes when its key differs). */
  putRender(row: Omit<CertificateRenderRow, 'created_at'>): Promise<CertificateRenderRow | null>;
  /** The event's render rows in (bib, format) order after `after`, for the stale-render sweep. */
  listRenders(eventId: number, after: { bib: string; format: string } | null, limit: number): Promise<CertificateRenderRow[]>;
  deleteRender(eventId: number, bib: string, format: CertificateFormatName, cacheKey: string): Promise<boolean>;
}
