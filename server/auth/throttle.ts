import type { ThrottleStore } from '../store/throttle-types.ts';

/**
 * Login throttling: failed sign-ins are counted per account (the email) and per client IP over a sliding window.
 * Beyond the limit, sign-in is refused (429 with Retry-After) until the oldest failure leaves the window — before
 * the password is even checked, so guessing gets nowhere. A successful sign-in clears the account's count.
 * The failures live in the Store (`login_failures`), so every replica over the database counts the same ones: N API
 * processes behind a load balancer give no more guesses than one, and a restart forgets nothing.
 */
export interface ThrottleLimits {
  /** Failures per account within the window. */
  perAccount: number;
  /** Failures per client IP within the window (all accounts together). */
  perIp: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perIp: 30, windowMs: 15 * 60_000 };

/** Failures recorded between two prunes of the ones past the window (by this process). */
const PRUNE_EVERY = 100;

export class LoginThrottle {
  private failures = 0;
  constructor(
    private readonly store: ThrottleStore,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before this account may try again from this IP, or 0. */
  async check(email: string, ip: string): Promise<number> {
    const t = this.now();
    let wait = 0;
    for (const [id, max] of [
      [`a:${email}`, this.limits.perAccount],
      [`i:${ip}`, this.limits.perIp],
    ] as const) {
      if (max <= 0) continue;
      // The max-th newest failure inside the window: once it leaves the window, one more try is allowed.
      const recent = await this.store.recentFailures(id, t - this.limits.windowMs, max);
      if (recent.length >= max) wait = Math.max(wait, Math.ceil((recent[max - 1]! + this.limits.windowMs - t) / 1000));
    }
    return wait;
  }

  async fail(email: string, ip: string): Promise<void> {
    const t = this.now();
    await this.store.addFailure([`a:${email}`, `i:${ip}`], t);
    if (++this.failures % PRUNE_EVERY === 0) await this.store.pruneFailures(t - this.limits.windowMs);
  }

  async succeed(email: string): Promise<void> {
    await this.store.clearFailures(`a:${email}`);
  }
}
