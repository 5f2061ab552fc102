/**
 * Login throttling: failed sign-ins are counted per account (the email) and per client IP over a sliding window.
 * Beyond the limit, sign-in is refused (429 with Retry-After) until the oldest failure leaves the window — before
 * the password is even checked, so guessing gets nowhere. A successful sign-in clears the account's count.
 * In memory, per process (like the API rate limit): a restart forgets the failures.
 */
export interface ThrottleLimits {
  /** Failures per account within the window. */
  perAccount: number;
  /** Failures per client IP within the window (all accounts together). */
  perIp: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perIp: 30, windowMs: 15 * 60_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(id: string, t: number): number[] {
    const list = (this.failures.get(id) ?? []).filter((at) => t - at < this.limits.windowMs);
    if (list.length) this.failures.set(id, list);
    else this.failures.delete(id);
    return list;
  }

  /** Seconds to wait before this account may try again from this IP, or 0. */
  check(email: string, ip: string): number {
    const t = this.now();
    let wait = 0;
    for (const [id, max] of [
      [`a:${email}`, this.limits.perAccount],
      [`i:${ip}`, this.limits.perIp],
    ] as const) {
      const list = this.recent(id, t);
      if (list.length >= max) wait = Math.max(wait, Math.ceil((list[list.length - max]! + this.limits.windowMs - t) / 1000));
    }
    return wait;
  }

  fail(email: string, ip: string): void {
    const t = this.now();
    for (const id of [`a:${email}`, `i:${ip}`]) this.failures.set(id, [...this.recent(id, t), t]);
    if (this.failures.size > 100_000) for (const id of [...this.failures.keys()]) this.recent(id, t);
  }

  succeed(email: string): void {
    this.failures.delete(`a:${email}`);
  }
}
