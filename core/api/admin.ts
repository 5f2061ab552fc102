import { z } from 'zod';
import { bibProblem } from '../bib.ts';
import { checkDrawable } from '../text.ts';
import { isValidTimeZone } from '../time.ts';
import { Cta, EventVisibility, FEATURE_FLAGS, type FeatureFlag } from './models.ts';
import { PaginationInfo } from './pagination.ts';
import { VideoSettings, VideoSettingsPatch } from './video.ts';

/**
 * Admin API (`/api/v1/admin/{org_id}/…`, secret keys only): request and response models.
 * Not part of the 9Pic reference; these are our own routes.
 */

/** An IANA zone name (`Europe/Paris`, `UTC`); offsets such as `+02:00` are refused. */
export function isIanaTimeZone(tz: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz) && isValidTimeZone(tz);
}

export const TimeZone = z
  .string()
  .refine(isIanaTimeZone, 'must be an IANA time zone name such as Europe/Paris, America/New_York or UTC');

const EVENT_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Local wall-clock date-time of the event (no zone: the event's time_zone applies), normalised to `YYYY-MM-DDTHH:MM:SS`. */
export const EventDate = z.string().transform((v, ctx) => {
  const m = EVENT_DATE.exec(v.trim());
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m ? m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) : [];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const valid = m !== null && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && s <= 59;
  if (!valid) {
    ctx.addIssue({ code: 'custom', message: 'must be a date YYYY-MM-DD or a local date-time YYYY-MM-DDTHH:MM[:SS]' });
    return z.NEVER;
  }
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}`;
});

export const Slug = z
  .string()
  .max(80, 'must be at most 80 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single dashes');

/** Any subset of the event's feature flags. */
export const FlagsPatch = z.strictObject(
  Object.fromEntries(FEATURE_FLAGS.map((f) => [f, z.boolean().optional()])) as Record<FeatureFlag, z.ZodOptional<z.ZodBoolean>>,
);
export type FlagsPatch = z.infer<typeof FlagsPatch>;

export { Cta, EventVisibility };

export const VIDEO_SELFIE_RULE = 'can only be true when flags.video_search is true';

const settingsShape = {
  slug: Slug.nullable().optional().describe('URL slug; derived from the name when absent'),
  event_date: EventDate.nullable()
    .optional()
    .describe('YYYY-MM-DD or local YYYY-MM-DDTHH:MM[:SS] in the event time zone; stored as YYYY-MM-DDTHH:MM:SS'),
  time_zone: TimeZone.optional().describe('IANA time zone name, e.g. Europe/Paris (default UTC)'),
  status: z.enum(['active', 'draft']).optional(),
  event_enabled: z.boolean().optional().describe('false refuses publishable keys on this event'),
  free_downloads: z.boolean().optional().describe('true (default): originals for everyone; false: only for buyers'),
  /** Face match threshold: cosine similarity in [0, 1]. */
  face_threshold: z
    .number()
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .optional()
    .describe('face match threshold, cosine similarity (default 0.45)'),
  watermark_text: z
    .string()
    .trim()
    .max(100, 'must be at most 100 characters')
    .superRefine(checkDrawable)
    .nullable()
    .optional()
    .describe('text repeated across previews; null for none'),
  flags: FlagsPatch.optional().describe('feature flags to change; the others keep their value'),
  visibility: EventVisibility.optional().describe(
    'public (default): listed and readable; unlisted: readable with a publishable key but not listed (the hosted page carries noindex); private: publishable keys get 404',
  ),
  page_password: z
    .string()
    .min(4, 'must be at least 4 characters')
    .max(200, 'must be at most 200 characters')
    .nullable()
    .optional()
    .describe('write-only: a password participants type before seeing the photos; null removes it'),
  location: z.string().trim().max(200, 'must be at most 200 characters').nullable().optional(),
  event_type: z
    .string()
    .trim()
    .max(80, 'must be at most 80 characters')
    .nullable()
    .optional()
    .describe('e.g. marathon, trail, cycling'),
  show_all_images: z.boolean().optional().describe('false: search-only gallery (no browsing without a BIB, name or selfie)'),
  bulk_download: z.boolean().optional().describe('false: no "download all my photos" ZIP'),
  show_photo_count: z.boolean().optional().describe('false: details.photo_count is null'),
  web_download: z
    .boolean()
    .optional()
    .describe('events that sell originals: true offers a free watermarked web-size ZIP (originals stay paid)'),
  cta: Cta.nullable().optional().describe('call to action shown by the widgets; null removes it'),
  video: VideoSettingsPatch.optional().describe('Motion (video clips) settings to change; the others keep their value'),
};
const EventName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .superRefine(checkDrawable);

export const CreateEventRequest = z
  .strictObject({ name: EventName, ...settingsShape })
  .refine((e) => !(e.flags?.video_selfie_search && !e.flags.video_search), {
    path: ['flags', 'video_selfie_search'],
    message: VIDEO_SELFIE_RULE,
  });
export type CreateEventRequest = z.infer<typeof CreateEventRequest>;

/** A partial update: only the fields sent change; flags merge with the current ones. */
export const UpdateEventRequest = z
  .strictObject({ name: EventName.optional(), ...settingsShape })
  .refine((e) => Object.keys(e).length > 0, { message: 'send at least one field to change' });
export type UpdateEventRequest = z.infer<typeof UpdateEventRequest>;

/** DELETE …/events/{event_id}?confirm={event_id}: the id repeated, so a stray call cannot wipe an event. */
export const DeleteEventQuery = z.object({
  confirm: z.string().max(100).optional().meta({ description: "the event's id again: required, must equal event_id" }),
});
export type DeleteEventQuery = z.infer<typeof DeleteEventQuery>;

/** The answer of an event deletion. */
export const DeletedEvent = z.object({ event_id: z.number().int().meta({ description: 'the deleted event' }) });
export type DeletedEvent = z.infer<typeof DeletedEvent>;

export const EventFlags = z.object(
  Object.fromEntries(FEATURE_FLAGS.map((f) => [f, z.boolean()])) as Record<FeatureFlag, z.ZodBoolean>,
);

/** An event with every setting, as the admin API returns it. */
export const AdminEvent = z.object({
  event_id: z.number().int(),
  org_id: z.number().int(),
  name: z.string(),
  slug: z.string().nullable(),
  event_date: z.string().nullable(),
  time_zone: z.string(),
  status: z.enum(['active', 'draft']),
  event_enabled: z.boolean(),
  free_downloads: z.boolean(),
  face_threshold: z.number(),
  watermark_text: z.string().nullable(),
  /** Whether a watermark image is set (upload it with PUT …/watermark). */
  watermark_image: z.boolean(),
  flags: EventFlags,
  visibility: EventVisibility,
  /** Whether a page password is set (the password itself is never shown). */
  page_password_set: z.boolean(),
  location: z.string().nullable(),
  event_type: z.string().nullable(),
  /** Public URL of the cover image (upload it with PUT …/cover), or null. */
  cover_image: z.string().nullable(),
  show_all_images: z.boolean(),
  bulk_download: z.boolean(),
  show_photo_count: z.boolean(),
  web_download: z.boolean(),
  cta: Cta.nullable(),
  /** The hosted event page (`/e/{org_id}/{slug or event_id}`). */
  page_url: z.string(),
  /** Photos whose thumbnails and previews are still being re-rendered after a watermark change (0 = all current). */
  renditions_pending: z.number().int().nonnegative(),
  /** Motion: how videos are sampled and clips are made. */
  video: VideoSettings,
  image_count: z.number().int().nonnegative(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type AdminEvent = z.infer<typeof AdminEvent>;

export const AdminEventList = z.object({ events: z.array(AdminEvent), pagination: PaginationInfo });
export type AdminEventList = z.infer<typeof AdminEventList>;

/** `https://A.example:443/` → `https://a.example`; null when it is not an http(s) origin. */
export function toOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.pathname !== '/' || u.search || u.hash || u.username) return null;
    return u.origin;
  } catch {
    return null;
  }
}

export const Origin = z.string().transform((v, ctx) => {
  const o = toOrigin(v.trim());
  if (!o) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a web origin such as https://www.example.org (scheme, host, optional port)',
    });
    return z.NEVER;
  }
  return o;
});

export const CreateKeyRequest = z
  .strictObject({
    /** `secret`: full access for servers and the CLI. `publishable`: read-only, for embed snippets. */
    kind: z.enum(['secret', 'publishable']),
    label: z.string().trim().max(100, 'must be at most 100 characters').nullable().optional(),
    /** Publishable keys only: the events the key may read (omit for every event of the organisation). */
    event_ids: z.array(z.number().int().positive()).min(1, 'must name at least one event').max(1000).optional(),
    /** Publishable keys only: browser origins allowed to use the key (omit for any origin). */
    origins: z.array(Origin).min(1, 'must name at least one origin').max(50).optional(),
  })
  .superRefine((k, ctx) => {
    if (k.kind !== 'secret') return;
    for (const f of ['event_ids', 'origins'] as const) {
      if (k[f] !== undefined)
        ctx.addIssue({ code: 'custom', path: [f], message: 'only publishable keys are limited; omit it for a secret key' });
    }
  });
export type CreateKeyRequest = z.infer<typeof CreateKeyRequest>;

export const UpdateKeyRequest = z.strictObject({ active: z.boolean() });
export type UpdateKeyRequest = z.infer<typeof UpdateKeyRequest>;

/** A key as listed: never the key itself, only its first characters followed by `***`. */
export const KeyItem = z.object({
  key_id: z.number().int(),
  kind: z.enum(['secret', 'publishable']),
  label: z.string().nullable(),
  /** e.g. `pk_Ab3xY***` */
  display: z.string(),
  active: z.boolean(),
  event_ids: z.array(z.number().int()).nullable(),
  origins: z.array(z.string()).nullable(),
  created_at: z.string(),
});
export type KeyItem = z.infer<typeof KeyItem>;

export const KeyList = z.object({ keys: z.array(KeyItem), max_keys: z.number().int() });
export type KeyList = z.infer<typeof KeyList>;

/** Returned once, at creation: `key` is the full key and is never shown again. */
export const CreatedKey = KeyItem.extend({ key: z.string() });
export type CreatedKey = z.infer<typeof CreatedKey>;

export const BibString = z.string().superRefine((v, ctx) => {
  const problem = bibProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const AddBibRequest = z.strictObject({ bib: BibString });
export type AddBibRequest = z.infer<typeof AddBibRequest>;

export const BibTagItem = z.object({
  tag_id: z.number().int(),
  bib: z.string(),
  source: z.enum(['manual', 'sidecar', 'ocr']),
  status: z.enum(['accepted', 'rejected', 'candidate']),
  confidence: z.number().nullable(),
});
export type BibTagItem = z.infer<typeof BibTagItem>;

/** One photo with its BIB tags (admin view). */
export const AdminPhoto = z.object({
  image_id: z.string(),
  original_name: z.string(),
  captured_at: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  mime: z.string(),
  bibs: z.array(BibTagItem),
});
export type AdminPhoto = z.infer<typeof AdminPhoto>;

export const UploadResult = z.object({
  name: z.string(),
  /** `queued` (PostgreSQL job queue only): not processed yet when the request stopped waiting; `job_id` names its job. */
  status: z.enum(['added', 'duplicate', 'failed', 'queued']),
  image_id: z.string().nullable(),
  /** Videos (MP4, MOV, WebM) are ingested too: their id here (image_id is then null). */
  video_id: z.string().nullable().optional(),
  /** The photo's job, when it went through the shared job queue and was still `queued`. */
  job_id: z.string().optional(),
  error: z.string().nullable(),
});
export type UploadResult = z.infer<typeof UploadResult>;

/** A row of the BIB sidecar CSV that could not be used (1-based line number in the file). */
export const SidecarProblem = z.object({ line: z.number().int(), error: z.string() });
export type SidecarProblem = z.infer<typeof SidecarProblem>;

export const UploadReport = z.object({
  total: z.number().int(),
  added: z.number().int(),
  duplicate: z.number().int(),
  failed: z.number().int(),
  /** Photos still in the job queue when the request stopped waiting (PostgreSQL job queue only). */
  queued: z.number().int().optional(),
  results: z.array(UploadResult),
  bib_problems: z.array(SidecarProblem),
  /** Distinct warnings of photos stored with a problem (e.g. `bibs not read: OCR models unavailable …`). */
  warnings: z.array(z.string()),
});
export type UploadReport = z.infer<typeof UploadReport>;

export const DeletedPhoto = z.object({ image_id: z.string(), deleted: z.literal(true) });
export type DeletedPhoto = z.infer<typeof DeletedPhoto>;
export const DeletedKey = z.object({ key_id: z.number().int(), deleted: z.literal(true) });
export type DeletedKey = z.infer<typeof DeletedKey>;
