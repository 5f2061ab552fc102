// Throttles shared by every process over this database file (server/store/throttle-types.ts) on SQLite: the same
// token bucket statement as PostgreSQL's (an upsert in the `rate_limits` table), failed sign-ins in `login_failures`.
import type { ThrottleStore } from '../throttle-types.ts';
import type { Db } from './db.ts';

export function sqliteThrottles(db: Db): ThrottleStore {
  const bucket = db.prepare(
    `INSERT INTO rate_limits (id, tokens, at, granted) VALUES (@id, @cap - 1, @t, 1)
     ON CONFLICT (id) DO UPDATE SET
       tokens = min(@cap, tokens + (@t - at) * @rate) - CASE WHEN min(@cap, tokens + (@t - at) * @rate) >= 1 THEN 1 ELSE 0 END,
       granted = min(@cap, tokens + (@t - at) * @rate) >= 1,
       at = @t
     RETURNING tokens, granted`,
  );
  const pruneBuckets = db.prepare('DELETE FROM rate_limits WHERE at < ?');
  const insert = db.prepare('INSERT INTO login_failures (id, at) VALUES (?, ?)');
  const recent = db.prepare('SELECT at FROM login_failures WHERE id = ? AND at > ? ORDER BY at DESC LIMIT ?');
  const clear = db.prepare('DELETE FROM login_failures WHERE id = ?');
  const prune = db.prepare('DELETE FROM login_failures WHERE at <= ?');
  const addAll = db.transaction((ids: readonly string[], at: number) => {
    for (const id of ids) insert.run(id, at);
  });
  let calls = 0;
  return {
    async take(id, perMinute, now) {
      if (perMinute <= 0) return 0;
      const rate = perMinute / 60_000;
      const row = bucket.get({ id, cap: perMinute, t: now, rate }) as { tokens: number; granted: number } | undefined;
      // Buckets untouched for two minutes are full again (every limit here refills within a minute).
      if (++calls % 1000 === 0) pruneBuckets.run(now - 120_000);
      if (!row || row.granted) return 0;
      return Math.max(1, Math.ceil((1 - row.tokens) / rate / 1000));
    },
    async addFailure(ids, at) {
      addAll(ids, at);
    },
    async recentFailures(id, since, limit) {
      return (recent.all(id, since, limit) as { at: number }[]).map((r) => r.at);
    },
    async clearFailures(id) {
      clear.run(id);
    },
    async pruneFailures(before) {
      return prune.run(before).changes;
    },
  };
}
