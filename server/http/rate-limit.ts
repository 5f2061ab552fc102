/**
 * What the API's auth asks of a rate limit: `take` counts a request (0 = it may go on, else the seconds to wait),
 * `wait` only looks. In memory (`RateLimiter`, one process), or shared by every replica through the database
 * (`createDeps` picks it with DATABASE_URL).
 */
export interface Limiter {
  take(id: string): number | Promise<number>;
  wait(id: string): number | Promise<number>;
  /** False when limits are off: the auth then computes no limiter key at all. Absent = on. */
  readonly enabled?: boolean;
}

/**
 * Token bucket per (key, client IP): `perMinute` requests a minute with a burst of the same size.
 * In-memory, so per process: behind a load balancer each instance limits on its own.
 */
export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** False when limits are off (0 a minute): callers need not even compute a key. */
  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /** Returns 0 when the request may go on (and counts it), or the seconds to wait. */
  take(id: string): number {
    return this.check(id, true);
  }

  /** The seconds to wait before `id` may go on (0: now), without counting anything. */
  wait(id: string): number {
    return this.check(id, false);
  }

  private check(id: string, take: boolean): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const t = this.now();
    const b = this.buckets.get(id) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(id, b);
    if (this.buckets.size > 50_000) this.sweep(t);
    if (b.tokens >= 1) {
      if (take) b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  private sweep(t: number) {
    for (const [k, b] of this.buckets) if (t - b.at > 60_000) this.buckets.delete(k);
  }
}
