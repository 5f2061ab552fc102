/**
 * Throttles every replica shares (issue 16): they live in the database, never in one process's memory, so N API
 * processes behind a load balancer give an attacker no more guesses than one.
 *  - token buckets in `rate_limits` (migration 0131): the page-password limit of protected events (and, on
 *    PostgreSQL, the API rate limit, server/store/postgres/rate-limits.ts, same statement);
 *  - failed console sign-ins in `login_failures` (migration 015): a sliding window per account and per client IP.
 */
export interface ThrottleStore {
  /**
   * Takes one token from bucket `id` (`perMinute` a minute, a burst of the same size), in one statement whichever
   * replica asks: 0 when granted, else the seconds to wait. `perMinute` ≤ 0 = no limit (0).
   */
  take(id: string, perMinute: number, now: number): Promise<number>;
  /** Records one failure at `at` under each id. */
  addFailure(ids: readonly string[], at: number): Promise<void>;
  /** Times (ms) of the failures of `id` after `since`, newest first, at most `limit`. */
  recentFailures(id: string, since: number, limit: number): Promise<number[]>;
  /** Forgets the failures of `id` (a successful sign-in). */
  clearFailures(id: string): Promise<void>;
  /** Forgets failures at or before `before` (ms); returns how many. */
  pruneFailures(before: number): Promise<number>;
}
