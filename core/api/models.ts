import { z } from 'zod';
import { PaginationInfo } from './pagination.ts';

/** Image ids and selfie request ids are UUIDs; ids are compared lower-case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One rendition of a photo. Extension to the 9Pic ImageItem (extra fields are ignored by 9Pic
 * clients): the widths a client needs to build `srcset`.
 */
export const Rendition = z.object({
  url: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  format: z.enum(['webp', 'avif', 'jpeg']),
});
export type Rendition = z.infer<typeof Rendition>;

/** ImageItem (spec §4.4), plus our `captured_at` and `renditions` extensions. */
export const ImageItem = z.object({
  img_url: z.string(),
  height: z.number().int().nullable(),
  width: z.number().int().nullable(),
  image_id: z.string(),
  thumbnail_url: z.string(),
  original_url: z.string().nullable(),
  /** Extension: capture time, ISO 8601 UTC, or null when the photo has none. */
  captured_at: z.string().nullable(),
  /** Extension: thumbnail renditions, narrowest first. */
  renditions: z.array(Rendition),
  /** Extension: face-match confidence 0–100, only on face search results (for a photo found by its bib alone: match_confidence × 100). */
  confidence: z.number().optional(),
  /**
   * Extension (issue 17): why a search found the photo — `face` (the person's face), `bib` (the bib the person
   * wears, read in the photo), `both`. On selfie and BIB search results of events with selfie search.
   */
  match: z.enum(['face', 'bib', 'both']).optional(),
  /** Extension: how sure that match is, 0..1. */
  match_confidence: z.number().min(0).max(1).optional(),
});
export type ImageItem = z.infer<typeof ImageItem>;
export type MatchReason = NonNullable<ImageItem['match']>;

/** Body of "Not me" on a selfie search's photo (`POST …/faces/{request_id}/not-me`). */
export const NotMeRequest = z.object({
  image_id: z.string().meta({ description: 'the photo that does not show the person', format: 'uuid' }),
});
export type NotMeRequest = z.infer<typeof NotMeRequest>;
/** Data of "Not me": the search's photos left, and whether it was ranked again (its query is still kept). */
export const NotMeData = z.object({
  request_id: z.string(),
  image_id: z.string(),
  total: z.number().int().nonnegative(),
  reranked: z.boolean(),
});
export type NotMeData = z.infer<typeof NotMeData>;

export const ImagePage = z.object({ images: z.array(ImageItem), pagination: PaginationInfo });
export type ImagePage = z.infer<typeof ImagePage>;

/** EventListItem (spec §4.2). */
export const EventListItem = z.object({
  event_id: z.number().int(),
  event_name: z.string().nullable(),
  event_slug: z.string().nullable(),
  event_date: z.string().nullable(),
  status: z.string().nullable(),
  cover_image: z.string().nullable(),
});
export type EventListItem = z.infer<typeof EventListItem>;

export const EventList = z.object({ events: z.array(EventListItem), pagination: PaginationInfo });
export type EventList = z.infer<typeof EventList>;

/** The switchable features of an event (spec §4.3) plus our free-downloads flag. */
export const FEATURE_FLAGS = [
  'bib_search',
  'selfie_search',
  'name_search',
  'timeline_search',
  'video_search',
  'video_selfie_search',
] as const;
export type FeatureFlag = (typeof FEATURE_FLAGS)[number];

/** Who may read an event with a publishable key (admin setting `visibility`). */
export const EventVisibility = z.enum(['public', 'unlisted', 'private']);
export type EventVisibility = z.infer<typeof EventVisibility>;

/**
 * Call to action (admin setting `cta`): a link the widgets show at `placement`; they append `ref`, `eventId`,
 * `bibNumber` and `selfieRequestId` from the participant's context to `url`.
 */
export const Cta = z.strictObject({
  url: z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .refine((u) => /^https?:\/\/[^\s]+$/i.test(u), 'must be an http(s) URL'),
  text: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  placement: z.enum(['gallery', 'lightbox', 'download']),
  style: z.enum(['button', 'link']),
});
export type Cta = z.infer<typeof Cta>;

/** EventDetails (spec §4.3) plus extensions the widgets need (time zone, free downloads, page settings). */
export const EventDetails = z.object({
  event_id: z.number().int(),
  event_name: z.string().nullable(),
  event_slug: z.string().nullable(),
  event_date: z.string().nullable(),
  status: z.string().nullable(),
  event_enabled: z.boolean(),
  bib_search: z.boolean(),
  selfie_search: z.boolean(),
  name_search: z.boolean(),
  video_search: z.boolean(),
  video_selfie_search: z.boolean(),
  timeline_search: z.boolean(),
  /** Extension: IANA time zone the event happens in (display only; API buckets stay UTC). */
  time_zone: z.string(),
  /** Extension: originals may be downloaded without buying them. */
  free_downloads: z.boolean(),
  /** Extension: total photos in the event. */
  image_count: z.number().int().nonnegative(),
  /** Extension: where the event takes place. */
  location: z.string().nullable(),
  /** Extension: public URL of the cover image. */
  cover_image: z.string().nullable(),
  /** Extension: marathon, trail, … */
  event_type: z.string().nullable(),
  /** Extension: false = search-only gallery (listing all photos is 403; BIB, name and selfie search work). */
  show_all_images: z.boolean(),
  /** Extension: "download all my photos" (POST …/download-all) is offered. */
  bulk_download: z.boolean(),
  /** Extension: events that sell originals offer a free watermarked web-size ZIP. */
  web_download: z.boolean(),
  /** Extension: whether to show the photo count. */
  show_photo_count: z.boolean(),
  /** Extension: the photo count, or null when the organiser hides it. */
  photo_count: z.number().int().nonnegative().nullable(),
  /** Extension: reads other than details need X-Event-Token from POST …/access. */
  password_required: z.boolean(),
  /** Extension: the call to action, or null. */
  cta: Cta.nullable(),
  /** Extension: the event has published finisher certificates (GET …/certificates/{bib} answers 403 while false). */
  certificates: z.boolean(),
});
export type EventDetails = z.infer<typeof EventDetails>;

export const Ping = z.object({ status: z.literal('ok'), org_id: z.number().int(), event_id: z.number().int() });
export type Ping = z.infer<typeof Ping>;

/** TimelineHour / TimelineDay (spec §4.5). */
export const TimelineHour = z.object({ hour: z.number().int().min(0).max(23), count: z.number().int().nonnegative() });
export const TimelineDay = z.object({ date: z.string(), total: z.number().int().nonnegative(), hours: z.array(TimelineHour) });
export type TimelineDay = z.infer<typeof TimelineDay>;
export const TimelineDays = z.object({
  days: z.array(TimelineDay),
  /** Extension: photos without a capture time (in no bucket). */
  undated: z.number().int().nonnegative(),
});
export type TimelineDays = z.infer<typeof TimelineDays>;

/** FaceSearchResponse.data (spec §4.6). */
export const FaceSearchData = z.object({
  request_id: z.string().uuid(),
  confidence_percentage: z.number().nullable(),
  images: z.array(ImageItem),
  pagination: PaginationInfo,
});
export type FaceSearchData = z.infer<typeof FaceSearchData>;

/** Download Originals (spec §3.12, §4.7). */
export const DownloadMethod = z.enum(['bib', 'selfie', 'image_id', 'image_ids']);
export type DownloadMethod = z.infer<typeof DownloadMethod>;

/**
 * Extension: `order_token` (a paid order's download token) may travel in the body instead of the
 * `X-Order-Token` header; it is only needed on events that sell their originals.
 */
const OrderToken = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional();
export const DownloadOriginalsRequest = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('bib'),
    identifier: z.string().trim().min(1, 'must be a non-empty bib'),
    order_token: OrderToken,
  }),
  z.object({ method: z.literal('selfie'), identifier: z.string().uuid('must be a request_id (UUID)'), order_token: OrderToken }),
  z.object({ method: z.literal('image_id'), identifier: z.string().min(1, 'must be an image_id'), order_token: OrderToken }),
  z.object({
    method: z.literal('image_ids'),
    identifier: z.array(z.string().min(1)).min(1, 'must be a non-empty array of image ids').max(1000),
    order_token: OrderToken,
  }),
]);
export type DownloadOriginalsRequest = z.infer<typeof DownloadOriginalsRequest>;

export const PresignedUrlItem = z.object({ url: z.string(), filename: z.string() });
export const FailedUrlItem = z.object({ image_id: z.string(), error: z.string(), path: z.string().nullable() });
export const DownloadOriginalsData = z.object({
  presigned_urls: z.array(PresignedUrlItem),
  failed_urls: z.array(FailedUrlItem),
  total_images: z.number().int(),
  successful_count: z.number().int(),
  failed_count: z.number().int(),
  identifier: z.string().nullable(),
  pagination: PaginationInfo,
  message: z.string().nullable(),
});
export type DownloadOriginalsData = z.infer<typeof DownloadOriginalsData>;

/** POST …/access: the page password of a protected event. */
export const AccessRequest = z.strictObject({
  password: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});
export type AccessRequest = z.infer<typeof AccessRequest>;

/** A short-lived token to send as `X-Event-Token` with every read of a password-protected event. */
export const AccessToken = z.object({ token: z.string(), expires_at: z.string() });
export type AccessToken = z.infer<typeof AccessToken>;

/** GET …/names?q=: runners whose name matches (accent- and case-insensitive, partial), at most 20. */
export const NAMES_MAX = 20;
export const NameRunner = z.object({ bib: z.string(), name: z.string() });
export type NameRunner = z.infer<typeof NameRunner>;
export const NamesData = z.object({ runners: z.array(NameRunner) });
export type NamesData = z.infer<typeof NamesData>;

/** POST …/download-all: exactly one of bib, selfie (a request_id) or image_ids. */
export const DOWNLOAD_ALL_MAX_IDS = 5000;
export const DownloadAllRequest = z.union([
  z.strictObject({ bib: z.string().trim().min(1, 'must be a non-empty bib').max(32) }),
  z.strictObject({ selfie: z.string().uuid('must be a request_id (UUID)') }),
  z.strictObject({
    image_ids: z
      .array(z.string().regex(UUID_PATTERN, 'must be an image id (UUID)'))
      .min(1, 'must name at least one photo')
      .max(DOWNLOAD_ALL_MAX_IDS, `must name at most ${DOWNLOAD_ALL_MAX_IDS} photos`),
  }),
]);
export type DownloadAllRequest = z.infer<typeof DownloadAllRequest>;

export const DownloadAllData = z.object({
  /** Signed, time-limited GET that streams application/zip. */
  zip_url: z.string(),
  photo_count: z.number().int().nonnegative(),
  /** original: the originals (free events); web: watermarked 1600-px copies (sold events with web_download). */
  kind: z.enum(['original', 'web']),
  expires_at: z.string(),
});
export type DownloadAllData = z.infer<typeof DownloadAllData>;

/** POST …/analytics: what the page reports itself (searches, downloads and checkout are counted from the API calls). */
export const AnalyticsReport = z.strictObject({
  type: z.enum(['visit', 'share']),
  source: z.string().max(64, 'must be at most 64 characters').optional(),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;
export const AnalyticsRecorded = z.object({ recorded: z.literal(true) });
