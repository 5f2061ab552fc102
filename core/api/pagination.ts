import { z } from 'zod';

/** PaginationInfo (spec §1.5). The mixed casing is the contract. */
export const PaginationInfo = z.object({
  total: z.number().int().nonnegative(),
  currentPage: z.number().int().nonnegative(),
  totalPages: z.number().int().nonnegative(),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean(),
  page_size: z.number().int().positive(),
});
export type PaginationInfo = z.infer<typeof PaginationInfo>;

/** Per-endpoint page sizes (spec §1.5). */
export const PAGE_SIZES = {
  events: { default: 10, max: 100 },
  images: { default: 32, max: 100 },
  bibs: { default: 32, max: 100 },
  faces: { default: 32, max: 100 },
  timeline: { default: 32, max: 100 },
  originals: { default: 30, max: 60 },
} as const;
export type PagedEndpoint = keyof typeof PAGE_SIZES;

/** Plain decimal digits become a number; anything else stays as it is, for the number schema to refuse. */
const digitsOnly = (v: unknown) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v);

/**
 * A whole number from a path or query string, written as plain decimal digits: `0x10`, ` 1`, `1e308`, `+1`, `1.0`
 * and `Infinity` are refused with `error` (Number() would take them all). `bounds` adds limits to the number; the
 * document shows an integer with them.
 */
export const wholeNumber = (error: string, bounds: (n: z.ZodNumber) => z.ZodNumber = (n) => n) =>
  z.preprocess(digitsOnly, bounds(z.number({ error }).int({ error })));

/** A whole number from a query string; a wrong value stops there (one message, not three). */
const intFromQuery = (name: string, bounds: (n: z.ZodNumber) => z.ZodNumber) =>
  wholeNumber(`${name} must be a whole number`, bounds);

export interface PageSize {
  default: number;
  max: number;
}

/**
 * Query schema for `page` and `page_size` of a 9Pic endpoint (its spec sizes) or of one of our routes (its own
 * default and max): out-of-range values are 422 (spec §1.5, our choice).
 */
export function pageQuery(sizes: PagedEndpoint | PageSize) {
  const { default: def, max } = typeof sizes === 'string' ? PAGE_SIZES[sizes] : sizes;
  return z.object({
    page: intFromQuery('page', (n) => n.min(1, 'must be 1 or more'))
      .default(1)
      .meta({ description: '1-based page; past the end answers an empty list with the totals' }),
    page_size: intFromQuery('page_size', (n) => n.min(1, 'must be 1 or more').max(max, `must be at most ${max}`))
      .default(def)
      .meta({ description: `items per page, 1–${max} (default ${def})` }),
  });
}

/** The store's window for a page. */
export const pageWindow = ({ page, page_size }: PageQuery) => ({ offset: (page - 1) * page_size, limit: page_size });
export type PageQuery = { page: number; page_size: number };

/** Builds PaginationInfo; an empty result is the "no page" form (currentPage 0, totalPages 0). */
export function paginationInfo(total: number, page: number, pageSize: number): PaginationInfo {
  if (total === 0) {
    return { total: 0, currentPage: 0, totalPages: 0, hasNextPage: false, hasPreviousPage: false, page_size: pageSize };
  }
  const totalPages = Math.ceil(total / pageSize);
  return {
    total,
    currentPage: page,
    totalPages,
    hasNextPage: page < totalPages,
    hasPreviousPage: page > 1,
    page_size: pageSize,
  };
}
