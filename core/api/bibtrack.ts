import { z } from 'zod';
import { PaginationInfo, type PageSize } from './pagination.ts';

/**
 * BibTrack admin API (`/api/v1/admin/{org_id}/events/{event_id}/…`, secret keys only): bib reads of the
 * photos (OCR at ingest, manual tags), their review, the issued-bib list and OCR re-runs. Our own routes.
 */

export const BibTag = z.object({
  tag_id: z.number().int(),
  bib: z.string(),
  bib_norm: z.string(),
  source: z.enum(['manual', 'sidecar', 'ocr']),
  status: z.enum(['accepted', 'rejected', 'candidate']),
  confidence: z.number().nullable(),
  /** [x1, y1, x2, y2] in pixels of the original, upright photo; null for sidecar and manual tags. */
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  /** When a person accepted or rejected it (a re-run keeps its status), or null. */
  reviewed_at: z.string().nullable(),
});
export type BibTag = z.infer<typeof BibTag>;

export const BibScan = z.object({
  state: z.enum(['read', 'failed']),
  reads: z.number().int(),
  error: z.string().nullable(),
  scanned_at: z.string(),
});
export type BibScan = z.infer<typeof BibScan>;

/** A photo with every bib tag it has (candidates and rejected ones too) and its OCR scan. */
export const BibPhoto = z.object({
  image_id: z.string(),
  original_name: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  thumbnail_url: z.string(),
  preview_url: z.string(),
  /** null: the OCR never read this photo (bib search was off, or it was ingested without OCR). */
  scan: BibScan.nullable(),
  bibs: z.array(BibTag),
});
export type BibPhoto = z.infer<typeof BibPhoto>;

export const BibPhotoPage = z.object({ photos: z.array(BibPhoto), pagination: PaginationInfo });
export type BibPhotoPage = z.infer<typeof BibPhotoPage>;

/** Page sizes of the photos without a bib (`…/bibs/untagged`) and of the issued list (`…/bibs/issued`). */
export const UNTAGGED_PAGE_SIZE: PageSize = { default: 50, max: 200 };
export const ISSUED_PAGE_SIZE: PageSize = { default: 500, max: 5000 };

/** How an uploaded issued list applies: it replaces the current one, or adds to it. */
export const IssuedMode = z.enum(['replace', 'append'], { error: 'mode must be replace or append' });
export type IssuedMode = z.infer<typeof IssuedMode>;

export const ReviewBibRequest = z.strictObject({
  status: z.enum(['accepted', 'rejected'], { error: 'status must be accepted or rejected' }),
});
export type ReviewBibRequest = z.infer<typeof ReviewBibRequest>;

export const RerunRequest = z.strictObject({
  /** Only photos the OCR has not read yet (never read, or failed). */
  unread_only: z.boolean().optional(),
});
export type RerunRequest = z.infer<typeof RerunRequest>;

export const RerunReport = z.object({
  event_id: z.number().int(),
  photos: z.number().int(),
  read: z.number().int(),
  failed: z.array(z.object({ image_id: z.string(), error: z.string() })),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  /** Reads of tags a person had reviewed: their status was kept. */
  kept: z.number().int(),
  accepted: z.number().int(),
  candidates: z.number().int(),
  seconds: z.number(),
});
export type RerunReport = z.infer<typeof RerunReport>;

export const RerunJob = z.object({
  event_id: z.number().int(),
  state: z.enum(['running', 'done', 'failed']),
  unread_only: z.boolean(),
  done: z.number().int(),
  total: z.number().int(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  report: RerunReport.nullable(),
});
export type RerunJob = z.infer<typeof RerunJob>;

export const IssuedProblem = z.object({ line: z.number().int(), error: z.string() });

export const IssuedReport = z.object({
  /** Bibs in the uploaded list now. */
  issued: z.number().int(),
  /** Data rows read, and bibs taken from them. */
  rows: z.number().int(),
  bibs: z.number().int(),
  problems: z.array(IssuedProblem),
  /** Bibs of the event's certificate records, which count as issued too. */
  certificate_bibs: z.number().int(),
  /** OCR tags whose status the new list changed. */
  now_accepted: z.number().int(),
  now_candidates: z.number().int(),
});
export type IssuedReport = z.infer<typeof IssuedReport>;

export const IssuedList = z.object({
  bibs: z.array(z.string()),
  pagination: PaginationInfo,
  certificate_bibs: z.number().int(),
});
export type IssuedList = z.infer<typeof IssuedList>;

export const BibOverview = z.object({
  event_id: z.number().int(),
  bib_search: z.boolean(),
  images: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  not_read: z.number().int(),
  tagged: z.number().int(),
  untagged: z.number().int(),
  ocr_accepted: z.number().int(),
  ocr_candidates: z.number().int(),
  rejected: z.number().int(),
  manual: z.number().int(),
  issued: z.number().int(),
  certificate_bibs: z.number().int(),
  rerun: RerunJob.nullable(),
});
export type BibOverview = z.infer<typeof BibOverview>;
