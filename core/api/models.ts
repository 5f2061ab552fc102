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
  /** Extension: face-match confidence 0–100, only on face search results. */
  confidence: z.number().optional(),
});
export type ImageItem = z.infer<typeof ImageItem>;

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

/** EventDetails (spec §4.3) plus extensions the widgets need (time zone, free downloads). */
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
});
export type EventDetails = z.infer<typeof EventDetails>;

export const Ping = z.object({ status: z.literal('ok'), org_id: z.number().int(), event_id: z.number().int() });
export type Ping = z.infer<typeof Ping>;

/** TimelineHour / TimelineDay (spec §4.5). */
export const TimelineHour = z.object({ hour: z.number().int().min(0).max(23), count: z.number().int().nonnegative() });
export const TimelineDay = z.object({ date: z.string(), total: z.number().int().nonnegative(), hours: z.array(TimelineHour) });
export type TimelineDay = z.infer<typeof TimelineDay>;
export const TimelineDays = z.object({ days: z.array(TimelineDay) });
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
