// Throttles shared by every replica (server/store/throttle-types.ts) on PostgreSQL: token buckets through the same
// statement as the API rate limit (rate-limits.ts), failed sign-ins as rows of `login_failures`.
import type { ThrottleStore } from '../throttle-types.ts';
import type { PgDb } from './db.ts';
import { pruneBuckets, takeToken } from './rate-limits.ts';

export function pgThrottles(db: PgDb): ThrottleStore {
  let calls = 0;
  return {
    async take(id, perMinute, now) {
      const wait = await takeToken(db, id, perMinute, now);
      if (++calls % 1000 === 0) await pruneBuckets(db, now);
      return wait;
    },
    async addFailure(ids, at) {
      if (!ids.length) return;
      await db.run(`INSERT INTO login_failures (id, at) SELECT unnest(?::text[]), ?::bigint`, [ids, at]);
    },
    async recentFailures(id, since, limit) {
      const rows = await db.all<{ at: string }>(
        'SELECT at FROM login_failures WHERE id = ? AND at > ? ORDER BY at DESC LIMIT ?',
        [id, since, limit],
      );
      return rows.map((r) => Number(r.at));
    },
    async clearFailures(id) {
      await db.run('DELETE FROM login_failures WHERE id = ?', [id]);
    },
    async pruneFailures(before) {
      return db.run('DELETE FROM login_failures WHERE at <= ?', [before]);
    },
  };
}
