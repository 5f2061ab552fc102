import { z } from 'zod';
import { CertificateRecord, CertificateTemplate, ColumnMapping, HexColor, ImportIssue } from '../certify.ts';
import { PaginationInfo, type PageSize } from './pagination.ts';

/**
 * Certificates API (our extension, not in the 9Pic reference): request and response models of
 * `/api/v1/admin/{org_id}/events/{event_id}/certificates/…` (secret key) and
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

/** Page sizes of the records list (`GET …/certificates/records`), and the longest `q` it takes. */
export const RECORDS_PAGE_SIZE: PageSize = { default: 50, max: 500 };
export const RECORD_SEARCH_MAX_LENGTH = 100;

/** Preview scale (1 = the template's own size in px). */
export const PREVIEW_SCALE = { min: 0.1, max: 3 } as const;

/** How an uploaded background image fills the page. */
export const BackgroundFit = z.enum(['cover', 'contain', 'fill'], { error: 'fit must be cover, contain or fill' });
export type BackgroundFit = z.infer<typeof BackgroundFit>;

export const BuiltinTemplateItem = z.object({
  /** `builtin:classic` */
  id: z.string(),
  name: z.string(),
  description: z.string(),
  accent: z.string(),
  template: CertificateTemplate,
});
export type BuiltinTemplateItem = z.infer<typeof BuiltinTemplateItem>;
export const BuiltinTemplateList = z.object({ templates: z.array(BuiltinTemplateItem) });
export type BuiltinTemplateList = z.infer<typeof BuiltinTemplateList>;

export const EventTemplate = z.object({
  /** Increments on every change; part of each certificate's cache key. */
  version: z.number().int(),
  /** `builtin:classic`… when made from a built-in, else `custom`. */
  source: z.string(),
  /** True when the background is an uploaded image. */
  background_image: z.boolean(),
  template: CertificateTemplate,
  updated_at: z.string(),
});
export type EventTemplate = z.infer<typeof EventTemplate>;

/** The outcome of the last records upload, kept until the next one. */
export const ImportSummary = z.object({
  at: z.string(),
  format: z.enum(['csv', 'json']),
  encoding: z.string(),
  delimiter: z.string().nullable(),
  mode: z.enum(['upsert', 'replace']),
  /** Data rows read. */
  rows: z.number().int(),
  /** Rows accepted (inserted + updated + unchanged). */
  imported: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Records removed because the file did not have them (mode `replace`). */
  removed: z.number().int(),
  skipped: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  /** Issues counted but not listed (the list holds the first 1,000). */
  issues_not_listed: z.number().int(),
  /** Record field → header read. */
  columns: z.record(z.string(), z.string()),
  extra_columns: z.array(z.string()),
  /** Row (header = row 1), column, problem; `severity: error` rows were skipped. */
  issues: z.array(ImportIssue),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const SetupStep = z.enum(['data_source', 'template', 'records']);
export type SetupStep = z.infer<typeof SetupStep>;

export const CertificateStatus = z.object({
  event_id: z.number().int(),
  published: z.boolean(),
  published_at: z.string().nullable(),
  /** A data source (a records upload), a template and at least one record. */
  setup_complete: z.boolean(),
  missing: z.array(SetupStep),
  template: z.object({ version: z.number().int(), name: z.string(), source: z.string(), updated_at: z.string() }).nullable(),
  records: z.number().int(),
  data_source: z
    .object({
      kind: z.literal('upload'),
      last_import_at: z.string(),
      format: z.enum(['csv', 'json']),
      rows: z.number().int(),
      errors: z.number().int(),
    })
    .nullable(),
});
export type CertificateStatus = z.infer<typeof CertificateStatus>;

export const CertificateRecordItem = CertificateRecord.extend({ version: z.number().int(), updated_at: z.string() });
export type CertificateRecordItem = z.infer<typeof CertificateRecordItem>;

export const CertificateRecordPage = z.object({
  records: z.array(CertificateRecordItem),
  pagination: PaginationInfo,
  last_import: ImportSummary.nullable(),
});
export type CertificateRecordPage = z.infer<typeof CertificateRecordPage>;

export const DeletedRecord = z.object({ bib: z.string(), deleted: z.literal(true) });
export type DeletedRecord = z.infer<typeof DeletedRecord>;

/** `GET /api/v1/ext/{org_id}/event/{event_id}/certificates/{bib}`. */
export const PublicCertificate = z.object({
  bib: z.string(),
  name: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  category: z.string().nullable(),
  gender: z.string().nullable(),
  finish_time: z.string().nullable(),
  rank: z.number().int().nullable(),
  event_name: z.string(),
  /** Page size of the certificate in px (96 dpi): the preview's aspect ratio. */
  width: z.number(),
  height: z.number(),
  /** Signed, time-limited links (about an hour): fetch just before use, never store. */
  png_url: z.string(),
  pdf_url: z.string(),
  png_filename: z.string(),
  pdf_filename: z.string(),
  /** ISO 8601 time the links expire. */
  expires_at: z.string(),
});
export type PublicCertificate = z.infer<typeof PublicCertificate>;
