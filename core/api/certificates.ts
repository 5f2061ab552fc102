import { z } from 'zod';
import { CertificateTemplate, ColumnMapping, HexColor, type CertificateRecord, type ImportIssue } from '../certify.ts';
import type { PaginationInfo } from './pagination.ts';

/**
 * Certificates API (our extension, not in the 9Pic reference): request and response models of
 * `/api/v1/admin/{org_id}/event/{event_id}/certificates/…` (secret key) and
 * `/api/v1/ext/{org_id}/event/{event_id}/certificates/{bib}` (publishable key).
 */

/** The event's template: a built-in one (optionally recoloured), or a whole template JSON. */
export const PutTemplateRequest = z
  .strictObject({
    /** `classic`, `modern` (or `builtin:classic`). */
    builtin: z.string().min(1).max(64).optional(),
    /** Accent colour of a built-in template, `#rrggbb`. */
    accent: HexColor.optional(),
    template: CertificateTemplate.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.builtin === undefined) === (v.template === undefined))
      ctx.addIssue({ code: 'custom', message: 'send either `builtin` (with an optional `accent`) or a whole `template`' });
    if (v.accent !== undefined && v.builtin === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['accent'],
        message: 'accent goes with `builtin`; recolour a whole template in its JSON',
      });
  });
export type PutTemplateRequest = z.infer<typeof PutTemplateRequest>;

/** A record typed by hand (`PUT …/records/{bib}`): the same fields an import reads. */
export const PutRecordRequest = z.strictObject({
  name: z.string().max(300).optional(),
  first_name: z.string().max(200).optional(),
  last_name: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  gender: z.string().max(50).optional(),
  /** `H:MM:SS`, `MM:SS`, `1h02m03s`… (normalised to H:MM:SS). */
  finish_time: z.string().max(40).optional(),
  rank: z.union([z.number().int().positive(), z.string().max(20)]).optional(),
  extra: z.record(z.string().max(128), z.string().max(2000)).optional(),
});
export type PutRecordRequest = z.infer<typeof PutRecordRequest>;

/** Options of a records upload (multipart text fields or query parameters). */
export const ImportOptionsRequest = z.object({
  /** `replace`: records not in this file are removed once the whole file is read. Default `upsert`. */
  mode: z.enum(['upsert', 'replace']).default('upsert'),
  /** CSV separator; detected from the header line when absent. */
  delimiter: z.enum([',', ';', '\t', '|', 'tab']).optional(),
  mapping: ColumnMapping.optional(),
});
export type ImportOptionsRequest = z.infer<typeof ImportOptionsRequest>;

export interface BuiltinTemplateItem {
  /** `builtin:classic` */
  id: string;
  name: string;
  description: string;
  accent: string;
  template: CertificateTemplate;
}

export interface EventTemplate {
  /** Increments on every change; part of each certificate's cache key. */
  version: number;
  /** `builtin:classic`… when made from a built-in, else `custom`. */
  source: string;
  /** True when the background is an uploaded image. */
  background_image: boolean;
  template: CertificateTemplate;
  updated_at: string;
}

/** The outcome of the last records upload, kept until the next one. */
export interface ImportSummary {
  at: string;
  format: 'csv' | 'json';
  encoding: string;
  delimiter: string | null;
  mode: 'upsert' | 'replace';
  /** Data rows read. */
  rows: number;
  /** Rows accepted (inserted + updated + unchanged). */
  imported: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records removed because the file did not have them (mode `replace`). */
  removed: number;
  skipped: number;
  errors: number;
  warnings: number;
  /** Issues counted but not listed (the list holds the first 1,000). */
  issues_not_listed: number;
  /** Record field → header read. */
  columns: Record<string, string>;
  extra_columns: string[];
  /** Row (header = row 1), column, problem; `severity: error` rows were skipped. */
  issues: ImportIssue[];
  seconds: number;
}

export type SetupStep = 'data_source' | 'template' | 'records';

export interface CertificateStatus {
  event_id: number;
  published: boolean;
  published_at: string | null;
  /** A data source (a records upload), a template and at least one record. */
  setup_complete: boolean;
  missing: SetupStep[];
  template: { version: number; name: string; source: string; updated_at: string } | null;
  records: number;
  data_source: { kind: 'upload'; last_import_at: string; format: 'csv' | 'json'; rows: number; errors: number } | null;
}

export type CertificateRecordItem = CertificateRecord & { version: number; updated_at: string };

export interface CertificateRecordPage {
  records: CertificateRecordItem[];
  pagination: PaginationInfo;
  last_import: ImportSummary | null;
}

/** `GET /api/v1/ext/{org_id}/event/{event_id}/certificates/{bib}`. */
export interface PublicCertificate {
  bib: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  category: string | null;
  gender: string | null;
  finish_time: string | null;
  rank: number | null;
  event_name: string;
  /** Page size of the certificate in px (96 dpi): the preview's aspect ratio. */
  width: number;
  height: number;
  /** Signed, time-limited links (about an hour): fetch just before use, never store. */
  png_url: string;
  pdf_url: string;
  png_filename: string;
  pdf_filename: string;
  /** ISO 8601 time the links expire. */
  expires_at: string;
}
