// The API rate limit in PostgreSQL, shared by every replica: one token bucket per (key, client IP) in `rate_limits`
// (migration 131), refilled and taken in one statement, so concurrent requests on any replica count once each.
import type { Limiter } from '../../http/rate-limit.ts';
import type { PgDb } from './db.ts';

export class PgRateLimiter implements Limiter {
  private calls = 0;
  constructor(
    private readonly db: PgDb,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  async take(id: string): Promise<number> {
    const t = this.now();
    const wait = await takeToken(this.db, id, this.perMinute, t);
    if (++this.calls % 1000 === 0) await pruneBuckets(this.db, t);
    return wait;
  }

  async wait(id: string): Promise<number> {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const row = await this.db.get<{ tokens: number; at: string }>('SELECT tokens, at FROM rate_limits WHERE id = ?', [id]);
    if (!row) return 0;
    const tokens = Math.min(this.perMinute, Number(row.tokens) + (this.now() - Number(row.at)) * rate);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate / 1000));
  }
}

/**
 * One token of bucket `id` (`perMinute` a minute, a burst of the same size), refilled and taken in one statement:
 * 0 when granted, else the seconds to wait. Shared by the API rate limit and the store's throttles (throttles.ts).
 */
export async function takeToken(db: PgDb, id: string, perMinute: number, t: number): Promise<number> {
  if (perMinute <= 0) return 0;
  const rate = perMinute / 60_000;
  const row = await db.get<{ tokens: number; granted: boolean }>(
    `INSERT INTO rate_limits AS r (id, tokens, at, granted) VALUES (@id, @cap::double precision - 1, @t::bigint, TRUE)
     ON CONFLICT (id) DO UPDATE SET
       tokens = LEAST(@cap::double precision, r.tokens + (@t::bigint - r.at) * @rate::double precision)
                - CASE WHEN LEAST(@cap::double precision, r.tokens + (@t::bigint - r.at) * @rate::double precision) >= 1 THEN 1 ELSE 0 END,
       granted = LEAST(@cap::double precision, r.tokens + (@t::bigint - r.at) * @rate::double precision) >= 1,
       at = @t::bigint
     RETURNING tokens, granted`,
    { id, cap: perMinute, t, rate },
  );
  if (!row || row.granted) return 0;
  return Math.max(1, Math.ceil((1 - Number(row.tokens)) / rate / 1000));
}

/** Buckets untouched for two minutes are full again (every limit here refills within a minute): dropped. */
export async function pruneBuckets(db: PgDb, t: number): Promise<void> {
  await db.run('DELETE FROM rate_limits WHERE at < ?', [t - 120_000]).catch(() => 0);
}
