// The API rate limit on PostgreSQL is one budget for every replica: two limiters (two processes) over the same
// database share each (key, IP) bucket; it refills with time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PgRateLimiter } from '../../../server/store/postgres/rate-limits.ts';
import { openPostgresStore, type PostgresStore } from '../../../server/store/postgres/index.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../support/pg-cluster.ts';

const skip = !postgresAvailable() && !process.env.CI ? 'PostgreSQL binaries not installed' : false;

describe('shared rate limit (PostgreSQL)', { skip, timeout: 60_000 }, () => {
  let cluster: PgCluster;
  let a: PostgresStore;
  let b: PostgresStore;
  let now = 1_000_000;
  before(async () => {
    cluster = await startPgCluster();
    a = openPostgresStore(cluster.url);
    b = openPostgresStore(cluster.url);
    await a.orgs.list(); // migrated
  });
  after(async () => {
    await a?.close();
    await b?.close();
    cluster?.stop();
  });

  test('two replicas draw on one bucket per key and IP; a refused request waits for the refill', async () => {
    const one = new PgRateLimiter(a.db, 3, () => now);
    const two = new PgRateLimiter(b.db, 3, () => now);
    assert.equal(await one.take('k1|1.2.3.4'), 0);
    assert.equal(await two.take('k1|1.2.3.4'), 0);
    assert.equal(await one.wait('k1|1.2.3.4'), 0, 'wait does not count');
    assert.equal(await two.take('k1|1.2.3.4'), 0);
    const refused = await one.take('k1|1.2.3.4');
    assert.ok(refused >= 1 && refused <= 20, `refused for ${refused} s`);
    assert.ok((await two.wait('k1|1.2.3.4')) >= 1);
    assert.equal(await two.take('k2|1.2.3.4'), 0, 'another key has its own bucket');
    // 20 s later (3 a minute): one token back, on either replica.
    now += 20_000;
    assert.equal(await two.take('k1|1.2.3.4'), 0);
    assert.ok((await one.take('k1|1.2.3.4')) >= 1);
    // Concurrent requests: exactly the budget passes.
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).take('k3|5.6.7.8')));
    assert.equal(results.filter((w) => w === 0).length, 3);
    assert.equal(await new PgRateLimiter(a.db, 0, () => now).take('k3|5.6.7.8'), 0, '0 = no limit');
  });
});
