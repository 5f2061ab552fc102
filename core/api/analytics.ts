import { z } from 'zod';

/**
 * Event analytics (admin API `GET /api/v1/admin/{org_id}/events/{event_id}/analytics`): counters kept by the
 * server per UTC day and source, without cookies, IPs or anything about a person.
 */

export const SEARCH_METHODS = ['bib', 'name', 'selfie', 'timeline'] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const AnalyticsQuery = z
  .object({
    from: Day.optional().meta({ description: 'first UTC day (default: 29 days before to)' }),
    to: Day.optional().meta({ description: 'last UTC day, included (default: today)' }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

const SearchCount = z.object({
  searches: z.number().int().nonnegative(),
  /** Searches that found at least one photo (or runner). */
  hits: z.number().int().nonnegative(),
  /** hits / searches, 0–1 (null without searches). */
  hit_rate: z.number().nullable(),
});

const Searches = z.object(
  Object.fromEntries(SEARCH_METHODS.map((m) => [m, SearchCount])) as Record<SearchMethod, typeof SearchCount>,
);

const Counts = z.object({
  visits: z.number().int().nonnegative(),
  searches: Searches,
  /** Download requests (links to originals, ZIPs). */
  downloads: z.number().int().nonnegative(),
  /** Photos in those downloads. */
  downloaded_photos: z.number().int().nonnegative(),
  shares: z.number().int().nonnegative(),
});

export const AnalyticsDay = Counts.extend({
  date: z.string(),
  /** Orders started and paid that day (all sources). */
  orders: z.number().int().nonnegative(),
  paid: z.number().int().nonnegative(),
});
export type AnalyticsDay = z.infer<typeof AnalyticsDay>;

export const AnalyticsSource = Counts.extend({
  /** `qr` (the event QR code), `direct` (no source), `referrer` (a link from another site), or the page's own `source`. */
  source: z.string(),
});

export const AnalyticsData = z.object({
  from: z.string(),
  to: z.string(),
  totals: Counts.extend({
    orders: z.number().int().nonnegative(),
    paid: z.number().int().nonnegative(),
    /** Paid orders per visit, 0–1 (null without visits). */
    conversion: z.number().nullable(),
  }),
  days: z.array(AnalyticsDay),
  sources: z.array(AnalyticsSource),
});
export type AnalyticsData = z.infer<typeof AnalyticsData>;
