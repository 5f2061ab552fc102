// Operations: health check, one structured log line per request, rate limit, CORS preflights,
// and a graceful shutdown that lets an in-flight request finish.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Logger } from '../../server/log.ts';
import { createApiKey } from '../../server/services/keys.ts';
import { createHarness, json } from '../support/harness.ts';
import { withDataDirSql } from '../support/sql.ts';
import { openDataDirStore } from '../support/store.ts';
import { startCli } from './helpers/cli.ts';
import { makeJpeg } from './helpers/photos.ts';
import { createWorld, type World } from './helpers/world.ts';

const lines: Record<string, unknown>[] = [];
const log: Logger = {
  info: (msg, f) => void lines.push({ level: 'info', msg, ...f }),
  warn: (msg, f) => void lines.push({ level: 'warn', msg, ...f }),
  error: (msg, f) => void lines.push({ level: 'error', msg, ...f }),
};

describe('operations', () => {
  let w: World;
  before(async () => {
    w = await createWorld({ log }, 2);
  });
  after(() => w.h.close());

  test('/healthz answers in the envelope while the database answers, 503 once it does not', async () => {
    const res = await w.h.call('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), { responseType: 'success', message: 'ok', data: { status: 'ok' } });
    const h = createHarness();
    await h.deps.store.close();
    const down = await h.call('/healthz');
    assert.equal(down.status, 503);
    assert.equal((await json(down)).message, 'The database does not answer');
    await h.close();
  });

  test('one JSON log line per request, with the request id the client sees, the key and the error', async () => {
    lines.length = 0;
    const res = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/images?page=0`, { key: w.secret });
    assert.equal(res.status, 422);
    const id = res.headers.get('x-request-id');
    assert.match(id!, /^[0-9a-f-]{36}$/);
    const requestLines = lines.filter((l) => l.msg === 'request');
    assert.equal(requestLines.length, 1);
    const l = requestLines[0]!;
    assert.equal(l.request_id, id);
    assert.equal(l.method, 'GET');
    assert.equal(l.path, `/api/v1/ext/${w.orgId}/event/${w.event.id}/images`);
    assert.equal(l.status, 422);
    assert.equal(typeof l.ms, 'number');
    assert.equal(typeof l.key_id, 'number');
    assert.match(String(l.error), /^page: /);
    assert.ok(!JSON.stringify(l).includes(w.secret), 'the key itself is never logged');
    const given = await w.h.call('/healthz', { headers: { 'X-Request-Id': 'trace-abc-123' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-abc-123');
  });

  test('rate limit: 429 in the envelope with Retry-After, per key', async () => {
    const h = createHarness({ config: { rateLimitPerMinute: 3 } });
    const org = await h.deps.store.orgs.create('Busy');
    const key = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    const other = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 4; i++) {
      last = await h.call(`/api/v1/ext/${org.id}/events`, { key });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.ok(Number(last!.headers.get('retry-after')) >= 1);
    const body = await json(last!);
    assert.equal(body.responseType, 'error');
    assert.match(body.message, /^Too many requests: retry in \d+ s$/);
    assert.equal((await h.call(`/api/v1/ext/${org.id}/events`, { key: other })).status, 200, 'another key has its own bucket');
    await h.close();
  });

  describe('CORS', () => {
    let pinnedOrg: number;
    before(async () => {
      const org = await w.h.deps.store.orgs.create('Pinned only');
      pinnedOrg = org.id;
      await createApiKey(w.h.deps.store, org.id, { kind: 'publishable', origins: ['https://race.example'] });
    });

    const preflight = (org: number, origin: string) =>
      w.h.call(`/api/v1/ext/${org}/events`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-api-key' },
      });

    test('a preflight from an allowed origin is answered with the CORS headers', async () => {
      const res = await preflight(pinnedOrg, 'https://race.example');
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://race.example');
      assert.match(res.headers.get('access-control-allow-headers')!, /X-API-Key/i);
      assert.match(res.headers.get('access-control-allow-headers')!, /X-Order-Token/i);
    });

    test('a preflight from an origin no key allows still gets the CORS headers, so the page can read the 403 that follows', async () => {
      const res = await preflight(pinnedOrg, 'https://evil.example');
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://evil.example');
    });

    test('the real request from a disallowed origin is 403 naming the origin', async () => {
      const res = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/ping`, {
        key: w.pinned,
        headers: { Origin: 'https://evil.example' },
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://evil.example');
      assert.match(
        (await json(res)).message,
        /^this site is not allowed to show these photos \(origin https:\/\/evil\.example is not on this key's allow-list\)/,
      );
      const ok = await w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/ping`, {
        key: w.pinned,
        headers: { Origin: 'https://shop.example' },
      });
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
    });

    test('an organisation with an unrestricted publishable key accepts preflights from anywhere', async () => {
      const res = await preflight(w.orgId, 'https://anywhere.example');
      assert.equal(res.status, 204);
    });
  });
});

test('graceful shutdown: after SIGTERM an in-flight upload completes, new connections are refused, the DB closes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-serve-'));
  // Production serving seeds nothing: the organisation, its key and event are made first, as the CLI would.
  const store = openDataDirStore(dataDir);
  const org = await store.orgs.create('Shutdown club');
  const ev = await store.events.create(org.id, { name: 'Shutdown 10K' });
  const demo = { org_id: org.id, event_id: ev.id, secret_key: (await createApiKey(store, org.id, { kind: 'secret' })).key };
  await store.close();
  const child = startCli(['serve'], {
    DATA_DIR: dataDir,
    PORT: '0',
    PUBLIC_URL: 'https://photos.example.org',
    LOG_LEVEL: 'warn',
    STATIC_ROOT: join(dataDir, 'no-dist'),
    // On PostgreSQL, serve leaves jobs to workers by default; this one process is the whole deployment.
    JOBS_IN_SERVER: 'true',
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
      const check = () => {
        const m = /photo-finish is running at (http:\/\/[\d.:]+)\//.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        } else setTimeout(check, 50);
      };
      check();
    });
    const photo = await makeJpeg({ seed: 77 });
    const boundary = '----pfboundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="slow.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const u = new URL(url);

    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          method: 'POST',
          path: `/api/v1/admin/${demo.org_id}/events/${demo.event_id}/photos`,
          headers: { 'X-API-Key': demo.secret_key, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      // Half the upload now, SIGTERM, then the rest: the request is in flight when the signal comes.
      req.write(head);
      req.write(photo.subarray(0, 1000));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(async () => {
          const refused = await fetch(`${url}/healthz`).then(
            () => false,
            () => true,
          );
          assert.ok(refused, 'new connections are refused once shutting down');
          req.write(photo.subarray(1000));
          req.end(tail);
        }, 400);
      }, 200);
    });
    const res = await response;
    assert.equal(res.status, 200, res.body);
    const report = JSON.parse(res.body) as { data: { added: number } };
    assert.equal(report.data.added, 1);
    assert.equal(await exited, 0, out);
    assert.match(out, /SIGTERM: finishing in-flight requests/);

    await withDataDirSql(dataDir, async (db) => {
      assert.deepEqual(await db.integrityProblems(), []);
      assert.equal(Number(await db.value("SELECT count(*) FROM images WHERE original_name = 'slow.jpg'")), 1);
    });
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
